/**
 * Loss functions, like `torch.nn.functional`: same definitions, same defaults (`reduction:
 * 'mean'`), same handling of `weight`, `ignoreIndex` and `labelSmoothing`. They are
 * compositions of the engine's ops, so their gradients come from autograd. Values and
 * gradients are checked against PyTorch in test/golden/functional.test.ts.
 *
 * Options go in an object (`{ reduction, weight, … }`); PyTorch's common positional forms work
 * too: a reduction name (`F.mseLoss(p, t, 'sum')`), a class-weight tensor
 * (`F.crossEntropy(x, t, weight)`) and `F.huberLoss(p, t, 'mean', delta)`.
 *
 * One deliberate difference: prediction and target must have the same shape. PyTorch
 * broadcasts them with a warning, which almost always hides a bug (a [N, 1] prediction
 * against a [N] target gives an [N, N] loss).
 */
import { allocate } from '../dtype.ts';
import { DescentError, ShapeError } from '../errors.ts';
import { broadcastShapes, formatShape, shapesEqual, sizeOf } from '../shape.ts';
import { Tensor } from '../tensor.ts';
import { logSoftmax } from './activations.ts';

/** How the per-element losses are combined: averaged (default), summed, or returned as is. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options shared by every loss. */
export interface LossOptions {
  /** 'mean' (default), 'sum' or 'none' (one loss per element), like PyTorch. */
  reduction?: Reduction;
}

/**
 * Mean squared error: mean((pred − target)²).
 *
 * @example
 * F.mseLoss(tensor([1, 2]), tensor([1, 4])).item(); // 2
 */
export function mseLoss(pred: Tensor, target: Tensor, opts: LossOptions | Reduction = {}): Tensor {
  const options = optionsOf(opts);
  checkSameShape('mseLoss', pred, target);
  const d = pred.sub(target);
  return reduce(d.mul(d), options.reduction, 'mseLoss');
}

/**
 * Mean absolute error: mean(|pred − target|).
 *
 * @example
 * F.l1Loss(tensor([1, 2]), tensor([1, 4])).item(); // 1
 */
// NOTE: where pred equals target the derivative is 0 (sign(0) = 0), like PyTorch.
export function l1Loss(pred: Tensor, target: Tensor, opts: LossOptions | Reduction = {}): Tensor {
  const options = optionsOf(opts);
  checkSameShape('l1Loss', pred, target);
  return reduce(pred.sub(target).abs(), options.reduction, 'l1Loss');
}

/** Options of {@link huberLoss}. */
export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

/**
 * Huber loss: ½d² for |d| < δ, δ(|d| − ½δ) beyond, with d = pred − target.
 *
 * @example
 * F.huberLoss(tensor([0, 3]), tensor([0, 0])).item(); // 1.25
 */
export function huberLoss(
  pred: Tensor,
  target: Tensor,
  opts: HuberOptions | Reduction = {},
  deltaArg?: number,
): Tensor {
  const options = optionsOf(opts);
  const delta = options.delta ?? deltaArg ?? 1;
  checkSameShape('huberLoss', pred, target);
  if (!(delta > 0)) throw new DescentError(`huberLoss: delta must be positive, got ${delta}`);
  const d = pred.sub(target);
  const a = d.abs();
  const loss = d
    .mul(d)
    .mul(0.5)
    .where(a.lt(delta), a.sub(0.5 * delta).mul(delta));
  return reduce(loss, options.reduction, 'huberLoss');
}

/** Options of {@link smoothL1Loss}. */
export interface SmoothL1Options extends LossOptions {
  /** Width of the quadratic zone (default 1); 0 gives the L1 loss. */
  beta?: number;
}

/**
 * Smooth L1 loss: ½d²/β for |d| < β, |d| − ½β beyond (Huber divided by β).
 *
 * @example
 * F.smoothL1Loss(tensor([0, 3]), tensor([0, 0])).item(); // 1.25
 */
