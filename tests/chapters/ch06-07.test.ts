/**
 * Chapters 6 and 7: the exercise answers and the figures' numbers, recomputed here
 * independently of the pages (the cells themselves run in ch06-07-cells.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { F, Generator, linspace, logsumexp, randn, tensor } from '@descent/engine';
import { defaultState, type AnyFigure, type AnyState } from '../../src/notebook/figures/define.ts';
import graph, { evaluate } from '../../components/figures/backprop-graph.ts';
import norms, { gradientNorms } from '../../components/figures/gradient-norms.ts';
import outlier, { BASE, fitLine, pull } from '../../components/figures/loss-outlier.ts';

const f64 = { dtype: 'float64' } as const;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

const describeAt = (figure: AnyFigure, patch: AnyState = {}) => {
  const state = { ...defaultState(figure.controls), ...patch };
  return figure.describe(state, figure.compute ? figure.compute(state) : undefined);
};

describe('chapter 6 exercises', () => {
  it('6.1: ∂y/∂x1 = x0 + 2·x1 = 8 at (2, 3), by the figure’s graph and by the engine', () => {
    expect(evaluate(2, 3).adjoint.x1).toBe(8);
    const [a, b] = [tensor(2, { requiresGrad: true }), tensor(3, { requiresGrad: true })];
    a.add(b).mul(b).backward();
    expect(b.grad!.item()).toBe(8);
  });
  it('6.2: δ of a sigmoid output at z = 0.5, y = 1', () => {
    const yHat = sigmoid(0.5);
    const delta = yHat * (1 - yHat) * (yHat - 1);
    expect(Math.abs(delta - -0.0887236)).toBeLessThan(5e-7);
    const z = tensor(0.5, { ...f64, requiresGrad: true });
    z.sigmoid().sub(1).square().mul(0.5).backward();
    expect(z.grad!.item()).toBeCloseTo(delta, 14);
  });
  it('6.3: 0.25^k < 1e-6 first at k = 10', () => {
    expect(0.25 ** 9).toBeGreaterThan(1e-6);
    expect(0.25 ** 10).toBeLessThan(1e-6);
  });
});

describe('chapter 7 exercises', () => {
  it('7.1: −log 0.8', () => {
    expect(F.bceLoss(tensor([0.8], f64), tensor([1], f64)).item()).toBeCloseTo(0.2231436, 7);
  });
  it('7.2: log(e^1000 + e^1000)', () => {
    expect(logsumexp(tensor([1000, 1000], f64), 0).item()).toBeCloseTo(1000.693147, 6);
  });
  it('7.3: the source Huber jumps by δ − δ²/2 = 0.5 at δ = 1', () => {
    const delta = 1;
    expect(delta - delta ** 2 / 2).toBe(0.5);
    // the standard form is continuous there
    const at = (r: number) => F.huberLoss(tensor([r], f64), tensor([0], f64), { delta }).item();
    expect(Math.abs(at(1 + 1e-9) - at(1 - 1e-9))).toBeLessThan(1e-8);
  });
  it('7.4: the solution’s −999.592394', () => {
    const zs = [-1000, -1001, -1002];
    const m = Math.max(...zs);
    const lse = m + Math.log(zs.reduce((s, z) => s + Math.exp(z - m), 0));
    expect(lse.toFixed(6)).toBe('-999.592394');
  });
});

describe('chapter 7 outlier fit, independently', () => {
  it('the figure’s IRLS fit agrees with the cell’s Adam fits on the same data', () => {
    const x = linspace(0, 10, 30, f64);
    const y = Array.from(
      x
        .mul(2)
        .add(1)
        .add(randn([30], { generator: new Generator(7), ...f64 })).data,
    );
    for (const i of [24, 25, 26, 27]) y[i]! -= 15;
    const xs = Array.from(x.data);
    const ls = fitLine('squared', xs, y, 1.35);
    const lad = fitLine('absolute', xs, y, 1.35);
    const hub = fitLine('huber', xs, y, 1.35);
    expect([ls.k.toFixed(3), ls.b.toFixed(3)]).toEqual(['1.188', '3.057']);
    expect([lad.k.toFixed(3), lad.b.toFixed(3)]).toEqual(['1.997', '0.896']);
    expect([hub.k.toFixed(3), hub.b.toFixed(3)]).toEqual(['1.945', '1.028']);
  });
  it('ψ is r, sign r and r clipped to ±δ', () => {
    expect(pull('squared', -7, 1.35)).toBe(-7);
    expect(pull('absolute', -7, 1.35)).toBe(-1);
    expect(pull('huber', -7, 1.35)).toBe(-1.35);
    expect(pull('huber', 0.5, 1.35)).toBe(0.5);
  });
});

describe('figures describe their state in numbers', () => {
  it('backprop-graph: start, the forward result and the final backward step', () => {
    expect(describeAt(graph)).toContain('Step 0 of 9');
    expect(describeAt(graph, { step: 4 })).toContain('y = x₀′ · x₁′ = 6');
    expect(describeAt(graph, { step: 9 })).toContain('= 2 + 3 = 5');
  });
  it('gradient-norms: sigmoid at depth 10 vanishes like the cell says', () => {
    const text = describeAt(norms);
    expect(text).toContain('sigmoid, 10 hidden layers');
    expect(text).toContain('4.61e-7 at the first layer');
    const n = gradientNorms(10, 'relu', 4);
    expect(Math.min(...n)).toBeGreaterThan(1e9);
  });
  it('loss-outlier: the squared error follows the outlier, the others barely move', () => {
    expect(BASE).toHaveLength(12);
    const text = describeAt(outlier);
    expect(text).toMatch(/Outlier at \(9\.0, -5\.00\), Huber δ = 1\.35/);
    const far = outlier.compute!({ ...defaultState(outlier.controls), outlier: [9, 15] }) as {
      key: string;
      k: number;
    }[];
    const near = outlier.compute!(defaultState(outlier.controls)) as { key: string; k: number }[];
    const slope = (fits: { key: string; k: number }[], key: string) =>
      fits.find((f) => f.key === key)!.k;
    expect(slope(far, 'squared') - slope(near, 'squared')).toBeGreaterThan(0.5);
    expect(Math.abs(slope(far, 'absolute') - slope(near, 'absolute'))).toBeLessThan(0.2);
    expect(Math.abs(slope(far, 'huber') - slope(near, 'huber'))).toBeLessThan(0.2);
  });
});
