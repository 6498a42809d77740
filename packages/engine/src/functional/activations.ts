/**
 * Activation functions, like `torch.nn.functional`. Each is a composition of the engine's
 * primitive ops, so gradients (and gradients of gradients) come from autograd; the values and
 * the derivatives at kinks match PyTorch's (checked against PyTorch in test/golden/).
 */
import { ShapeError } from '../errors.ts';
import { normalizeAxis } from '../shape.ts';
import { Tensor } from '../tensor.ts';
import { normalCdf } from './special.ts';

// The special functions GELU is built on, for readers who want Φ or erf themselves.
export { erf, erfc, normalCdf } from './special.ts';

/**
 * The logistic sigmoid 1/(1 + e^(−x)), elementwise.
 *
 * @example
 * F.sigmoid(tensor([0])).item(); // 0.5
 */
export function sigmoid(x: Tensor): Tensor {
  checkTensor('sigmoid', x);
  return x.sigmoid();
}

/**
 * The hyperbolic tangent, elementwise.
 *
 * @example
 * F.tanh(tensor([0])).item(); // 0
 */
export function tanh(x: Tensor): Tensor {
  checkTensor('tanh', x);
  return x.tanh();
}

/**
 * max(x, 0), elementwise.
 *
 * @example
 * F.relu(tensor([-1, 2])).toArray(); // [0, 2]
 */
// NOTE: the derivative at exactly 0 is 0, like PyTorch (the engine's relu primitive does this).
export function relu(x: Tensor): Tensor {
  checkTensor('relu', x);
  return x.relu();
}

/**
 * x for x > 0, negativeSlope·x otherwise (negativeSlope defaults to 0.01, like PyTorch). The
 * slope may also be given as `{ negativeSlope }`.
 *
 * @example
 * F.leakyRelu(tensor([-2, 3]), 0.1).toArray(); // [-0.2, 3]
 */
// NOTE: at exactly 0 the derivative is negativeSlope, like PyTorch (0 takes the x ≤ 0 branch).
export function leakyRelu(x: Tensor, slope: number | { negativeSlope?: number } = 0.01): Tensor {
  checkTensor('leakyRelu', x);
  const negativeSlope = typeof slope === 'object' ? (slope.negativeSlope ?? 0.01) : slope;
  checkNumber('leakyRelu', 'negativeSlope', negativeSlope);
  return x.where(x.gt(0), x.mul(negativeSlope));
}

/**
 * Exponential linear unit: x for x > 0, α(eˣ − 1) otherwise (α defaults to 1; also accepted
 * as `{ alpha }`).
 *
 * @example
 * F.elu(tensor([-1, 1])).toArray(); // [-0.6321…, 1]
 */
// NOTE: at exactly 0 the derivative is α (the x ≤ 0 branch), like PyTorch. The negative branch
// sees x only where x ≤ 0 (0 elsewhere), so eˣ cannot overflow, or turn NaN, in the branch
// `where` throws away (that would make its zero gradient 0·∞ = NaN).
export function elu(x: Tensor, options: number | { alpha?: number } = 1): Tensor {
  checkTensor('elu', x);
  const alpha = typeof options === 'object' ? (options.alpha ?? 1) : options;
  checkNumber('elu', 'alpha', alpha);
  const nonPositive = x.le(0);
  const negative = x.where(nonPositive, 0).exp().sub(1).mul(alpha);
  // "x ≤ 0 ? negative : x", so NaN takes the identity branch (gradient 1), as in PyTorch.
  return negative.where(nonPositive, x);
}

/**
 * Softplus log(1 + e^(βx))/β, a smooth relu. Like PyTorch, it is exactly x where βx > threshold
 * (there the two agree to better than e^(−threshold)). Defaults β = 1, threshold = 20; both
 * may also be given as `{ beta, threshold }`.
 *
 * @example
 * F.softplus(tensor([0])).item(); // 0.6931… (log 2)
 */
export function softplus(
  x: Tensor,
  betaOrOptions: number | { beta?: number; threshold?: number } = 1,
  thresholdArg = 20,
): Tensor {
  checkTensor('softplus', x);
  const fromObject = typeof betaOrOptions === 'object';
  const beta = fromObject ? (betaOrOptions.beta ?? 1) : betaOrOptions;
  const threshold = fromObject ? (betaOrOptions.threshold ?? 20) : thresholdArg;
  checkNumber('softplus', 'beta', beta);
  checkNumber('softplus', 'threshold', threshold);
  const z = beta === 1 ? x : x.mul(beta);
  // NOTE: log(1 + e^z) on min(z, threshold) so the discarded branch cannot overflow. PyTorch
  // uses log1p, which keeps full relative accuracy for very negative z (where softplus is
  // about e^z); here those tiny values carry an absolute error below 1e-16.
  let smooth = z.clamp(null, threshold).exp().add(1).log();
  if (beta !== 1) smooth = smooth.div(beta);
  return x.where(z.gt(threshold), smooth);
}

