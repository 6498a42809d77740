/**
 * Making tensors: from JS data (`tensor`), filled (`zeros`, `ones`, `full`, `eye`), ranges
 * (`arange`, `linspace`) and seeded random ones (`rand`, `randn`, `randint`, `randperm`).
 */
import type { DType, FloatArray } from './dtype.ts';
import { DEFAULT_DTYPE, allocate, checkDType } from './dtype.ts';
import { DescentError, ShapeError } from './errors.ts';
import { checkShape, formatShape, sizeOf } from './shape.ts';
import { Tensor } from './tensor.ts';
import type { Generator } from './random.ts';
import { defaultGenerator } from './random.ts';

/** Options accepted by every creation function. */
export interface TensorOptions {
  /** Element type; float32 unless given (or inferred from a Float64Array). */
  dtype?: DType;
  /** Mark the new tensor as a leaf that gradients flow to. */
  requiresGrad?: boolean;
}

/** Options of the random creation functions. */
export interface RandomOptions extends TensorOptions {
  /** Source of randomness; the global generator (see `manualSeed`) when omitted. */
  generator?: Generator;
}

/** Nested arrays of numbers (or booleans, read as 0/1), as accepted by {@link tensor}. */
export type NestedNumbers = number | boolean | readonly NestedNumbers[];

type ArrayLikeData =
  | FloatArray
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Uint8ClampedArray;

function finish(t: Tensor, opts: TensorOptions | undefined): Tensor {
  if (opts?.requiresGrad) t.requiresGrad = true;
  return t;
}

/**
 * A tensor from nested arrays, a single number (0-d), a typed array (with `shape`, else
 * 1-D) or another tensor. Always copies the data. float32 unless `dtype` says otherwise
 * (a Float64Array gives float64), like torch.tensor.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true });
 * x.shape; // [2, 2]
 * tensor(3).shape; // []
 * tensor(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] }).toArray(); // [[1, 2], [3, 4]]
 */
export function tensor(
  data: NestedNumbers | ArrayLikeData | Tensor,
  opts: TensorOptions & { shape?: number[] } = {},
): Tensor {
  if (opts.dtype !== undefined) checkDType(opts.dtype, 'tensor');
  if (data instanceof Tensor) {
    const dtype = opts.dtype ?? data.dtype;
    const out = allocate(dtype, data.size);
    out.set(data.data);
    const shape = opts.shape ? checkShape(opts.shape, 'tensor') : data.shape.slice();
    return finish(new Tensor(out, shape, dtype), opts);
  }
  if (ArrayBuffer.isView(data)) {
    const arr = data as ArrayLikeData;
    const dtype = opts.dtype ?? (arr instanceof Float64Array ? 'float64' : DEFAULT_DTYPE);
    const shape = opts.shape ? checkShape(opts.shape, 'tensor') : [arr.length];
    if (sizeOf(shape) !== arr.length) {
      throw new ShapeError(
        `tensor: ${arr.length} values do not fill shape ${formatShape(shape)} (${sizeOf(shape)} elements)`,
      );
    }
    const out = allocate(dtype, arr.length);
    for (let i = 0; i < arr.length; i++) out[i] = arr[i];
    return finish(new Tensor(out, shape, dtype), opts);
  }
  const dtype = opts.dtype ?? DEFAULT_DTYPE;
  if (typeof data === 'number' || typeof data === 'boolean') {
    const out = allocate(dtype, 1);
    out[0] = Number(data);
    const shape = opts.shape ? checkShape(opts.shape, 'tensor') : [];
    if (sizeOf(shape) !== 1)
      throw new ShapeError(`tensor: one value does not fill shape ${formatShape(shape)}`);
    return finish(new Tensor(out, shape, dtype), opts);
  }
  if (!Array.isArray(data)) {
    throw new DescentError(
      `tensor: expected nested arrays of numbers, a number or a typed array, got ${data === null ? 'null' : typeof data}`,
    );
  }
  // Infer the shape from the first element at each depth, then check every row against it.
  const shape: number[] = [];
  let probe: NestedNumbers = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  const out = allocate(dtype, sizeOf(shape));
  let at = 0;
  const fill = (node: NestedNumbers, depth: number, path: number[]) => {
    if (depth === shape.length) {
      if (typeof node === 'number') out[at++] = node;
      else if (typeof node === 'boolean') out[at++] = node ? 1 : 0;
      else {
        throw new ShapeError(
          `tensor: ragged nested array: expected a number at [${path.join(',')}], got ${Array.isArray(node) ? 'an array' : typeof node}`,
        );
      }
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new ShapeError(
        `tensor: ragged nested array: expected length ${shape[depth]} at [${path.join(',')}], got ${Array.isArray(node) ? `length ${node.length}` : typeof node}`,
      );
    }
    for (let i = 0; i < node.length; i++) fill(node[i], depth + 1, [...path, i]);
  };
  fill(data, 0, []);
  let t = new Tensor(out, shape, dtype);
  if (opts.shape) t = new Tensor(out, checkShape(opts.shape, 'tensor'), dtype);
  return finish(t, opts);
}

