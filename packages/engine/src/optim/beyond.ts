/**
 * Optimizers beyond `torch.optim`, for the book's later chapters: exponentiated gradient,
 * step-size adaptation with exponentiated-gradient updates, and hypergradient descent. They share
 * the base class, so they take param groups, `record: true`, closures and schedules like the rest.
 */
import type { Tensor } from '../tensor.ts';
import type { FloatArray } from '../dtype.ts';
import { DescentError } from '../errors.ts';
import {
  Optimizer,
  withLr,
  type ParamGroup,
  type ParamsInput,
  type RecordOptions,
} from './optimizer.ts';

type State = Record<string, FloatArray | number>;

// ---------------------------------------------------------------------------------------------

/** Hyperparameters of {@link ExponentiatedGradient}. */
export interface ExponentiatedGradientOptions {
  lr: number;
  /**
   * Rescale each parameter tensor after the update so its sum stays what it was (the EG of
   * Kivinen & Warmuth on the probability simplex). Default false: the unnormalised EGU.
   */
  normalize: boolean;
}

/**
 * Exponentiated gradient (Kivinen & Warmuth 1997): θ ← θ ⊙ exp(−η∇L), a multiplicative update
 * that keeps positive parameters positive (it is gradient descent on log θ, or mirror descent with
 * the entropy). With `normalize`, each tensor is rescaled to keep its sum, which keeps a
 * probability vector on the simplex.
 *
 * @example
 * const w = tensor([0.5, 0.5], { dtype: 'float64', requiresGrad: true });
 * const opt = new optim.ExponentiatedGradient([w], { lr: 0.1, normalize: true });
 * w.grad = tensor([1, 0], { dtype: 'float64' });
 * opt.step();
 * w.sum().item(); // 1
 */
export class ExponentiatedGradient extends Optimizer<ExponentiatedGradientOptions> {
  constructor(
    params: ParamsInput<ExponentiatedGradientOptions>,
    opts: (Partial<ExponentiatedGradientOptions> & { lr: number } & RecordOptions) | number,
  ) {
    const options = withLr(opts);
    if (options?.lr === undefined) {
      throw new DescentError('ExponentiatedGradient: lr is required, got undefined');
    }
    super('ExponentiatedGradient', params, { normalize: false, ...options });
  }

  protected override updateParam(
    p: Tensor,
    grad: FloatArray,
    g: ParamGroup<ExponentiatedGradientOptions>,
  ) {
    const x = p.data;
    let before = 0;
    let after = 0;
    for (let i = 0; i < x.length; i++) {
      before += x[i];
      x[i] *= Math.exp(-g.lr * grad[i]);
      after += x[i];
    }
    if (g.normalize && after !== 0) {
      const scale = before / after;
      for (let i = 0; i < x.length; i++) x[i] *= scale;
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** Hyperparameters of {@link EGStepSize}. */
export interface EGStepSizeOptions {
  /** Initial step size η0 of every parameter (or layer). */
  lr: number;
  /** Meta step size β of the exponentiated-gradient update of the step sizes. Default 0.01. */
  beta: number;
  /** One step size per parameter tensor ('layer') or per coordinate ('coordinate', default). */
  granularity: 'coordinate' | 'layer';
  /** Momentum μ of the base update direction d ← μd + g (0 = plain gradient). Default 0. */
  momentum: number;
  /** Clip β·∂L/∂η to ±this per step so a single noisy gradient cannot blow a step size up. */
  maxLogChange: number;
}

/**
 * Step-size adaptation with exponentiated-gradient updates, after Amid, Anil, Fifty & Warmuth
 * (2022), "Step-size Adaptation Using Exponentiated Gradient Updates".
 *
 * Our reading of the method, which is what this class implements: each parameter coordinate (or
 * each tensor, with `granularity: 'layer'`) has its own positive step size η. The base update is
 * θ_{t+1} = θ_t − η_t ⊙ d_t, where d_t is the gradient (or its momentum average). Since
 * θ_t depends on η_{t−1} through θ_t = θ_{t−1} − η_{t−1} ⊙ d_{t−1}, the derivative of the new loss
 * with respect to the old step size is ∂L(θ_t)/∂η_{t−1} = −g_t ⊙ d_{t−1} (summed over the tensor
 * for one step size per layer). The step sizes take an exponentiated-gradient step on it,
 * η_t = η_{t−1} ⊙ exp(−β ∂L/∂η) = η_{t−1} ⊙ exp(β g_t ⊙ d_{t−1}),
 * which keeps them positive and changes them by factors, not increments: when consecutive
 * directions agree the step grows, when they disagree (oscillation) it shrinks. The paper also
 * adapts a global scale on top of the per-parameter gains and applies the scheme to momentum and
 * Adam-style base optimizers; here the global scale is left out and the base is (momentum) SGD.
 *
 * The current step sizes are in `state.get(p).stepSize`.
 */
export class EGStepSize extends Optimizer<EGStepSizeOptions> {
  constructor(
    params: ParamsInput<EGStepSizeOptions>,
    opts: (Partial<EGStepSizeOptions> & { lr: number } & RecordOptions) | number,
  ) {
    const options = withLr(opts);
    if (options?.lr === undefined)
      throw new DescentError('EGStepSize: lr is required, got undefined');
    const o = {
      beta: 0.01,
      granularity: 'coordinate' as const,
      momentum: 0,
      maxLogChange: 1,
      ...options,
    };
    if (o.granularity !== 'coordinate' && o.granularity !== 'layer') {
      throw new DescentError(
        `EGStepSize: granularity must be 'coordinate' or 'layer', got ${o.granularity}`,
      );
    }
    super('EGStepSize', params, o);
  }

  protected override updateParam(
    p: Tensor,
    grad: FloatArray,
    g: ParamGroup<EGStepSizeOptions>,
    s: State,
  ) {
    const perLayer = g.granularity === 'layer';
    const n = p.data.length;
    if (s.stepSize === undefined) {
      s.stepSize = new Float64Array(perLayer ? 1 : n).fill(g.lr);
    }
    const eta = s.stepSize as Float64Array;
    const prev = s.direction as Float64Array | undefined;
    const clip = (v: number) => Math.max(-g.maxLogChange, Math.min(g.maxLogChange, v));
    if (prev) {
      if (perLayer) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += grad[i] * prev[i];
        eta[0] *= Math.exp(clip(g.beta * dot));
      } else {
        for (let i = 0; i < n; i++) eta[i] *= Math.exp(clip(g.beta * grad[i] * prev[i]));
      }
    }
    const d = prev ?? new Float64Array(n);
    for (let i = 0; i < n; i++)
      d[i] = g.momentum > 0 && prev ? g.momentum * d[i] + grad[i] : grad[i];
    s.direction = d;
    const x = p.data;
    for (let i = 0; i < n; i++) x[i] -= (perLayer ? eta[0] : eta[i]) * d[i];
  }

  /** The mean step size over all parameters (a number to plot against the steps). */
  meanStepSize(): number {
    let total = 0;
    let count = 0;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const eta = this.state.get(p)?.stepSize as Float64Array | undefined;
        const size = p.data.length;
        if (!eta) {
          total += group.lr * size;
        } else if (eta.length === 1) {
          total += eta[0] * size;
        } else {
          for (let i = 0; i < eta.length; i++) total += eta[i];
        }
        count += size;
      }
    }
    return count === 0 ? 0 : total / count;
  }
}

