/**
 * Reductions: sum (the primitive), mean, max/min, argmax/argmin, logsumexp, var/std.
 * A reduction over an axis views the tensor as [outer, n, inner] and folds the middle.
 */
import type { FloatArray } from '../dtype.ts';
import { allocate } from '../dtype.ts';
import { DescentError } from '../errors.ts';
import { formatShape, normalizeAxes, normalizeAxis, shapesEqual, sizeOf } from '../shape.ts';
import { Tensor } from '../tensor.ts';
import { record } from '../autograd.ts';
import { div, exp, log, mul, neg, sqrt, sub, add } from './elementwise.ts';
import { permute, reshape } from './movement.ts';

function checkTensor(x: unknown, name: string): Tensor {
  if (x instanceof Tensor) return x;
  throw new DescentError(`${name}: expected a Tensor, got ${x === null ? 'null' : typeof x}`);
}

/** Reduction options as an object, for code written against torch (`dim`, `keepdim`) or NumPy (`axis`). */
export interface ReduceOptions {
  axis?: number | number[];
  dim?: number | number[];
  keepDims?: boolean;
  keepdim?: boolean;
}

/** Which axes to reduce: a number, several, all (undefined/null), or an options object. */
export type AxisArg = number | number[] | ReduceOptions | null | undefined;

/** Splits an {@link AxisArg} into the axis and keepDims it means. */
function reduceArgs(axis: AxisArg, keepDims: boolean): [number | number[] | undefined, boolean] {
  if (axis === null || axis === undefined) return [undefined, keepDims];
  if (typeof axis === 'number' || Array.isArray(axis)) return [axis, keepDims];
  return [axis.axis ?? axis.dim, axis.keepDims ?? axis.keepdim ?? keepDims];
}

/** The shape after reducing `axes` with keepDims (reduced sizes become 1). */
function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  const out = shape.slice();
  for (const a of axes) out[a] = 1;
  return out;
}

function droppedShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

/** Sums [outer, n, inner] over the middle into [outer, inner]. */
function sumMiddle(x: FloatArray, outer: number, n: number, inner: number, out: FloatArray): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let s = 0;
      const base = o * n;
      for (let k = 0; k < n; k++) s += x[base + k];
      out[o] = s;
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    for (let k = 0; k < n; k++) {
      const xb = (o * n + k) * inner;
      for (let i = 0; i < inner; i++) out[ob + i] += x[xb + i];
    }
  }
}

/**
 * Sum of the elements over `axis` (a number, an array of axes, or all when omitted).
 *
 * @example
 * sum(tensor([[1, 2], [3, 4]]), 0).toArray(); // [4, 6]
 * sum(tensor([[1, 2], [3, 4]])).item(); // 10
 */
export function sum(x: Tensor, axisArg?: AxisArg, keepDimsArg = false): Tensor {
  x = checkTensor(x, 'sum');
  const [axis, keepDims] = reduceArgs(axisArg, keepDimsArg);
  if (axis === undefined && !keepDims) {
    // The loss-reduction fast path: every element into one number.
    const d = x.data;
    let s = 0;
    for (let i = 0; i < d.length; i++) s += d[i];
    const out = allocate(x.dtype, 1);
    out[0] = s;
    const all = x.shape.map((_, i) => i);
    return record(new Tensor(out, [], x.dtype), 'sum', [x], {
      axes: all,
      keepShape: x.shape.map(() => 1),
    });
  }
  const axes = normalizeAxes(axis, x.ndim, 'sum');
  const keepShape = keptShape(x.shape, axes);
  const outShape = keepDims ? keepShape : droppedShape(x.shape, axes);
  let data = x.data;
  const shape = x.shape.slice();
  if (axes.length === 0) {
    data = data.slice();
  } else {
    // Reduce each run of adjacent axes in one sweep, last run first, keeping reduced
    // dimensions as size 1 so the positions of earlier axes do not move.
    const runs: [number, number][] = [];
    for (const a of axes) {
      const run = runs[runs.length - 1];
      if (run && run[1] === a - 1) run[1] = a;
      else runs.push([a, a]);
    }
    for (let r = runs.length - 1; r >= 0; r--) {
      const [first, last] = runs[r];
      const outer = sizeOf(shape.slice(0, first));
      const n = sizeOf(shape.slice(first, last + 1));
      const inner = sizeOf(shape.slice(last + 1));
      const out = allocate(x.dtype, outer * inner);
      sumMiddle(data, outer, n, inner, out);
      data = out;
      for (let a = first; a <= last; a++) shape[a] = 1;
    }
  }
  return record(new Tensor(data, outShape, x.dtype), 'sum', [x], { axes, keepShape });
}