/** Options of {@link gelu}. */
export interface GeluOptions {
  /** 'none' (default): x·Φ(x) with the exact normal CDF; 'tanh': the tanh approximation. */
  approximate?: 'none' | 'tanh';
}

const SQRT_2_OVER_PI = 0.7978845608028654; // √(2/π)

/**
 * Gaussian error linear unit x·Φ(x), where Φ is the standard normal CDF; with
 * `{ approximate: 'tanh' }` (or just `'tanh'`), ½x(1 + tanh(√(2/π)(x + 0.044715x³))) like
 * PyTorch.
 *
 * @example
 * F.gelu(tensor([1])).item(); // 0.8413…
 * F.gelu(tensor([1]), { approximate: 'tanh' }).item(); // 0.8411…
 */
export function gelu(x: Tensor, options: GeluOptions | 'none' | 'tanh' = {}): Tensor {
  checkTensor('gelu', x);
  const approximate = typeof options === 'string' ? options : (options.approximate ?? 'none');
  if (approximate === 'tanh') {
    const inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(SQRT_2_OVER_PI);
    return x.mul(0.5).mul(inner.tanh().add(1));
  }
  if (approximate !== 'none') {
    throw new TypeError(`gelu: approximate must be 'none' or 'tanh', got ${String(approximate)}`);
  }
  // NOTE: Φ(x) = ½·erfc(−x/√2) rather than PyTorch's ½(1 + erf(x/√2)): equal in value, but
  // without the cancellation in 1 + erf for very negative x. At x = ±∞ the gradient here is
  // the limit (1 or 0), where PyTorch's Φ(x) + x·φ(x) gives 0·∞ = NaN.
  return x.mul(normalCdf(x));
}

/** An axis: a number, or `{ axis }` (`{ dim }`, PyTorch's name, works too). */
export type AxisArg = number | { axis?: number; dim?: number };

function axisOf(arg: AxisArg): number {
  return typeof arg === 'object' && arg !== null ? (arg.axis ?? arg.dim ?? -1) : arg;
}

/**
 * Softmax along `axis` (default the last): e^(x_i) / Σ_j e^(x_j).
 *
 * @example
 * F.softmax(tensor([0, 0])).toArray(); // [0.5, 0.5]
 */
export function softmax(x: Tensor, axisOrOptions: AxisArg = -1): Tensor {
  checkTensor('softmax', x);
  const axis = axisOf(axisOrOptions);
  const e = shiftedByMax(x, axis, 'softmax').exp();
  return e.div(e.sum(axis, true));
}

/**
 * log(softmax(x)) along `axis` (default the last), computed as x − logsumexp(x) so that it is
 * finite even where softmax underflows to 0.
 *
 * @example
 * F.logSoftmax(tensor([0, 0])).toArray(); // [-0.693…, -0.693…]
 */
export function logSoftmax(x: Tensor, axisOrOptions: AxisArg = -1): Tensor {
  checkTensor('logSoftmax', x);
  const axis = axisOf(axisOrOptions);
  const shifted = shiftedByMax(x, axis, 'logSoftmax');
  return shifted.sub(shifted.exp().sum(axis, true).log());
}

// NOTE: the log-sum-exp shift. Subtracting the row maximum m leaves softmax unchanged and keeps
// e^(x − m) ≤ 1, so logits like 1000 do not overflow. m is detached: the result does not depend
// on m mathematically, so its gradient would be zero anyway (and a max has kinks at ties).
function shiftedByMax(x: Tensor, axis: number, op: string): Tensor {
  if (x.shape.length === 0) {
    throw new ShapeError(`${op}: input must have at least one axis, got a 0-d tensor`);
  }
  normalizeAxis(axis, x.shape.length, op);
  return x.sub(x.max(axis, true).detach());
}

function checkTensor(op: string, x: unknown): void {
  if (!(x instanceof Tensor)) {
    const got = Array.isArray(x) ? 'an array (wrap it with tensor(...))' : typeof x;
    throw new TypeError(`${op}: input must be a Tensor, got ${got}`);
  }
}

function checkNumber(op: string, name: string, value: unknown): void {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${op}: ${name} must be a number, got ${String(value)}`);
  }
}
