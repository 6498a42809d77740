import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import demo from '../../components/figures/demo-quadratic.ts';
import { defaultState } from '../../src/notebook/figures/define.ts';
import { serializeNode, ssrPlot } from '../../src/notebook/ssr.ts';

// Golden SVG of the demo figure's first frame, so a Plot upgrade or an SSR change that alters
// the prerendered output is a reviewed diff rather than a surprise. On a mismatch the new
// output is written beside the golden as `<name>-changed.svg`; to accept it, replace the
// golden with it. Goldens are never created in CI.

const dir = join(import.meta.dirname, 'golden');

function checkGolden(name: string, actual: string) {
  const golden = join(dir, `${name}.svg`);
  const changed = join(dir, `${name}-changed.svg`);
  if (!existsSync(golden)) {
    if (process.env.CI)
      throw new Error(`missing golden ${golden}; create it locally and commit it`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(golden, actual);
    return;
  }
  const expected = readFileSync(golden, 'utf8');
  if (actual === expected) {
    rmSync(changed, { force: true });
    return;
  }
  writeFileSync(changed, actual);
  expect(actual, `SVG differs from ${golden}; see ${changed}`).toBe(expected);
}

it('demo-quadratic first frame matches its golden SVG', () => {
  const state = defaultState(demo.controls);
  const data = demo.compute!(state);
  const plot = demo.render(state, {
    Plot: ssrPlot,
    width: 640,
    height: undefined,
    data,
    draft: false,
  });
  checkGolden('demo-quadratic', serializeNode(plot, { idPrefix: 'fig-demo' }) + '\n');
});
