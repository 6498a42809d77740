/** Shape arithmetic: sizes, strides, axes and NumPy broadcasting. Pure functions on number[]. */
import { ShapeError } from './errors.ts';

/** `[2,3]`: how shapes appear in error messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** Number of elements of a tensor with this shape (1 for a 0-d tensor). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major (C order) strides, in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Turns a possibly negative axis into 0..ndim-1, or throws naming the op. */
export function normalizeAxis(axis: number, ndim: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    const range = ndim === 0 ? 'a 0-d tensor has no axes' : `expected ${-ndim}..${ndim - 1}`;
    throw new ShapeError(`${op}: axis ${axis} is out of range for a ${ndim}-d tensor (${range})`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Normalized, sorted, de-duplicated axes; `undefined` means all axes.
 */
export function normalizeAxes(
  axis: number | readonly number[] | undefined,
  ndim: number,
  op: string,
): number[] {
  if (axis === undefined) {
    const all = new Array<number>(ndim);
    for (let i = 0; i < ndim; i++) all[i] = i;
    return all;
  }
  if (typeof axis === 'number') return [normalizeAxis(axis, ndim, op)];
  const out = new Array<number>(axis.length);
  for (let i = 0; i < axis.length; i++) {
    // Insertion sort: axis lists are a handful of numbers.
    const a = normalizeAxis(axis[i], ndim, op);
    let j = i - 1;
    while (j >= 0 && out[j] > a) {
      out[j + 1] = out[j];
      j--;
    }
    if (j >= 0 && out[j] === a) {
      throw new ShapeError(`${op}: axis ${a} appears twice in [${axis.join(',')}]`);
    }
    out[j + 1] = a;
  }
  return out;
}

/**
 * NumPy broadcasting of two shapes: align on the right, sizes must match or be 1.
 *
 * @example
 * broadcastShapes([4, 1], [3]); // [4, 3]
 */
export function broadcastShapes(
  a: readonly number[],
  b: readonly number[],
  op = 'broadcastShapes',
): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else throw new ShapeError(`${op}: cannot broadcast ${formatShape(a)} with ${formatShape(b)}`);
  }
  return out;
}

/**
 * Strides for reading a tensor of `shape` as if it had `outShape` (which it broadcasts to):
 * broadcast dimensions get stride 0.
 */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const strides = stridesOf(shape);
  const lead = outShape.length - shape.length;
  const out = new Array<number>(outShape.length);
  for (let i = 0; i < outShape.length; i++) {
    if (i < lead) out[i] = 0;
    else out[i] = shape[i - lead] === 1 && outShape[i] !== 1 ? 0 : strides[i - lead];
  }
  return out;
}

/** Checks a user-supplied shape: non-negative integers. */
export function checkShape(shape: readonly number[], op: string): number[] {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: shape must be non-negative integers, got ${formatShape(shape)}`);
    }
  }
  return shape.slice();
}
