/**
 * The Tensor: an n-dimensional array of float32 or float64 numbers in contiguous row-major
 * storage, plus what autograd needs (requiresGrad, grad, and the node that made it).
 *
 * Methods are thin wrappers over the free functions in `ops/`, so `a.add(b)` and `add(a, b)`
 * are the same op.
 */
import type { DType, FloatArray } from './dtype.ts';
import { dtypeOf } from './dtype.ts';
import { DescentError, ShapeError } from './errors.ts';
import { formatShape, sizeOf } from './shape.ts';
import type { BackwardCallOptions, BackwardGradient, Node } from './autograd.ts';
import { backward as runBackwardFrom } from './autograd.ts';
import * as E from './ops/elementwise.ts';
import * as R from './ops/reduce.ts';
import * as M from './ops/movement.ts';
import { dot, matmul, mm } from './ops/matmul.ts';
import { norm } from './ops/linalg.ts';

/** A tensor or a plain number (which broadcasts as a scalar of the tensor's dtype). */
export type TensorLike = Tensor | number;

/**
 * A multi-dimensional array of numbers that can record how it was computed.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = x.mul(x).sum();
 * y.backward();
 * x.grad!.toArray(); // [[2, 4], [6, 8]]
 */
export class Tensor {
  /** The elements, contiguous and row-major. Optimizers write here in place. */
  data: FloatArray;
  /** Size of each dimension; `[]` for a 0-d (scalar) tensor. Treat as read-only. */
  shape: number[];
  /** Element type. */
  dtype: DType;
  /** Whether gradients flow to this tensor (set it on parameters). */
  requiresGrad = false;
  /** Gradient accumulated by `backward()` (leaves only); null until then or after zeroing. */
  grad: Tensor | null = null;
  /** @internal The op application that produced this tensor; null for leaves. */
  _node: Node | null = null;
  /** @internal Keep `.grad` on this non-leaf too (see {@link Tensor.retainGrad}). */
  _retainsGrad = false;
  /** @internal Stamp of the last backward walk that reached this tensor. */
  _visited = 0;

  /**
   * Wraps existing storage (no copy). Most code should call `tensor(...)` instead.
   */
  constructor(data: FloatArray, shape: number[], dtype: DType = dtypeOf(data)) {
    if (data.length !== sizeOf(shape)) {
      throw new ShapeError(
        `Tensor: ${data.length} elements do not fill shape ${formatShape(shape)} (${sizeOf(shape)} elements)`,
      );
    }
    this.data = data;
    this.shape = shape;
    this.dtype = dtype;
  }

  /** Number of dimensions. @example tensor([[1, 2]]).ndim; // 2 */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. @example zeros([2, 3]).size; // 6 */
  get size(): number {
    return this.data.length;
  }

  /** Number of elements, like `torch.Tensor.numel()`. @example zeros([2, 3]).numel(); // 6 */
  numel(): number {
    return this.data.length;
  }

  /** True for tensors not produced by a recorded op (user-made tensors and parameters). @example tensor([1]).isLeaf; // true */
  get isLeaf(): boolean {
    return this._node === null;
  }

  /** Sets `requiresGrad` in place and returns this tensor, like `requires_grad_()`. @example tensor([1]).requiresGrad_().requiresGrad; // true */
  requiresGrad_(flag = true): this {
    if (!flag && this._node !== null) {
      throw new DescentError(
        'requiresGrad_: you can only change requiresGrad of leaf tensors; use detach() to cut a computed tensor from the graph',
      );
    }
    this.requiresGrad = flag;
    return this;
  }

  /**
   * Also keep `.grad` on this non-leaf tensor during backward, like `retain_grad()`.
   * @example
   * const h = tensor([1, 2], { requiresGrad: true }).mul(3).retainGrad();
   * h.sum().backward();
   * h.grad!.toArray(); // [1, 1]
   */
  retainGrad(): this {
    this._retainsGrad = true;
    return this;
  }

  /**
   * Forgets the accumulated gradient (sets `grad` to null), like `zero_grad(set_to_none=True)`.
   * @example
   * const w = tensor([1], { requiresGrad: true });
   * w.mul(2).sum().backward();
   * w.zeroGrad();
   * w.grad; // null
   */
  zeroGrad(): void {
    this.grad = null;
  }

