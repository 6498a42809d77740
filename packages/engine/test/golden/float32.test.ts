/**
 * A cross-section of core ops, activations and losses in float32 (the default dtype) against
 * PyTorch's float32 results: outputs and gradients stay float32 and agree to float32
 * precision, including where float32 overflows much earlier than float64 (e^89 = ∞).
 */
import { describe, it } from 'vitest';
import { checkForwardBackward, loadFixture } from './fixtures.ts';
import { activationOps, lossOps, ops } from './ops-table.ts';

const FILE = 'float32.json';
const { cases } = loadFixture(FILE);
const table = { ...ops, ...activationOps, ...lossOps };

// float32 has 24 bits (ε ≈ 1.2e-7); PyTorch's vectorized float32 kernels and the engine's
// (which round each op's double-precision result) differ by a few units in the last place.
const TOLERANCE = { dtype: 'float32', atol: 1e-6, rtol: 2e-6 } as const;

describe('float32 ops match PyTorch float32 (1e-6 + 2e-6·|x|)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const fn = table[c.op];
      if (!fn) throw new Error(`${FILE} › ${c.name}: the test has no mapping for '${c.op}'`);
      checkForwardBackward(FILE, c, (inputs) => fn(inputs, c.args), TOLERANCE);
    });
  }
});
