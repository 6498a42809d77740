// Vitest setup (vitest.config.ts `setupFiles`): `DESCENT_BACKEND=js` or `=wasm` runs the tests
// with the engine's kernels on that backend (scripts/test.sh runs the engine suite under both).
// Unset, the engine keeps the backend it picked at load (wasm where SIMD128 runs).
import { setBackend, type Backend } from '../src/kernels/backend.ts';

const wanted = process.env.DESCENT_BACKEND;
if (wanted) setBackend(wanted as Backend);
