/**
 * Feature scaling (chapter 2, fig-feature-scaling): the loss contours of the line fit
 * y ≈ k·x + b on the source's data set (x = 1..20) and the gradient-descent path, with the raw
 * feature x or the standardized feature z = (x − mean)/std.
 *
 * Also exports the data set and the least-squares helpers that fig-batch-modes reuses.
 */
import { Generator, linearRegressionData } from '@descent/engine';
import { contourLines, type ContourPoint } from '../../src/notebook/figures/contours.ts';
import { defineFigure } from '../../src/notebook/figures/define.ts';

/** The seed of the chapter's `regression-data` cell. */
const DATA_SEED = 2024;

/**
 * The chapter's data set: the engine's `linearRegressionData` with the seed the chapter's cells
 * use, so the figure's minimum is the least-squares line the cells print (k = 0.9, b = 0.2).
 */
export function regressionData(): { x: number[]; y: number[] } {
  const { xs, ys } = linearRegressionData({ m: 20, generator: new Generator(DATA_SEED) });
  return { x: xs, y: ys };
}

/** Shifts and scales values to mean 0 and standard deviation 1 (population std, as NumPy). */
export function standardize(values: number[]): { z: number[]; mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  return { z: values.map((v) => (v - mean) / std), mean, std };
}

/** J(k, b) = 1/(2m) Σ (k·xᵢ + b − yᵢ)² and its gradient (∂J/∂k, ∂J/∂b). */
export function lineLoss(x: number[], y: number[], k: number, b: number) {
  let loss = 0;
  let dk = 0;
  let db = 0;
  for (let i = 0; i < x.length; i++) {
    const r = k * x[i] + b - y[i];
    loss += r * r;
    dk += r * x[i];
    db += r;
  }
  const m = x.length;
  return { loss: loss / (2 * m), dk: dk / m, db: db / m };
}

/** Least-squares line and the eigenvalues of the Hessian [[mean x², mean x], [mean x, 1]]. */
export function lineFit(x: number[], y: number[]) {
  const m = x.length;
  const sx = x.reduce((a, v) => a + v, 0) / m;
  const sxx = x.reduce((a, v) => a + v * v, 0) / m;
  const sy = y.reduce((a, v) => a + v, 0) / m;
  const sxy = x.reduce((a, v, i) => a + v * y[i], 0) / m;
  const k = (sxy - sx * sy) / (sxx - sx * sx);
  const b = sy - k * sx;
  const trace = sxx + 1;
  const det = sxx - sx * sx;
  const root = Math.sqrt(Math.max(0, (trace * trace) / 4 - det));
  return { k, b, lambdaMax: trace / 2 + root, lambdaMin: trace / 2 - root };
}

/**
 * J(k, b) as a quadratic in (k, b) with precomputed moments, so that the contour mark can
 * sample it at thousands of grid points in O(1) each instead of O(m).
 */
export function quadraticLoss(x: number[], y: number[]): (k: number, b: number) => number {
  const m = x.length;
  const mean = (f: (i: number) => number) => x.reduce((a, _, i) => a + f(i), 0) / m;
  const sx = mean((i) => x[i]);
  const sxx = mean((i) => x[i] * x[i]);
  const sy = mean((i) => y[i]);
  const sxy = mean((i) => x[i] * y[i]);
  const syy = mean((i) => y[i] * y[i]);
  return (k, b) => (k * k * sxx + 2 * k * b * sx + b * b - 2 * k * sxy - 2 * b * sy + syy) / 2;
}

const START: [number, number] = [1, 1];

/**
 * Level lines of J − J* per view (raw or standardized). The data are fixed, so each view's
 * lines are computed once instead of on every frame while the η slider moves.
 */
const levelLines = new Map<boolean, ContourPoint[]>();

