/**
 * Movement ops: they change shape or layout, never values. reshape shares storage; the
 * others copy into a fresh contiguous array (every tensor is contiguous row-major, which
 * keeps every kernel a plain loop).
 */
import type { FloatArray } from '../dtype.ts';
import { allocate, promote } from '../dtype.ts';
import { DescentError, ShapeError } from '../errors.ts';
import { formatShape, normalizeAxis, shapesEqual, sizeOf, stridesOf } from '../shape.ts';
import { Tensor } from '../tensor.ts';
import { record } from '../autograd.ts';
import { cast } from './elementwise.ts';

function checkTensor(x: unknown, name: string): Tensor {
  if (x instanceof Tensor) return x;
  throw new DescentError(`${name}: expected a Tensor, got ${x === null ? 'null' : typeof x}`);
}

/**
 * Copies `src` read with `strides` (one per output dimension, 0 to repeat) into the
 * contiguous `out` of `shape`. The last dimension is the inner loop.
 */
function stridedCopy(
  src: FloatArray,
  strides: readonly number[],
  shape: readonly number[],
  out: FloatArray,
): void {
  const total = out.length;
  if (total === 0) return;
  const nd = shape.length;
  if (nd === 0) {
    out[0] = src[0];
    return;
  }
  const n = shape[nd - 1];
  const s = strides[nd - 1];
  const idx = new Array<number>(nd - 1).fill(0);
  let offset = 0;
  for (let o = 0; o < total; o += n) {
    if (s === 1) for (let i = 0; i < n; i++) out[o + i] = src[offset + i];
    else if (s === 0) out.fill(src[offset], o, o + n);
    else for (let i = 0; i < n; i++) out[o + i] = src[offset + i * s];
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      offset += strides[d];
      if (idx[d] < shape[d]) break;
      offset -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/**
 * Copies n elements from src[from..] to out[to..]. Short runs use a plain loop: a subarray
 * view per run costs more than the copy itself when runs are a few elements long.
 */
function copyRun(src: FloatArray, from: number, out: FloatArray, to: number, n: number): void {
  if (n < 32) {
    for (let i = 0; i < n; i++) out[to + i] = src[from + i];
  } else {
    out.set(src.subarray(from, from + n), to);
  }
}

/**
 * Same elements, new shape (one size may be -1 to infer it). Shares storage with `x`,
 * like a torch view.
 *
 * @example
 * reshape(arange(6), [2, -1]).shape; // [2, 3]
 */
export function reshape(x: Tensor, shape: number[]): Tensor {
  x = checkTensor(x, 'reshape');
  const target = inferShape(shape, x.size, x.shape, 'reshape');
  if (shapesEqual(target, x.shape)) return x;
  return record(new Tensor(x.data, target, x.dtype), 'reshape', [x], null);
}

/** Alias of {@link reshape}, as torch's `view` (storage is always shared). @example view(arange(4), [2, 2]).shape; // [2, 2] */
export function view(x: Tensor, shape: number[]): Tensor {
  return reshape(x, shape);
}

function inferShape(shape: number[], size: number, from: readonly number[], op: string): number[] {
  if (!Array.isArray(shape))
    throw new ShapeError(`${op}: shape must be an array of integers, got ${typeof shape}`);
  let known = 1;
  let infer = -1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === -1 && infer < 0) infer = i;
    else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(
        `${op}: invalid size ${d} at position ${i} of ${formatShape(shape)} (sizes are non-negative integers, one may be -1)`,
      );
    } else known *= d;
  }
  const out = shape.slice();
  if (infer >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(
        `${op}: cannot reshape ${formatShape(from)} (${size} elements) into ${formatShape(shape)}`,
      );
    }
    out[infer] = size / known;
  } else if (known !== size) {
    throw new ShapeError(
      `${op}: cannot reshape ${formatShape(from)} (${size} elements) into ${formatShape(shape)} (${known} elements)`,
    );
  }
  return out;
}

