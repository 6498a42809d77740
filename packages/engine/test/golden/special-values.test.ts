/**
 * NaN and ±Infinity against PyTorch (float64): where they arise (log 0, 0/0, overflow, (−8)^⅓)
 * and how they propagate through ops, reductions (NaN wins max/min), softmax with masked
 * (−∞) logits, and the gradients of all of these.
 */
import { describe, it } from 'vitest';
import { checkForwardBackward, loadFixture } from './fixtures.ts';
import { ops } from './ops-table.ts';

const FILE = 'special-values.json';
const { cases } = loadFixture(FILE);

describe('NaN and infinities match PyTorch', () => {
  for (const c of cases) {
    it(c.name, () => {
      const fn = ops[c.op];
      if (!fn) throw new Error(`${FILE} › ${c.name}: the test has no mapping for op '${c.op}'`);
      checkForwardBackward(FILE, c, (inputs) => fn(inputs, c.args));
    });
  }
});