/**
 * Mean over `axis` (all elements when omitted): the sum divided by the count.
 *
 * @example
 * mean(tensor([[1, 2], [3, 4]]), 1).toArray(); // [1.5, 3.5]
 */
export function mean(x: Tensor, axisArg?: AxisArg, keepDimsArg = false): Tensor {
  x = checkTensor(x, 'mean');
  const [axis, keepDims] = reduceArgs(axisArg, keepDimsArg);
  const axes = normalizeAxes(axis, x.ndim, 'mean');
  let count = 1;
  for (const a of axes) count *= x.shape[a];
  return div(sum(x, axes, keepDims), count);
}

/**
 * Sums `x` down to `shape` over the dimensions broadcasting added or stretched: the adjoint
 * of expand, used by every broadcasting gradient.
 *
 * @example
 * sumTo(ones([2, 3]), [3]).toArray(); // [2, 2, 2]
 */
export function sumTo(x: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const lead = x.ndim - shape.length;
  if (lead < 0) {
    throw new DescentError(`sumTo: cannot reduce ${formatShape(x.shape)} to ${formatShape(shape)}`);
  }
  const axes: number[] = [];
  for (let i = 0; i < x.ndim; i++) {
    if (i < lead) axes.push(i);
    else if (shape[i - lead] === 1 && x.shape[i] !== 1) axes.push(i);
    else if (shape[i - lead] !== x.shape[i]) {
      throw new DescentError(
        `sumTo: cannot reduce ${formatShape(x.shape)} to ${formatShape(shape)}`,
      );
    }
  }
  const s = sum(x, axes, true);
  return reshape(s, shape.slice());
}

/**
 * Finds max (sign 1) or min (sign -1) along the middle of [outer, n, inner]: values and the
 * index of the first extreme in each row. NOTE: NaN counts as the extreme, like torch.
 */
function extremeMiddle(
  x: FloatArray,
  outer: number,
  n: number,
  inner: number,
  sign: number,
  values: FloatArray | null,
  indices: Int32Array,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = x[base];
      let at = 0;
      if (best === best) {
        for (let k = 1; k < n; k++) {
          const v = x[base + k * inner];
          if (v !== v) {
            best = v;
            at = k;
            break;
          }
          if (sign > 0 ? v > best : v < best) {
            best = v;
            at = k;
          }
        }
      }
      if (values) values[o * inner + i] = best;
      indices[o * inner + i] = at;
    }
  }
}

function maxAlong(x: Tensor, axis: number, keepDims: boolean): Tensor {
  const ax = normalizeAxis(axis, x.ndim, 'max');
  const n = x.shape[ax];
  if (n === 0)
    throw new DescentError(`max: cannot reduce an empty axis ${ax} of ${formatShape(x.shape)}`);
  const outer = sizeOf(x.shape.slice(0, ax));
  const inner = sizeOf(x.shape.slice(ax + 1));
  const values = allocate(x.dtype, outer * inner);
  const indices = new Int32Array(outer * inner);
  extremeMiddle(x.data, outer, n, inner, 1, values, indices);
  const keepShape = keptShape(x.shape, [ax]);
  const out = new Tensor(values, keepDims ? keepShape : droppedShape(x.shape, [ax]), x.dtype);
  if (!x.requiresGrad) return out;
  // NOTE: like torch.max(dim), the whole gradient goes to the first maximal element.
  const mask = allocate(x.dtype, x.size);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      mask[(o * n + indices[o * inner + i]) * inner + i] = 1;
    }
  }
  return record(out, 'maxAxis', [x], {
    axis: ax,
    keepShape,
    mask: new Tensor(mask, x.shape, x.dtype),
  });
}