export function smoothL1Loss(
  pred: Tensor,
  target: Tensor,
  opts: SmoothL1Options | Reduction = {},
): Tensor {
  const options = optionsOf(opts);
  const beta = options.beta ?? 1;
  checkSameShape('smoothL1Loss', pred, target);
  if (!(beta >= 0)) throw new DescentError(`smoothL1Loss: beta must be >= 0, got ${beta}`);
  // NOTE: beta = 0 is the L1 loss, as in PyTorch (the quadratic zone would divide by 0).
  if (beta === 0) return l1Loss(pred, target, options);
  const d = pred.sub(target);
  const a = d.abs();
  const loss = d
    .mul(d)
    .mul(0.5 / beta)
    .where(a.lt(beta), a.sub(0.5 * beta));
  return reduce(loss, options.reduction, 'smoothL1Loss');
}

/** Options of {@link bceLoss}. */
export interface BceOptions extends LossOptions {
  /** Rescales each element's loss; broadcasts against the input. */
  weight?: Tensor;
}

/**
 * Binary cross-entropy of probabilities p ∈ [0, 1]: −(y·log p + (1 − y)·log(1 − p)).
 *
 * @example
 * F.bceLoss(tensor([0.5]), tensor([1])).item(); // 0.6931…
 */
// NOTE: like PyTorch, each log is clamped at −100, so p = 0 or 1 gives a finite loss. The
// gradient there differs: PyTorch's hand-written backward gives (p − y)/max(p(1 − p), 1e-12);
// here a clamped log passes no gradient. Use bceWithLogitsLoss on logits to avoid the issue.
export function bceLoss(
  prob: Tensor,
  target: Tensor,
  opts: BceOptions | Reduction | Tensor = {},
): Tensor {
  const options = optionsOf<BceOptions>(opts);
  checkSameShape('bceLoss', prob, target, 'input');
  const p = prob.data;
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0 && p[i] <= 1)) {
      throw new DescentError(
        `bceLoss: every input must be a probability in [0, 1], got ${p[i]} at index ${i} (for logits use bceWithLogitsLoss)`,
      );
    }
  }
  const logP = clampedLog(prob);
  const logNotP = clampedLog(prob.neg().add(1));
  let loss = target.mul(logP).add(target.neg().add(1).mul(logNotP)).neg();
  if (options.weight) loss = loss.mul(checkWeight('bceLoss', 'weight', options.weight, loss));
  return reduce(loss, options.reduction, 'bceLoss');
}

// The smallest float32 subnormal is 1.4e-45; log(1e-44) ≈ −101 is then clamped to −100.
// Clamping p first keeps log away from −∞, whose gradient would be 0·∞ = NaN.
function clampedLog(p: Tensor): Tensor {
  return p.clamp(1e-44, null).log().clamp(-100, null);
}

/** Options of {@link bceWithLogitsLoss}. */
export interface BceWithLogitsOptions extends LossOptions {
  /** Rescales each element's loss; broadcasts against the input. */
  weight?: Tensor;
  /** Weight of the positive term, one per class (broadcast along the last axis). */
  posWeight?: Tensor;
}

/**
 * Binary cross-entropy on logits x, i.e. bceLoss(sigmoid(x), y), computed stably:
 * (1 − y)·x + softplus(−x), which equals max(x, 0) − x·y + log(1 + e^(−|x|)).
 * With posWeight w: (1 − y)·x + (1 + (w − 1)·y)·softplus(−x), like PyTorch.
 *
 * @example
 * F.bceWithLogitsLoss(tensor([0]), tensor([1])).item(); // 0.6931…
 */
