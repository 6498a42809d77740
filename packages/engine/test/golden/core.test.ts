/**
 * Core tensor ops against PyTorch (float64): forward values and gradients of
 * sum(out · upstream) for a random upstream, including broadcasting, reductions with ties,
 * every matmul shape and the kinks of abs/relu/clamp; and gradients of those gradients
 * (every backward rule run under createGraph).
 */
import { describe, it } from 'vitest';
import { checkForwardBackward, loadFixture } from './fixtures.ts';
import { ops } from './ops-table.ts';

const FILE = 'core.json';
const { cases } = loadFixture(FILE);

describe('core ops match PyTorch (float64, 1e-10)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const fn = ops[c.op];
      if (!fn) throw new Error(`${FILE} › ${c.name}: the test has no mapping for op '${c.op}'`);
      checkForwardBackward(FILE, c, (inputs) => fn(inputs, c.args));
    });
  }
});