function maxAll(x: Tensor): Tensor {
  if (x.size === 0)
    throw new DescentError(
      'max: cannot reduce an empty tensor (shape ' + formatShape(x.shape) + ')',
    );
  const d = x.data;
  let best = d[0];
  for (let i = 1; i < d.length && best === best; i++) {
    const v = d[i];
    if (v > best || v !== v) best = v;
  }
  const out = allocate(x.dtype, 1);
  out[0] = best;
  return record(new Tensor(out, [], x.dtype), 'maxAll', [x], null);
}

/**
 * Maximum over `axis`, or of all elements when omitted.
 *
 * NOTE: gradients follow torch: with an axis the whole gradient goes to the first maximal
 * element of each row (torch.max(dim)); over all elements it is split evenly among ties
 * (torch.max()). Several axes are reduced as one flattened axis. Unlike torch.max(dim),
 * this returns only the values; use {@link argmax} for indices.
 *
 * @example
 * max(tensor([[1, 5], [7, 2]]), 1).toArray(); // [5, 7]
 */
export function max(x: Tensor, axisArg?: AxisArg, keepDimsArg = false): Tensor {
  x = checkTensor(x, 'max');
  const [axis, keepDims] = reduceArgs(axisArg, keepDimsArg);
  if (axis === undefined) {
    const m = maxAll(x);
    return keepDims
      ? reshape(
          m,
          x.shape.map(() => 1),
        )
      : m;
  }
  if (typeof axis === 'number') return maxAlong(x, axis, keepDims);
  const axes = normalizeAxes(axis, x.ndim, 'max');
  if (axes.length === 1) return maxAlong(x, axes[0], keepDims);
  // Several axes: move them to the end, flatten them into one, reduce that.
  const rest = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const moved = permute(x, [...rest, ...axes]);
  const flat = reshape(moved, [...rest.map((i) => x.shape[i]), -1]);
  const m = maxAlong(flat, -1, false);
  return reshape(m, keepDims ? keptShape(x.shape, axes) : droppedShape(x.shape, axes));
}

/**
 * Minimum over `axis`, or of all elements when omitted; composed as -max(-x), so the
 * gradient conventions are those of {@link max}.
 *
 * @example
 * min(tensor([[1, 5], [7, 2]]), 1).toArray(); // [1, 2]
 */
export function min(x: Tensor, axisArg?: AxisArg, keepDimsArg = false): Tensor {
  x = checkTensor(x, 'min');
  const [axis, keepDims] = reduceArgs(axisArg, keepDimsArg);
  return neg(max(neg(x), axis, keepDims));
}

