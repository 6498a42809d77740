/**
 * The regularization path (chapter 8, fig-rg-path): a two-weight quadratic loss
 * L(w) = ½ (w − w*)ᵀ A (w − w*), its level sets, and the minimizer of L(w) + λ·R(w) for the
 * L1 penalty R = |w₁| + |w₂| or the L2 penalty R = ½(w₁² + w₂²), drawn as the point where a
 * level set of L touches the constraint region R(w) ≤ R(ŵ): a diamond or a circle. The path of
 * solutions over every λ from 0 to the slider's maximum shows L1 reaching an axis (sparsity)
 * and L2 shrinking both weights without zeroing either.
 *
 * Plain arithmetic on purpose: two weights, solved exactly (L2) or by coordinate descent (L1),
 * which the chapter writes out with the engine in its `rg-path` cell.
 */
import { defineFigure, palette } from '../../src/notebook/figures/define.ts';

/** The Hessian of the loss, [[a, b], [b, c]]: tilted ellipses, as in the chapter's cell. */
export const HESSIAN = { a: 1.5, b: 0.5, c: 1 } as const;
export const LAMBDA_MAX = 4;
const PATH_STEPS = 120;
const X_DOMAIN: [number, number] = [-1, 3];
const Y_DOMAIN: [number, number] = [-1.5, 2.5];

export type Penalty = 'l1' | 'l2';
type Vec = [number, number];

/** The loss L(w) = ½ (w − w*)ᵀ A (w − w*). */
export function loss(w: Vec, wStar: Vec): number {
  const { a, b, c } = HESSIAN;
  const [dx, dy] = [w[0] - wStar[0], w[1] - wStar[1]];
  return 0.5 * (a * dx * dx + 2 * b * dx * dy + c * dy * dy);
}

const softThreshold = (z: number, t: number) => Math.sign(z) * Math.max(Math.abs(z) - t, 0);

/**
 * The minimizer of L(w) + λR(w). L2: (A + λI) w = A w*, solved as a 2×2 system.
 * L1: coordinate descent, each coordinate minimized exactly by a soft threshold.
 */
export function solve(penalty: Penalty, lambda: number, wStar: Vec): Vec {
  const { a, b, c } = HESSIAN;
  const r1 = a * wStar[0] + b * wStar[1];
  const r2 = b * wStar[0] + c * wStar[1];
  if (penalty === 'l2') {
    const [p, q, s] = [a + lambda, b, c + lambda];
    const det = p * s - q * q;
    return [(s * r1 - q * r2) / det, (p * r2 - q * r1) / det];
  }
  let [w1, w2] = wStar;
  // NOTE: for a 2 × 2 positive-definite A, 200 sweeps take the error far below the plot's pixel.
  for (let sweep = 0; sweep < 200; sweep++) {
    w1 = softThreshold(r1 - b * w2, lambda) / a;
    w2 = softThreshold(r2 - b * w1, lambda) / c;
  }
  return [w1, w2];
}

/** The penalty R(w). */
export function penaltyValue(penalty: Penalty, w: Vec): number {
  return penalty === 'l1' ? Math.abs(w[0]) + Math.abs(w[1]) : 0.5 * (w[0] ** 2 + w[1] ** 2);
}

/** Points (w₁, w₂) on the level set L(w) = level: an ellipse around w*. */
function ellipse(level: number, wStar: Vec, id: number) {
  const { a, b, c } = HESSIAN;
  // Eigen-decomposition of A: w = w* + Σ √(2·level/μᵢ) cos/sin(t) qᵢ.
  const mean = (a + c) / 2;
  const r = Math.hypot((a - c) / 2, b);
  const [mu1, mu2] = [mean + r, mean - r];
  const angle = 0.5 * Math.atan2(2 * b, a - c);
  const [cx, sx] = [Math.cos(angle), Math.sin(angle)];
  const [s1, s2] = [Math.sqrt((2 * level) / mu1), Math.sqrt((2 * level) / mu2)];
  return Array.from({ length: 97 }, (_, i) => {
    const t = (i / 96) * 2 * Math.PI;
    const [u, v] = [s1 * Math.cos(t), s2 * Math.sin(t)];
    return { x: wStar[0] + u * cx - v * sx, y: wStar[1] + u * sx + v * cx, id };
  });
}

/** The boundary of R(w) ≤ radius: a diamond (L1) or a circle (L2, radius √(2R)). */
function region(penalty: Penalty, size: number) {
  if (penalty === 'l1') {
    return [
      { x: size, y: 0 },
      { x: 0, y: size },
      { x: -size, y: 0 },
      { x: 0, y: -size },
      { x: size, y: 0 },
    ];
  }
  const r = Math.sqrt(2 * size);
  return Array.from({ length: 97 }, (_, i) => {
    const t = (i / 96) * 2 * Math.PI;
    return { x: r * Math.cos(t), y: r * Math.sin(t) };
  });
}