/** Shape arguments: `f([2, 3], opts)` or `f(2, 3, opts)`. */
export type ShapeArgs<O> =
  [shape: number[] | number, options?: O] | [...shape: number[], options: O] | number[];

function parseShapeArgs<O extends object>(args: unknown[], op: string): [number[], O] {
  let opts = {} as O;
  let list = args;
  const last = args[args.length - 1];
  if (last !== null && typeof last === 'object' && !Array.isArray(last)) {
    opts = last as O;
    list = args.slice(0, -1);
  }
  let shape: unknown;
  if (list.length === 1 && Array.isArray(list[0])) shape = list[0];
  else shape = list;
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number')) {
    throw new ShapeError(
      `${op}: expected a shape like [2, 3] or 2, 3, got ${JSON.stringify(args)}`,
    );
  }
  const dtype = (opts as TensorOptions).dtype;
  if (dtype !== undefined) checkDType(dtype, op);
  return [checkShape(shape as number[], op), opts];
}

function filled(shape: number[], value: number, opts: TensorOptions): Tensor {
  const dtype = opts.dtype ?? DEFAULT_DTYPE;
  const data = allocate(dtype, sizeOf(shape));
  if (value !== 0) data.fill(value);
  return finish(new Tensor(data, shape, dtype), opts);
}

/**
 * A tensor of zeros.
 *
 * @example
 * zeros([2, 3]).shape; // [2, 3]
 * zeros(2, 3, { dtype: 'float64' }).dtype; // 'float64'
 */
export function zeros(...args: ShapeArgs<TensorOptions>): Tensor {
  const [shape, opts] = parseShapeArgs<TensorOptions>(args, 'zeros');
  return filled(shape, 0, opts);
}

/** A tensor of ones. @example ones([2]).toArray(); // [1, 1] */
export function ones(...args: ShapeArgs<TensorOptions>): Tensor {
  const [shape, opts] = parseShapeArgs<TensorOptions>(args, 'ones');
  return filled(shape, 1, opts);
}

/** A tensor filled with `value`. @example full([2], 7).toArray(); // [7, 7] */
export function full(shape: number[] | number, value: number, opts: TensorOptions = {}): Tensor {
  const [s] = parseShapeArgs<TensorOptions>([shape], 'full');
  if (typeof value !== 'number')
    throw new DescentError(`full: value must be a number, got ${typeof value}`);
  return filled(s, value, opts);
}

/** Zeros with the shape and dtype of `x`. @example zerosLike(tensor([1, 2])).toArray(); // [0, 0] */
export function zerosLike(x: Tensor, opts: TensorOptions = {}): Tensor {
  return filled(x.shape.slice(), 0, { dtype: x.dtype, ...opts });
}

/** Ones with the shape and dtype of `x`. @example onesLike(tensor([5, 6])).toArray(); // [1, 1] */
export function onesLike(x: Tensor, opts: TensorOptions = {}): Tensor {
  return filled(x.shape.slice(), 1, { dtype: x.dtype, ...opts });
}

/** `value` with the shape and dtype of `x`. @example fullLike(tensor([5, 6]), 2).toArray(); // [2, 2] */
export function fullLike(x: Tensor, value: number, opts: TensorOptions = {}): Tensor {
  return filled(x.shape.slice(), value, { dtype: x.dtype, ...opts });
}

/**
 * start, start+step, ... up to but excluding end; `arange(n)` is 0..n-1, like torch.arange.
 *
 * @example
 * arange(4).toArray(); // [0, 1, 2, 3]
 * arange(1, 2, 0.25).toArray(); // [1, 1.25, 1.5, 1.75]
 */
export function arange(start: number, end?: number, step = 1, opts: TensorOptions = {}): Tensor {
  if (end === undefined) {
    end = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step))
    throw new DescentError(`arange: step must be a finite nonzero number, got ${step}`);
  if (!Number.isFinite(start) || !Number.isFinite(end))
    throw new DescentError(`arange: bounds must be finite, got ${start} and ${end}`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dtype = opts.dtype ?? DEFAULT_DTYPE;
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return finish(new Tensor(data, [n], dtype), opts);
}

