/**
 * Chapters 9 (minibatches-and-schedules) and 11 (beyond-plain-gradients): runs each page's cells
 * the way the build does (a fresh kernel per page, cells in page order) and checks that none
 * fails, that every number the prose quotes is in the cells' output, that the code exercises
 * reject their starter code and accept the solutions, and that the figures describe their
 * default state.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { polynomialDecay } from '@descent/engine';
import type { BuildCell } from '../../src/notebook/build-runner.ts';
import type { RunResult } from '../../src/notebook/worker/kernel.ts';
import { defaultState } from '../../src/notebook/figures/define.ts';
import scheduleLab, { buildSchedule } from '../../components/figures/schedule-lab.ts';
import { expectShows, pageCells, runCells, solutionOf } from './support/cells.ts';

const CH9 = 'content/chapters/minibatches-and-schedules.mdx';

/** The page's cells without the long ones, which the build does not run either. */
const cellsOf = (page: string) => pageCells(page, { skipLong: true });

/** The page's cells, with `replace` swapping in other code for some of them. */
function withCode(page: string, replace: Record<string, string> = {}): BuildCell[] {
  return cellsOf(page).map((c) => (c.id in replace ? { ...c, code: replace[c.id]! } : c));
}

describe('chapter 9 cells', () => {
  let results: Map<string, RunResult>;
  beforeAll(async () => {
    results = await runCells(CH9, withCode(CH9));
  }, 120_000);

  it('all run without error', () => {
    for (const [id, result] of results) expect(result.error, `cell ${id}`).toBeNull();
  });

  it('measure the mini-batch noise and its 1/N law', () => {
    expectShows(results, 'mb-data', '7850 parameters', 'lossAtZero: 2.30258');
    expectShows(
      results,
      'mb-noise',
      '‖ḡ‖² = 1.2168, σ² = 77.7712',
      'N =   1: measured 76.5318, predicted 77.7712',
      'N = 256: measured 0.2326, predicted 0.2262',
    );
    const rows = results.get('mb-noise')!.text.match(/measured ([\d.]+), predicted ([\d.]+)/g)!;
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      const [measured, predicted] = row.match(/[\d.]+/g)!.map(Number);
      expect(Math.abs(measured! / predicted! - 1)).toBeLessThan(0.15);
    }
  });

  it('compare batch sizes per epoch and per update', () => {
    expectShows(
      results,
      'mb-train',
      'N =    1, 2000 updates: 2.303 0.872 0.622 0.538 0.681 0.417 0.592 0.418 0.293',
      'N = 1000,    2 updates: 2.303 2.184 2.078',
    );
    expectShows(results, 'mb-late', '63.9 at the start, 124.9 after two epochs');
    expectShows(results, 'mb-late', 'signalAfter: 0.11654', 'sigma2After: 14.5525');
  });

  it('plot every schedule with the numbers the text quotes', () => {
    expectShows(
      results,
      'sch-shapes',
      'inverse time       γ = 1 per 30       η at t = 0, 100, 150, 300: 0.5000  0.1154  0.0833  0.0455',
      '1/√(t+1)           η₀/√(t+1)          η at t = 0, 100, 150, 300: 0.5000  0.0498  0.0407  0.0288',
      'power 2, cycle 100 η at t = 0, 100, 150, 300: 0.5000  0.0100  0.0406  0.0100',
    );
  });

  it('use the schedules on the digits', () => {
    expectShows(
      results,
      'sch-digits',
      'constant 1             2.540 1.012 0.730 0.352 0.373 0.375 0.334 0.329 0.214 0.293 0.195 0.361',
      'constant 0.1           1.558 1.123 0.933 0.804 0.729 0.685 0.621 0.590 0.558 0.529 0.507 0.500',
      'piecewise 1, 0.3, 0.1  2.540 1.012 0.730 0.352 0.373 0.375 0.234 0.229 0.205 0.200 0.196 0.192',
      'exponential, γ = 0.05  ',
      '0.268',
      'polynomial, power 2    ',
      '0.257',
    );
  });

  it('reduce on plateau: by hand and with the engine, the same numbers', () => {
    expectShows(results, 'sch-blobs', 'Lstar: 0.178428899593');
    expect(results.get('sch-blobs')!.value).toMatchObject({ gradAtStar: expect.any(Number) });
    expect((results.get('sch-blobs')!.value as { gradAtStar: number }).gradAtStar).toBeLessThan(
      1e-12,
    );
    expectShows(
      results,
      'sch-plateau',
      'halved after epochs 11, 24, 35, 57; final rate 0.0625',
      'stays between 2.9e-4 and 7.5e-2',
      '5.29e-5 with the rule, 1.11e-2 at η = 1',
    );
    expect(results.get('sch-plateau-engine')!.value).toEqual({
      reducedAfter: [11, 24, 35, 57],
      sameAsByHand: true,
    });
  });

  it('the code exercise rejects the starter code', () => {
    expect(results.get('ex-mb-poly-code')!.value).toBe(false);
  });

  it('the code exercise accepts the printed solution', async () => {
    const cell = cellsOf(CH9).find((c) => c.id === 'ex-mb-poly-code')!;
    const solution = solutionOf(CH9, 'ex-mb-poly');
    const code = cell.code.replace(
      /const myPolynomial = [\s\S]*?\n\};/,
      solution.replace(/\n$/, ''),
    );
    const solved = await runCells(CH9, [{ ...cell, code }]);
    expect(solved.get('ex-mb-poly-code')!.value).toBe(true);
  });
});

