/**
 * Robust losses and an outlier (chapter 7, fig-loss-outlier): a line fitted to twelve points
 * and one point the reader drags, under the squared error, the absolute error and the Huber
 * loss. At the dragged point, an arrow per loss shows how hard that point pulls on its line:
 * the derivative of the loss with respect to the point's prediction (r for ½r², sign r for
 * |r|, r clipped to ±δ for Huber).
 */
import { defineFigure, palette } from '../../src/notebook/figures/define.ts';

const X_DOMAIN = [0, 11] as const;
const Y_DOMAIN = [-8, 16] as const;

/** Twelve points near y = 0.5x + 1, with fixed noise (unit standard deviation). */
const NOISE = [0.3, -0.5, 1.1, -0.2, 0.1, -1.3, 0.6, 0.9, -0.4, -0.8, 0.2, 0.5];
export const BASE = NOISE.map((e, i) => {
  const x = 0.5 + i * 0.8;
  return { x, y: 0.5 * x + 1 + e };
});

export type LossName = 'squared' | 'absolute' | 'huber';

/** ∂loss/∂prediction for a residual r = prediction − target: ψ(r). */
export function pull(loss: LossName, r: number, delta: number): number {
  if (loss === 'squared') return r;
  if (loss === 'absolute') return Math.sign(r);
  return Math.max(-delta, Math.min(delta, r));
}

/** Weighted least squares for y ≈ kx + b. */
function weightedLine(xs: number[], ys: number[], w: number[]): [number, number] {
  let [sw, sx, sy, sxx, sxy] = [0, 0, 0, 0, 0];
  xs.forEach((x, i) => {
    sw += w[i]!;
    sx += w[i]! * x;
    sy += w[i]! * ys[i]!;
    sxx += w[i]! * x * x;
    sxy += w[i]! * x * ys[i]!;
  });
  const k = (sw * sxy - sx * sy) / (sw * sxx - sx * sx);
  return [k, (sy - k * sx) / sw];
}

/**
 * The line minimizing the summed loss, by iteratively reweighted least squares: each point
 * gets the weight ψ(r)/r of its current residual (1 for the squared error).
 */
export function fitLine(loss: LossName, xs: number[], ys: number[], delta: number) {
  let [k, b] = weightedLine(
    xs,
    ys,
    xs.map(() => 1),
  );
  if (loss !== 'squared') {
    for (let it = 0; it < 200; it++) {
      const w = xs.map((x, i) => {
        const r = Math.abs(k * x + b - ys[i]!);
        return r < 1e-9 ? pull(loss, 1e-9, delta) / 1e-9 : pull(loss, r, delta) / r;
      });
      [k, b] = weightedLine(xs, ys, w);
    }
  }
  return { k, b };
}

const LOSSES: { key: LossName; name: string; color: string; dx: number }[] = [
  { key: 'squared', name: 'squared ½r²', color: palette.orange, dx: -0.22 },
  { key: 'absolute', name: 'absolute |r|', color: palette.blue, dx: 0 },
  { key: 'huber', name: 'Huber', color: palette.green, dx: 0.22 },
];

export default defineFigure({
  controls: {
    outlier: {
      type: 'point',
      label: 'Outlier',
      value: [9, -5],
      step: [0.1, 0.25],
      x: [0.5, 10.5],
      y: [-7.5, 15.5],
    },
    delta: { type: 'range', label: 'Huber δ', min: 0.25, max: 4, step: 0.05, value: 1.35 },
  },
  compute(state) {
    const [ox, oy] = state.outlier;
    const xs = [...BASE.map((p) => p.x), ox];
    const ys = [...BASE.map((p) => p.y), oy];
    return LOSSES.map(({ key }) => {
      const { k, b } = fitLine(key, xs, ys, state.delta);
      const r = k * ox + b - oy; // the outlier's residual under this fit
      return { key, k, b, r, pull: pull(key, r, state.delta) };
    });
  },
  render(state, { Plot, width, data }) {
    const [ox] = state.outlier;
    const lines = data.flatMap((fit) =>
      X_DOMAIN.map((x) => ({ x, y: fit.k * x + fit.b, key: fit.key })),
    );
    // Each arrow starts on the line at the outlier's x and points toward the outlier, with the
    // length of the outlier's gradient |ψ(r)| (in y units): the whole residual for the squared
    // error, 1 for the absolute error, at most δ for Huber.
    const arrows = data.map((fit) => {
      const style = LOSSES.find((l) => l.key === fit.key)!;
      const yLine = fit.k * ox + fit.b;
      return { x: ox + style.dx, y1: yLine, y2: yLine - fit.pull, color: style.color };
    });
    const legend = LOSSES.map((l, i) => {
      const fit = data.find((d) => d.key === l.key)!;
      return {
        text: `${l.name}: slope ${fit.k.toFixed(2)}, outlier's pull ${Math.abs(fit.pull).toFixed(2)}`,
        color: l.color,
        row: i,
      };
    });
    const font = width < 480 ? 10 : 12;
    return Plot.plot({
      width,
      height: Math.round(Math.max(300, width * 0.62)),
      x: { domain: X_DOMAIN, label: 'x' },
      y: { domain: Y_DOMAIN, label: 'y' },
      clip: true,
      marks: [
        Plot.line(lines, {
          x: 'x',
          y: 'y',
          z: 'key',
          stroke: (d: { key: LossName }) => LOSSES.find((l) => l.key === d.key)!.color,
          strokeWidth: 2,
        }),
        Plot.dot(BASE, { x: 'x', y: 'y', fill: 'currentColor', r: 3.5 }),
        Plot.arrow(arrows, {
          x1: 'x',
          x2: 'x',
          y1: 'y1',
          y2: 'y2',
          stroke: 'color',
          strokeWidth: 2.5,
          headLength: 7,
        }),
        Plot.dot([state.outlier], {
          x: (d: number[]) => d[0],
          y: (d: number[]) => d[1],
          r: 6,
          stroke: 'currentColor',
          strokeWidth: 2,
          fill: 'none',
        }),
        // A legend row per loss: a coloured swatch, then the numbers in the text colour.
        ...legend.flatMap((row) => [
          Plot.text(['━━'], {
            frameAnchor: 'top-left',
            dx: 6,
            dy: 6 + row.row * font * 1.5,
            fontSize: font,
            fill: row.color,
          }),
          Plot.text([row.text], {
            frameAnchor: 'top-left',
            dx: 6 + font * 2.2,
            dy: 6 + row.row * font * 1.5,
            fontSize: font,
            fill: 'currentColor',
          }),
        ]),
      ],
    });
  },
  describe(state, data) {
    const [ox, oy] = state.outlier;
    const parts = data.map((fit) => {
      const name = LOSSES.find((l) => l.key === fit.key)!.name;
      return `${name}: slope ${fit.k.toFixed(3)}, intercept ${fit.b.toFixed(3)}, the outlier's gradient ${fit.pull.toFixed(2)}`;
    });
    return `Outlier at (${ox.toFixed(1)}, ${oy.toFixed(2)}), Huber δ = ${state.delta.toFixed(2)}. ${parts.join('; ')}.`;
  },
});