/**
 * `steps` evenly spaced numbers from start to end inclusive, like torch.linspace.
 *
 * @example
 * linspace(0, 1, 5).toArray(); // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(
  start: number,
  end: number,
  steps: number,
  opts: TensorOptions = {},
): Tensor {
  if (!Number.isInteger(steps) || steps < 0)
    throw new DescentError(`linspace: steps must be a non-negative integer, got ${steps}`);
  const dtype = opts.dtype ?? DEFAULT_DTYPE;
  const data = allocate(dtype, steps);
  // NOTE: like torch, the second half is computed from the end so both ends are exact, and
  // for float32 every step is rounded to float32 as torch's kernel does, so values match bit
  // for bit.
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  const s0 = round(start);
  const s1 = round(end);
  const delta = steps > 1 ? round(round(s1 - s0) / (steps - 1)) : 0;
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) {
    data[i] = i < half ? round(s0 + round(delta * i)) : round(s1 - round(delta * (steps - 1 - i)));
  }
  if (steps === 1) data[0] = start;
  return finish(new Tensor(data, [steps], dtype), opts);
}

/**
 * The identity matrix (n×m, m defaults to n).
 *
 * @example
 * eye(2).toArray(); // [[1, 0], [0, 1]]
 */
export function eye(n: number, m: number = n, opts: TensorOptions = {}): Tensor {
  const [shape] = parseShapeArgs<TensorOptions>([[n, m]], 'eye');
  const t = filled(shape, 0, opts);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}

function randomFill(
  shape: number[],
  opts: RandomOptions,
  draw: (g: Generator, f32: boolean) => number,
): Tensor {
  const dtype = opts.dtype ?? DEFAULT_DTYPE;
  const g = opts.generator ?? defaultGenerator();
  const data = allocate(dtype, sizeOf(shape));
  const f32 = dtype === 'float32';
  for (let i = 0; i < data.length; i++) data[i] = draw(g, f32);
  return finish(new Tensor(data, shape, dtype), opts);
}

/**
 * Uniform random numbers in [0, 1).
 *
 * @example
 * rand([2, 2], { generator: new Generator(1) }).shape; // [2, 2]
 */
export function rand(...args: ShapeArgs<RandomOptions>): Tensor {
  const [shape, opts] = parseShapeArgs<RandomOptions>(args, 'rand');
  return randomFill(shape, opts, (g, f32) => (f32 ? g.uniform24() : g.uniform()));
}

/**
 * Standard normal random numbers (Box–Muller).
 *
 * @example
 * manualSeed(0);
 * randn([3]).shape; // [3]
 */
export function randn(...args: ShapeArgs<RandomOptions>): Tensor {
  const [shape, opts] = parseShapeArgs<RandomOptions>(args, 'randn');
  return randomFill(shape, opts, (g) => g.normal());
}

/**
 * Random integers in [low, high) (stored as floats; torch gives int64).
 *
 * @example
 * randint(0, 10, [5]).shape; // [5]
 */
export function randint(
  low: number,
  high: number,
  shape: number[] | number,
  opts: RandomOptions = {},
): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new DescentError(`randint: need integers low < high, got ${low} and ${high}`);
  }
  const [s] = parseShapeArgs<RandomOptions>([shape], 'randint');
  return randomFill(s, opts, (g) => g.integer(low, high));
}

/**
 * A random permutation of 0..n-1 (Fisher–Yates), as floats.
 *
 * @example
 * randperm(4).toArray().length; // 4
 */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0)
    throw new DescentError(`randperm: n must be a non-negative integer, got ${n}`);
  const g = opts.generator ?? defaultGenerator();
  const perm = new Array<number>(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = g.integer(0, i + 1);
    const tmp = perm[i];
    perm[i] = perm[j];
    perm[j] = tmp;
  }
  return tensor(perm, { dtype: opts.dtype, requiresGrad: opts.requiresGrad });
}

/** Uniform [0, 1) numbers shaped like `x`. @example randLike(zeros([2])).shape; // [2] */
export function randLike(x: Tensor, opts: RandomOptions = {}): Tensor {
  return rand(x.shape.slice(), { dtype: x.dtype, ...opts });
}

/** Standard normal numbers shaped like `x`. @example randnLike(zeros([2])).shape; // [2] */
export function randnLike(x: Tensor, opts: RandomOptions = {}): Tensor {
  return randn(x.shape.slice(), { dtype: x.dtype, ...opts });
}