/**
 * Merges dimensions startDim..endDim into one.
 *
 * @example
 * flatten(zeros([2, 3, 4]), 1).shape; // [2, 12]
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  x = checkTensor(x, 'flatten');
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeAxis(startDim, x.ndim, 'flatten');
  const e = normalizeAxis(endDim, x.ndim, 'flatten');
  if (s > e)
    throw new ShapeError(
      `flatten: startDim ${startDim} comes after endDim ${endDim} for shape ${formatShape(x.shape)}`,
    );
  return reshape(x, [
    ...x.shape.slice(0, s),
    sizeOf(x.shape.slice(s, e + 1)),
    ...x.shape.slice(e + 1),
  ]);
}

/**
 * Removes size-1 dimensions (all of them, or those in `axis`; other sizes are left alone,
 * like torch).
 *
 * @example
 * squeeze(zeros([2, 1, 3])).shape; // [2, 3]
 */
export function squeeze(x: Tensor, axis?: number | number[]): Tensor {
  x = checkTensor(x, 'squeeze');
  let drop: number[];
  if (axis === undefined) drop = x.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
  else {
    const list = typeof axis === 'number' ? [axis] : axis;
    drop = list.map((a) => normalizeAxis(a, x.ndim, 'squeeze')).filter((a) => x.shape[a] === 1);
  }
  return reshape(
    x,
    x.shape.filter((_, i) => !drop.includes(i)),
  );
}

/**
 * Inserts a size-1 dimension at `axis` (which may be -1 for the end).
 *
 * @example
 * unsqueeze(zeros([3]), 0).shape; // [1, 3]
 */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  x = checkTensor(x, 'unsqueeze');
  const a = normalizeAxis(axis, x.ndim + 1, 'unsqueeze');
  const shape = x.shape.slice();
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/**
 * Repeats size-1 dimensions (and adds leading ones) to reach `shape`, like torch.expand;
 * -1 keeps a size. Unlike torch the result is a copy, not a view.
 *
 * @example
 * expand(tensor([[1], [2]]), [2, 3]).toArray(); // [[1, 1, 1], [2, 2, 2]]
 */
export function expand(x: Tensor, shape: number[]): Tensor {
  x = checkTensor(x, 'expand');
  const lead = shape.length - x.ndim;
  const bad = () =>
    new ShapeError(
      `expand: cannot expand ${formatShape(x.shape)} to ${formatShape(shape)} (only size-1 dimensions can grow)`,
    );
  if (lead < 0) throw bad();
  const target = shape.slice();
  const strides = new Array<number>(shape.length).fill(0);
  const xs = stridesOf(x.shape);
  for (let i = 0; i < shape.length; i++) {
    if (i < lead) {
      if (!Number.isInteger(shape[i]) || shape[i] < 0) throw bad();
      continue;
    }
    const d = x.shape[i - lead];
    if (shape[i] === -1 || shape[i] === d) {
      target[i] = d;
      strides[i] = xs[i - lead];
    } else if (d === 1 && Number.isInteger(shape[i]) && shape[i] >= 0) {
      strides[i] = 0;
    } else throw bad();
  }
  if (shapesEqual(target, x.shape)) return x;
  const out = allocate(x.dtype, sizeOf(target));
  stridedCopy(x.data, strides, target, out);
  return record(new Tensor(out, target, x.dtype), 'expand', [x], null);
}

/**
 * Broadcasts to `shape` by NumPy rules (no -1), like torch.broadcast_to.
 *
 * @example
 * broadcastTo(tensor([1, 2]), [2, 2]).toArray(); // [[1, 2], [1, 2]]
 */
export function broadcastTo(x: Tensor, shape: number[]): Tensor {
  x = checkTensor(x, 'broadcastTo');
  if (shape.some((d) => d < 0))
    throw new ShapeError(`broadcastTo: target shape ${formatShape(shape)} has a negative size`);
  try {
    return expand(x, shape);
  } catch {
    throw new ShapeError(
      `broadcastTo: cannot broadcast ${formatShape(x.shape)} to ${formatShape(shape)}`,
    );
  }
}

