/**
 * Batch vs mini-batch vs stochastic gradient descent (chapter 2, fig-batch-modes): the three
 * paths on the loss contours of the standardized line fit, for the same number of epochs
 * (the same number of examples looked at), so each pays the same compute.
 */
import { defineFigure } from '../../src/notebook/figures/define.ts';
import { Generator, permutation } from '@descent/engine';
import {
  lineFit,
  lineLoss,
  quadraticLoss,
  regressionData,
  standardize,
} from './feature-scaling.ts';

const MODES = [
  { key: 'batch', name: 'batch', color: '#2563eb' },
  { key: 'mini', name: 'mini-batch', color: '#16a34a' },
  { key: 'stochastic', name: 'stochastic', color: '#c2410c' },
] as const;
type ModeKey = (typeof MODES)[number]['key'];

/** The start of the chapter's `batch-modes` cell. */
const START: [number, number] = [0, 0];

/** Runs `epochs` passes over the data in batches of `size`, returning every iterate. */
export function run(
  z: number[],
  y: number[],
  size: number,
  eta: number,
  epochs: number,
  seed: number,
): { k: number; b: number }[] {
  const shuffler = new Generator(seed); // the same shuffles for every batch size
  let [k, b] = START;
  const path = [{ k, b }];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = permutation(z.length, shuffler);
    for (let start = 0; start < z.length; start += size) {
      const batch = order.slice(start, start + size);
      const { dk, db } = lineLoss(
        batch.map((i) => z[i]),
        batch.map((i) => y[i]),
        k,
        b,
      );
      k -= eta * dk;
      b -= eta * db;
      path.push({ k, b });
    }
  }
  return path;
}

export default defineFigure({
  controls: {
    mode: {
      type: 'select',
      label: 'Show',
      options: [
        { value: 'all', label: 'All three' },
        { value: 'batch', label: 'Batch (all 20 examples)' },
        { value: 'mini', label: 'Mini-batch' },
        { value: 'stochastic', label: 'Stochastic (1 example)' },
      ],
      value: 'all',
    },
    batchSize: {
      type: 'select',
      label: 'Mini-batch size',
      options: ['2', '4', '5', '10'],
      value: '5',
    },
    lr: { type: 'range', label: 'Learning rate η', min: 0.02, max: 0.5, step: 0.01, value: 0.1 },
    epochs: { type: 'range', label: 'Epochs', min: 1, max: 20, step: 1, value: 5 },
    seed: { type: 'range', label: 'Shuffle seed', min: 1, max: 10, step: 1, value: 1 },
  },
  compute(state) {
    const data = regressionData();
    const z = standardize(data.x).z;
    const fit = lineFit(z, data.y);
    const best = lineLoss(z, data.y, fit.k, fit.b).loss;
    const sizes: Record<ModeKey, number> = {
      batch: z.length,
      mini: Number(state.batchSize),
      stochastic: 1,
    };
    const runs = MODES.map((mode) => {
      const path = run(z, data.y, sizes[mode.key], state.lr, state.epochs, state.seed);
      const last = path[path.length - 1];
      return { key: mode.key, path, gap: lineLoss(z, data.y, last.k, last.b).loss - best };
    });
    return { z, y: data.y, fit, best, runs };
  },
  render(state, { Plot, width, data }) {
    const { z, y, fit, best, runs } = data;
    const J = quadraticLoss(z, y);
    const shown = MODES.filter((m) => state.mode === 'all' || m.key === state.mode);
    const label = (key: ModeKey) =>
      key === 'mini' ? `mini-batch (${state.batchSize})` : MODES.find((m) => m.key === key)!.name;
    const points = runs
      .filter((r) => shown.some((m) => m.key === r.key))
      .flatMap((r) => r.path.map((p, t) => ({ ...p, t, mode: label(r.key) })));
    const xDomain: [number, number] = [fit.k - 9, fit.k + 9];
    const yDomain: [number, number] = [fit.b - 11, fit.b + 3];
    return Plot.plot({
      width,
      aspectRatio: 1,
      x: { domain: xDomain, label: 'k̃ (slope on standardized x)' },
      y: { domain: yDomain, label: 'b̃' },
      color: {
        domain: shown.map((m) => label(m.key)),
        range: shown.map((m) => m.color),
        legend: true,
      },
      marks: [
        Plot.contour({
          x1: xDomain[0],
          x2: xDomain[1],
          y1: yDomain[0],
          y2: yDomain[1],
          pixelSize: 5,
          value: (k: number, b: number) => J(k, b) - best,
          thresholds: [0.1, 0.3, 1, 3, 10, 30],
          stroke: '#9ca3af',
          fill: 'none',
        }),
        Plot.line(points, { x: 'k', y: 'b', z: 'mode', stroke: 'mode', clip: true }),
        Plot.dot(points, { x: 'k', y: 'b', fill: 'mode', r: 1.8, clip: true }),
        Plot.dot([[fit.k, fit.b]], { symbol: 'star', r: 7, fill: 'currentColor' }),
      ],
    });
  },
  describe(state, data) {
    const shown = MODES.filter((m) => state.mode === 'all' || m.key === state.mode);
    const parts = shown.map((m) => {
      const r = data.runs.find((run) => run.key === m.key)!;
      const name = m.key === 'mini' ? `mini-batch of ${state.batchSize}` : m.name;
      const gap = Number.isFinite(r.gap) ? Math.max(0, r.gap).toExponential(1) : 'infinite';
      return `${name}: ${r.path.length - 1} updates, J − J* = ${gap}`;
    });
    return `Gradient descent on the standardized line fit, η = ${state.lr}, ${state.epochs} epochs of 20 examples from (${START.join(', ')}). ${parts.join('; ')}.`;
  },
});
