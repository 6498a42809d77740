/**
 * The lab's optimizers: every optimizer of the engine, each with the hyperparameters a reader
 * may set, their ranges, and defaults tuned per surface. `make` builds the engine's own
 * optimizer, so the lab's paths are the real thing, not a re-implementation.
 */
import { optim, type Tensor } from '@descent/engine';
import { palette } from '../../notebook/figures/define.ts';
import type { ProblemId } from './problems.ts';

export type OptimizerId =
  | 'sgd'
  | 'momentum'
  | 'nesterov'
  | 'adagrad'
  | 'rmsprop'
  | 'adadelta'
  | 'adam'
  | 'adamw'
  | 'newton'
  | 'eg'
  | 'hypergradient';

export interface HyperParam {
  key: string;
  label: string;
  min: number;
  max: number;
  /** Arrow-key step of the number input. */
  step: number;
}

export interface OptimizerSpec {
  id: OptimizerId;
  label: string;
  color: string;
  /** Canvas/SVG dash pattern (empty: solid), so eleven paths stay apart with six colours. */
  dash: readonly number[];
  params: readonly HyperParam[];
  /** Default hyperparameters for each surface. */
  defaults: Record<ProblemId, Record<string, number>>;
  /** Whether a learning-rate schedule may drive it (hypergradient SGD learns its own rate). */
  schedulable: boolean;
  make(p: Tensor, h: Record<string, number>): optim.Optimizer;
}

const LR: HyperParam = { key: 'lr', label: 'Learning rate', min: 0, max: 10, step: 0.001 };
const MU: HyperParam = { key: 'momentum', label: 'Momentum μ', min: 0, max: 0.999, step: 0.01 };
const RHO: HyperParam = { key: 'rho', label: 'Decay ρ', min: 0, max: 0.9999, step: 0.01 };
const EPS: HyperParam = { key: 'eps', label: 'ε', min: 0, max: 1, step: 1e-6 };
const BETA1: HyperParam = { key: 'beta1', label: 'β₁', min: 0, max: 0.999, step: 0.01 };
const BETA2: HyperParam = { key: 'beta2', label: 'β₂', min: 0, max: 0.9999, step: 0.001 };

/** The same defaults on every surface except where `overrides` says otherwise. */
function perProblem(
  base: Record<string, number>,
  overrides: Partial<Record<ProblemId, Record<string, number>>> = {},
): Record<ProblemId, Record<string, number>> {
  return {
    quadratic: { ...base, ...overrides.quadratic },
    rosenbrock: { ...base, ...overrides.rosenbrock },
    saddle: { ...base, ...overrides.saddle },
    noisy: { ...base, ...overrides.noisy },
  };
}

