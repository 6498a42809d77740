/**
 * Learning-rate explorer (chapter 2, fig-learning-rate): gradient descent on the valley
 * f(x) = x²/10 + sin x with four preset learning rates or the reader's own, drawn as paths on the curve or as the loss
 * gap f(x_t) − f* against the number of updates.
 */
import { defineFigure } from '../../src/notebook/figures/define.ts';

const f = (x: number) => x ** 2 / 10 + Math.sin(x);
const fPrime = (x: number) => x / 5 + Math.cos(x);
/** The global minimum of f, at x* ≈ −1.306440 (found by Newton's method on f'). */
const F_STAR = -0.7945823375615283;

export const REGIMES = [
  { key: 'small', eta: 0.05, name: 'too small', color: '#2563eb' },
  { key: 'right', eta: 0.4, name: 'about right', color: '#dc2626' },
  { key: 'large', eta: 1.9, name: 'too large', color: '#16a34a' },
  { key: 'huge', eta: 12, name: 'far too large', color: '#ca8a04' },
] as const;

const X_DOMAIN: [number, number] = [-12, 12];
const GAP_DOMAIN: [number, number] = [1e-8, 1e8];

/** Runs `steps` updates x ← x − η f'(x) from x0 and returns every iterate (x0 first). */
export function descend(x0: number, eta: number, steps: number): number[] {
  const xs = [x0];
  let x = x0;
  for (let t = 0; t < steps; t++) {
    x -= eta * fPrime(x);
    xs.push(x);
    if (!Number.isFinite(x)) break;
  }
  return xs;
}

interface Regime {
  key: string;
  eta: number;
  name: string;
  color: string;
}

/** The runs to draw: one preset, all four, or the reader's own η from the slider. */
function chosen(regime: string, customEta: number): Regime[] {
  if (regime === 'custom') {
    const limit = 2 / 1.165163; // 2/f''(x*): beyond it the minimum repels the iterates
    const name = customEta < limit ? 'your choice' : 'your choice, above 2/f″(x*) ≈ 1.72';
    return [{ key: 'custom', eta: customEta, name, color: '#7c3aed' }];
  }
  return REGIMES.filter((r) => regime === 'all' || r.key === regime);
}

export default defineFigure({
  controls: {
    view: {
      type: 'select',
      label: 'View',
      options: [
        { value: 'curve', label: 'Path on the curve' },
        { value: 'loss', label: 'Loss against updates' },
      ],
      value: 'curve',
    },
    regime: {
      type: 'select',
      label: 'Learning rate η',
      options: [
        { value: 'all', label: 'All four' },
        { value: 'small', label: '0.05 (too small)' },
        { value: 'right', label: '0.4 (about right)' },
        { value: 'large', label: '1.9 (too large)' },
        { value: 'huge', label: '12 (far too large)' },
        { value: 'custom', label: 'Your own (slider)' },
      ],
      value: 'right',
    },
    eta: { type: 'range', label: 'η for “Your own”', min: 0.01, max: 3, step: 0.01, value: 1 },
    start: { type: 'range', label: 'Start x₀', min: -10, max: 10, step: 0.5, value: -9 },
    steps: { type: 'range', label: 'Updates', min: 1, max: 60, step: 1, value: 34 },
  },
  compute(state) {
    return chosen(state.regime, state.eta).map((r) => ({
      ...r,
      xs: descend(state.start, r.eta, state.steps),
    }));
  },
  render(state, { Plot, width, data }) {
    const runs = data;
    const nameOf = (run: Regime) => `η = ${run.eta} (${run.name})`;
    const color = {
      domain: runs.map(nameOf),
      range: runs.map((r) => r.color),
      legend: true,
    };
    if (state.view === 'loss') {
      // NOTE: the loss gap spans 16 orders of magnitude between the regimes, so it is drawn on
      // a log scale and clamped to the frame (a diverging run would otherwise reach 1e300).
      const points = runs.flatMap((run) =>
        run.xs.map((x, t) => ({
          t,
          gap: Math.min(GAP_DOMAIN[1], Math.max(GAP_DOMAIN[0], f(x) - F_STAR)),
          run: nameOf(run),
        })),
      );
      return Plot.plot({
        width,
        height: 340,
        color,
        x: { label: 'update t', domain: [0, state.steps] },
        y: { type: 'log', label: 'f(xₜ) − f*', domain: GAP_DOMAIN, tickFormat: '.0e' },
        marks: [Plot.line(points, { x: 't', y: 'gap', stroke: 'run', marker: 'dot' })],
      });
    }
    const curve = [];
    for (let i = 0; i <= 480; i++) {
      const x = X_DOMAIN[0] + ((X_DOMAIN[1] - X_DOMAIN[0]) * i) / 480;
      curve.push({ x, y: f(x) });
    }
    const clampX = (x: number) => Math.min(X_DOMAIN[1] + 5, Math.max(X_DOMAIN[0] - 5, x));
    const path = runs.flatMap((run) =>
      run.xs.map((x, t) => ({ x: clampX(x), y: f(clampX(x)), t, run: nameOf(run) })),
    );
    return Plot.plot({
      width,
      height: 340,
      color,
      x: { domain: X_DOMAIN, label: 'x' },
      y: { domain: [-2, 16], label: 'f(x)' },
      marks: [
        Plot.line(curve, { x: 'x', y: 'y', stroke: 'currentColor', strokeWidth: 1.5 }),
        Plot.line(path, { x: 'x', y: 'y', stroke: 'run', strokeOpacity: 0.6, clip: true }),
        Plot.dot(path, { x: 'x', y: 'y', fill: 'run', r: 3, clip: true }),
        Plot.dot([state.start], { x: (x: number) => x, y: f, r: 6, stroke: 'currentColor' }),
      ],
    });
  },
  describe(state, data) {
    const parts = data.map((r) => {
      const last = r.xs[r.xs.length - 1];
      if (!Number.isFinite(last) || Math.abs(last) > 1e6) {
        return `with η = ${r.eta} (${r.name}) the iterates diverge`;
      }
      const gap = Math.max(0, f(last) - F_STAR);
      return `with η = ${r.eta} (${r.name}) x = ${last.toFixed(3)} and f(x) − f* = ${gap.toExponential(1)}`;
    });
    const view =
      state.view === 'loss'
        ? 'Loss gap against updates'
        : 'Gradient descent paths on f(x) = x²/10 + sin x';
    return `${view}, from x₀ = ${state.start} after ${state.steps} updates: ${parts.join('; ')}.`;
  },
});