  /**
   * Backpropagates from this tensor: accumulates d(this)/d(leaf) into `leaf.grad` for every
   * leaf that requires grad. A non-scalar output needs `gradient` (same shape). With
   * `{ createGraph: true }` the gradients are recorded and can be differentiated again.
   * Options may also come first: `backward({ createGraph: true })`. As in torch, the graph
   * is freed afterwards (a second backward through it throws) unless `retainGraph` or
   * `createGraph` is set.
   *
   * @example
   * const x = tensor([1, 2], { requiresGrad: true });
   * x.mul(3).backward(tensor([1, 10]));
   * x.grad!.toArray(); // [3, 30]
   * x.pow(2).sum().backward({ createGraph: true });
   * x.grad!.requiresGrad; // true
   */
  backward(
    gradient?: BackwardGradient | BackwardCallOptions,
    options?: { createGraph?: boolean; retainGraph?: boolean },
  ): void {
    runBackwardFrom(this, gradient, options);
  }

  /** The single element as a number; throws unless the tensor has exactly one element. @example tensor([[7]]).item(); // 7 */
  item(): number {
    if (this.data.length !== 1) {
      throw new DescentError(
        `item: a Tensor with ${this.data.length} elements cannot be converted to a number (shape ${formatShape(this.shape)})`,
      );
    }
    return this.data[0];
  }

