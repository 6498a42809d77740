/**
 * Runs chapter 5's code cells the way the build does (a fresh kernel, cells in page order) and
 * checks that none fails and that each worked example shows the numbers the prose quotes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/notebook/worker/kernel.ts';
import { PlaygroundModel, presets } from '../../src/widgets/playground/model.ts';
import { cellsOf, expectShows, readPage, runCells } from './support/cells.ts';

const PAGE = 'content/chapters/perceptron-to-network.mdx';
const source = readPage(PAGE);

describe('chapter 5 cells', () => {
  let results: Map<string, RunResult>;
  beforeAll(async () => {
    results = await runCells(PAGE, cellsOf(source));
  }, 120_000);

  it('all run without error', () => {
    expect(results.size).toBeGreaterThanOrEqual(14);
    for (const [id, result] of results) expect(result.error, `cell ${id}`).toBeNull();
  });

  it('the perceptron computes AND and OR; the default network has 3 layers and 25 parameters', () => {
    expectShows(
      results,
      'pn-perceptron',
      'x = (1,1):  AND 1   OR 1',
      'x = (0,1):  AND 0   OR 1',
      'x = (0,0):  AND 0   OR 0',
    );
    expectShows(results, 'pn-layers', '3 layers with weights', '= 25', 'parameterCount: 25');
  });

  it('stacked linear layers collapse into one matrix; the two laws hold only without tanh', () => {
    expectShows(
      results,
      'pn-collapse',
      'has shape [1,4]',
      'layer by layer: 0.208465   one matrix: 0.208465',
    );
    expectShows(
      results,
      'pn-laws',
      'A·z:        { additive: true, homogeneous: true }',
      'tanh(A·z):  { additive: false, homogeneous: false }',
    );
  });

  it('the basis example: (6, 5) = 6i + 5j = 3·(2, 1) + 2·(0, 1), and A = [[2, 0], [1, 1]]', () => {
    expectShows(
      results,
      'pn-basis',
      '6i + 5j = (6,5)',
      '3q + 2j = (6,5)',
      'A·i = (2,1), A·j = (0,1), A·(3, 2) = (6,5)',
      'gives c = (3,2)',
    );
  });

  it('the map (X − 10)², (Y − 10)² makes the ring separable by a line', () => {
    expectShows(
      results,
      'pn-ring',
      '° < 120°, so no line separates the classes',
      'disc has u + v ≤ 3.98, ring has u + v ≥ 16.16',
      'separates all 200 points: true',
    );
  });

  it('the experiments: linear and one neuron fail, four in parallel and squared features succeed, the spiral needs a network', () => {
    expectShows(results, 'pn-exp-linear', 'test accuracy 0.528 after 50 epochs');
    expectShows(results, 'pn-exp-neuron', 'test accuracy 0.564 after 50 epochs');
    expectShows(results, 'pn-exp-parallel', 'right at epoch 32, 0.992 after 60 epochs');
    expectShows(
      results,
      'pn-exp-squares',
      '95 % right at epoch 7, every test point right at epoch 15 (of 50)',
    );
    expectShows(
      results,
      'pn-exp-spiral',
      'logistic regression on all 7 features: test accuracy 0.596',
      '2 hidden layers of 8 tanh units:       test accuracy 0.996',
    );
  });

  it('activation derivatives and saturation', () => {
    expectShows(
      results,
      'pn-activations',
      'σ′(0) = 0.2500,  σ′(5) = 0.006648',
      'tanh′(0) = 1.0000,  tanh′(5) = 0.000182',
      'σ′(5)/σ′(0) = 2.66 %,  tanh′(5)/tanh′(0) = 0.018 %',
      'ReLU′(−1) = 0',
    );
  });

  it('the prose quotes the cells', () => {
    for (const quoted of [
      'u + v \\le 3.98',
      'u + v \\ge 16.16',
      '2.7 %',
      '0.528',
      '0.564',
      'after 7 epochs and all of them after 15',
      '32 epochs',
      '0.596',
    ]) {
      expect(source, quoted).toContain(quoted);
    }
  });

  it('the XOR exercise: the given features fail its check', () => {
    expect(results.get('ex-pn-xor-code')!.text.trim().endsWith('false')).toBe(true);
  });
});

describe('chapter 5 exercises', () => {
  it('the XOR code exercise accepts the solution, and the number answers are right', async () => {
    const cells = cellsOf(source).filter((c) =>
      ['pn-experiment-setup', 'ex-pn-xor-code'].includes(c.id),
    );
    const solved = cells.map((c) =>
      c.id === 'ex-pn-xor-code'
        ? {
            ...c,
            code: c.code.replace(
              "const xorFeatures: Feature[] = ['x', 'y'];",
              "const xorFeatures: Feature[] = ['xy'];",
            ),
          }
        : c,
    );
    expect(solved[1]!.code).toContain("['xy']");
    const results = await runCells(PAGE, solved);
    expect(results.get('ex-pn-xor-code')!.text.trim().endsWith('true')).toBe(true);
    // Exercise 5.4: σ′(3) = σ(3)(1 − σ(3)).
    const s = 1 / (1 + Math.exp(-3));
    expect(s * (1 - s)).toBeCloseTo(0.045177, 6);
    expect(source).toContain('answer={0.045177}');
  }, 60_000);
});

describe('the playground presets match the cells', () => {
  it('squared features: 100 % of the test points at epoch 15, as the cell reports', () => {
    const model = new PlaygroundModel(presets.squares.config);
    let first = -1;
    for (let epoch = 1; epoch <= 20 && first < 0; epoch++) {
      model.trainEpochs(1);
      if (model.accuracy('test') === 1) first = epoch;
    }
    expect(first).toBe(15);
  });
});
