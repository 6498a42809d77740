/**
 * Taylor-polynomial explorer (chapter 1, fig-taylor): a function, its Taylor polynomial of a
 * chosen order around a chosen point, and the stretch of x where the two agree to 0.01.
 */
import { defineFigure } from '../../src/notebook/figures/define.ts';

type FnName = 'sin' | 'exp' | 'log1p';

const X_DOMAIN: [number, number] = [-4, 4];
const Y_DOMAINS: Record<FnName, [number, number]> = {
  sin: [-2.5, 2.5],
  exp: [-2, 14],
  log1p: [-4, 3],
};
const LABELS: Record<FnName, string> = { sin: 'sin x', exp: 'eˣ', log1p: 'ln(1 + x)' };
/** Closest expansion point to −1 we allow for ln(1 + x), whose derivatives blow up at −1. */
const LOG_MIN_X0 = -0.9;
const SAMPLES = 401;
/** "Agrees with f" means within this distance, for the figure's description. */
const AGREEMENT = 0.01;

function value(fn: FnName, x: number): number {
  if (fn === 'sin') return Math.sin(x);
  if (fn === 'exp') return Math.exp(x);
  return x > -1 ? Math.log1p(x) : NaN;
}

/** Taylor coefficients c_k = f⁽ᵏ⁾(x0)/k! for k = 0..order, from the closed-form derivatives. */
export function taylorCoefficients(fn: FnName, x0: number, order: number): number[] {
  const coefficients: number[] = [];
  let factorial = 1;
  for (let k = 0; k <= order; k++) {
    if (k > 0) factorial *= k;
    if (fn === 'sin') coefficients.push(Math.sin(x0 + (k * Math.PI) / 2) / factorial);
    else if (fn === 'exp') coefficients.push(Math.exp(x0) / factorial);
    // d^k/dx^k ln(1 + x) = (−1)^(k−1) (k−1)! / (1 + x)^k, so c_k = (−1)^(k−1) / (k (1 + x0)^k).
    else coefficients.push(k === 0 ? Math.log1p(x0) : (-1) ** (k - 1) / (k * (1 + x0) ** k));
  }
  return coefficients;
}

/** Evaluates Σ c_k (x − x0)^k by Horner's rule. */
export function evaluateTaylor(coefficients: number[], x0: number, x: number): number {
  let sum = 0;
  for (let k = coefficients.length - 1; k >= 0; k--) sum = sum * (x - x0) + coefficients[k];
  return sum;
}

/** The interval around x0, within the plotted range, where |f − T| stays below AGREEMENT. */
function agreementInterval(fn: FnName, x0: number, coefficients: number[]): [number, number] {
  const step = (X_DOMAIN[1] - X_DOMAIN[0]) / (SAMPLES - 1);
  const close = (x: number) =>
    Math.abs(value(fn, x) - evaluateTaylor(coefficients, x0, x)) < AGREEMENT;
  let lo = x0;
  while (lo - step >= X_DOMAIN[0] && close(lo - step)) lo -= step;
  let hi = x0;
  while (hi + step <= X_DOMAIN[1] && close(hi + step)) hi += step;
  return [lo, hi];
}

function expansionPoint(fn: FnName, x0: number): number {
  return fn === 'log1p' ? Math.max(x0, LOG_MIN_X0) : x0;
}

export default defineFigure({
  controls: {
    fn: {
      type: 'select',
      label: 'Function',
      options: [
        { value: 'sin', label: 'sin x' },
        { value: 'exp', label: 'eˣ' },
        { value: 'log1p', label: 'ln(1 + x)' },
      ],
      value: 'sin',
    },
    x0: { type: 'range', label: 'Expansion point x₀', min: -2, max: 2, step: 0.1, value: 0 },
    order: { type: 'range', label: 'Order n', min: 0, max: 15, step: 1, value: 3 },
  },
  compute(state) {
    const fn = state.fn as FnName;
    const x0 = expansionPoint(fn, state.x0);
    const coefficients = taylorCoefficients(fn, x0, state.order);
    const [yMin, yMax] = Y_DOMAINS[fn];
    // NOTE: clamp far outside the y domain so huge polynomial values cannot produce absurd
    // SVG coordinates; the line is clipped to the frame anyway.
    const clamp = (y: number) => Math.min(yMax + 50, Math.max(yMin - 50, y));
    const curve: { x: number; f: number; t: number }[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const x = X_DOMAIN[0] + ((X_DOMAIN[1] - X_DOMAIN[0]) * i) / (SAMPLES - 1);
      curve.push({ x, f: value(fn, x), t: clamp(evaluateTaylor(coefficients, x0, x)) });
    }
    return { x0, curve, interval: agreementInterval(fn, x0, coefficients), f0: value(fn, x0) };
  },
  render(state, { Plot, width, data }) {
    const fn = state.fn as FnName;
    const { x0, curve, interval, f0 } = data;
    const marks = [];
    if (fn === 'log1p') {
      // The series converges for |x − x0| < 1 + x0: out to the singularity at −1 and as far
      // on the other side.
      const radius = 1 + x0;
      marks.push(
        Plot.rectX([{ x1: x0 - radius, x2: Math.min(x0 + radius, X_DOMAIN[1]) }], {
          x1: 'x1',
          x2: 'x2',
          fill: '#2563eb',
          fillOpacity: 0.08,
        }),
        Plot.ruleX([-1], { stroke: '#6b7280', strokeDasharray: '3 3' }),
      );
    }
    marks.push(
      Plot.ruleY([0], { stroke: '#9ca3af' }),
      Plot.rectX([{ x1: interval[0], x2: interval[1] }], {
        x1: 'x1',
        x2: 'x2',
        y1: Y_DOMAINS[fn][0],
        y2: Y_DOMAINS[fn][0] + (Y_DOMAINS[fn][1] - Y_DOMAINS[fn][0]) * 0.03,
        fill: '#16a34a',
      }),
      Plot.line(curve, {
        x: 'x',
        y: 'f',
        stroke: 'currentColor',
        strokeWidth: 2, // NaN values (ln below −1) leave a gap in the line
      }),
      Plot.line(curve, { x: 'x', y: 't', stroke: '#c2410c', strokeWidth: 2, clip: true }),
      Plot.dot([[x0, f0]], { r: 5, fill: '#c2410c' }),
    );
    return Plot.plot({
      width,
      height: 340,
      x: { domain: X_DOMAIN, label: 'x' },
      y: { domain: Y_DOMAINS[fn], label: null },
      marks,
    });
  },
  describe(state, data) {
    const fn = state.fn as FnName;
    const { x0, interval } = data;
    const base = `The Taylor polynomial of order ${state.order} of ${LABELS[fn]} around x₀ = ${x0.toFixed(1)} (orange) against the function (the plain curve).`;
    const fit = `It stays within ${AGREEMENT} of the function for x from ${interval[0].toFixed(2)} to ${interval[1].toFixed(2)} (green bar).`;
    const note =
      fn === 'log1p'
        ? ` The series converges only within distance ${(1 + x0).toFixed(1)} of x₀ (blue band), up to the singularity at x = −1.`
        : '';
    return `${base} ${fit}${note}`;
  },
});