  /** The elements as nested arrays (a number for a 0-d tensor). @example arange(4).reshape(2, 2).toArray(); // [[0, 1], [2, 3]] */
  toArray(): NestedArray {
    if (this.shape.length === 0) return this.data[0];
    const build = (dim: number, offset: number, stride: number): NestedArray => {
      const n = this.shape[dim];
      const inner = stride / (n || 1);
      const out: NestedArray[] = new Array(n);
      if (dim === this.shape.length - 1) {
        for (let i = 0; i < n; i++) out[i] = this.data[offset + i];
      } else {
        for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, this.data.length);
  }

  /**
   * What JSON.stringify writes: shape, dtype and nested values (no graph, no gradient).
   * @example JSON.stringify(tensor([1, 2])); // '{"shape":[2],"dtype":"float32","data":[1,2]}'
   */
  toJSON(): { shape: number[]; dtype: DType; data: NestedArray } {
    return { shape: this.shape.slice(), dtype: this.dtype, data: this.toArray() };
  }

  /** Node's console.log and the REPL show the same printout as {@link Tensor.toString}. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return formatTensor(this);
  }

  /** A readable printout like PyTorch's. @example tensor([1, 2]).toString(); // 'tensor([1., 2.])' */
  toString(): string {
    return formatTensor(this);
  }

  /** A tensor sharing this one's data but cut from the graph. @example tensor([1], { requiresGrad: true }).detach().requiresGrad; // false */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, this.dtype);
  }

  /** A copy with its own storage; gradients flow through it. @example tensor([1, 2]).clone().toArray(); // [1, 2] */
  clone(): Tensor {
    return E.clone(this);
  }

  /** Converted to float32 (differentiable). @example tensor([1], { dtype: 'float64' }).float().dtype; // 'float32' */
  float(): Tensor {
    return E.cast(this, 'float32');
  }

  /** Converted to float64 (differentiable). @example tensor([1]).double().dtype; // 'float64' */
  double(): Tensor {
    return E.cast(this, 'float64');
  }

  /** This tensor converted to `dtype` (itself if it already has it); differentiable. @example tensor([1]).to('float64').dtype; // 'float64' */
  to(dtype: DType): Tensor {
    return E.cast(this, dtype);
  }

  // Elementwise arithmetic (broadcasting).
  add(other: TensorLike): Tensor {
    return E.add(this, other);
  }
  sub(other: TensorLike): Tensor {
    return E.sub(this, other);
  }
  mul(other: TensorLike): Tensor {
    return E.mul(this, other);
  }
  div(other: TensorLike): Tensor {
    return E.div(this, other);
  }
  pow(exponent: TensorLike): Tensor {
    return E.pow(this, exponent);
  }
  maximum(other: TensorLike): Tensor {
    return E.maximum(this, other);
  }
  minimum(other: TensorLike): Tensor {
    return E.minimum(this, other);
  }
  neg(): Tensor {
    return E.neg(this);
  }
  exp(): Tensor {
    return E.exp(this);
  }
  log(): Tensor {
    return E.log(this);
  }
  sqrt(): Tensor {
    return E.sqrt(this);
  }
  abs(): Tensor {
    return E.abs(this);
  }
  sin(): Tensor {
    return E.sin(this);
  }
  cos(): Tensor {
    return E.cos(this);
  }
  tanh(): Tensor {
    return E.tanh(this);
  }
  sigmoid(): Tensor {
    return E.sigmoid(this);
  }
  relu(): Tensor {
    return E.relu(this);
  }
  square(): Tensor {
    return E.square(this);
  }
  reciprocal(): Tensor {
    return E.reciprocal(this);
  }
  sign(): Tensor {
    return E.sign(this);
  }
  clamp(
    min?: number | null | { min?: number | null; max?: number | null },
    max?: number | null,
  ): Tensor {
    return E.clamp(this, min, max);
  }
  /** See {@link allclose}. @example tensor([1]).allclose(tensor([1 + 1e-9])); // true */
  allclose(other: TensorLike, options?: E.CloseOptions): boolean {
    return E.allclose(this, other, options);
  }
  isclose(other: TensorLike, options?: E.CloseOptions): Tensor {
    return E.isclose(this, other, options);
  }
  // Comparisons: float 0/1, never differentiable.
  gt(other: TensorLike): Tensor {
    return E.gt(this, other);
  }
  lt(other: TensorLike): Tensor {
    return E.lt(this, other);
  }
  ge(other: TensorLike): Tensor {
    return E.ge(this, other);
  }
  le(other: TensorLike): Tensor {
    return E.le(this, other);
  }
  eq(other: TensorLike): Tensor {
    return E.eq(this, other);
  }
  ne(other: TensorLike): Tensor {
    return E.ne(this, other);
  }
  /** `where(condition, this, other)`, like `torch.Tensor.where`. */
  where(condition: Tensor, other: TensorLike): Tensor {
    return E.where(condition, this, other);
  }

  // Reductions.
  sum(axis?: R.AxisArg, keepDims = false): Tensor {
    return R.sum(this, axis, keepDims);
  }
  mean(axis?: R.AxisArg, keepDims = false): Tensor {
    return R.mean(this, axis, keepDims);
  }
  max(axis?: R.AxisArg, keepDims = false): Tensor {
    return R.max(this, axis, keepDims);
  }
  min(axis?: R.AxisArg, keepDims = false): Tensor {
    return R.min(this, axis, keepDims);
  }
  argmax(axis?: number | R.ReduceOptions | null, keepDims = false): Tensor {
    return R.argmax(this, axis, keepDims);
  }
  argmin(axis?: number | R.ReduceOptions | null, keepDims = false): Tensor {
    return R.argmin(this, axis, keepDims);
  }
  logsumexp(axis?: R.AxisArg, keepDims = false): Tensor {
    return R.logsumexp(this, axis, keepDims);
  }
  var(axis?: number | number[], options?: R.VarianceOptions): Tensor {
    return R.variance(this, axis, options);
  }
  std(axis?: number | number[], options?: R.VarianceOptions): Tensor {
    return R.std(this, axis, options);
  }

  // Linear algebra.
  matmul(other: Tensor): Tensor {
    return matmul(this, other);
  }
  mm(other: Tensor): Tensor {
    return mm(this, other);
  }
  dot(other: Tensor): Tensor {
    return dot(this, other);
  }
  norm(p = 2, axis?: R.AxisArg, keepDims = false): Tensor {
    return norm(this, p, axis, keepDims);
  }

  // Shape and layout.
  reshape(...shape: number[] | [number[]]): Tensor {
    return M.reshape(this, flatArgs(shape));
  }
  view(...shape: number[] | [number[]]): Tensor {
    return M.reshape(this, flatArgs(shape));
  }
  flatten(startDim = 0, endDim = -1): Tensor {
    return M.flatten(this, startDim, endDim);
  }
  squeeze(axis?: number | number[]): Tensor {
    return M.squeeze(this, axis);
  }
  unsqueeze(axis: number): Tensor {
    return M.unsqueeze(this, axis);
  }
  expand(...shape: number[] | [number[]]): Tensor {
    return M.expand(this, flatArgs(shape));
  }
  broadcastTo(shape: number[]): Tensor {
    return M.broadcastTo(this, shape);
  }
  expandAs(other: Tensor): Tensor {
    return M.expand(this, other.shape);
  }
  permute(...dims: number[] | [number[]]): Tensor {
    return M.permute(this, flatArgs(dims));
  }
  transpose(dim0 = -2, dim1 = -1): Tensor {
    return M.transpose(this, dim0, dim1);
  }
  /** Transpose of a 2-D tensor (0-d and 1-D come back unchanged), like `torch.Tensor.t()`. */
  t(): Tensor {
    return M.t(this);
  }
  /** All dimensions reversed (the matrix transpose for 2-D), like `torch.Tensor.T`. */
  get T(): Tensor {
    return M.permute(
      this,
      this.shape.map((_, i) => this.shape.length - 1 - i),
    );
  }
  slice(axis: number, start?: number, end?: number, step?: number): Tensor {
    return M.slice(this, axis, start, end, step);
  }
  select(axis: number, index: number): Tensor {
    return M.select(this, axis, index);
  }
  narrow(axis: number, start: number, length: number): Tensor {
    return M.narrow(this, axis, start, length);
  }
  indexSelect(axis: number, indices: Tensor | number[]): Tensor {
    return M.indexSelect(this, axis, indices);
  }
  gather(axis: number, index: Tensor): Tensor {
    return M.gather(this, axis, index);
  }
  pad(widths: number[], value = 0): Tensor {
    return M.pad(this, widths, value);
  }
  split(sizes: number | number[], axis = 0): Tensor[] {
    return M.split(this, sizes, axis);
  }
  chunk(chunks: number, axis = 0): Tensor[] {
    return M.chunk(this, chunks, axis);
  }
  scatterAdd(axis: number, index: Tensor, source: Tensor): Tensor {
    return M.scatterAdd(this, axis, index, source);
  }
  indexAdd(axis: number, indices: Tensor | number[], source: Tensor): Tensor {
    return M.indexAdd(this, axis, indices, source);
  }
}

