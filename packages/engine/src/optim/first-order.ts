/**
 * The first-order optimizers of `torch.optim`, step for step: SGD (momentum, dampening,
 * Nesterov, weight decay), Adagrad, RMSprop (momentum, centered), Adadelta, Adam (AMSGrad) and
 * AdamW. Same defaults, same update order, same place for epsilon.
 *
 * NOTE: the arithmetic runs in float64 and rounds to the parameter's dtype when stored, where
 * PyTorch rounds every intermediate to float32; on float32 parameters results agree to about
 * 1e-7 relative per step.
 */
import type { Tensor } from '../tensor.ts';
import type { FloatArray } from '../dtype.ts';
import { DescentError } from '../errors.ts';
import {
  Optimizer,
  withLr,
  buffer,
  type ParamGroup,
  type ParamsInput,
  type RecordOptions,
} from './optimizer.ts';

type State = Record<string, FloatArray | number>;

function checkNonNegative(name: string, what: string, v: number): void {
  if (!(v >= 0)) throw new DescentError(`${name}: ${what} must be >= 0, got ${v}`);
}

function checkUnit(name: string, what: string, v: number): void {
  if (!(v >= 0 && v < 1)) throw new DescentError(`${name}: ${what} must be in [0, 1), got ${v}`);
}

/** The gradient with L2 weight decay added (g + λθ), into `out`; `g` when λ = 0. */
function decayed(p: Tensor, g: FloatArray, weightDecay: number, maximize: boolean): FloatArray {
  if (weightDecay === 0 && !maximize) return g;
  const out = new Float64Array(g.length);
  const sign = maximize ? -1 : 1;
  for (let i = 0; i < g.length; i++) out[i] = sign * g[i] + weightDecay * p.data[i];
  return out;
}

// ---------------------------------------------------------------------------------------------