// ---------------------------------------------------------------------------------------------

/** Hyperparameters of {@link HypergradientSGD}. */
export interface HypergradientSGDOptions {
  /** Initial learning rate α0. */
  lr: number;
  /** Hypergradient learning rate β. */
  hyperLr: number;
}

/**
 * SGD with hypergradient descent on the learning rate (SGD-HD, Baydin, Cornish, Martínez Rubio,
 * Schmidt & Wood 2018): before each step,
 * α_t = α_{t−1} + β ∇f(θ_{t−1}) · ∇f(θ_{t−2}),
 * the derivative of the loss with respect to the previous learning rate being
 * −∇f(θ_{t−1}) · ∇f(θ_{t−2}); then θ_t = θ_{t−1} − α_t ∇f(θ_{t−1}). The dot product runs over every
 * parameter of the group, so the group shares one learning rate. `lrHistory` records α_t.
 *
 * @example
 * const w = tensor([1], { dtype: 'float64', requiresGrad: true });
 * const opt = new optim.HypergradientSGD([w], { lr: 0.1, hyperLr: 0.01 });
 * const loss = () => {
 *   opt.zeroGrad();
 *   const l = w.mul(w).sum();
 *   l.backward();
 *   return l;
 * };
 * for (let i = 0; i < 3; i++) opt.step(loss);
 * opt.lrHistory.length; // 3
 */
export class HypergradientSGD extends Optimizer<HypergradientSGDOptions> {
  /** The learning rate used at each step (of the first group). */
  lrHistory: number[] = [];
  private previous = new Map<ParamGroup<HypergradientSGDOptions>, Float64Array>();

  constructor(
    params: ParamsInput<HypergradientSGDOptions>,
    opts: (Partial<HypergradientSGDOptions> & { lr: number } & RecordOptions) | number,
  ) {
    const options = withLr(opts);
    if (options?.lr === undefined)
      throw new DescentError('HypergradientSGD: lr is required, got undefined');
    super('HypergradientSGD', params, { hyperLr: 1e-4, ...options });
  }

  protected override updateGroup(group: ParamGroup<HypergradientSGDOptions>): void {
    const params = group.params.filter((p) => p.grad !== null);
    const total = params.reduce((n, p) => n + p.data.length, 0);
    const current = new Float64Array(total);
    let offset = 0;
    for (const p of params) {
      current.set(p.grad!.data, offset);
      offset += p.data.length;
    }
    const prev = this.previous.get(group);
    if (prev && prev.length === total) {
      let dot = 0;
      for (let i = 0; i < total; i++) dot += current[i] * prev[i];
      group.lr += group.hyperLr * dot;
    }
    if (group === this.paramGroups[0]) this.lrHistory.push(group.lr);
    offset = 0;
    for (const p of params) {
      const x = p.data;
      for (let i = 0; i < x.length; i++) x[i] -= group.lr * current[offset + i];
      offset += x.length;
    }
    this.previous.set(group, current);
  }
}
