import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'src/**/*.test.ts', 'tests/**/*.test.ts'],
    // Engine tests are CPU-bound; two workers match the machine's two cores.
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
