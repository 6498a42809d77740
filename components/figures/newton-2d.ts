/**
 * Newton's method against gradient descent in two dimensions (chapter 4), on the chapter's
 * ill-conditioned quadratic (κ = 5, minimum (1, 2)) and on the saddle function
 * x² − y²/2 + y⁴/4 (saddle at the origin, minima at (0, ±1)).
 */
import { contourLines, memoize } from '../../src/notebook/figures/contours.ts';
import { defineFigure } from '../../src/notebook/figures/define.ts';

type Vec = [number, number];
type Matrix = [[number, number], [number, number]];

const DOMAIN = [-2.5, 5.5] as const;
const NEWTON_STEPS = 8;
const GRADIENT_STEPS = 200;

interface Problem {
  value: (p: Vec) => number;
  gradient: (p: Vec) => Vec;
  hessian: (p: Vec) => Matrix;
  levels: number[];
  landmarks: { at: Vec; name: string }[];
}

export const problems: Record<'quadratic' | 'saddle', Problem> = {
  quadratic: {
    // ½ xᵀAx − bᵀx with A = [[3, 2], [2, 3]], b = (7, 8)
    value: ([x, y]) => 0.5 * (3 * x * x + 4 * x * y + 3 * y * y) - 7 * x - 8 * y,
    gradient: ([x, y]) => [3 * x + 2 * y - 7, 2 * x + 3 * y - 8],
    hessian: () => [
      [3, 2],
      [2, 3],
    ],
    levels: Array.from({ length: 14 }, (_, k) => -11.5 + 0.5 * (k + 0.5) ** 2),
    landmarks: [{ at: [1, 2], name: 'minimum' }],
  },
  saddle: {
    value: ([x, y]) => x * x - (y * y) / 2 + y ** 4 / 4,
    gradient: ([x, y]) => [2 * x, -y + y ** 3],
    hessian: ([, y]) => [
      [2, 0],
      [0, 3 * y * y - 1],
    ],
    levels: [-0.2, -0.1, 0, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
    landmarks: [
      { at: [0, 0], name: 'saddle' },
      { at: [0, 1], name: 'minimum' },
      { at: [0, -1], name: 'minimum' },
    ],
  },
};

/** Solves the 2×2 system H p = −g; null when H is (numerically) singular. */
function newtonStep(H: Matrix, g: Vec): Vec | null {
  const [[a, b], [c, d]] = H;
  const det = a * d - b * c;
  if (Math.abs(det) < 1e-12) return null;
  return [-(d * g[0] - b * g[1]) / det, -(-c * g[0] + a * g[1]) / det];
}

const far = (p: Vec) => !Number.isFinite(p[0]) || Math.hypot(p[0], p[1]) > 1e6;

export function newtonPath(problem: Problem, start: Vec): Vec[] {
  const path: Vec[] = [[start[0], start[1]]];
  let p: Vec = [start[0], start[1]];
  for (let k = 0; k < NEWTON_STEPS; k++) {
    const g = problem.gradient(p);
    if (Math.hypot(g[0], g[1]) < 1e-10) break;
    const step = newtonStep(problem.hessian(p), g);
    if (!step) break;
    p = [p[0] + step[0], p[1] + step[1]];
    path.push(p);
    if (far(p)) break;
  }
  return path;
}

export function gradientPath(problem: Problem, start: Vec, eta: number): Vec[] {
  const path: Vec[] = [[start[0], start[1]]];
  let p: Vec = [start[0], start[1]];
  for (let k = 0; k < GRADIENT_STEPS; k++) {
    const g = problem.gradient(p);
    if (Math.hypot(g[0], g[1]) < 1e-6) break;
    p = [p[0] - eta * g[0], p[1] - eta * g[1]];
    path.push(p);
    if (far(p)) break;
  }
  return path;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const fmt = (p: Vec) => `(${p[0].toFixed(3)}, ${p[1].toFixed(3)})`;

/** Level lines of each problem, computed once (not on every frame while a slider moves). */
const levelLines = memoize((name: keyof typeof problems) =>
  contourLines((x, y) => problems[name].value([x, y]), {
    x: DOMAIN,
    y: DOMAIN,
    thresholds: problems[name].levels,
  }),
);

export default defineFigure({
  controls: {
    problem: {
      type: 'select',
      label: 'Function',
      options: [
        { value: 'saddle', label: 'Saddle: x² − y²/2 + y⁴/4' },
        { value: 'quadratic', label: 'Quadratic with κ = 5' },
      ],
      value: 'saddle',
    },
    start: {
      type: 'point',
      label: 'Start point',
      value: [1, 0.1],
      step: 0.05,
      x: DOMAIN,
      y: DOMAIN,
    },
    eta: {
      type: 'range',
      label: 'Gradient-descent step η',
      min: 0.01,
      max: 0.5,
      step: 0.01,
      value: 0.1,
    },
  },
  compute(state) {
    const problem = problems[state.problem];
    return {
      newton: newtonPath(problem, state.start),
      gradient: gradientPath(problem, state.start, state.eta),
    };
  },
  render(state, { Plot, width, data }) {
    const problem = problems[state.problem];
    const onScreen = (path: Vec[]) => path.filter((p) => Math.hypot(p[0], p[1]) < 1e3);
    return Plot.plot({
      width,
      aspectRatio: 1,
      x: { domain: DOMAIN, label: 'x' },
      y: { domain: DOMAIN, label: 'y' },
      clip: true,
      marks: [
        Plot.line(levelLines(state.problem), {
          x: 'x',
          y: 'y',
          z: 'level',
          stroke: 'currentColor',
          strokeOpacity: 0.3,
        }),
        Plot.line(onScreen(data.gradient), { stroke: '#1f77b4', strokeWidth: 1.5 }),
        Plot.dot(onScreen(data.gradient), { stroke: '#1f77b4', r: 2, symbol: 'square' }),
        Plot.line(onScreen(data.newton), { stroke: '#d62728', strokeWidth: 2, marker: 'dot' }),
        Plot.dot(problem.landmarks, {
          x: (d) => d.at[0],
          y: (d) => d.at[1],
          symbol: (d: { name: string }) => (d.name === 'saddle' ? 'times' : 'star'),
          r: 6,
          stroke: 'currentColor',
          fill: 'currentColor',
        }),
        Plot.text(problem.landmarks, {
          x: (d) => d.at[0],
          y: (d) => d.at[1],
          text: 'name',
          dx: 10,
          textAnchor: 'start',
          fontSize: 11,
        }),
        Plot.text([`● Newton: ${plural(data.newton.length - 1, 'step')}`], {
          frameAnchor: 'top-right',
          dx: -6,
          dy: 8,
          fill: '#d62728',
          fontSize: 12,
        }),
        Plot.text([`■ gradient descent: ${plural(data.gradient.length - 1, 'step')}`], {
          frameAnchor: 'top-right',
          dx: -6,
          dy: 24,
          fill: '#1f77b4',
          fontSize: 12,
        }),
      ],
    });
  },
  describe(state, data) {
    const problem = problems[state.problem];
    const xn = data.newton[data.newton.length - 1];
    const xg = data.gradient[data.gradient.length - 1];
    return (
      `From ${fmt(state.start)}, Newton's method takes ${plural(data.newton.length - 1, 'step')} and ends at ${fmt(xn)} ` +
      `with f = ${problem.value(xn).toFixed(4)}; gradient descent with η = ${state.eta.toFixed(2)} takes ` +
      `${plural(data.gradient.length - 1, 'step')} and ends at ${fmt(xg)} with f = ${problem.value(xg).toFixed(4)}.`
    );
  },
});