/**
 * Reorders dimensions: output dimension i is input dimension dims[i].
 *
 * @example
 * permute(zeros([2, 3, 4]), [2, 0, 1]).shape; // [4, 2, 3]
 */
export function permute(x: Tensor, dims: number[]): Tensor {
  x = checkTensor(x, 'permute');
  if (!Array.isArray(dims) || dims.length !== x.ndim) {
    throw new ShapeError(
      `permute: need ${x.ndim} dims for shape ${formatShape(x.shape)}, got [${String(dims)}]`,
    );
  }
  const order = dims.map((d) => normalizeAxis(d, x.ndim, 'permute'));
  if (new Set(order).size !== order.length) {
    throw new ShapeError(
      `permute: dims [${dims.join(',')}] repeat an axis (expected a permutation of 0..${x.ndim - 1})`,
    );
  }
  if (order.every((d, i) => d === i)) return x;
  const xs = stridesOf(x.shape);
  const shape = order.map((d) => x.shape[d]);
  const out = allocate(x.dtype, x.size);
  if (x.ndim === 2) {
    // The common case, a matrix transpose.
    const [r, c] = x.shape;
    const src = x.data;
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = src[i * c + j];
  } else {
    stridedCopy(
      x.data,
      order.map((d) => xs[d]),
      shape,
      out,
    );
  }
  return record(new Tensor(out, shape, x.dtype), 'permute', [x], { dims: order });
}

/**
 * Swaps two dimensions (the last two by default).
 *
 * @example
 * transpose(zeros([2, 3]), 0, 1).shape; // [3, 2]
 */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  x = checkTensor(x, 'transpose');
  const a = normalizeAxis(dim0, x.ndim, 'transpose');
  const b = normalizeAxis(dim1, x.ndim, 'transpose');
  const dims = x.shape.map((_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return permute(x, dims);
}

/** Transpose of a matrix; 0-d and 1-D tensors come back unchanged (torch.t). @example t(zeros([2, 3])).shape; // [3, 2] */
export function t(x: Tensor): Tensor {
  x = checkTensor(x, 't');
  if (x.ndim > 2)
    throw new ShapeError(
      `t: expects a tensor with <= 2 dimensions, got ${formatShape(x.shape)}; use transpose or permute`,
    );
  return x.ndim < 2 ? x : permute(x, [1, 0]);
}

// ---------------------------------------------------------------------------------------
// Slicing and indexing.

/**
 * Elements start, start+step, ... (before end) along `axis`, with Python slice rules:
 * negative start/end count from the end and out-of-range bounds are clipped.
 *
 * @example
 * slice(arange(10), 0, 2, 8, 3).toArray(); // [2, 5]
 */
export function slice(x: Tensor, axis: number, start?: number, end?: number, step = 1): Tensor {
  x = checkTensor(x, 'slice');
  const ax = normalizeAxis(axis, x.ndim, 'slice');
  if (!Number.isInteger(step) || step < 1)
    throw new DescentError(`slice: step must be a positive integer, got ${step}`);
  const n = x.shape[ax];
  const clip = (v: number | undefined, fallback: number) => {
    if (v === undefined || v === null) return fallback;
    if (!Number.isInteger(v)) throw new DescentError(`slice: bounds must be integers, got ${v}`);
    const w = v < 0 ? v + n : v;
    return Math.min(Math.max(w, 0), n);
  };
  const s = clip(start, 0);
  const e = clip(end, n);
  const m = e > s ? Math.ceil((e - s) / step) : 0;
  if (s === 0 && m === n && step === 1) return x;
  const outer = sizeOf(x.shape.slice(0, ax));
  const inner = sizeOf(x.shape.slice(ax + 1));
  const shape = x.shape.slice();
  shape[ax] = m;
  const out = allocate(x.dtype, outer * m * inner);
  const src = x.data;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < m; k++) {
      const from = (o * n + s + k * step) * inner;
      copyRun(src, from, out, (o * m + k) * inner, inner);
    }
  }
  return record(new Tensor(out, shape, x.dtype), 'slice', [x], { axis: ax, start: s, step });
}

