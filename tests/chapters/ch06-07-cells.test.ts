/**
 * Chapters 6 (backpropagation) and 7 (loss functions): runs every code cell the way the build
 * does (a fresh kernel per page, cells in page order), checks that none fails, and asserts the
 * numbers the prose quotes. Also checks the figures' text alternatives at their defaults.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPageCells, type BuildCell } from '../../src/notebook/build-runner.ts';
import type { RunResult } from '../../src/notebook/worker/kernel.ts';

const root = process.cwd();

function cellsOf(page: string): BuildCell[] {
  const source = readFileSync(join(root, page), 'utf8');
  const fence = /```ts cell id="([^"]+)"[^\n]*\n([\s\S]*?)\n```/g;
  return [...source.matchAll(fence)].map((m) => ({
    id: m[1]!,
    code: m[2]!,
    long: false,
    timeout: 60,
  }));
}

async function runPage(page: string): Promise<Map<string, RunResult>> {
  const cells = cellsOf(page);
  const cacheDir = mkdtempSync(join(tmpdir(), 'ch06-07-cells-'));
  try {
    const results = await runPageCells(page, cells, { root, cacheDir, log: () => {} });
    return new Map(cells.map((cell, i) => [cell.id, results[i]!]));
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

function expectShows(results: Map<string, RunResult>, id: string, ...snippets: string[]) {
  const result = results.get(id);
  expect(result, `cell ${id} exists`).toBeDefined();
  for (const snippet of snippets)
    expect(result!.text, `cell ${id} shows ${snippet}`).toContain(snippet);
}

describe('chapter 6 cells', () => {
  let results: Map<string, RunResult>;
  beforeAll(async () => {
    results = await runPage('content/chapters/backpropagation.mdx');
  }, 120_000);

  it('all run without error', () => {
    for (const [id, result] of results) expect(result.error, `cell ${id}`).toBeNull();
  });

  it('reproduce the small graph by hand, by the engine and by Value', () => {
    expectShows(
      results,
      'bp-graph-hand',
      "x0' = 3, x1' = 2, y = 6",
      "dy/dx0' = 2, dy/dx1' = 3, dy/dx0 = 2, dy/dx1 = 5",
    );
    expect(results.get('bp-graph-engine')!.value).toEqual({ y: 6, dy_dx0: 2, dy_dx1: 5 });
    expectShows(results, 'bp-value', 'y = 6, dy/dx0 = 2, dy/dx1 = 5');
  });

  it('count the work of path enumeration and reverse mode', () => {
    expectShows(results, 'bp-count', '177147', '1771470', ' 93 ', '300^40 ≈ 1e99 paths');
    expect(results.get('bp-count')!.value).toMatchObject({
      d: 10,
      pathMultiplications: 10 * 3 ** 11,
      reverseMultiplications: 10 * 9 + 3,
    });
    expect(
      (results.get('bp-count')!.value as { maxDifference: number }).maxDifference,
    ).toBeLessThan(1e-11);
    expect(Math.round(1771470 / 93)).toBe(19048); // "about 19,000 times fewer"
  });

  it('match the hand-derived deltas with autodiff', () => {
    expectShows(results, 'bp-delta-forward', 'ŷ = 0.545756, L = 0.103169');
    expectShows(results, 'bp-delta-backward', 'δ_3 = -0.112610');
    expect(results.get('bp-delta-check')!.value as number).toBeLessThan(1e-15);
    expectShows(results, 'bp-delta-step', 'L before = 0.103169, after one step = 0.094542');
    expectShows(
      results,
      'bp-engine-layers',
      'loss after one SGD step: 0.094542 (by hand: 0.094542)',
    );
    expect(results.get('bp-value-neuron')!.value as number).toBeLessThan(1e-12);
  });

  it('show sigmoid′ ≤ 0.25 and the gradient norms the prose describes', () => {
    expect(results.get('bp-sigmoid-bound')!.value).toEqual({
      maxSlope: 0.25,
      fiveLayers: 0.0009765625,
    });
    const norms = results.get('bp-grad-norms')!.value as Record<string, number[]>;
    const ratio = (key: string) => norms[key]![0]! / norms[key]![10]!;
    expect(Math.round(Math.log10(ratio('sigmoid, scale 1')))).toBe(-7); // "about 10⁻⁷"
    expect(Math.round(Math.log10(ratio('sigmoid, scale 4')))).toBe(-3); // "three orders"
    expect(ratio('tanh, scale 1')).toBeGreaterThan(0.5);
    expect(ratio('tanh, scale 1')).toBeLessThan(2); // "the same size"
    expect(Math.round(ratio('tanh, scale 4') / 10) * 10).toBe(30); // "30 times larger"
    for (const v of norms['relu, scale 4']!) expect(Math.log10(v)).toBeGreaterThan(9);
    expect(Math.max(...norms['relu, scale 4']!)).toBeLessThan(1e11); // "10⁹ to 10¹⁰"
  });

  it('start the code exercise unsolved', () => {
    expect(results.get('ex-bp-exp-code')!.value).toBe(false);
  });
});

describe('chapter 7 cells', () => {
  let results: Map<string, RunResult>;
  beforeAll(async () => {
    results = await runPage('content/chapters/loss-functions.mdx');
  }, 120_000);

  it('all run without error', () => {
    for (const [id, result] of results) expect(result.error, `cell ${id}`).toBeNull();
  });

  it('derive binary cross-entropy from the likelihood and compare gradients', () => {
    const text = results.get('ls-likelihood')!.text;
    expect(text).toMatch(/1\s+0\.9\s+0\.9000\s+0\.105361\s+0\.105361/);
    expect(text).toMatch(/1\s+0\.6\s+0\.6000\s+0\.510826\s+0\.510826/);
    expect(text).toMatch(/1\s+0\.1\s+0\.1000\s+2\.302585\s+2\.302585/);
    expectShows(results, 'ls-bce-gradient', '-0.002460', '-0.997527');
    const { squaredGrad, bceGrad } = results.get('ls-bce-gradient')!.value as Record<
      string,
      number
    >;
    expect(Math.round(bceGrad! / squaredGrad!)).toBe(405); // "about 400 times larger"
  });

  it('compute softmax cross-entropy and the log-sum-exp shift', () => {
    expectShows(
      results,
      'ls-softmax-ce',
      '0.659001, 0.242433, 0.098566',
      '−log ŷ_0 = 0.417030, F.crossEntropy = 0.417030',
      '-0.340999',
    );
    expectShows(
      results,
      'ls-overflow',
      'naive softmax:   NaN, NaN, NaN',
      'shifted softmax: 0.090031, 0.244728, 0.665241',
      'log-sum-exp = 1002.407606, engine: 1002.407606',
      'F.crossEntropy: 0.407606',
    );
  });

  it('show what goes wrong when a loss with logits gets probabilities', () => {
    expectShows(
      results,
      'ls-logits-misuse',
      'bceLoss on the probabilities:           0.000000',
      'bceWithLogitsLoss on the probabilities: 0.503204',
      'crossEntropy on probabilities [1, 0, 0]: 0.551445 (log 3 = 1.098612)',
    );
  });

  it('tabulate the regression losses, the efficiency and the Huber erratum', () => {
    expectShows(
      results,
      'ls-regression-losses',
      'Huber, δ = 1.35   0.1250  1.7888  4.4888     0.50  1.35  1.35',
    );
    expectShows(
      results,
      'ls-huber-efficiency',
      'δ = 1.345σ: efficiency 0.9500',
      'δ = 1.35σ: efficiency 0.9505',
      'δ = 3σ: efficiency 0.9996',
    );
    expectShows(
      results,
      'ls-huber-source',
      '½δ² = 0.91125',
      'a jump of 0.43875',
      'a jump of 0.91125',
      'a jump of 0.00000',
    );
  });

  it('fit the line with outliers under each loss, matching exact solutions', () => {
    expectShows(
      results,
      'ls-outlier-fits',
      'MSE    slope 1.188, intercept 3.057',
      'MAE    slope 1.997, intercept 0.896',
      'Huber  slope 1.945, intercept 1.028',
      'exact least squares: slope 1.188, intercept 3.057',
    );
  });

  it('start the code exercise unsolved', () => {
    expect(results.get('ex-ls-lse-code')!.value).toBe(false);
  });
});
