/**
 * The lab's four loss surfaces. Each has an engine version (a function of a parameter tensor of
 * shape [2] and the step number, which the real optimizers differentiate) and a plain-number
 * version of the same surface for the contour lines.
 */
import { tensor, randn, Generator, type Tensor } from '@descent/engine';

export type ProblemId = 'quadratic' | 'rosenbrock' | 'saddle' | 'noisy';

export interface Problem {
  id: ProblemId;
  label: string;
  /** One sentence for the description under the plot. */
  blurb: string;
  /** The plotted region. */
  x: readonly [number, number];
  y: readonly [number, number];
  /** The default start point. */
  start: readonly [number, number];
  /** Where the minima are, for the markers (empty for none). */
  minima: readonly (readonly [number, number])[];
  /** The lowest value of the noise-free loss (for the log-scale loss chart). */
  lowest: number;
  /** Contour levels of the noise-free loss. */
  levels: readonly number[];
  /** The noise-free loss at a point. */
  at(x: number, y: number): number;
  /** The loss the optimizers see at step `step` (0-based), as an engine scalar. */
  loss(p: Tensor, step: number): Tensor;
}

const f64 = { dtype: 'float64' } as const;

// The ill-conditioned quadratic: curvatures 1 and 25 along axes turned by 30°, so no optimizer
// gets the axes for free (AdaGrad, RMSProp and Adam scale each coordinate separately).
const ANGLE = Math.PI / 6;
const [C, S] = [Math.cos(ANGLE), Math.sin(ANGLE)];
const [L1, L2] = [1, 25];
const Q = [
  [L1 * C * C + L2 * S * S, (L1 - L2) * C * S],
  [(L1 - L2) * C * S, L1 * S * S + L2 * C * C],
];
const Q_TENSOR = tensor(Q, f64);

// The saddle: f = x²/2 + y⁴/4 − y²/2, a saddle at the origin between minima at (0, ±1).
const SADDLE_WEIGHTS = tensor([0.5, 0], f64);

// The noisy bowl: f = (x² + 4y²)/2 plus a linear term whose coefficients are fresh Gaussian
// noise at every step, so each optimizer sees ∇f + σξ_t, the same ξ_t for all of them.
export const NOISE_SIGMA = 1.5;
const NOISE_STEPS = 2000;
const NOISE_SEED = 10;
let noise: Float64Array | null = null;
function noiseAt(step: number): [number, number] {
  if (!noise) {
    noise = randn([NOISE_STEPS, 2], {
      generator: new Generator(NOISE_SEED),
      dtype: 'float64',
    }).data as Float64Array;
  }
  const i = (step % NOISE_STEPS) * 2;
  return [NOISE_SIGMA * noise[i]!, NOISE_SIGMA * noise[i + 1]!];
}
const BOWL = tensor([0.5, 2], f64);

const geometric = (low: number, high: number, count: number) =>
  Array.from({ length: count }, (_, i) => low * (high / low) ** (i / (count - 1)));

export const PROBLEMS: Record<ProblemId, Problem> = {
  quadratic: {
    id: 'quadratic',
    label: 'Ill-conditioned quadratic',
    blurb:
      'f = ½ θᵀAθ with curvatures 1 and 25 (κ = 25) along axes turned by 30°; minimum 0 at the origin.',
    x: [-4, 4],
    y: [-3, 3],
    start: [-3.5, 1.5],
    minima: [[0, 0]],
    lowest: 0,
    levels: geometric(0.02, 150, 12),
    at(x, y) {
      return 0.5 * (Q[0]![0]! * x * x + 2 * Q[0]![1]! * x * y + Q[1]![1]! * y * y);
    },
    loss(p) {
      return p.mul(Q_TENSOR.matmul(p)).sum().mul(0.5);
    },
  },
  rosenbrock: {
    id: 'rosenbrock',
    label: 'Rosenbrock',
    blurb: 'f = (1 − x)² + 100 (y − x²)², a curved valley; minimum 0 at (1, 1).',
    x: [-2, 2],
    y: [-1, 3],
    start: [-1.5, 2],
    minima: [[1, 1]],
    lowest: 0,
    levels: geometric(0.05, 2000, 12),
    at(x, y) {
      return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
    },
    loss(p) {
      const x = p.select(0, 0);
      const y = p.select(0, 1);
      return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
    },
  },
  saddle: {
    id: 'saddle',
    label: 'Saddle',
    blurb: 'f = x²/2 + y⁴/4 − y²/2: a saddle at the origin between two minima −¼ at (0, ±1).',
    x: [-3, 3],
    y: [-2, 2],
    start: [-2.5, 0.02],
    minima: [
      [0, 1],
      [0, -1],
    ],
    lowest: -0.25,
    levels: [-0.2, -0.1, 0, 0.1, 0.3, 0.6, 1, 1.6, 2.4, 3.4, 4.6],
    at(x, y) {
      return 0.5 * x * x + 0.25 * y ** 4 - 0.5 * y * y;
    },
    loss(p) {
      const y = p.select(0, 1);
      return p.square().mul(SADDLE_WEIGHTS).sum().add(y.pow(4).mul(0.25)).sub(y.square().mul(0.5));
    },
  },
  noisy: {
    id: 'noisy',
    label: 'Noisy bowl',
    blurb: `f = (x² + 4y²)/2, but every gradient carries seeded Gaussian noise of standard deviation ${NOISE_SIGMA}; minimum 0 at the origin.`,
    x: [-3, 3],
    y: [-3, 3],
    start: [-2.5, 2.5],
    minima: [[0, 0]],
    lowest: 0,
    levels: geometric(0.05, 20, 10),
    at(x, y) {
      return 0.5 * (x * x + 4 * y * y);
    },
    loss(p, step) {
      const [a, b] = noiseAt(step);
      return p
        .square()
        .mul(BOWL)
        .sum()
        .add(p.mul(tensor([a, b], f64)).sum());
    },
  },
};

export const PROBLEM_IDS = Object.keys(PROBLEMS) as ProblemId[];