// NOTE: the max(x, 0) − x·y + log(1 + e^(−|x|)) form has kinks at x = 0 in its pieces, and
// the engine's relu and abs take derivative 0 there, which would give −y at x = 0 instead of
// σ(0) − y = ½ − y. softplus(t) = log(1 + e^t) is smooth; it is evaluated as t for t > 30
// (where they agree to 1e-13) so e^t cannot overflow.
export function bceWithLogitsLoss(
  logits: Tensor,
  target: Tensor,
  opts: BceWithLogitsOptions | Reduction | Tensor = {},
): Tensor {
  const options = optionsOf<BceWithLogitsOptions>(opts);
  checkSameShape('bceWithLogitsLoss', logits, target, 'input');
  const softplusNeg = stableSoftplus(logits.neg());
  const notTarget = target.neg().add(1);
  let loss: Tensor;
  if (options.posWeight) {
    const pw = checkWeight('bceWithLogitsLoss', 'posWeight', options.posWeight, logits);
    loss = notTarget.mul(logits).add(pw.sub(1).mul(target).add(1).mul(softplusNeg));
  } else {
    loss = notTarget.mul(logits).add(softplusNeg);
  }
  if (options.weight) {
    loss = loss.mul(checkWeight('bceWithLogitsLoss', 'weight', options.weight, loss));
  }
  return reduce(loss, options.reduction, 'bceWithLogitsLoss');
}

function stableSoftplus(t: Tensor): Tensor {
  return t.where(t.gt(30), t.clamp(null, 30).exp().add(1).log());
}

/** Class targets: indices (numbers, arrays of them, or an index tensor) or a probability tensor. */
export type ClassTarget = Tensor | number | number[] | number[][];

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions extends LossOptions {
  /** One weight per class, [C]. With index targets, 'mean' divides by the summed weights. */
  weight?: Tensor;
  /** Index targets equal to this are skipped (default −100, like PyTorch). */
  ignoreIndex?: number;
  /** Mixes the target with the uniform distribution: (1 − ε)·target + ε/C (default 0). */
  labelSmoothing?: number;
}

/**
 * Cross-entropy between logits and classes: −log softmax(x)[target], averaged over the batch.
 *
 * `logits` is [N, C] (also [C] with a single target, or [N, C, d1, …] with targets
 * [N, d1, …]). The target is either class indices (numbers, or a tensor of integer values)
 * or class probabilities (a tensor shaped like `logits`).
 *
 * @example
 * F.crossEntropy(tensor([[0, 0]]), [1]).item(); // 0.6931… (log 2)
 */
export function crossEntropy(
  logits: Tensor,
  target: ClassTarget,
  opts: CrossEntropyOptions | Reduction | Tensor = {},
): Tensor {
  const options = optionsOf<CrossEntropyOptions>(opts);
  const op = 'crossEntropy';
  const { rows, classes } = classesLast(logits, op);
  const logProbs = logSoftmax(rows, 1);
  const smoothing = options.labelSmoothing ?? 0;
  if (!(smoothing >= 0 && smoothing <= 1)) {
    throw new DescentError(`${op}: labelSmoothing must be in [0, 1], got ${smoothing}`);
  }
  if (target instanceof Tensor && shapesEqual(target.shape, logits.shape) && logits.ndim > 0) {
    return probabilityLoss(logProbs, target, logits, classes, smoothing, options, op);
  }
  return indexLoss(logProbs, target, logits, classes, smoothing, options, op);
}

/** Options of {@link nllLoss}. */
export interface NllOptions extends LossOptions {
  /** One weight per class, [C]; 'mean' divides by the summed weights of the targets. */
  weight?: Tensor;
  /** Targets equal to this are skipped (default −100, like PyTorch). */
  ignoreIndex?: number;
}

/**
 * Negative log-likelihood of log-probabilities (e.g. from logSoftmax): −logProbs[target].
 * Shapes as in {@link crossEntropy}, with index targets only.
 *
 * @example
 * F.nllLoss(tensor([[-1, -2]]), [1]).item(); // 2
 */
export function nllLoss(
  logProbs: Tensor,
  target: ClassTarget,
  opts: NllOptions | Reduction | Tensor = {},
): Tensor {
  const options = optionsOf<NllOptions>(opts);
  const { rows, classes } = classesLast(logProbs, 'nllLoss');
  return indexLoss(rows, target, logProbs, classes, 0, options, 'nllLoss');
}