function argExtreme(
  x: Tensor,
  axis: number | undefined,
  keepDims: boolean,
  sign: number,
  name: string,
): Tensor {
  x = checkTensor(x, name);
  if (x.size === 0)
    throw new DescentError(
      `${name}: cannot reduce an empty tensor (shape ${formatShape(x.shape)})`,
    );
  if (axis === undefined) {
    const indices = new Int32Array(1);
    extremeMiddle(x.data, 1, x.size, 1, sign, null, indices);
    const out = allocate(x.dtype, 1);
    out[0] = indices[0];
    return new Tensor(out, keepDims ? x.shape.map(() => 1) : [], x.dtype);
  }
  const ax = normalizeAxis(axis, x.ndim, name);
  const n = x.shape[ax];
  const outer = sizeOf(x.shape.slice(0, ax));
  const inner = sizeOf(x.shape.slice(ax + 1));
  const indices = new Int32Array(outer * inner);
  extremeMiddle(x.data, outer, n, inner, sign, null, indices);
  const shape = keepDims ? keptShape(x.shape, [ax]) : droppedShape(x.shape, [ax]);
  const out = allocate(x.dtype, indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = indices[i];
  return new Tensor(out, shape, x.dtype);
}

/**
 * Index of the (first) maximum along `axis`, or into the flattened tensor when omitted.
 * Returned as a float tensor of the input's dtype (torch returns int64).
 *
 * @example
 * argmax(tensor([[1, 5], [7, 2]]), 1).toArray(); // [1, 0]
 */
export function argmax(
  x: Tensor,
  axisArg?: number | ReduceOptions | null,
  keepDimsArg = false,
): Tensor {
  const [axis, keepDims] = reduceArgs(axisArg, keepDimsArg);
  if (Array.isArray(axis))
    throw new DescentError(`argmax: takes one axis, got [${axis.join(',')}]`);
  return argExtreme(x, axis, keepDims, 1, 'argmax');
}

/**
 * Index of the (first) minimum along `axis`, or into the flattened tensor when omitted.
 *
 * @example
 * argmin(tensor([3, 1, 2])).item(); // 1
 */
export function argmin(
  x: Tensor,
  axisArg?: number | ReduceOptions | null,
  keepDimsArg = false,
): Tensor {
  const [axis, keepDims] = reduceArgs(axisArg, keepDimsArg);
  if (Array.isArray(axis))
    throw new DescentError(`argmin: takes one axis, got [${axis.join(',')}]`);
  return argExtreme(x, axis, keepDims, -1, 'argmin');
}

/**
 * log(sum(exp(x))) over `axis`, computed stably.
 * NOTE: shifts by the (detached) maximum first so exp never overflows; an all -inf row
 * gives -inf, as torch.logsumexp does.
 *
 * @example
 * logsumexp(tensor([0, 0]), 0).item(); // Math.log(2)
 */
export function logsumexp(x: Tensor, axisArg?: AxisArg, keepDimsArg = false): Tensor {
  x = checkTensor(x, 'logsumexp');
  const [axis, keepDims] = reduceArgs(axisArg, keepDimsArg);
  const axes = normalizeAxes(axis, x.ndim, 'logsumexp');
  const m = max(x.detach(), axes, true);
  const md = m.data;
  for (let i = 0; i < md.length; i++) if (!Number.isFinite(md[i])) md[i] = 0;
  const s = log(sum(exp(sub(x, m)), axes, true));
  const out = add(s, m);
  return keepDims ? out : reshape(out, droppedShape(x.shape, axes));
}

/** Options of {@link variance} and {@link std}. */
export interface VarianceOptions {
  /** Subtracted from the count in the denominator: 1 (default, unbiased, like torch) or 0. */
  correction?: number;
  keepDims?: boolean;
}

/**
 * Variance over `axis` (all elements when omitted), with Bessel's correction by default
 * like torch.var.
 *
 * @example
 * variance(tensor([1, 2, 3, 4])).item(); // 1.6666666
 */
export function variance(
  x: Tensor,
  axis?: number | number[],
  options: VarianceOptions = {},
): Tensor {
  x = checkTensor(x, 'var');
  const axes = normalizeAxes(axis, x.ndim, 'var');
  const correction = options.correction ?? 1;
  let count = 1;
  for (const a of axes) count *= x.shape[a];
  const centered = sub(x, mean(x, axes, true));
  return div(
    sum(mul(centered, centered), axes, options.keepDims ?? false),
    Math.max(0, count - correction),
  );
}

/**
 * Standard deviation: sqrt of {@link variance}.
 *
 * @example
 * std(tensor([2, 4, 4, 4, 5, 5, 7, 9]), undefined, { correction: 0 }).item(); // 2
 */
export function std(x: Tensor, axis?: number | number[], options: VarianceOptions = {}): Tensor {
  return sqrt(variance(x, axis, options));
}
