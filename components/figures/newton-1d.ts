/**
 * Newton's method as root finding on f′, against gradient descent, for the chapter-2 function
 * f(x) = x²/10 + sin x (chapter 4). The plot shows f′; each Newton tangent line crosses zero at
 * the next iterate.
 */
import { defineFigure } from '../../src/notebook/figures/define.ts';

const X_DOMAIN = [-10, 10] as const;
const Y_DOMAIN = [-3.5, 3.5] as const;

export const f = (x: number) => (x * x) / 10 + Math.sin(x);
export const slope = (x: number) => x / 5 + Math.cos(x);
export const curvature = (x: number) => 0.2 - Math.sin(x);

/** Newton iterates x ← x − f′(x)/f″(x); stops early if f″ vanishes or the iterate leaves far. */
export function newtonIterates(x0: number, steps: number): number[] {
  const xs = [x0];
  let x = x0;
  for (let k = 0; k < steps; k++) {
    const c = curvature(x);
    if (Math.abs(c) < 1e-12) break; // a flat tangent never crosses zero
    x = x - slope(x) / c;
    xs.push(x);
    if (Math.abs(x) > 1e6) break;
  }
  return xs;
}

/** Gradient-descent iterates x ← x − η f′(x). */
export function gradientIterates(x0: number, eta: number, steps: number): number[] {
  const xs = [x0];
  let x = x0;
  for (let k = 0; k < steps; k++) {
    x = x - eta * slope(x);
    xs.push(x);
    if (Math.abs(x) > 1e6) break;
  }
  return xs;
}

/** Intervals of the domain where f″ < 0 (f′ decreasing): Newton heads for a maximum there. */
function concaveIntervals(): [number, number][] {
  const intervals: [number, number][] = [];
  const n = 800;
  let start: number | null = null;
  for (let i = 0; i <= n; i++) {
    const x = X_DOMAIN[0] + ((X_DOMAIN[1] - X_DOMAIN[0]) * i) / n;
    const concave = curvature(x) < 0;
    if (concave && start === null) start = x;
    if ((!concave || i === n) && start !== null) {
      intervals.push([start, x]);
      start = null;
    }
  }
  return intervals;
}
const CONCAVE = concaveIntervals();

function kind(x: number): string {
  if (Math.abs(slope(x)) > 1e-6) return 'not a stationary point';
  return curvature(x) > 0 ? 'a minimum' : 'a maximum';
}

export default defineFigure({
  controls: {
    x0: { type: 'range', label: 'Start x₀', min: -9, max: 9, step: 0.05, value: 0.5 },
    steps: { type: 'range', label: 'Steps', min: 1, max: 12, step: 1, value: 4 },
    eta: {
      type: 'range',
      label: 'Gradient-descent step η',
      min: 0.05,
      max: 2,
      step: 0.05,
      value: 0.4,
    },
  },
  compute(state) {
    return {
      newton: newtonIterates(state.x0, state.steps),
      gradient: gradientIterates(state.x0, state.eta, state.steps),
    };
  },
  render(_state, { Plot, width, data }) {
    const curve = Array.from({ length: 401 }, (_, i) => {
      const x = X_DOMAIN[0] + ((X_DOMAIN[1] - X_DOMAIN[0]) * i) / 400;
      return { x, y: slope(x) };
    });
    // Each tangent runs from (x_k, f′(x_k)) to its zero crossing (x_{k+1}, 0); then a drop line
    // from the axis back to the curve at x_{k+1}.
    const tangents = [];
    const drops = [];
    for (let k = 0; k + 1 < data.newton.length; k++) {
      const [a, b] = [data.newton[k], data.newton[k + 1]];
      tangents.push({ x1: a, y1: slope(a), x2: b, y2: 0 });
      drops.push({ x1: b, y1: 0, x2: b, y2: slope(b) });
    }
    const newtonDots = data.newton.map((x, k) => ({ x, y: slope(x), k }));
    const gradientDots = data.gradient.map((x, k) => ({ x, y: slope(x), k }));
    return Plot.plot({
      width,
      height: Math.round(width * 0.55),
      x: { domain: X_DOMAIN, label: 'x' },
      y: { domain: Y_DOMAIN, label: 'slope f′(x) = x/5 + cos x' },
      clip: true,
      marks: [
        Plot.rectX(CONCAVE, {
          x1: (d) => d[0],
          x2: (d) => d[1],
          y1: Y_DOMAIN[0],
          y2: Y_DOMAIN[1],
          fill: 'currentColor',
          fillOpacity: 0.07,
        }),
        Plot.text(['shaded: f″ < 0'], { frameAnchor: 'top-left', dx: 6, dy: 6, fontSize: 11 }),
        Plot.ruleY([0]),
        Plot.line(curve, { x: 'x', y: 'y', stroke: 'currentColor' }),
        Plot.link(tangents, {
          x1: 'x1',
          y1: 'y1',
          x2: 'x2',
          y2: 'y2',
          stroke: '#d62728',
          strokeWidth: 1.5,
        }),
        Plot.link(drops, {
          x1: 'x1',
          y1: 'y1',
          x2: 'x2',
          y2: 'y2',
          stroke: '#d62728',
          strokeDasharray: '3,3',
        }),
        Plot.dot(gradientDots, { x: 'x', y: 'y', stroke: '#1f77b4', r: 4, symbol: 'square' }),
        Plot.dot(newtonDots, { x: 'x', y: 'y', fill: '#d62728', r: 3.5 }),
        Plot.text(['● Newton (tangent lines)'], {
          frameAnchor: 'bottom-right',
          dx: -6,
          dy: -24,
          fill: '#d62728',
          fontSize: 12,
        }),
        Plot.text(['■ gradient descent'], {
          frameAnchor: 'bottom-right',
          dx: -6,
          dy: -8,
          fill: '#1f77b4',
          fontSize: 12,
        }),
      ],
    });
  },
  describe(state, data) {
    const xn = data.newton[data.newton.length - 1];
    const xg = data.gradient[data.gradient.length - 1];
    return (
      `From x₀ = ${state.x0.toFixed(2)}, after ${data.newton.length - 1} Newton steps x = ${xn.toFixed(6)} ` +
      `(|f′| = ${Math.abs(slope(xn)).toExponential(1)}, ${kind(xn)}); after ${data.gradient.length - 1} ` +
      `gradient steps with η = ${state.eta.toFixed(2)}, x = ${xg.toFixed(6)} (|f′| = ${Math.abs(slope(xg)).toExponential(1)}).`
    );
  },
});