/**
 * The adjoint of {@link slice}: a zero tensor of length `size` along `axis` with `x` placed
 * at start, start+step, ... It is slice's gradient (and slice is its gradient).
 *
 * @example
 * unslice(tensor([1, 2]), 0, 5, 1, 2).toArray(); // [0, 1, 0, 2, 0]
 */
export function unslice(
  x: Tensor,
  axis: number,
  size: number,
  start: number,
  step: number,
): Tensor {
  x = checkTensor(x, 'unslice');
  const ax = normalizeAxis(axis, x.ndim, 'unslice');
  const m = x.shape[ax];
  if (m > 0 && start + (m - 1) * step >= size) {
    throw new ShapeError(
      `unslice: ${m} elements from ${start} by ${step} do not fit in size ${size}`,
    );
  }
  const outer = sizeOf(x.shape.slice(0, ax));
  const inner = sizeOf(x.shape.slice(ax + 1));
  const shape = x.shape.slice();
  shape[ax] = size;
  const out = allocate(x.dtype, outer * size * inner);
  const src = x.data;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < m; k++) {
      const from = (o * m + k) * inner;
      copyRun(src, from, out, (o * size + start + k * step) * inner, inner);
    }
  }
  return record(new Tensor(out, shape, x.dtype), 'unslice', [x], { axis: ax, start, step });
}

/**
 * The slice at `index` along `axis`, with that dimension removed (negative index counts
 * from the end).
 *
 * @example
 * select(tensor([[1, 2], [3, 4]]), 0, 1).toArray(); // [3, 4]
 */
export function select(x: Tensor, axis: number, index: number): Tensor {
  x = checkTensor(x, 'select');
  const ax = normalizeAxis(axis, x.ndim, 'select');
  const n = x.shape[ax];
  if (!Number.isInteger(index) || index < -n || index >= n) {
    throw new DescentError(`select: index ${index} is out of range for axis ${ax} of size ${n}`);
  }
  const i = index < 0 ? index + n : index;
  const s = slice(x, ax, i, i + 1);
  return reshape(
    s,
    x.shape.filter((_, d) => d !== ax),
  );
}

/**
 * `length` elements from `start` along `axis`, like torch.narrow.
 *
 * @example
 * narrow(arange(5), 0, 1, 3).toArray(); // [1, 2, 3]
 */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  x = checkTensor(x, 'narrow');
  const ax = normalizeAxis(axis, x.ndim, 'narrow');
  const n = x.shape[ax];
  const s = start < 0 ? start + n : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > n) {
    throw new DescentError(
      `narrow: start ${start} and length ${length} do not fit axis ${ax} of size ${n}`,
    );
  }
  return slice(x, ax, s, s + length);
}

/**
 * Pads with a constant, like torch.nn.functional.pad: `widths` lists (before, after) pairs
 * starting from the LAST dimension, e.g. [1, 1] pads the last dimension, [1, 1, 2, 2] the
 * last two. Negative widths crop.
 *
 * @example
 * pad(tensor([1, 2]), [1, 2]).toArray(); // [0, 1, 2, 0, 0]
 */
export function pad(x: Tensor, widths: number[], value = 0): Tensor {
  x = checkTensor(x, 'pad');
  if (
    !Array.isArray(widths) ||
    widths.length % 2 !== 0 ||
    widths.length > 2 * x.ndim ||
    !widths.every(Number.isInteger)
  ) {
    throw new ShapeError(
      `pad: widths must be an even number (at most ${2 * x.ndim}) of integers for shape ${formatShape(x.shape)}, got [${String(widths)}]`,
    );
  }
  const pairs: [number, number][] = x.shape.map(() => [0, 0]);
  for (let k = 0; k < widths.length / 2; k++) {
    pairs[x.ndim - 1 - k] = [widths[2 * k], widths[2 * k + 1]];
  }
  // Negative widths crop: pad with the positive parts, then slice the negative parts away.
  const grow = pairs.map(([b, a]) => [Math.max(b, 0), Math.max(a, 0)] as [number, number]);
  let y = grow.some(([b, a]) => b > 0 || a > 0) ? padRaw(x, grow, value) : x;
  for (let d = 0; d < x.ndim; d++) {
    const [b, a] = pairs[d];
    if (b < 0 || a < 0) {
      const n = y.shape[d];
      const s = Math.max(-b, 0);
      const e = n - Math.max(-a, 0);
      if (e < s)
        throw new ShapeError(
          `pad: widths [${pairs[d].join(',')}] crop axis ${d} of size ${x.shape[d]} below zero`,
        );
      y = slice(y, d, s, e);
    }
  }
  return y;
}

