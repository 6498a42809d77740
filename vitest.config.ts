import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'src/**/*.test.ts', 'tests/**/*.test.ts'],
    // Engine tests are CPU-bound; two workers match the machine's two cores.
    maxWorkers: 2,
    // DESCENT_BACKEND=js|wasm picks the engine's kernel backend for the run.
    setupFiles: ['packages/engine/test/setup-backend.ts'],
    testTimeout: 60_000,
  },
});
