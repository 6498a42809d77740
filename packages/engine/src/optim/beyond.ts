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
 * that keeps positive parameters positive. The step is additive in log θ (log θ ← log θ − η∇L): it
 * is mirror descent with the entropy, not gradient descent on log θ, whose gradient is θ ⊙ ∇L.
 * With `normalize`, each tensor is rescaled to keep its sum, which keeps a probability vector on
 * the simplex.
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
  /** Base learning rate; the step is lr · scale · gain. Schedules act on it as usual. */
  lr: number;
  /** Meta learning rate of the exponentiated-gradient update of the global scale. Default 0.01. */
  beta: number;
  /** Meta learning rate of the gains. Default: `beta`. */
  gainLr: number;
  /** Decay of the running average of gradients whose alignment drives the updates. Default 0.9. */
  gamma: number;
  /** One gain per coordinate ('coordinate', default) or per parameter tensor ('layer'). */
  granularity: 'coordinate' | 'layer';
  /** Momentum μ of the base direction d ← μd + g (0 = plain gradient). Default 0. */
  momentum: number;
  /** Clip every exponent to ±this, so one noisy gradient cannot blow a step size up. Default 1. */
  maxLogChange: number;
}

/**
 * Step-size adaptation with exponentiated-gradient updates, after Amid, Anil, Fifty & Warmuth
 * (2022), "Step-size Adaptation Using Exponentiated Gradient Updates".
 *
 * Our reading of the method, which is what this class implements. The update is
 * θ ← θ − lr · s · p ⊙ d, with a global step-size scale s and a gain p_i per coordinate (or one
 * per tensor with `granularity: 'layer'`), both starting at 1, and d the gradient (or its
 * momentum average). s and p are positive and change by factors, through exponentiated-gradient
 * (multiplicative) updates driven by the alignment of the current gradient g with the running
 * average v of past gradients (v ← γv + (1 − γ)g):
 *
 *   s ← s · exp(β · g·v),   p_i ← p_i · exp(β_p · g_i v_i),
 *
 * g·v being, up to the factor lr·s, minus the derivative of the loss with respect to log s (a
 * step taken along v changes the loss by −lr·s·(g·v)). When gradients keep agreeing the steps
 * grow; when they oscillate the steps shrink. The paper applies the scheme on top of other
 * optimizers (e.g. Adam's preconditioned direction) and normalises the alignment; here the base
 * is (momentum) SGD and the exponents are clipped instead.
 *
 * `scale` is the current s of the first group, `scaleHistory` its value at every step, and the
 * gains are in `state.get(p).gain`.
 *
 * @example
 * const w = tensor([1, -1], { dtype: 'float64', requiresGrad: true });
 * const opt = new optim.EGStepSize([w], { lr: 0.01, beta: 1 });
 * for (let i = 0; i < 5; i++) opt.step(() => { opt.zeroGrad(); const l = w.mul(w).sum(); l.backward(); return l; });
 * opt.scale > 1; // true
 */
export class EGStepSize extends Optimizer<EGStepSizeOptions> {
  /** The global scale s of the first group after each step. */
  scaleHistory: number[] = [];
  private scales = new Map<object, number>();

  constructor(
    params: ParamsInput<EGStepSizeOptions>,
    opts: (Partial<EGStepSizeOptions> & { lr: number } & RecordOptions) | number,
  ) {
    const options = withLr(opts);
    if (options?.lr === undefined) {
      throw new DescentError('EGStepSize: lr is required, got undefined');
    }
    const beta = options.beta ?? 0.01;
    const o = {
      beta,
      gainLr: beta,
      gamma: 0.9,
      granularity: 'coordinate' as const,
      momentum: 0,
      maxLogChange: 1,
      ...options,
    };
    if (o.granularity !== 'coordinate' && o.granularity !== 'layer') {
      throw new DescentError(
        `EGStepSize: granularity must be 'coordinate' or 'layer', got ${String(o.granularity)}`,
      );
    }
    super('EGStepSize', params, o);
  }

  /** The global step-size scale s of the first group. */
  get scale(): number {
    return this.scales.get(this.paramGroups[0]) ?? 1;
  }

  protected override updateGroup(group: ParamGroup<EGStepSizeOptions>): void {
    const clip = (v: number) => Math.max(-group.maxLogChange, Math.min(group.maxLogChange, v));
    const params = group.params.filter((p) => p.grad !== null);
    // Alignment of the current gradient with the running average, over the whole group.
    let align = 0;
    for (const p of params) {
      const v = this.state.get(p)?.avg as Float64Array | undefined;
      if (!v) continue;
      const g = p.grad!.data;
      for (let i = 0; i < g.length; i++) align += g[i] * v[i];
    }
    let s = this.scales.get(group) ?? 1;
    s *= Math.exp(clip(group.beta * align));
    this.scales.set(group, s);
    if (group === this.paramGroups[0]) this.scaleHistory.push(s);
    for (const p of params) {
      let st = this.state.get(p);
      if (!st) {
        st = {};
        this.state.set(p, st);
      }
      const g = p.grad!.data;
      const n = g.length;
      const perLayer = group.granularity === 'layer';
      const gain =
        (st.gain as Float64Array | undefined) ?? new Float64Array(perLayer ? 1 : n).fill(1);
      const avg = st.avg as Float64Array | undefined;
      if (avg) {
        if (perLayer) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += g[i] * avg[i];
          gain[0] *= Math.exp(clip(group.gainLr * dot));
        } else {
          for (let i = 0; i < n; i++) gain[i] *= Math.exp(clip(group.gainLr * g[i] * avg[i]));
        }
      }
      const v = avg ?? new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = avg ? group.gamma * v[i] + (1 - group.gamma) * g[i] : g[i];
      const d = (st.direction as Float64Array | undefined) ?? new Float64Array(n);
      for (let i = 0; i < n; i++) d[i] = group.momentum > 0 ? group.momentum * d[i] + g[i] : g[i];
      st.gain = gain;
      st.avg = v;
      st.direction = d;
      const x = p.data;
      for (let i = 0; i < n; i++) x[i] -= group.lr * s * (perLayer ? gain[0] : gain[i]) * d[i];
    }
  }

  /** The mean effective step size lr · s · gain over all parameters (a number to plot). */
  meanStepSize(): number {
    let total = 0;
    let count = 0;
    for (const group of this.paramGroups) {
      const step = group.lr * (this.scales.get(group) ?? 1);
      for (const p of group.params) {
        const gain = this.state.get(p)?.gain as Float64Array | undefined;
        const size = p.data.length;
        let gains = size;
        if (gain && gain.length === 1) gains = gain[0] * size;
        else if (gain) gains = gain.reduce((a, b) => a + b, 0);
        total += step * gains;
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
