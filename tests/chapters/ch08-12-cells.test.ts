/**
 * Chapters 8 (regularization) and 12 (initialization-and-normalization): runs every code cell
 * the way the build does (a fresh kernel per page, cells in page order), long cells included,
 * and checks that none fails and that each worked example shows the numbers the prose quotes.
 * Also checks the exercises' answers, the code exercises' reference solutions, and the
 * figures' text alternatives.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/notebook/worker/kernel.ts';
import { describeDefault, expectShows, readPage, runPage, solved } from './support/cells.ts';

const CH8 = 'content/chapters/regularization.mdx';
const CH12 = 'content/chapters/initialization-and-normalization.mdx';

describe('chapter 8 cells', () => {
  let results: Map<string, RunResult>;
  beforeAll(async () => {
    // The code exercise runs with its reference solution, so one page run checks both.
    const source = solved(
      readPage(CH8),
      '  return x; // replace this line',
      '  const keep = rand(x.shape, { generator }).ge(p);\n  return x.mul(keep).div(1 - p);',
    );
    results = await runPage(CH8, { source });
  }, 120_000);

  it('all run without error', () => {
    for (const [id, result] of results) expect(result.error, `cell ${id}`).toBeNull();
  });

  it('under- and overfitting: the degree sweep and more data', () => {
    expectShows(
      results,
      'rg-poly-sweep',
      'degree  0: train 4.45e-1   test 5.76e-1',
      'degree  3: train 1.28e-2   test 5.90e-2',
      'degree 14: train 1.39e-5   test 2.93e+7',
      'lowest test error at degree 3',
    );
    expectShows(results, 'rg-more-data', 'test 2.93e+7', 'test 5.23e-2');
  });

  it('the L2 erratum: gradients of ½‖w‖² and ‖w‖', () => {
    expectShows(
      results,
      'rg-norm-vs-square',
      'w = (3.0, 4.0):  ∇½‖w‖² = (3.0, 4.0),  ∇‖w‖ = (0.60, 0.80)',
      'w = (30.0, 40.0):  ∇½‖w‖² = (30.0, 40.0),  ∇‖w‖ = (0.60, 0.80)',
      'l2PenaltyOf34: 12.5',
    );
  });

  it('the L1 and L2 paths and the ridge polynomial', () => {
    expectShows(
      results,
      'rg-path',
      'λ = 1.25:  L1 (1.500, 0.000)',
      'λ = 3.50:  L1 (0.000, 0.000)   L2 (0.663, 0.371)',
    );
    expect(
      (results.get('rg-path')!.value as { l2GradientAtSolution: number }).l2GradientAtSolution,
    ).toBeLessThan(1e-12);
    expectShows(
      results,
      'rg-ridge',
      'no penalty: ‖w‖ = 6.46e+6',
      'test 8.58e-2   ‖w‖ = 15.6',
      'test 7.30e-2',
      'train 1.97e-1   test 3.31e-1',
    );
  });

  it('weight decay: SGD option = L2 in the loss; Adam option = L2 in the loss; AdamW differs', () => {
    expect(results.get('rg-sgd-decay')!.value).toEqual({ sgdGap: 0 });
    const adam = results.get('rg-adamw')!.value as { adamGap: number; adamWGap: number };
    expect(adam.adamGap).toBe(0);
    expect(adam.adamWGap).toBeGreaterThan(0.01);
  });

  it('dropout, overfitting and early stopping', () => {
    expectShows(results, 'rg-dropout-mask', '2. 0. 2. 2. 2. 2. 0. 0.', '1. 1. 1. 1.');
    expectShows(
      results,
      'rg-overfit',
      'no dropout: train loss 0.011, validation loss 1.181 (best 0.255 at epoch 7), validation accuracy 0.843',
      'dropout 0.3: train loss 0.128, validation loss 0.570 (best 0.261 at epoch 8), validation accuracy 0.843',
    );
    expectShows(
      results,
      'rg-early-stop',
      'stopped after 17 epochs; restored epoch 7: validation loss 0.255, accuracy 0.885',
    );
  });

  it('the code exercise passes with the reference solution', () => {
    expect(results.get('ex-rg-dropout-code')!.value).toBe(true);
  });
});

describe('chapter 8: exercise answers and the figure', () => {
  it('exercise answers', () => {
    // 8.1: w₂ leaves zero where (2.5 + λ)/3 = λ
    expect(2.5 / 2).toBe(1.25);
    // 8.2: a₂/(a₂ + λ) w*₂ with a₂ = 1, λ = 1
    expect(1 / (1 + 1)).toBe(0.5);
    // 8.3: (1 − ηλ)^1000
    expect(Number(((1 - 0.1 * 5e-4) ** 1000).toFixed(6))).toBe(0.951228);
    const page = readPage(CH8);
    expect(page).toContain('answer={1.25}');
    expect(page).toContain('answer={0.5}');
    expect(page).toContain('answer={0.951228}');
  });

  it('fig-rg-path describes the sparse L1 solution at its defaults', async () => {
    expect(await describeDefault('regularization-path')).toContain(
      'λ = 1.50, the regularized minimum is (1.33, 0.00) and w₂ is exactly zero (a sparse solution)',
    );
  });

  it('the code exercise starts unsolved', async () => {
    const alone = readPage(CH8).split('```ts cell id="ex-rg-dropout-code"')[1]!;
    const unsolved = await runPage(CH8, { source: '```ts cell id="ex-rg-dropout-code"' + alone });
    expect(unsolved.get('ex-rg-dropout-code')!.value).toBe(false);
  });
});

describe('chapter 12 cells', () => {
  let results: Map<string, RunResult>;
  beforeAll(async () => {
    const source = solved(
      readPage(CH12),
      '  return x; // replace this line',
      [
        '  const mu = x.mean(0);',
        '  const variance = x.sub(mu).square().mean(0);',
        '  return x.sub(mu).div(variance.add(eps).sqrt()).mul(gamma).add(beta);',
      ].join('\n'),
    );
    results = await runPage(CH12, { source });
  }, 120_000);

  it('all run without error', () => {
    for (const [id, result] of results) expect(result.error, `cell ${id}`).toBeNull();
  });

  it('zero initialization keeps the hidden units identical', () => {
    expectShows(
      results,
      'in-zero-symmetry',
      '  (0.315389, -0.080039)\n  (0.315389, -0.080039)\n  (0.315389, -0.080039)\n  (0.315389, -0.080039)',
      'largest difference between rows: 0, loss 0.6867',
      'zero init, tanh: largest |hidden weight| 0, loss 0.6881',
      'random init, sigmoid: largest difference between rows 4.823, loss 0.2890',
    );
  });

  it('the scale of each scheme after layers 1, 5 and 10', () => {
    const text = results.get('in-scale-table')!.text;
    expect(text).toMatch(/tanh:[\s\S]*N\(0, 1\)\s+9\.6e-1\s+9\.6e-1\s+9\.6e-1/);
    expect(text).toMatch(/U\(±1\/√n\)\s+4\.7e-1\s+4\.7e-2\s+3\.0e-3/);
    expect(text).toMatch(/Xavier\s+6\.3e-1\s+3\.1e-1\s+2\.4e-1/);
    expect(text).toMatch(/ReLU:[\s\S]*N\(0, 1\)\s+5\.9e\+0\s+1\.2e\+4\s+1\.7e\+8/);
    expect(text).toMatch(/ReLU:[\s\S]*U\(±1\/√n\)\s+3\.5e-1\s+7\.7e-3\s+7\.9e-5/);
    expect(text).toMatch(/ReLU:[\s\S]*Xavier\s+5\.9e-1\s+1\.2e-1\s+1\.7e-2/);
    expect(text).toMatch(/ReLU:[\s\S]*He\s+8\.3e-1\s+6\.9e-1\s+5\.6e-1/);
    expect(text).toMatch(/ReLU:[\s\S]*N\(0, 0\.01²\)\s+5\.9e-2\s+1\.2e-6\s+1\.7e-12/);
  });

  it('batch normalization: by hand, undone, train vs eval', () => {
    const scratch = results.get('in-bn-scratch')!.value as { byHandVsLayer: number };
    expect(scratch.byHandVsLayer).toBeLessThan(1e-5);
    expectShows(results, 'in-bn-scratch', 'outputStd: [1, 1, 0.9996]');
    expect(
      (results.get('in-bn-undo')!.value as { undoneVsInput: number }).undoneVsInput,
    ).toBeLessThan(1e-5);
    expectShows(
      results,
      'in-bn-train-eval',
      'running mean 0.4944, -1.4792, -0.0037',
      'running var  0.9815, 3.7675, 0.9014',
      'expectedRunningMean: [0.4944, -1.4792, -0.0037]',
      'expectedRunningVar: [0.9815, 3.7675, 0.9014]',
      'first example, train mode: -1.3346, 1.0924, 1.0458',
      'first example, eval mode:  3.3540, -4.0396, 0.0870',
      'after 200 batches: running mean 4.996, -19.997, -0.008',
    );
  });

  it('the deep ReLU network trains only with batch normalization', () => {
    expectShows(
      results,
      'in-bn-curves',
      'without         first-layer gradient norm at the start 2.2e-5; after 40 epochs training loss 0.694, accuracy 0.500',
      'with batch norm first-layer gradient norm at the start 6.3e-1; after 40 epochs training loss 0.136, accuracy 0.968',
    );
  });

  it('the code exercise passes with the reference solution and starts unsolved', async () => {
    expect(results.get('ex-in-batchnorm-code')!.value).toBe(true);
    const alone = readPage(CH12).split('```ts cell id="ex-in-batchnorm-code"')[1]!;
    const unsolved = await runPage(CH12, {
      source: '```ts cell id="ex-in-batchnorm-code"' + alone,
    });
    expect(unsolved.get('ex-in-batchnorm-code')!.value).toBe(false);
  });
});

describe('chapter 12: exercise answers and the figure', () => {
  it('exercise answers', () => {
    expect(Number(Math.sqrt(2 / 256).toFixed(6))).toBe(0.088388);
    expect(Math.sqrt(6 / 150)).toBeCloseTo(0.2, 12);
    let running = 0;
    for (let i = 0; i < 3; i++) running = 0.9 * running + 0.1 * 2;
    expect(running).toBeCloseTo(0.542, 12);
    const page = readPage(CH12);
    for (const a of ['answer={0.088388}', 'answer={0.2}', 'answer={0.542}'])
      expect(page).toContain(a);
  });

  it('fig-in-histograms describes saturated tanh units under N(0, 1) at its defaults', async () => {
    expect(await describeDefault('activation-histograms')).toBe(
      "8 tanh layers initialized with Gaussian N(0, 1): the standard deviation of the activations is 0.96 after layer 1 and 0.96 after layer 8; 79% of the last layer's activations are saturated (|a| > 0.99).",
    );
  });
});