/** [N, C, d1, …] → [N·d1·…, C] (classes last, one row per prediction); [C] → [1, C]. */
function classesLast(x: Tensor, op: string): { rows: Tensor; classes: number } {
  if (!(x instanceof Tensor)) {
    throw new TypeError(`${op}: input must be a Tensor of shape [N, C] or [C], got ${typeof x}`);
  }
  if (x.ndim === 0) {
    throw new ShapeError(`${op}: input must be [C], [N, C] or [N, C, d1, ...], got a 0-d tensor`);
  }
  if (x.ndim === 1) return { rows: x.reshape([1, x.shape[0]]), classes: x.shape[0] };
  const classes = x.shape[1];
  if (x.ndim === 2) return { rows: x, classes };
  const order = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2), 1];
  return { rows: x.permute(order).reshape([-1, classes]), classes };
}

/** The shape of one loss per prediction: the input's shape without the class axis. */
function perRowShape(x: Tensor): number[] {
  return x.ndim === 1 ? [] : [x.shape[0], ...x.shape.slice(2)];
}

function indexLoss(
  logProbs: Tensor,
  target: ClassTarget,
  input: Tensor,
  classes: number,
  smoothing: number,
  options: CrossEntropyOptions,
  op: string,
): Tensor {
  const ignoreIndex = options.ignoreIndex ?? -100;
  const rowShape = perRowShape(input);
  const { values, shape } = flattenTarget(target, op);
  if (!shapesEqual(shape, rowShape)) {
    const expected = input.ndim === 1 ? 'a single index' : formatShape(rowShape);
    throw new ShapeError(
      `${op}: input ${formatShape(input.shape)} needs target ${expected} of class indices (or probabilities shaped like the input), got ${formatShape(shape)}`,
    );
  }
  const weight = options.weight ? classWeights(options.weight, classes, op) : null;
  const m = values.length;
  const dtype = logProbs.dtype;
  // Per-row weight w[target] (0 for ignored rows), and the target as a gather index.
  const rowWeight = allocate(dtype, m);
  const index = allocate(dtype, m);
  let weightSum = 0;
  for (let i = 0; i < m; i++) {
    const t = values[i];
    if (t === ignoreIndex) continue;
    if (!Number.isInteger(t) || t < 0 || t >= classes) {
      throw new DescentError(
        `${op}: target ${t} at position ${i} is not a class index in 0..${classes - 1} (nor ignoreIndex ${ignoreIndex})`,
      );
    }
    index[i] = t;
    rowWeight[i] = weight ? weight[t] : 1;
    weightSum += rowWeight[i];
  }
  const w = new Tensor(rowWeight, [m], dtype);
  const picked = logProbs.gather(1, new Tensor(index, [m, 1], dtype)).reshape([m]);
  let loss = picked.mul(w).neg();
  if (smoothing > 0) {
    // Label smoothing: the uniform part costs −Σ_c w_c·log p_c per row (w_c = 1 without
    // weights), with ignored rows dropped, as in PyTorch.
    const classW = allocate(dtype, classes).fill(1);
    if (weight) classW.set(weight);
    const keep = allocate(dtype, m);
    for (let i = 0; i < m; i++) keep[i] = values[i] === ignoreIndex ? 0 : 1;
    const uniform = logProbs
      .mul(new Tensor(classW, [1, classes], dtype))
      .sum(1)
      .mul(new Tensor(keep, [m], dtype))
      .neg();
    loss = loss.mul(1 - smoothing).add(uniform.mul(smoothing / classes));
  }
  const reduction = options.reduction ?? 'mean';
  if (reduction === 'mean') {
    // NOTE: PyTorch's weighted mean divides by Σ w[target] over the kept rows, not by N.
    // All rows ignored gives 0/0 = NaN, as in PyTorch.
    return loss.sum().div(weightSum);
  }
  return reduction === 'none' ? loss.reshape(rowShape) : reduce(loss, reduction, op);
}

