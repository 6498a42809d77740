/**
 * Which kernels the engine runs: 'wasm' (WebAssembly SIMD128, ./wasm.ts) or 'js' (plain
 * JavaScript, the fallback). The engine picks 'wasm' at load wherever WebAssembly SIMD128 runs
 * (Node, every current browser, Web Workers) and 'js' otherwise.
 *
 * Both give the same float64 results, bit for bit. float32 products differ in the last bits:
 * the wasm kernels sum float32 in float32 (as PyTorch and XNNPACK do), the JavaScript kernels
 * sum in float64 and round once per block of 256 terms.
 */
import { wasmKernels } from './wasm.ts';

/** A kernel backend: `'wasm'` (WebAssembly SIMD128) or `'js'` (plain JavaScript). */
export type Backend = 'js' | 'wasm';

let current: Backend | undefined;

/**
 * The backend the engine's kernels run on now.
 *
 * @example
 * ['js', 'wasm'].includes(getBackend()); // true
 */
export function getBackend(): Backend {
  if (current === undefined) current = wasmKernels() ? 'wasm' : 'js';
  return current;
}

/**
 * Switches the kernels between `'wasm'` and `'js'`, to compare them (results, speed); returns
 * the previous backend. Throws if `'wasm'` is asked for where WebAssembly SIMD is unavailable.
 *
 * @example
 * const before = setBackend('js');
 * matmul(ones([2, 2]), ones([2, 2])).toArray(); // [[2, 2], [2, 2]], computed by JavaScript
 * setBackend(before);
 */
export function setBackend(backend: Backend): Backend {
  const before = getBackend();
  if (backend !== 'js' && backend !== 'wasm') {
    throw new TypeError(`setBackend: expected 'js' or 'wasm', got ${String(backend)}`);
  }
  if (backend === 'wasm' && !wasmKernels()) {
    throw new Error('setBackend: WebAssembly SIMD128 is not available here');
  }
  current = backend;
  return before;
}