/** Hyperparameters of {@link SGD}. */
export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/**
 * Stochastic gradient descent, `torch.optim.SGD`: with g = ∇L + λθ,
 * b ← g on the first step, then b ← μb + (1 − dampening)g; the step uses g + μb (Nesterov) or b,
 * and θ ← θ − η·step. Without momentum it is θ ← θ − ηg.
 *
 * NOTE: this is PyTorch's form of momentum, where the learning rate multiplies the buffer
 * (θ ← θ − η b). The source writes m ← μm + ηg, θ ← θ − m; the two agree while η is constant.
 * Nesterov here is PyTorch's reformulation (gradient at the current point, step g + μb), which
 * equals "gradient at the look-ahead point θ − ημb" up to a change of variables.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad();
 * w.mul(w).sum().backward();
 * opt.step();
 * w.toArray(); // [0.8, 1.6]
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(
    params: ParamsInput<SGDOptions>,
    opts: (Partial<SGDOptions> & { lr: number } & RecordOptions) | number,
  ) {
    const options = withLr(opts);
    if (options?.lr === undefined) throw new DescentError('SGD: lr is required, got undefined');
    const o = {
      momentum: 0,
      dampening: 0,
      weightDecay: 0,
      nesterov: false,
      maximize: false,
      ...options,
    };
    checkNonNegative('SGD', 'momentum', o.momentum);
    checkNonNegative('SGD', 'weightDecay', o.weightDecay);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new DescentError(
        `SGD: Nesterov momentum requires a momentum > 0 and zero dampening, got momentum ${o.momentum}, dampening ${o.dampening}`,
      );
    }
    super('SGD', params, o);
  }

  protected override updateParam(p: Tensor, grad: FloatArray, g: ParamGroup<SGDOptions>, s: State) {
    const { lr, momentum, dampening, nesterov } = g;
    const d = decayed(p, grad, g.weightDecay, g.maximize);
    const x = p.data;
    if (momentum === 0) {
      for (let i = 0; i < x.length; i++) x[i] -= lr * d[i];
      return;
    }
    const first = s.momentumBuffer === undefined;
    const b = buffer(s, 'momentumBuffer', p);
    for (let i = 0; i < x.length; i++) {
      // NOTE: torch initialises the buffer to the first gradient itself (no dampening).
      b[i] = first ? d[i] : momentum * b[i] + (1 - dampening) * d[i];
      const step = nesterov ? d[i] + momentum * b[i] : b[i];
      x[i] -= lr * step;
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** Hyperparameters of {@link Adagrad}. */
export interface AdagradOptions {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

/**
 * Adagrad, `torch.optim.Adagrad`: G ← G + g⊙g, θ ← θ − η_t · g / (√G + ε), with
 * η_t = η / (1 + (t − 1)·lrDecay).
 *
 * NOTE: ε is added outside the square root, as in PyTorch (default 1e-10); the source's
 * √(G + ε) with ε ≈ 1e-5 is the other common convention and differs only while G is tiny.
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(
    params: ParamsInput<AdagradOptions>,
    opts: (Partial<AdagradOptions> & RecordOptions) | number = {},
  ) {
    const options = withLr(opts);
    const o = {
      lr: 1e-2,
      lrDecay: 0,
      weightDecay: 0,
      initialAccumulatorValue: 0,
      eps: 1e-10,
      maximize: false,
      ...options,
    };
    checkNonNegative('Adagrad', 'lrDecay', o.lrDecay);
    checkNonNegative('Adagrad', 'initialAccumulatorValue', o.initialAccumulatorValue);
    checkNonNegative('Adagrad', 'eps', o.eps);
    super('Adagrad', params, o);
  }

  protected override updateParam(
    p: Tensor,
    grad: FloatArray,
    g: ParamGroup<AdagradOptions>,
    s: State,
  ) {
    const sum = buffer(s, 'sum', p, g.initialAccumulatorValue);
    const t = ((s.step as number | undefined) ?? 0) + 1;
    s.step = t;
    const d = decayed(p, grad, g.weightDecay, g.maximize);
    const clr = g.lr / (1 + (t - 1) * g.lrDecay);
    const x = p.data;
    for (let i = 0; i < x.length; i++) {
      sum[i] += d[i] * d[i];
      x[i] -= (clr * d[i]) / (Math.sqrt(sum[i]) + g.eps);
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** Hyperparameters of {@link RMSprop}. */
export interface RMSpropOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

/**
 * RMSprop, `torch.optim.RMSprop`: v ← αv + (1 − α)g⊙g, θ ← θ − η g / (√v + ε); `centered`
 * subtracts the squared running mean of g under the root; `momentum` keeps a buffer
 * b ← μb + g/(√v + ε) and steps by ηb.
 *
 * NOTE: PyTorch calls the decay `alpha` (the source and Hinton's slides call it ρ) and puts ε
 * outside the root.
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(
    params: ParamsInput<RMSpropOptions>,
    opts: (Partial<RMSpropOptions> & RecordOptions) | number = {},
  ) {
    const options = withLr(opts);
    const o = {
      lr: 1e-2,
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
      maximize: false,
      ...options,
    };
    checkNonNegative('RMSprop', 'alpha', o.alpha);
    checkNonNegative('RMSprop', 'eps', o.eps);
    checkNonNegative('RMSprop', 'momentum', o.momentum);
    super('RMSprop', params, o);
  }

  protected override updateParam(
    p: Tensor,
    grad: FloatArray,
    g: ParamGroup<RMSpropOptions>,
    s: State,
  ) {
    const { lr, alpha, eps, momentum, centered } = g;
    s.step = ((s.step as number | undefined) ?? 0) + 1;
    const d = decayed(p, grad, g.weightDecay, g.maximize);
    const v = buffer(s, 'squareAvg', p);
    const m = centered ? buffer(s, 'gradAvg', p) : null;
    const b = momentum > 0 ? buffer(s, 'momentumBuffer', p) : null;
    const x = p.data;
    for (let i = 0; i < x.length; i++) {
      v[i] = alpha * v[i] + (1 - alpha) * d[i] * d[i];
      let avg: number;
      if (m) {
        m[i] = m[i] + (1 - alpha) * (d[i] - m[i]);
        avg = Math.sqrt(v[i] - m[i] * m[i]) + eps;
      } else {
        avg = Math.sqrt(v[i]) + eps;
      }
      if (b) {
        b[i] = momentum * b[i] + d[i] / avg;
        x[i] -= lr * b[i];
      } else {
        x[i] -= (lr * d[i]) / avg;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** Hyperparameters of {@link Adadelta}. */
export interface AdadeltaOptions {
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

/**
 * Adadelta (Zeiler 2012), `torch.optim.Adadelta`: v ← ρv + (1 − ρ)g⊙g,
 * Δ = √(u + ε) / √(v + ε) · g, u ← ρu + (1 − ρ)Δ⊙Δ, θ ← θ − ηΔ. The ratio RMS[Δθ]/RMS[g] has the
 * units of θ, which is why Zeiler needs no learning rate: PyTorch keeps `lr` (default 1.0) as an
 * extra factor.
 *
 * NOTE: here ε sits inside both square roots (unlike Adam and RMSprop); with u = 0 at the start,
 * √ε = 1e-3 sets the size of the first steps.
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(
    params: ParamsInput<AdadeltaOptions>,
    opts: (Partial<AdadeltaOptions> & RecordOptions) | number = {},
  ) {
    const options = withLr(opts);
    const o = { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false, ...options };
    if (!(o.rho >= 0 && o.rho <= 1)) {
      throw new DescentError(`Adadelta: rho must be in [0, 1], got ${o.rho}`);
    }
    checkNonNegative('Adadelta', 'eps', o.eps);
    super('Adadelta', params, o);
  }

  protected override updateParam(
    p: Tensor,
    grad: FloatArray,
    g: ParamGroup<AdadeltaOptions>,
    s: State,
  ) {
    const { lr, rho, eps } = g;
    s.step = ((s.step as number | undefined) ?? 0) + 1;
    const d = decayed(p, grad, g.weightDecay, g.maximize);
    const v = buffer(s, 'squareAvg', p);
    const u = buffer(s, 'accDelta', p);
    const x = p.data;
    for (let i = 0; i < x.length; i++) {
      v[i] = rho * v[i] + (1 - rho) * d[i] * d[i];
      const delta = (Math.sqrt(u[i] + eps) / Math.sqrt(v[i] + eps)) * d[i];
      u[i] = rho * u[i] + (1 - rho) * delta * delta;
      x[i] -= lr * delta;
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** Hyperparameters of {@link Adam} and {@link AdamW}. */
export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

function adamUpdate(p: Tensor, d: FloatArray, g: ParamGroup<AdamOptions>, s: State): void {
  const { lr, eps, amsgrad } = g;
  const [beta1, beta2] = g.betas;
  const t = ((s.step as number | undefined) ?? 0) + 1;
  s.step = t;
  const m = buffer(s, 'expAvg', p);
  const v = buffer(s, 'expAvgSq', p);
  const vMax = amsgrad ? buffer(s, 'maxExpAvgSq', p) : null;
  // NOTE: bias correction as in PyTorch: step size η/(1 − β1^t), denominator
  // √v/√(1 − β2^t) + ε, so ε is added after the correction, outside the root.
  const bc1 = 1 - beta1 ** t;
  const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
  const stepSize = lr / bc1;
  const x = p.data;
  for (let i = 0; i < x.length; i++) {
    m[i] = m[i] + (1 - beta1) * (d[i] - m[i]);
    v[i] = beta2 * v[i] + (1 - beta2) * d[i] * d[i];
    let vHat = v[i];
    if (vMax) {
      vMax[i] = Math.max(vMax[i], v[i]);
      vHat = vMax[i];
    }
    const denom = Math.sqrt(vHat) / bc2Sqrt + eps;
    x[i] -= (stepSize * m[i]) / denom;
  }
}

function adamDefaults(name: string, options: Partial<AdamOptions>, weightDecay: number) {
  const o = {
    lr: 1e-3,
    betas: [0.9, 0.999] as [number, number],
    eps: 1e-8,
    weightDecay,
    amsgrad: false,
    maximize: false,
    ...options,
  };
  if (!Array.isArray(o.betas) || o.betas.length !== 2) {
    throw new DescentError(`${name}: betas must be [beta1, beta2], got ${JSON.stringify(o.betas)}`);
  }
  checkUnit(name, 'betas[0]', o.betas[0]);
  checkUnit(name, 'betas[1]', o.betas[1]);
  checkNonNegative(name, 'eps', o.eps);
  checkNonNegative(name, 'weightDecay', o.weightDecay);
  return o;
}

/**
 * Adam (Kingma & Ba 2015), `torch.optim.Adam`: m ← β1 m + (1 − β1)g, v ← β2 v + (1 − β2)g⊙g,
 * θ ← θ − η/(1 − β1^t) · m / (√v/√(1 − β2^t) + ε). `weightDecay` adds λθ to the gradient (L2
 * regularisation, not AdamW's decoupled decay); `amsgrad` uses the running maximum of v.
 *
 * @example
 * const w = tensor([1, -1], { requiresGrad: true });
 * const opt = new optim.Adam([w], { lr: 0.1 });
 * w.mul(w).sum().backward();
 * opt.step();
 * w.toArray(); // [0.9, -0.9]
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(
    params: ParamsInput<AdamOptions>,
    opts: (Partial<AdamOptions> & RecordOptions) | number = {},
  ) {
    const options = withLr(opts);
    super('Adam', params, adamDefaults('Adam', options, 0));
  }

  protected override updateParam(
    p: Tensor,
    grad: FloatArray,
    g: ParamGroup<AdamOptions>,
    s: State,
  ) {
    adamUpdate(p, decayed(p, grad, g.weightDecay, g.maximize), g, s);
  }
}

/**
 * AdamW (Loshchilov & Hutter 2019), `torch.optim.AdamW`: decoupled weight decay
 * θ ← θ(1 − ηλ) first, then the Adam step on the raw gradient. Default λ = 1e-2.
 */
export class AdamW extends Optimizer<AdamOptions> {
  constructor(
    params: ParamsInput<AdamOptions>,
    opts: (Partial<AdamOptions> & RecordOptions) | number = {},
  ) {
    const options = withLr(opts);
    super('AdamW', params, adamDefaults('AdamW', options, 1e-2));
  }

  protected override updateParam(
    p: Tensor,
    grad: FloatArray,
    g: ParamGroup<AdamOptions>,
    s: State,
  ) {
    const x = p.data;
    const shrink = 1 - g.lr * g.weightDecay;
    if (shrink !== 1) for (let i = 0; i < x.length; i++) x[i] *= shrink;
    adamUpdate(p, decayed(p, grad, 0, g.maximize), g, s);
  }
}