function padRaw(x: Tensor, widths: [number, number][], value: number): Tensor {
  const shape = x.shape.map((d, i) => d + widths[i][0] + widths[i][1]);
  const out = allocate(x.dtype, sizeOf(shape));
  if (value !== 0) out.fill(value);
  const nd = x.ndim;
  const os = stridesOf(shape);
  if (x.size > 0) {
    // Copy row by row (the last dimension is contiguous in both).
    const rowLen = x.shape[nd - 1];
    const rows = x.size / rowLen;
    const idx = new Array<number>(nd - 1).fill(0);
    let offset = 0;
    for (let d = 0; d < nd; d++) offset += widths[d][0] * os[d];
    const src = x.data;
    for (let r = 0; r < rows; r++) {
      copyRun(src, r * rowLen, out, offset, rowLen);
      for (let d = nd - 2; d >= 0; d--) {
        idx[d]++;
        offset += os[d];
        if (idx[d] < x.shape[d]) break;
        offset -= os[d] * x.shape[d];
        idx[d] = 0;
      }
    }
  }
  return record(new Tensor(out, shape, x.dtype), 'pad', [x], { widths });
}

/**
 * Joins tensors along an existing axis; other sizes must match. dtypes promote.
 *
 * @example
 * concat([tensor([1, 2]), tensor([3])], 0).toArray(); // [1, 2, 3]
 */
export function concat(tensors: Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new DescentError('concat: expected a non-empty array of Tensors');
  }
  tensors.forEach((x, i) => checkTensor(x, `concat (item ${i})`));
  const first = tensors[0];
  if (first.ndim === 0)
    throw new ShapeError('concat: zero-dimensional tensors cannot be concatenated; use stack');
  const ax = normalizeAxis(axis, first.ndim, 'concat');
  let dtype = first.dtype;
  let total = 0;
  for (let i = 0; i < tensors.length; i++) {
    const x = tensors[i];
    dtype = promote(dtype, x.dtype);
    const ok = x.ndim === first.ndim && x.shape.every((d, k) => k === ax || d === first.shape[k]);
    if (!ok) {
      throw new ShapeError(
        `concat: tensor ${i} has shape ${formatShape(x.shape)} but tensor 0 has ${formatShape(first.shape)} (all sizes except axis ${ax} must match)`,
      );
    }
    total += x.shape[ax];
  }
  const inputs = tensors.map((x) => cast(x, dtype));
  if (inputs.length === 1) return inputs[0];
  const shape = first.shape.slice();
  shape[ax] = total;
  const outer = sizeOf(first.shape.slice(0, ax));
  const inner = sizeOf(first.shape.slice(ax + 1));
  const out = allocate(dtype, outer * total * inner);
  let at = 0;
  for (const x of inputs) {
    const block = x.shape[ax] * inner;
    const src = x.data;
    for (let o = 0; o < outer; o++) {
      copyRun(src, o * block, out, o * total * inner + at, block);
    }
    at += block;
  }
  return record(new Tensor(out, shape, dtype), 'concat', inputs, { axis: ax });
}

/** Alias of {@link concat}, like torch.cat. @example cat([zeros([1, 2]), ones([1, 2])]).shape; // [2, 2] */
export function cat(tensors: Tensor[], axis = 0): Tensor {
  return concat(tensors, axis);
}

/**
 * Joins same-shape tensors along a new axis.
 *
 * @example
 * stack([tensor([1, 2]), tensor([3, 4])], 1).toArray(); // [[1, 3], [2, 4]]
 */