const LEVELS = [0.05, 0.2, 0.5, 1, 2, 3.5];
const fmt = (v: number) => (Math.abs(v) < 5e-7 ? '0.00' : v.toFixed(2));

export default defineFigure({
  controls: {
    penalty: {
      type: 'select',
      label: 'Penalty',
      options: [
        { value: 'l1', label: 'L1: |w₁| + |w₂| (diamond)' },
        { value: 'l2', label: 'L2: ½(w₁² + w₂²) (circle)' },
      ],
      value: 'l1',
    },
    lambda: {
      type: 'range',
      label: 'Penalty strength λ',
      min: 0,
      max: LAMBDA_MAX,
      step: 0.05,
      value: 1.5,
      format: (v) => v.toFixed(2),
    },
    wStar: {
      type: 'point',
      label: 'Unregularized minimum w*',
      value: [2, 1],
      step: 0.05,
      x: [-0.8, 2.8],
      y: [-1.3, 2.3],
    },
    showPath: { type: 'toggle', label: 'Show the path over all λ', value: true },
  },
  compute(state) {
    const wStar: Vec = [state.wStar[0], state.wStar[1]];
    const penalty = state.penalty as Penalty;
    const solution = solve(penalty, state.lambda, wStar);
    const path = Array.from({ length: PATH_STEPS + 1 }, (_, i) => {
      const lambda = (i / PATH_STEPS) * LAMBDA_MAX;
      const [x, y] = solve(penalty, lambda, wStar);
      return { x, y, lambda };
    });
    return { wStar, solution, path };
  },
  render(state, { Plot, width, data }) {
    const { wStar, solution, path } = data;
    const penalty = state.penalty as Penalty;
    const touching = loss(solution, wStar);
    const size = penaltyValue(penalty, solution);
    const levels = LEVELS.flatMap((level, i) => ellipse(level, wStar, i));
    return Plot.plot({
      width,
      aspectRatio: 1,
      x: { domain: X_DOMAIN, label: 'w₁' },
      y: { domain: Y_DOMAIN, label: 'w₂' },
      marks: [
        Plot.ruleX([0], { stroke: 'currentColor', strokeOpacity: 0.35 }),
        Plot.ruleY([0], { stroke: 'currentColor', strokeOpacity: 0.35 }),
        Plot.line(levels, {
          x: 'x',
          y: 'y',
          z: 'id',
          stroke: '#6b7280',
          strokeOpacity: 0.55,
          clip: true,
        }),
        size > 1e-9
          ? // NOTE: a closed polygon is a line with a fill (an area mark would fill to a baseline).
            Plot.line(region(penalty, size), {
              x: 'x',
              y: 'y',
              fill: palette.blue,
              fillOpacity: 0.18,
              stroke: palette.blue,
              strokeWidth: 2,
              clip: true,
            })
          : Plot.dot([[0, 0]], { fill: palette.blue, r: 3 }),
        touching > 1e-9
          ? Plot.line(ellipse(touching, wStar, -1), {
              x: 'x',
              y: 'y',
              stroke: palette.orange,
              strokeWidth: 2,
              clip: true,
            })
          : null,
        state.showPath
          ? Plot.line(path, { x: 'x', y: 'y', stroke: palette.green, strokeWidth: 2.5, clip: true })
          : null,
        Plot.dot([wStar], { symbol: 'star', r: 7, fill: 'currentColor' }),
        Plot.dot([solution], { r: 5, fill: palette.orange, stroke: 'currentColor' }),
      ],
    });
  },
  describe(state, data) {
    const { wStar, solution } = data;
    const penalty = state.penalty as Penalty;
    const name = penalty === 'l1' ? 'L1 penalty |w₁| + |w₂|' : 'L2 penalty ½(w₁² + w₂²)';
    const zeros = solution.filter((v) => Math.abs(v) < 5e-7).length;
    const sparsity =
      zeros === 2
        ? 'both weights are exactly zero'
        : zeros === 1
          ? `w${Math.abs(solution[0]) < 5e-7 ? '₁' : '₂'} is exactly zero (a sparse solution)`
          : 'neither weight is zero';
    const shape = penalty === 'l1' ? 'diamond' : 'circle';
    return `With the ${name} and λ = ${state.lambda.toFixed(2)}, the regularized minimum is (${fmt(solution[0])}, ${fmt(solution[1])}) and ${sparsity}; the unregularized minimum w* is (${wStar[0].toFixed(2)}, ${wStar[1].toFixed(2)}). The loss contour through the solution touches the ${shape} R(w) ≤ ${penaltyValue(penalty, solution).toFixed(2)}.`;
  },
});