export const OPTIMIZERS: readonly OptimizerSpec[] = [
  {
    id: 'sgd',
    label: 'SGD',
    color: palette.blue,
    dash: [],
    params: [LR],
    defaults: perProblem({ lr: 0.05 }, { quadratic: { lr: 0.07 }, rosenbrock: { lr: 0.002 } }),
    schedulable: true,
    make: (p, h) => new optim.SGD([p], { lr: h.lr!, record: true }),
  },
  {
    id: 'momentum',
    label: 'Momentum',
    color: palette.orange,
    dash: [],
    params: [LR, MU],
    defaults: perProblem(
      { lr: 0.02, momentum: 0.9 },
      { quadratic: { lr: 0.01, momentum: 0.8 }, rosenbrock: { lr: 0.0005, momentum: 0.9 } },
    ),
    schedulable: true,
    make: (p, h) => new optim.SGD([p], { lr: h.lr!, momentum: h.momentum!, record: true }),
  },
  {
    id: 'nesterov',
    label: 'Nesterov',
    color: palette.green,
    dash: [],
    params: [LR, MU],
    defaults: perProblem(
      { lr: 0.02, momentum: 0.9 },
      { quadratic: { lr: 0.01, momentum: 0.8 }, rosenbrock: { lr: 0.0005, momentum: 0.9 } },
    ),
    schedulable: true,
    make: (p, h) =>
      new optim.SGD([p], {
        lr: h.lr!,
        momentum: Math.max(h.momentum!, 1e-6),
        nesterov: true,
        record: true,
      }),
  },
  {
    id: 'adagrad',
    label: 'AdaGrad',
    color: palette.purple,
    dash: [],
    params: [LR, EPS],
    defaults: perProblem({ lr: 0.5, eps: 1e-10 }, { rosenbrock: { lr: 2, eps: 1e-10 } }),
    schedulable: true,
    make: (p, h) => new optim.Adagrad([p], { lr: h.lr!, eps: h.eps!, record: true }),
  },
  {
    id: 'rmsprop',
    label: 'RMSProp',
    color: palette.pink,
    dash: [],
    params: [LR, RHO, EPS],
    defaults: perProblem(
      { lr: 0.02, rho: 0.9, eps: 1e-8 },
      { rosenbrock: { lr: 0.01, rho: 0.9, eps: 1e-8 } },
    ),
    schedulable: true,
    make: (p, h) => new optim.RMSprop([p], { lr: h.lr!, alpha: h.rho!, eps: h.eps!, record: true }),
  },
  {
    id: 'adadelta',
    label: 'AdaDelta',
    color: palette.teal,
    dash: [],
    params: [{ ...LR, label: 'Factor (torch lr)' }, RHO, EPS],
    defaults: perProblem(
      { lr: 1, rho: 0.9, eps: 1e-2 },
      { quadratic: { lr: 1, rho: 0.9, eps: 1e-3 }, rosenbrock: { lr: 1, rho: 0.95, eps: 1e-3 } },
    ),
    schedulable: true,
    make: (p, h) => new optim.Adadelta([p], { lr: h.lr!, rho: h.rho!, eps: h.eps!, record: true }),
  },
  {
    id: 'adam',
    label: 'Adam',
    color: palette.blue,
    dash: [7, 4],
    params: [LR, BETA1, BETA2, EPS],
    defaults: perProblem(
      { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      { rosenbrock: { lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8 } },
    ),
    schedulable: true,
    make: (p, h) =>
      new optim.Adam([p], {
        lr: h.lr!,
        betas: [h.beta1!, h.beta2!],
        eps: h.eps!,
        record: true,
      }),
  },
  {
    id: 'adamw',
    label: 'AdamW',
    color: palette.orange,
    dash: [7, 4],
    params: [
      LR,
      BETA1,
      BETA2,
      { key: 'weightDecay', label: 'Weight decay λ', min: 0, max: 10, step: 0.01 },
    ],
    defaults: perProblem(
      { lr: 0.1, beta1: 0.9, beta2: 0.999, weightDecay: 0.1 },
      { rosenbrock: { lr: 0.05, beta1: 0.9, beta2: 0.999, weightDecay: 0.1 } },
    ),
    schedulable: true,
    make: (p, h) =>
      new optim.AdamW([p], {
        lr: h.lr!,
        betas: [h.beta1!, h.beta2!],
        weightDecay: h.weightDecay!,
        record: true,
      }),
  },
  {
    id: 'newton',
    label: 'Newton',
    color: palette.green,
    dash: [7, 4],
    params: [
      { ...LR, label: 'Damping t' },
      { key: 'ridge', label: 'Ridge', min: 0, max: 100, step: 0.1 },
    ],
    defaults: perProblem({ lr: 1, ridge: 0 }, { noisy: { lr: 0.2, ridge: 0 } }),
    schedulable: true,
    make: (p, h) => new optim.Newton([p], { lr: h.lr!, ridge: h.ridge!, record: true }),
  },
  {
    id: 'eg',
    label: 'Exponentiated gradient',
    color: palette.purple,
    dash: [7, 4],
    params: [LR],
    defaults: perProblem({ lr: 0.05 }, { rosenbrock: { lr: 0.001 }, quadratic: { lr: 0.03 } }),
    schedulable: true,
    make: (p, h) => new optim.ExponentiatedGradient([p], { lr: h.lr!, record: true }),
  },
  {
    id: 'hypergradient',
    label: 'Hypergradient SGD',
    color: palette.pink,
    dash: [7, 4],
    params: [
      { ...LR, label: 'Initial rate α₀' },
      { key: 'hyperLr', label: 'Hyper-rate β', min: 0, max: 1, step: 1e-5 },
    ],
    defaults: perProblem(
      { lr: 0.01, hyperLr: 0.001 },
      { rosenbrock: { lr: 0.001, hyperLr: 1e-8 }, quadratic: { lr: 0.01, hyperLr: 1e-5 } },
    ),
    schedulable: false,
    make: (p, h) =>
      new optim.HypergradientSGD([p], { lr: h.lr!, hyperLr: h.hyperLr!, record: true }),
  },
];

export const OPTIMIZER_IDS = OPTIMIZERS.map((o) => o.id);

export function optimizerSpec(id: OptimizerId): OptimizerSpec {
  const spec = OPTIMIZERS.find((o) => o.id === id);
  if (!spec) throw new Error(`optimizer lab: no optimizer "${id}"`);
  return spec;
}