export function stack(tensors: Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new DescentError('stack: expected a non-empty array of Tensors');
  }
  tensors.forEach((x, i) => checkTensor(x, `stack (item ${i})`));
  const first = tensors[0];
  tensors.forEach((x, i) => {
    if (!shapesEqual(x.shape, first.shape)) {
      throw new ShapeError(
        `stack: tensor ${i} has shape ${formatShape(x.shape)} but tensor 0 has ${formatShape(first.shape)} (all must be equal)`,
      );
    }
  });
  const ax = normalizeAxis(axis, first.ndim + 1, 'stack');
  return concat(
    tensors.map((x) => unsqueeze(x, ax)),
    ax,
  );
}

function toIndices(indices: Tensor | number[], n: number, op: string): Int32Array {
  const src = indices instanceof Tensor ? indices.data : indices;
  if (indices instanceof Tensor && indices.ndim > 1) {
    throw new ShapeError(`${op}: indices must be 0-d or 1-D, got ${formatShape(indices.shape)}`);
  }
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (!Number.isInteger(v) || v < -n || v >= n) {
      throw new DescentError(`${op}: index ${v} is out of range for a dimension of size ${n}`);
    }
    out[i] = v < 0 ? v + n : v;
  }
  return out;
}

/**
 * The entries at `indices` along `axis` (negative indices count from the end).
 *
 * @example
 * indexSelect(tensor([[1, 2], [3, 4], [5, 6]]), 0, [2, 0]).toArray(); // [[5, 6], [1, 2]]
 */
export function indexSelect(x: Tensor, axis: number, indices: Tensor | number[]): Tensor {
  x = checkTensor(x, 'indexSelect');
  const ax = normalizeAxis(axis, x.ndim, 'indexSelect');
  const idx = toIndices(indices, x.shape[ax], 'indexSelect');
  return indexSelectRaw(x, ax, idx);
}

function indexSelectRaw(x: Tensor, ax: number, idx: Int32Array): Tensor {
  const n = x.shape[ax];
  const m = idx.length;
  const outer = sizeOf(x.shape.slice(0, ax));
  const inner = sizeOf(x.shape.slice(ax + 1));
  const shape = x.shape.slice();
  shape[ax] = m;
  const out = allocate(x.dtype, outer * m * inner);
  const src = x.data;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < m; k++) {
      const from = (o * n + idx[k]) * inner;
      copyRun(src, from, out, (o * m + k) * inner, inner);
    }
  }
  return record(new Tensor(out, shape, x.dtype), 'indexSelect', [x], { axis: ax, indices: idx });
}

/** @internal indexSelect with validated indices (used by gradient rules). */
export function indexSelectUnchecked(x: Tensor, axis: number, indices: Int32Array): Tensor {
  return indexSelectRaw(x, axis, indices);
}

/**
 * Adds the slices of `source` into a copy of `x` at `indices` along `axis` (repeated
 * indices add up), like torch.index_add. The adjoint of {@link indexSelect}.
 *
 * @example
 * indexAdd(zeros([3]), 0, [0, 0, 2], tensor([1, 2, 3])).toArray(); // [3, 0, 3]
 */
export function indexAdd(
  x: Tensor,
  axis: number,
  indices: Tensor | number[] | Int32Array,
  source: Tensor,
): Tensor {
  x = checkTensor(x, 'indexAdd');
  source = checkTensor(source, 'indexAdd');
  const ax = normalizeAxis(axis, x.ndim, 'indexAdd');
  const n = x.shape[ax];
  const idx = indices instanceof Int32Array ? indices : toIndices(indices, n, 'indexAdd');
  const m = idx.length;
  const expected = x.shape.slice();
  expected[ax] = m;
  if (!shapesEqual(source.shape, expected)) {
    throw new ShapeError(
      `indexAdd: source has shape ${formatShape(source.shape)}, expected ${formatShape(expected)}`,
    );
  }
  const dtype = promote(x.dtype, source.dtype);
  const base = cast(x, dtype);
  const src = cast(source, dtype);
  const outer = sizeOf(x.shape.slice(0, ax));
  const inner = sizeOf(x.shape.slice(ax + 1));
  const out = base.data.slice();
  const sd = src.data;
  if (inner === 1) {
    // One element per index (conv2d's col2im lands here): the same adds in the same order.
    for (let o = 0, to = 0, from = 0; o < outer; o++, to += n, from += m) {
      for (let k = 0; k < m; k++) out[to + idx[k]] += sd[from + k];
    }
  } else {
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < m; k++) {
        const to = (o * n + idx[k]) * inner;
        const from = (o * m + k) * inner;
        for (let i = 0; i < inner; i++) out[to + i] += sd[from + i];
      }
    }
  }
  return record(new Tensor(out, x.shape, dtype), 'indexAdd', [base, src], {
    axis: ax,
    indices: idx,
  });
}

