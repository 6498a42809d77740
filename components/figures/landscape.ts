/**
 * A 2-D quadratic loss landscape and the path of gradient descent over it (chapter 4).
 *
 * The loss is f(x) = ½ (x − x*)ᵀ A (x − x*) + f* with x* = (1, 2) and f* = −11.5. A has
 * eigenvalue κ along (1, 1) and 1 along (1, −1), so κ is the condition number; for κ = 5,
 * A = [[3, 2], [2, 3]], the chapter's worked example.
 */
import { contourLines, memoize } from '../../src/notebook/figures/contours.ts';
import { defineFigure } from '../../src/notebook/figures/define.ts';

const MINIMUM = [1, 2] as const;
const F_MIN = -11.5;
const X_DOMAIN = [-3, 5] as const;
const Y_DOMAIN = [-2, 6] as const;
const MAX_STEPS = 300;
const TOLERANCE = 1e-6;

type Vec = [number, number];

/** The Hessian for condition number κ: eigenvalues κ on (1, 1)/√2 and 1 on (1, −1)/√2. */
function hessianFor(kappa: number): [[number, number], [number, number]] {
  const diagonal = (kappa + 1) / 2;
  const offDiagonal = (kappa - 1) / 2;
  return [
    [diagonal, offDiagonal],
    [offDiagonal, diagonal],
  ];
}

function lossAt(kappa: number, x: number, y: number): number {
  const [[a, c], [, d]] = hessianFor(kappa);
  const [u, v] = [x - MINIMUM[0], y - MINIMUM[1]];
  return 0.5 * (a * u * u + 2 * c * u * v + d * v * v) + F_MIN;
}

function gradientAt(kappa: number, [x, y]: Vec): Vec {
  const [[a, c], [, d]] = hessianFor(kappa);
  const [u, v] = [x - MINIMUM[0], y - MINIMUM[1]];
  return [a * u + c * v, c * u + d * v];
}

export interface Run {
  path: Vec[];
  /** 'converged' when ‖g‖ < 1e-6, 'diverged' when the iterates blow up, else 'running'. */
  outcome: 'converged' | 'diverged' | 'running';
  steps: number;
}

/** Gradient descent from `start` with a fixed step η or with exact line search. */
export function runGradientDescent(
  kappa: number,
  start: Vec,
  method: 'fixed' | 'exact',
  eta: number,
): Run {
  const A = hessianFor(kappa);
  const path: Vec[] = [[start[0], start[1]]];
  let x: Vec = [start[0], start[1]];
  for (let step = 0; step < MAX_STEPS; step++) {
    const g = gradientAt(kappa, x);
    const norm = Math.hypot(g[0], g[1]);
    if (norm < TOLERANCE) return { path, outcome: 'converged', steps: step };
    if (!Number.isFinite(norm) || norm > 1e8) return { path, outcome: 'diverged', steps: step };
    let alpha = eta;
    if (method === 'exact') {
      // NOTE: for a quadratic the best step along −g is gᵀg / gᵀAg (the line's parabola vertex)
      const Ag = [A[0][0] * g[0] + A[0][1] * g[1], A[1][0] * g[0] + A[1][1] * g[1]];
      alpha = (g[0] * g[0] + g[1] * g[1]) / (g[0] * Ag[0] + g[1] * Ag[1]);
    }
    x = [x[0] - alpha * g[0], x[1] - alpha * g[1]];
    path.push(x);
  }
  const g = gradientAt(kappa, x);
  const finalNorm = Math.hypot(g[0], g[1]);
  const startGradient = gradientAt(kappa, start);
  // NOTE: just above η = 2/κ the iterates grow only slowly (by |1 − ηκ| per step), so a run
  // that ends farther from the minimum than it started counts as diverging.
  const outcome =
    finalNorm < TOLERANCE
      ? 'converged'
      : finalNorm > Math.hypot(...startGradient)
        ? 'diverged'
        : 'running';
  return { path, outcome, steps: MAX_STEPS };
}

/** Contour levels: f* + ½k², so that neighbouring ellipses are evenly spaced along an axis. */
const LEVELS = Array.from({ length: 14 }, (_, k) => F_MIN + 0.5 * (k + 0.5) ** 2);

function methodName(method: string, eta: number): string {
  return method === 'exact' ? 'exact line search' : `fixed step η = ${eta.toFixed(2)}`;
}

/** Level lines for each κ, computed once per value (not on every frame while η moves). */
const levelLines = memoize((kappa: number) =>
  contourLines((x, y) => lossAt(kappa, x, y), { x: X_DOMAIN, y: Y_DOMAIN, thresholds: LEVELS }),
);

export default defineFigure({
  controls: {
    start: {
      type: 'point',
      label: 'Start point',
      value: [4, 0],
      step: 0.05,
      x: X_DOMAIN,
      y: Y_DOMAIN,
    },
    method: {
      type: 'select',
      label: 'Step rule',
      options: [
        { value: 'fixed', label: 'Fixed step size η' },
        { value: 'exact', label: 'Exact line search' },
      ],
      value: 'fixed',
    },
    eta: { type: 'range', label: 'Step size η', min: 0.01, max: 0.6, step: 0.01, value: 0.35 },
    kappa: { type: 'range', label: 'Condition number κ', min: 1, max: 20, step: 0.5, value: 5 },
  },
  compute(state) {
    return runGradientDescent(state.kappa, state.start, state.method, state.eta);
  },
  render(state, { Plot, width, data }) {
    const { kappa } = state;
    const shown = data.path.filter(
      ([x, y]) => Math.abs(x) < 1e3 && Math.abs(y) < 1e3, // far-away divergent points only distort
    );
    return Plot.plot({
      width,
      aspectRatio: 1,
      x: { domain: X_DOMAIN, label: 'x₁' },
      y: { domain: Y_DOMAIN, label: 'x₂' },
      clip: true,
      marks: [
        Plot.line(levelLines(kappa), {
          x: 'x',
          y: 'y',
          z: 'level',
          stroke: 'currentColor',
          strokeOpacity: 0.3,
        }),
        Plot.line(shown, { stroke: '#d62728', strokeWidth: 1.5, marker: 'dot' }),
        Plot.dot([MINIMUM], { symbol: 'star', r: 6, fill: 'currentColor' }),
        Plot.text([MINIMUM], { text: () => 'minimum (1, 2)', dy: -12, fontSize: 11 }),
      ],
    });
  },
  describe(state, data) {
    const [x0, y0] = state.start;
    const what = `Gradient descent with ${methodName(state.method, state.eta)} on a quadratic with condition number ${state.kappa}, from (${x0.toFixed(2)}, ${y0.toFixed(2)})`;
    if (data.outcome === 'converged') {
      return `${what}: reaches the minimum (1, 2) in ${data.steps} steps.`;
    }
    if (data.outcome === 'diverged') {
      const last = data.path[data.path.length - 1];
      const grown = Math.hypot(...gradientAt(state.kappa, last)).toExponential(1);
      return `${what}: diverges, the gradient norm grows to ${grown} in ${data.steps} steps, because η exceeds 2/κ = ${(2 / state.kappa).toFixed(3)}.`;
    }
    return `${what}: still ${Math.hypot(...gradientAt(state.kappa, data.path[data.path.length - 1])).toExponential(1)} away in gradient norm after ${MAX_STEPS} steps.`;
  },
});