/** What `toArray()` returns. */
export type NestedArray = number | NestedArray[];

function flatArgs(args: number[] | [number[]]): number[] {
  return Array.isArray(args[0]) ? (args[0] as number[]) : (args as number[]);
}

/**
 * Prints like PyTorch: `tensor([[1., 2.],\n        [3., 4.]], dtype=float64, requiresGrad=true)`.
 * Integers print as `1.`, other values with 4 decimals, or in exponent form when they span
 * many orders of magnitude. Long dimensions are elided with `...` past 1000 elements.
 */
function formatTensor(t: Tensor): string {
  const d = t.data;
  let allInt = true;
  let maxAbs = 0;
  let minAbs = Infinity;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (!Number.isFinite(v)) continue;
    if (!Number.isInteger(v)) allInt = false;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < minAbs) minAbs = a;
  }
  const sci =
    !allInt && (maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs !== Infinity) || maxAbs / minAbs > 1e6);
  const fmt = (v: number): string => {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    if (allInt) return `${v}.`;
    return sci ? v.toExponential(4) : v.toFixed(4);
  };
  const summarize = d.length > 1000;
  const cells: string[] = [];
  for (let i = 0; i < d.length; i++) cells.push(fmt(d[i]));
  const width = cells.reduce((w, c) => Math.max(w, c.length), 0);
  const indent = 'tensor('.length;
  const render = (dim: number, offset: number, stride: number): string => {
    if (t.shape.length === 0) return cells[0];
    const n = t.shape[dim];
    const inner = n === 0 ? 0 : stride / n;
    const keep = (i: number) => !summarize || n <= 6 || i < 3 || i >= n - 3;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      if (!keep(i)) {
        if (i === 3) parts.push('...');
        continue;
      }
      parts.push(
        dim === t.shape.length - 1
          ? cells[offset + i].padStart(width)
          : render(dim + 1, offset + i * inner, inner),
      );
    }
    if (dim === t.shape.length - 1) return `[${parts.join(', ')}]`;
    const sep = ',' + '\n'.repeat(t.shape.length - 1 - dim) + ' '.repeat(indent + dim + 1);
    return `[${parts.join(sep)}]`;
  };
  let body = render(0, 0, d.length);
  const extras: string[] = [];
  if (t.shape.length > 0 && d.length === 0) extras.push(`size=${formatShape(t.shape)}`);
  if (t.dtype !== 'float32') extras.push(`dtype=${t.dtype}`);
  if (t.requiresGrad) extras.push(t._node ? `gradFn=${t._node.op}` : 'requiresGrad=true');
  if (extras.length) body += ', ' + extras.join(', ');
  return `tensor(${body})`;
}