describe('chapter 9 exercise answers', () => {
  it('9.1: the predicted squared error for N = 100', () => {
    expect(((77.7712 / 100) * 900) / 999).toBeCloseTo(0.70064, 5);
  });
  it('9.2: the cycled polynomial at t = 150', () => {
    expect(polynomialDecay({ lr0: 0.5, decaySteps: 100, power: 2, cycle: true })(150)).toBe(
      0.03125,
    );
  });
  it('9.3: the halving time of γ = 0.1 per 150 updates', () => {
    expect((150 * Math.log(0.5)) / Math.log(0.1)).toBeCloseTo(45.15, 2);
  });
});

describe('fig-schedule-lab', () => {
  it('describes its default run: the step decay beats the constant rate', () => {
    const state = defaultState(scheduleLab.controls);
    const data = scheduleLab.compute!(state);
    expect(data.finalGap).toBeLessThan(data.referenceGap / 10);
    expect(scheduleLab.describe(state, data)).toMatch(
      /^Step decay schedule from η₀ = 3, batches of 4: the rate ends at η\(400\) = 0\.188/,
    );
  });
  it('builds every schedule from the engine', () => {
    const base = defaultState(scheduleLab.controls);
    const at = (schedule: string, t: number) => buildSchedule({ ...base, schedule })(t);
    expect(at('piecewise', 250)).toBeCloseTo(0.75, 12); // γ² η₀ after 2T
    expect(at('exponential', 100)).toBeCloseTo(1.5, 12);
    expect(at('inverse-time', 100)).toBeCloseTo(2, 12);
    expect(at('polynomial', 100)).toBeCloseTo(0.03, 12);
    expect(at('inv-sqrt', 3)).toBeCloseTo(1.5, 12);
    expect(at('constant', 399)).toBe(3);
  });
});

const CH11 = 'content/chapters/beyond-plain-gradients.mdx';

describe('chapter 11 cells', () => {
  let results: Map<string, RunResult>;
  beforeAll(async () => {
    results = await runCells(CH11, withCode(CH11));
  }, 120_000);

  it('all run without error', () => {
    for (const [id, result] of results) expect(result.error, `cell ${id}`).toBeNull();
  });

  it('exponentiated gradient and projected gradient descent on mixture weights', () => {
    expectShows(results, 'bg-mixture-data', 'lossAtUniform: 2.2044411');
    expectShows(
      results,
      'bg-eg-scratch',
      'π after 200 steps: 0.6271, 0.0030, 0.2662, 0.0141, 0.0897',
      'sum 1.000000000000, smallest 2.98e-3, L = 1.971861',
    );
    expectShows(
      results,
      'bg-pgd',
      'π after 200 steps: 0.6296, 0.0000, 0.2666, 0.0140, 0.0897, L = 1.971840',
      'step  50: L − L_best = 2.93e-4 (EG), 2.26e-12 (PGD)',
      'step 200: L − L_best = 2.11e-5 (EG), 2.66e-15 (PGD)',
      'the second weight is exactly 0 from step 39 on',
    );
    const engine = results.get('bg-eg-engine')!.value as {
      largestDifferenceFromScratch: number;
      allPositive: boolean;
    };
    expect(engine.largestDifferenceFromScratch).toBeLessThan(1e-12);
    expect(engine.allPositive).toBe(true);
  });

  it('learned rates against a hand-tuned one on the digits', () => {
    expectShows(
      results,
      'bg-race-setup',
      'fixed η = 0.3 final training loss 0.3063',
      'fixed η = 1   final training loss 0.2038',
      'fixed η = 3   final training loss 0.7177',
      'hand-tuned: fixed η = 1',
    );
    expectShows(
      results,
      'bg-hd-scratch',
      'hypergradient (by hand)  η at updates 10, 30, 60, 120: 0.056, 0.109, 0.082, 0.061; final loss 0.5699',
      'EG on the rate           η at updates 10, 30, 60, 120: 0.092, 0.097, 0.065, 0.045; final loss 0.5961',
    );
    expect(results.get('bg-hd-scratch')!.value).toEqual({ sameAsEngine: true });
    expectShows(
      results,
      'bg-race',
      'EGStepSize (engine)      step size at the end 0.226, final training loss 0.3748',
      'EGStepSize peaks at a mean step size of 4.21 at update 8',
    );
  });

  it('the code exercise rejects the starter code', () => {
    expect(results.get('ex-bg-project-code')!.value).toBe(false);
  });

  it('the code exercise accepts the printed solution', async () => {
    const cells = cellsOf(CH11).filter((c) =>
      ['bg-mixture-data', 'bg-pgd', 'ex-bg-project-code'].includes(c.id),
    );
    const solution = solutionOf(CH11, 'ex-bg-project').replace(/\n$/, '');
    const patched = cells.map((c) =>
      c.id === 'ex-bg-project-code'
        ? { ...c, code: c.code.replace(/const myProjection = [\s\S]*?\n\};/, solution) }
        : c,
    );
    // bg-pgd needs `steps` from bg-eg-scratch; give it the value the page uses.
    patched.unshift({ id: 'steps', code: 'const steps = 200;', long: false, timeout: 60 });
    const solved = await runCells(CH11, patched);
    expect(solved.get('ex-bg-project-code')!.value).toBe(true);
  });
});

describe('chapter 11 exercise answers', () => {
  it('11.1: one normalized EG step from (0.5, 0.5)', () => {
    const a = 0.5 * Math.exp(-0.5);
    expect(a / (a + 0.5)).toBeCloseTo(0.3775407, 6);
  });
  it('11.2: one hypergradient step', () => {
    expect(0.1 + 0.01 * (0.5 * 2 + 0.4 * 1)).toBeCloseTo(0.114, 12);
  });
  it('11.3: steps from 0.01 to 1 at a factor e^0.5 per step', () => {
    expect(Math.log(100) / 0.5).toBeCloseTo(9.2103, 4);
  });
});