/**
 * For each position of `index` (row-major), the offset into `x` of that position with the
 * `axis` coordinate left out, and the offset into `source` (its own strides, which may be
 * larger than index's). gather and scatterAdd then add index·stride along the axis.
 */
function gatherOffsets(
  shape: readonly number[],
  xShape: readonly number[],
  axis: number,
  sourceShape: readonly number[] = shape,
): { xOffsets: Int32Array; sourceOffsets: Int32Array } {
  const xs = stridesOf(xShape);
  const ss = stridesOf(sourceShape);
  const total = sizeOf(shape);
  const xOffsets = new Int32Array(total);
  const sourceOffsets = new Int32Array(total);
  const idx = new Array<number>(shape.length).fill(0);
  let xo = 0;
  let so = 0;
  for (let i = 0; i < total; i++) {
    xOffsets[i] = xo;
    sourceOffsets[i] = so;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d]++;
      if (d !== axis) xo += xs[d];
      so += ss[d];
      if (idx[d] < shape[d]) break;
      if (d !== axis) xo -= xs[d] * shape[d];
      so -= ss[d] * shape[d];
      idx[d] = 0;
    }
  }
  return { xOffsets, sourceOffsets };
}

function checkGatherIndex(x: Tensor, axis: number, index: Tensor, op: string): void {
  if (index.ndim !== x.ndim) {
    throw new ShapeError(
      `${op}: index must have as many dimensions as the input (${x.ndim}), got ${formatShape(index.shape)}`,
    );
  }
  for (let d = 0; d < x.ndim; d++) {
    if (d !== axis && index.shape[d] > x.shape[d]) {
      throw new ShapeError(
        `${op}: index shape ${formatShape(index.shape)} exceeds input shape ${formatShape(x.shape)} at dimension ${d}`,
      );
    }
  }
  const n = x.shape[axis];
  const id = index.data;
  for (let i = 0; i < id.length; i++) {
    if (!Number.isInteger(id[i]) || id[i] < 0 || id[i] >= n) {
      throw new DescentError(
        `${op}: index ${id[i]} is out of bounds for axis ${axis} with size ${n}`,
      );
    }
  }
}

/**
 * out[i][j] = x[index[i][j]][j] (for axis 0; likewise for other axes), like torch.gather.
 * `index` holds integer values and has the same number of dimensions as `x`.
 *
 * @example
 * gather(tensor([[1, 2], [3, 4]]), 1, tensor([[1], [0]])).toArray(); // [[2], [3]]
 */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  x = checkTensor(x, 'gather');
  index = checkTensor(index, 'gather');
  const ax = normalizeAxis(axis, x.ndim, 'gather');
  checkGatherIndex(x, ax, index, 'gather');
  const stride = stridesOf(x.shape)[ax];
  const out = allocate(x.dtype, index.size);
  const src = x.data;
  const id = index.data;
  const { xOffsets } = gatherOffsets(index.shape, x.shape, ax);
  for (let i = 0; i < out.length; i++) out[i] = src[xOffsets[i] + id[i] * stride];
  const idx = index.requiresGrad ? index.detach() : index;
  return record(new Tensor(out, index.shape.slice(), x.dtype), 'gather', [x], {
    axis: ax,
    index: idx,
  });
}