export default defineFigure({
  controls: {
    standardize: { type: 'toggle', label: 'Standardize x', value: false },
    rate: {
      type: 'range',
      label: 'η as a fraction of 2/λmax',
      min: 0.1,
      max: 1.1,
      step: 0.05,
      value: 0.9,
    },
    steps: { type: 'range', label: 'Updates', min: 1, max: 300, step: 1, value: 100 },
  },
  compute(state) {
    const data = regressionData();
    const feature = state.standardize ? standardize(data.x).z : data.x;
    const fit = lineFit(feature, data.y);
    const eta = (state.rate * 2) / fit.lambdaMax;
    const path = [{ k: START[0], b: START[1], t: 0 }];
    let [k, b] = START;
    for (let t = 1; t <= state.steps; t++) {
      const { dk, db } = lineLoss(feature, data.y, k, b);
      k -= eta * dk;
      b -= eta * db;
      path.push({ k, b, t });
    }
    const best = lineLoss(feature, data.y, fit.k, fit.b).loss;
    const final = lineLoss(feature, data.y, k, b).loss;
    return { feature, y: data.y, fit, eta, path, best, final };
  },
  render(state, { Plot, width, data }) {
    const { feature, y, fit, path, best } = data;
    const J = quadraticLoss(feature, y);
    // Each view is framed around its own minimum. The raw view is much narrower in k, because
    // k multiplies x, which is up to 20 times larger than b's constant feature 1. The
    // standardized view uses equal units on both axes, so round contours look round.
    const xDomain: [number, number] = state.standardize
      ? [fit.k - 12, fit.k + 12]
      : [fit.k - 0.6, fit.k + 0.6];
    const yDomain: [number, number] = state.standardize
      ? [fit.b - 11, fit.b + 3]
      : [fit.b - 4, fit.b + 4];
    const clampK = (v: number) => Math.max(xDomain[0] - 1, Math.min(xDomain[1] + 1, v));
    const clampB = (v: number) => Math.max(yDomain[0] - 1, Math.min(yDomain[1] + 1, v));
    let lines = levelLines.get(state.standardize);
    if (!lines) {
      lines = contourLines((k, b) => J(k, b) - best, {
        x: xDomain,
        y: yDomain,
        thresholds: [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100],
        // NOTE: the grid's cells are square in data units. The raw view spans 1.2 in k and 8
        // in b, so the default 120 cells along b would leave only 18 across the narrow valley
        // and the inner ellipses would come out as jagged polygons.
        resolution: state.standardize ? 120 : 800,
      });
      levelLines.set(state.standardize, lines);
    }
    const shown = path.map((p) => ({ k: clampK(p.k), b: clampB(p.b), t: p.t }));
    return Plot.plot({
      width,
      ...(state.standardize ? { aspectRatio: 1 } : { height: 380 }),
      x: { domain: xDomain, label: state.standardize ? 'k̃ (slope on z)' : 'k (slope on x)' },
      y: { domain: yDomain, label: state.standardize ? 'b̃' : 'b' },
      marks: [
        Plot.line(lines, {
          x: 'x',
          y: 'y',
          z: 'level',
          stroke: '#6b7280',
          strokeOpacity: 0.6,
        }),
        Plot.line(shown, { x: 'k', y: 'b', stroke: '#c2410c', clip: true }),
        Plot.dot(shown, { x: 'k', y: 'b', fill: '#c2410c', r: 2, clip: true }),
        Plot.dot([[fit.k, fit.b]], { symbol: 'star', r: 7, fill: 'currentColor' }),
      ],
    });
  },
  describe(state, data) {
    const { fit, eta, path, best, final } = data;
    const last = path[path.length - 1];
    const condition = fit.lambdaMax / fit.lambdaMin;
    const feature = state.standardize ? 'standardized feature z' : 'raw feature x = 1..20';
    const diverged = !Number.isFinite(final) || Math.abs(last.k) + Math.abs(last.b) > 1e6;
    const outcome = diverged
      ? 'the iterates diverge'
      : `it reaches (${last.k.toFixed(3)}, ${last.b.toFixed(3)}), with J − J* = ${Math.max(0, final - best).toExponential(1)}`;
    return `Loss contours of the line fit with the ${feature}: the Hessian's condition number is ${condition.toFixed(1)}. Gradient descent with η = ${eta.toPrecision(3)} from (1, 1) for ${state.steps} updates: ${outcome}; the minimum is at (${fit.k.toFixed(3)}, ${fit.b.toFixed(3)}).`;
  },
});