function probabilityLoss(
  logProbs: Tensor,
  target: Tensor,
  input: Tensor,
  classes: number,
  smoothing: number,
  options: CrossEntropyOptions,
  op: string,
): Tensor {
  let t = classesLast(target, op).rows;
  if (smoothing > 0) t = t.mul(1 - smoothing).add(smoothing / classes);
  let weighted = logProbs.mul(t);
  if (options.weight) {
    const w = allocate(logProbs.dtype, classes);
    w.set(classWeights(options.weight, classes, op));
    weighted = weighted.mul(new Tensor(w, [1, classes], logProbs.dtype));
  }
  const loss = weighted.sum(1).neg();
  const reduction = options.reduction ?? 'mean';
  if (reduction === 'none') return loss.reshape(perRowShape(input));
  // 'mean' divides by the number of predictions (N·d1·…), whatever the weights.
  return reduce(loss, reduction, op);
}

function flattenTarget(target: ClassTarget, op: string): { values: number[]; shape: number[] } {
  if (target instanceof Tensor) return { values: Array.from(target.data), shape: target.shape };
  if (typeof target === 'number') return { values: [target], shape: [] };
  if (!Array.isArray(target)) {
    throw new TypeError(`${op}: target must be class indices or a Tensor, got ${typeof target}`);
  }
  const shape: number[] = [];
  let level: unknown = target;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  const values = (target as unknown[]).flat(shape.length) as number[];
  if (values.length !== sizeOf(shape) || values.some((v) => typeof v !== 'number')) {
    throw new TypeError(`${op}: target must be a rectangular array of class indices`);
  }
  return { values, shape };
}

function classWeights(weight: Tensor, classes: number, op: string): number[] {
  if (!(weight instanceof Tensor) || weight.ndim !== 1 || weight.shape[0] !== classes) {
    const got = weight instanceof Tensor ? formatShape(weight.shape) : typeof weight;
    throw new ShapeError(`${op}: weight must have one entry per class [${classes}], got ${got}`);
  }
  return Array.from(weight.data);
}

function checkWeight(op: string, name: string, weight: Tensor, against: Tensor): Tensor {
  if (!(weight instanceof Tensor)) {
    throw new TypeError(`${op}: ${name} must be a Tensor, got ${typeof weight}`);
  }
  const shape = broadcastShapes(weight.shape, against.shape, op);
  if (!shapesEqual(shape, against.shape)) {
    throw new ShapeError(
      `${op}: ${name} ${formatShape(weight.shape)} must broadcast to the input's shape ${formatShape(against.shape)}`,
    );
  }
  return weight;
}

function checkSameShape(op: string, pred: Tensor, target: Tensor, predName = 'pred'): void {
  if (!(pred instanceof Tensor) || !(target instanceof Tensor)) {
    throw new TypeError(`${op}: ${predName} and target must be Tensors`);
  }
  if (!shapesEqual(pred.shape, target.shape)) {
    throw new ShapeError(
      `${op}: ${predName} ${formatShape(pred.shape)} and target ${formatShape(target.shape)} must have the same shape`,
    );
  }
}

/**
 * The options object from what was passed: an object, a reduction name (`F.mseLoss(p, t,
 * 'sum')`), or, for the losses that take one, PyTorch's positional class `weight` tensor
 * (`F.crossEntropy(x, t, weight)`).
 */
function optionsOf<O extends LossOptions & { weight?: Tensor }>(
  opts: O | Reduction | Tensor | undefined,
): O {
  if (opts === undefined || opts === null) return {} as O;
  if (typeof opts === 'string') return { reduction: opts } as O;
  if (opts instanceof Tensor) return { weight: opts } as O;
  return opts;
}

function reduce(loss: Tensor, reduction: Reduction | undefined, op: string): Tensor {
  switch (reduction ?? 'mean') {
    case 'mean':
      return loss.mean();
    case 'sum':
      return loss.sum();
    case 'none':
      return loss;
    default:
      throw new DescentError(
        `${op}: reduction must be 'mean', 'sum' or 'none', got ${String(reduction)}`,
      );
  }
}