/**
 * Adds `source` into a copy of `x` at the positions `index` names along `axis` (repeated
 * positions add up), like torch.scatter_add. The adjoint of {@link gather}.
 *
 * @example
 * scatterAdd(zeros([3]), 0, tensor([0, 2, 0]), tensor([1, 2, 3])).toArray(); // [4, 0, 2]
 */
export function scatterAdd(x: Tensor, axis: number, index: Tensor, source: Tensor): Tensor {
  x = checkTensor(x, 'scatterAdd');
  index = checkTensor(index, 'scatterAdd');
  source = checkTensor(source, 'scatterAdd');
  const ax = normalizeAxis(axis, x.ndim, 'scatterAdd');
  checkGatherIndex(x, ax, index, 'scatterAdd');
  if (source.ndim !== index.ndim || index.shape.some((d, i) => d > source.shape[i])) {
    throw new ShapeError(
      `scatterAdd: source shape ${formatShape(source.shape)} must cover index shape ${formatShape(index.shape)}`,
    );
  }
  const dtype = promote(x.dtype, source.dtype);
  const base = cast(x, dtype);
  const src = cast(source, dtype);
  const stride = stridesOf(x.shape)[ax];
  const out = base.data.slice();
  const id = index.data;
  const sd = src.data;
  const { xOffsets, sourceOffsets } = gatherOffsets(index.shape, x.shape, ax, src.shape);
  for (let i = 0; i < id.length; i++) out[xOffsets[i] + id[i] * stride] += sd[sourceOffsets[i]];
  const idx = index.requiresGrad ? index.detach() : index;
  return record(new Tensor(out, x.shape, dtype), 'scatterAdd', [base, src], {
    axis: ax,
    index: idx,
  });
}

/**
 * Splits along `axis` into pieces of `size` (the last may be smaller) or of the listed
 * sizes, like torch.split.
 *
 * @example
 * split(arange(5), 2).map((p) => p.toArray()); // [[0, 1], [2, 3], [4]]
 * split(arange(5), [1, 4]).map((p) => p.shape[0]); // [1, 4]
 */
export function split(x: Tensor, sizes: number | number[], axis = 0): Tensor[] {
  x = checkTensor(x, 'split');
  const ax = normalizeAxis(axis, x.ndim, 'split');
  const n = x.shape[ax];
  let list: number[];
  if (typeof sizes === 'number') {
    if (!Number.isInteger(sizes) || sizes < 1) {
      throw new DescentError(`split: size must be a positive integer, got ${sizes}`);
    }
    list = [];
    for (let at = 0; at < n; at += sizes) list.push(Math.min(sizes, n - at));
    if (n === 0) list.push(0);
  } else {
    list = sizes;
    const total = list.reduce((a, b) => a + b, 0);
    if (!list.every((s) => Number.isInteger(s) && s >= 0) || total !== n) {
      throw new ShapeError(
        `split: sizes [${list.join(',')}] must be non-negative integers summing to ${n} (axis ${ax} of ${formatShape(x.shape)})`,
      );
    }
  }
  const out: Tensor[] = [];
  let at = 0;
  for (const s of list) {
    out.push(slice(x, ax, at, at + s));
    at += s;
  }
  return out;
}

/**
 * Splits along `axis` into `chunks` pieces of equal size ceil(n / chunks) (the last may be
 * smaller, and there may be fewer pieces), like torch.chunk.
 *
 * @example
 * chunk(arange(6), 3).map((p) => p.toArray()); // [[0, 1], [2, 3], [4, 5]]
 */
export function chunk(x: Tensor, chunks: number, axis = 0): Tensor[] {
  x = checkTensor(x, 'chunk');
  if (!Number.isInteger(chunks) || chunks < 1) {
    throw new DescentError(`chunk: chunks must be a positive integer, got ${chunks}`);
  }
  const ax = normalizeAxis(axis, x.ndim, 'chunk');
  return split(x, Math.max(1, Math.ceil(x.shape[ax] / chunks)), ax);
}
