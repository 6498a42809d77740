/**
 * Elementwise ops: unary math, broadcasting binary arithmetic, comparisons, clamp and where.
 *
 * Each binary op is one tight typed-array loop per broadcasting pattern: both operands
 * walked together, or one operand held fixed (a scalar, or a bias row repeated down the
 * batch). General NumPy broadcasting is reduced to those patterns by an odometer over the
 * outer dimensions, so there is no per-element closure call and no index array.
 */
import type { DType, FloatArray } from '../dtype.ts';
import { allocate, castArray, promote } from '../dtype.ts';
import { DescentError } from '../errors.ts';
import { broadcastShapes, broadcastStrides, formatShape, shapesEqual, sizeOf } from '../shape.ts';
import { Tensor } from '../tensor.ts';
import type { TensorLike } from '../tensor.ts';
import { record } from '../autograd.ts';
import { wasmFor, wasmRelu, wasmReluGrad } from '../kernels/wasm.ts';

// Binary op codes (plain numbers: switches on them are cheap and erasable-TS friendly).
const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;
const POW = 4;
const MAX = 5;
const MIN = 6;
const GT = 7;
const LT = 8;
const GE = 9;
const LE = 10;
const EQ = 11;
const NE = 12;

/**
 * max/min as torch computes them: NaN wins, and on equal values (including -0 vs 0) the
 * first operand is returned. Math.max would prefer +0.
 */
function max2(a: number, b: number): number {
  return a !== a ? a : b !== b ? b : b > a ? b : a;
}

function min2(a: number, b: number): number {
  return a !== a ? a : b !== b ? b : b < a ? b : a;
}

/** out[oo+i] = a[ao+i] op b[bo+i] for i < n. */
function binarySame(
  op: number,
  a: FloatArray,
  ao: number,
  b: FloatArray,
  bo: number,
  o: FloatArray,
  oo: number,
  n: number,
): void {
  switch (op) {
    case ADD:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i];
      return;
    case SUB:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i];
      return;
    case MUL:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i];
      return;
    case DIV:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i];
      return;
    case POW:
      for (let i = 0; i < n; i++) o[oo + i] = Math.pow(a[ao + i], b[bo + i]);
      return;
    case MAX:
      for (let i = 0; i < n; i++) o[oo + i] = max2(a[ao + i], b[bo + i]);
      return;
    case MIN:
      for (let i = 0; i < n; i++) o[oo + i] = min2(a[ao + i], b[bo + i]);
      return;
    case GT:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] > b[bo + i] ? 1 : 0;
      return;
    case LT:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] < b[bo + i] ? 1 : 0;
      return;
    case GE:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] >= b[bo + i] ? 1 : 0;
      return;
    case LE:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] <= b[bo + i] ? 1 : 0;
      return;
    case EQ:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] === b[bo + i] ? 1 : 0;
      return;
    case NE:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] !== b[bo + i] ? 1 : 0;
      return;
  }
}

/** out[oo+i] = s op b[bo+i]: the left operand is held fixed. */
function binaryScalarA(
  op: number,
  s: number,
  b: FloatArray,
  bo: number,
  o: FloatArray,
  oo: number,
  n: number,
): void {
  switch (op) {
    case ADD:
      for (let i = 0; i < n; i++) o[oo + i] = s + b[bo + i];
      return;
    case SUB:
      for (let i = 0; i < n; i++) o[oo + i] = s - b[bo + i];
      return;
    case MUL:
      for (let i = 0; i < n; i++) o[oo + i] = s * b[bo + i];
      return;
    case DIV:
      for (let i = 0; i < n; i++) o[oo + i] = s / b[bo + i];
      return;
    case POW:
      for (let i = 0; i < n; i++) o[oo + i] = Math.pow(s, b[bo + i]);
      return;
    case MAX:
      for (let i = 0; i < n; i++) o[oo + i] = max2(s, b[bo + i]);
      return;
    case MIN:
      for (let i = 0; i < n; i++) o[oo + i] = min2(s, b[bo + i]);
      return;
    case GT:
      for (let i = 0; i < n; i++) o[oo + i] = s > b[bo + i] ? 1 : 0;
      return;
    case LT:
      for (let i = 0; i < n; i++) o[oo + i] = s < b[bo + i] ? 1 : 0;
      return;
    case GE:
      for (let i = 0; i < n; i++) o[oo + i] = s >= b[bo + i] ? 1 : 0;
      return;
    case LE:
      for (let i = 0; i < n; i++) o[oo + i] = s <= b[bo + i] ? 1 : 0;
      return;
    case EQ:
      for (let i = 0; i < n; i++) o[oo + i] = s === b[bo + i] ? 1 : 0;
      return;
    case NE:
      for (let i = 0; i < n; i++) o[oo + i] = s !== b[bo + i] ? 1 : 0;
      return;
  }
}

/** out[oo+i] = a[ao+i] op s: the right operand is held fixed. */
function binaryScalarB(
  op: number,
  a: FloatArray,
  ao: number,
  s: number,
  o: FloatArray,
  oo: number,
  n: number,
): void {
  switch (op) {
    case ADD:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] + s;
      return;
    case SUB:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] - s;
      return;
    case MUL:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] * s;
      return;
    case DIV:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] / s;
      return;
    case POW:
      if (s === 2) for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] * a[ao + i];
      else for (let i = 0; i < n; i++) o[oo + i] = Math.pow(a[ao + i], s);
      return;
    case MAX:
      for (let i = 0; i < n; i++) o[oo + i] = max2(a[ao + i], s);
      return;
    case MIN:
      for (let i = 0; i < n; i++) o[oo + i] = min2(a[ao + i], s);
      return;
    case GT:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] > s ? 1 : 0;
      return;
    case LT:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] < s ? 1 : 0;
      return;
    case GE:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] >= s ? 1 : 0;
      return;
    case LE:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] <= s ? 1 : 0;
      return;
    case EQ:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] === s ? 1 : 0;
      return;
    case NE:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] !== s ? 1 : 0;
      return;
  }
}

/**
 * Broadcasting driver: computes `a op b` into a new array of `outShape`. Dimensions of size
 * 1 are dropped and neighbours that step through memory together are merged, so the work
 * becomes an outer odometer around one of the three contiguous kernels above.
 */
function broadcastBinary(
  op: number,
  a: FloatArray,
  aShape: readonly number[],
  b: FloatArray,
  bShape: readonly number[],
  outShape: readonly number[],
  out: FloatArray,
): void {
  const total = out.length;
  if (total === 0) return;
  if (a.length === total && b.length === total) return binarySame(op, a, 0, b, 0, out, 0, total);
  if (b.length === 1 && a.length === total) return binaryScalarB(op, a, 0, b[0], out, 0, total);
  if (a.length === 1 && b.length === total) return binaryScalarA(op, a[0], b, 0, out, 0, total);
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  // Collapse: drop size-1 dims, merge a dim into its right neighbour when both operands
  // step through it as one longer run.
  const sizes: number[] = [];
  const as: number[] = [];
  const bs: number[] = [];
  for (let d = 0; d < outShape.length; d++) {
    if (outShape[d] === 1) continue;
    const k = sizes.length - 1;
    if (k >= 0 && as[k] === sa[d] * outShape[d] && bs[k] === sb[d] * outShape[d]) {
      sizes[k] *= outShape[d];
      as[k] = sa[d];
      bs[k] = sb[d];
    } else {
      sizes.push(outShape[d]);
      as.push(sa[d]);
      bs.push(sb[d]);
    }
  }
  const last = sizes.length - 1;
  const n = sizes[last];
  const ia = as[last];
  const ib = bs[last];
  const outer = last;
  const idx = new Array<number>(outer).fill(0);
  let ao = 0;
  let bo = 0;
  for (let oo = 0; oo < total; oo += n) {
    if (ia === 1 && ib === 1) binarySame(op, a, ao, b, bo, out, oo, n);
    else if (ia === 0 && ib === 0) {
      // Neither operand varies along the output's last dimension: one value, repeated.
      binaryScalarA(op, a[ao], b, bo, out, oo, 1);
      out.fill(out[oo], oo + 1, oo + n);
    } else if (ia === 0) binaryScalarA(op, a[ao], b, bo, out, oo, n);
    else binaryScalarB(op, a, ao, b[bo], out, oo, n);
    for (let d = outer - 1; d >= 0; d--) {
      idx[d]++;
      ao += as[d];
      bo += bs[d];
      if (idx[d] < sizes[d]) break;
      ao -= as[d] * sizes[d];
      bo -= bs[d] * sizes[d];
      idx[d] = 0;
    }
  }
}

// Number operands become 0-d constant tensors. Training loops use the same few constants
// (the learning rate, 2, 0.5, 1) over and over, so recent ones are reused rather than
// allocating a typed array per op. They are internal, never handed out, never mutated.
const scalarCache32 = new Map<number, Tensor>();
const scalarCache64 = new Map<number, Tensor>();
const SCALAR_CACHE_SIZE = 256;

/** Turns a number operand into a 0-d constant tensor of the other operand's dtype. */
export function scalarLike(value: number, dtype: DType): Tensor {
  const cache = dtype === 'float64' ? scalarCache64 : scalarCache32;
  // Map keys treat -0 as 0, so -0 is never looked up (it must stay -0).
  let t = Object.is(value, -0) ? undefined : cache.get(value);
  if (t === undefined || t.requiresGrad) {
    const data = dtype === 'float64' ? new Float64Array(1) : new Float32Array(1);
    data[0] = value;
    t = new Tensor(data, [], dtype);
    if (cache.size >= SCALAR_CACHE_SIZE) cache.clear();
    if (!Object.is(value, -0)) cache.set(value, t);
  }
  return t;
}

function operands(a: TensorLike, b: TensorLike, name: string): [Tensor, Tensor] {
  if (a instanceof Tensor) {
    if (b instanceof Tensor) return [a, b];
    if (typeof b === 'number') return [a, scalarLike(b, a.dtype)];
  } else if (typeof a === 'number') {
    if (b instanceof Tensor) return [scalarLike(a, b.dtype), b];
    if (typeof b === 'number') return [scalarLike(a, 'float32'), scalarLike(b, 'float32')];
  }
  throw new DescentError(
    `${name}: operands must be Tensors or numbers, got ${describe(a)} and ${describe(b)}`,
  );
}

function describe(x: unknown): string {
  if (x instanceof Tensor) return `Tensor${formatShape(x.shape)}`;
  if (Array.isArray(x)) return 'an array (wrap it with tensor(...))';
  return x === null ? 'null' : typeof x;
}

/** Forward of a broadcasting binary op, without recording. */
function binaryRaw(op: number, a: Tensor, b: Tensor, name: string): Tensor {
  const dtype = a.dtype === b.dtype ? a.dtype : promote(a.dtype, b.dtype);
  const outShape = shapesEqual(a.shape, b.shape)
    ? a.shape
    : broadcastShapes(a.shape, b.shape, name);
  const out = allocate(dtype, sizeOf(outShape));
  broadcastBinary(op, a.data, a.shape, b.data, b.shape, outShape, out);
  return new Tensor(out, outShape, dtype);
}

/**
 * Elementwise sum with broadcasting.
 *
 * @example
 * add(tensor([[1, 2], [3, 4]]), tensor([10, 20])).toArray(); // [[11, 22], [13, 24]]
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const xy = operands(a, b, 'add');
  return record(binaryRaw(ADD, xy[0], xy[1], 'add'), 'add', xy, null);
}

/**
 * Elementwise difference with broadcasting.
 *
 * @example
 * sub(tensor([5, 7]), 2).toArray(); // [3, 5]
 */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const xy = operands(a, b, 'sub');
  return record(binaryRaw(SUB, xy[0], xy[1], 'sub'), 'sub', xy, null);
}

/**
 * Elementwise product with broadcasting.
 *
 * @example
 * mul(tensor([1, 2, 3]), 2).toArray(); // [2, 4, 6]
 */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const xy = operands(a, b, 'mul');
  return record(binaryRaw(MUL, xy[0], xy[1], 'mul'), 'mul', xy, null);
}

/**
 * Elementwise quotient with broadcasting (true division; x/0 is ±inf or NaN as in IEEE).
 *
 * @example
 * div(tensor([1, 2]), 4).toArray(); // [0.25, 0.5]
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const xy = operands(a, b, 'div');
  return record(binaryRaw(DIV, xy[0], xy[1], 'div'), 'div', xy, null);
}

/**
 * Elementwise power `a ** b`; the exponent may be a number or a tensor (differentiable in
 * both).
 *
 * @example
 * pow(tensor([1, 2, 3]), 2).toArray(); // [1, 4, 9]
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const xy = operands(a, b, 'pow');
  return record(binaryRaw(POW, xy[0], xy[1], 'pow'), 'pow', xy, null);
}

/**
 * Elementwise maximum of two tensors (NaN wins, like torch.maximum).
 * NOTE: where a == b the gradient is split evenly between the two, as torch does.
 *
 * @example
 * maximum(tensor([1, 5]), tensor([3, 2])).toArray(); // [3, 5]
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const xy = operands(a, b, 'maximum');
  return record(binaryRaw(MAX, xy[0], xy[1], 'maximum'), 'maximum', xy, null);
}

/**
 * Elementwise minimum of two tensors (NaN wins, like torch.minimum).
 * NOTE: where a == b the gradient is split evenly between the two, as torch does.
 *
 * @example
 * minimum(tensor([1, 5]), tensor([3, 2])).toArray(); // [1, 2]
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const xy = operands(a, b, 'minimum');
  return record(binaryRaw(MIN, xy[0], xy[1], 'minimum'), 'minimum', xy, null);
}

function compare(op: number, a: TensorLike, b: TensorLike, name: string): Tensor {
  const [x, y] = operands(a, b, name);
  return binaryRaw(op, x, y, name);
}

/**
 * `a > b` elementwise as 1/0 floats (no gradient). Differs from torch, which returns bools.
 *
 * @example
 * gt(tensor([1, 2, 3]), 2).toArray(); // [0, 0, 1]
 */
export function gt(a: TensorLike, b: TensorLike): Tensor {
  return compare(GT, a, b, 'gt');
}
/** `a < b` elementwise as 1/0 floats. @example lt(tensor([1, 3]), 2).toArray(); // [1, 0] */
export function lt(a: TensorLike, b: TensorLike): Tensor {
  return compare(LT, a, b, 'lt');
}
/** `a >= b` elementwise as 1/0 floats. @example ge(tensor([1, 2]), 2).toArray(); // [0, 1] */
export function ge(a: TensorLike, b: TensorLike): Tensor {
  return compare(GE, a, b, 'ge');
}
/** `a <= b` elementwise as 1/0 floats. @example le(tensor([1, 3]), 2).toArray(); // [1, 0] */
export function le(a: TensorLike, b: TensorLike): Tensor {
  return compare(LE, a, b, 'le');
}
/** `a == b` elementwise as 1/0 floats. @example eq(tensor([1, 2]), 2).toArray(); // [0, 1] */
export function eq(a: TensorLike, b: TensorLike): Tensor {
  return compare(EQ, a, b, 'eq');
}
/** `a != b` elementwise as 1/0 floats. @example ne(tensor([1, 2]), 2).toArray(); // [1, 0] */
export function ne(a: TensorLike, b: TensorLike): Tensor {
  return compare(NE, a, b, 'ne');
}

// ---------------------------------------------------------------------------------------
// Unary ops.

const NEG = 0;
const EXP = 1;
const LOG = 2;
const SQRT = 3;
const ABS = 4;
const SIN = 5;
const COS = 6;
const TANH = 7;
const SIGMOID = 8;
const RELU = 9;
const SIGN = 10;
const RECIPROCAL = 11;
const POSITIVE_MASK = 12;

function unaryKernel(op: number, x: FloatArray, o: FloatArray): void {
  const n = x.length;
  switch (op) {
    case NEG:
      for (let i = 0; i < n; i++) o[i] = -x[i];
      return;
    case EXP:
      for (let i = 0; i < n; i++) o[i] = Math.exp(x[i]);
      return;
    case LOG:
      for (let i = 0; i < n; i++) o[i] = Math.log(x[i]);
      return;
    case SQRT:
      for (let i = 0; i < n; i++) o[i] = Math.sqrt(x[i]);
      return;
    case ABS:
      for (let i = 0; i < n; i++) o[i] = Math.abs(x[i]);
      return;
    case SIN:
      for (let i = 0; i < n; i++) o[i] = Math.sin(x[i]);
      return;
    case COS:
      for (let i = 0; i < n; i++) o[i] = Math.cos(x[i]);
      return;
    case TANH:
      for (let i = 0; i < n; i++) o[i] = Math.tanh(x[i]);
      return;
    // NOTE: 1/(1+e^-x) is safe at both ends: e^-x overflows to inf for x << 0, giving 0.
    case SIGMOID:
      for (let i = 0; i < n; i++) o[i] = 1 / (1 + Math.exp(-x[i]));
      return;
    // NOTE: written so that NaN and -0 pass through unchanged, as in torch.
    case RELU: {
      const k = x.constructor === o.constructor ? wasmFor(n) : null;
      if (k) wasmRelu(k, x, o);
      else for (let i = 0; i < n; i++) o[i] = x[i] < 0 ? 0 : x[i];
      return;
    }
    // NOTE: sign(0) = 0 and, as torch's CPU kernel computes (0 < x) - (x < 0), sign(NaN) = 0.
    case SIGN:
      for (let i = 0; i < n; i++) o[i] = x[i] > 0 ? 1 : x[i] < 0 ? -1 : 0;
      return;
    // NOTE: 0 where x <= 0, else 1, so NaN gives 1 (torch's relu backward lets NaN through).
    case POSITIVE_MASK:
      for (let i = 0; i < n; i++) o[i] = x[i] <= 0 ? 0 : 1;
      return;
    case RECIPROCAL:
      for (let i = 0; i < n; i++) o[i] = 1 / x[i];
      return;
  }
}

function checkTensor(x: unknown, name: string): Tensor {
  if (x instanceof Tensor) return x;
  throw new DescentError(`${name}: expected a Tensor, got ${describe(x)}`);
}

function unaryRaw(op: number, x: Tensor): Tensor {
  const out = allocate(x.dtype, x.data.length);
  unaryKernel(op, x.data, out);
  return new Tensor(out, x.shape, x.dtype);
}

/** Elementwise negation. @example neg(tensor([1, -2])).toArray(); // [-1, 2] */
export function neg(x: Tensor): Tensor {
  x = checkTensor(x, 'neg');
  return record(unaryRaw(NEG, x), 'neg', [x], null);
}
/** Elementwise e^x. @example exp(tensor([0])).toArray(); // [1] */
export function exp(x: Tensor): Tensor {
  x = checkTensor(x, 'exp');
  return record(unaryRaw(EXP, x), 'exp', [x], null);
}
/** Natural logarithm (log of a negative number is NaN, log 0 is -inf). @example log(tensor([1])).toArray(); // [0] */
export function log(x: Tensor): Tensor {
  x = checkTensor(x, 'log');
  return record(unaryRaw(LOG, x), 'log', [x], null);
}
/**
 * Square root. NOTE: the derivative at 0 is +inf, as in torch.
 * @example sqrt(tensor([4, 9])).toArray(); // [2, 3]
 */
export function sqrt(x: Tensor): Tensor {
  x = checkTensor(x, 'sqrt');
  return record(unaryRaw(SQRT, x), 'sqrt', [x], null);
}
/**
 * Absolute value. NOTE: the gradient at 0 is 0 (torch uses sign(x), and sign(0) = 0).
 * @example abs(tensor([-2, 3])).toArray(); // [2, 3]
 */
export function abs(x: Tensor): Tensor {
  x = checkTensor(x, 'abs');
  return record(unaryRaw(ABS, x), 'abs', [x], null);
}
/** Sine (radians). @example sin(tensor([0])).toArray(); // [0] */
export function sin(x: Tensor): Tensor {
  x = checkTensor(x, 'sin');
  return record(unaryRaw(SIN, x), 'sin', [x], null);
}
/** Cosine (radians). @example cos(tensor([0])).toArray(); // [1] */
export function cos(x: Tensor): Tensor {
  x = checkTensor(x, 'cos');
  return record(unaryRaw(COS, x), 'cos', [x], null);
}
/** Hyperbolic tangent. @example tanh(tensor([0])).toArray(); // [0] */
export function tanh(x: Tensor): Tensor {
  x = checkTensor(x, 'tanh');
  return record(unaryRaw(TANH, x), 'tanh', [x], null);
}
/** Logistic sigmoid 1/(1+e^-x). @example sigmoid(tensor([0])).toArray(); // [0.5] */
export function sigmoid(x: Tensor): Tensor {
  x = checkTensor(x, 'sigmoid');
  return record(unaryRaw(SIGMOID, x), 'sigmoid', [x], null);
}
/**
 * Rectified linear unit max(x, 0). NOTE: relu'(0) = 0, as in torch.
 * @example relu(tensor([-1, 0, 2])).toArray(); // [0, 0, 2]
 */
export function relu(x: Tensor): Tensor {
  x = checkTensor(x, 'relu');
  return record(unaryRaw(RELU, x), 'relu', [x], null);
}
/** Sign as -1, 0 or 1 (no gradient, like torch's zero gradient). @example sign(tensor([-3, 0, 2])).toArray(); // [-1, 0, 1] */
export function sign(x: Tensor): Tensor {
  return unaryRaw(SIGN, checkTensor(x, 'sign'));
}
/**
 * @internal The backward of tanh in one pass: g·(1 - y²) from the output y. A primitive only
 * for speed (three passes and two temporaries otherwise, on every tanh layer of every step);
 * its own gradient rule keeps second derivatives working.
 */
export function tanhGrad(g: Tensor, y: Tensor): Tensor {
  const out = allocate(y.dtype, y.size);
  const gd = g.data;
  const yd = y.data;
  for (let i = 0; i < out.length; i++) out[i] = gd[i] * (1 - yd[i] * yd[i]);
  return record(new Tensor(out, y.shape, y.dtype), 'tanhGrad', [g, y], null);
}

/** @internal The backward of sigmoid in one pass: g·y·(1 - y) from the output y (see tanhGrad). */
export function sigmoidGrad(g: Tensor, y: Tensor): Tensor {
  const out = allocate(y.dtype, y.size);
  const gd = g.data;
  const yd = y.data;
  for (let i = 0; i < out.length; i++) out[i] = gd[i] * yd[i] * (1 - yd[i]);
  return record(new Tensor(out, y.shape, y.dtype), 'sigmoidGrad', [g, y], null);
}

/**
 * @internal relu's backward in one pass: g where x > 0 (or x is NaN), else g·0, bit for bit what
 * `mul(g, reluMask(x))` gives (g·1 is g; g·0 keeps the sign and turns ±Inf/NaN into NaN) with
 * one pass and one allocation instead of two. Its own gradient rule keeps higher orders working.
 */
export function reluGrad(g: Tensor, x: Tensor): Tensor {
  if (!shapesEqual(g.shape, x.shape)) return mul(g, reluMask(x));
  const dtype = promote(g.dtype, x.dtype);
  const out = allocate(dtype, x.size);
  const gd = g.data;
  const xd = x.data;
  const k = g.dtype === x.dtype ? wasmFor(out.length) : null;
  if (k) wasmReluGrad(k, gd, xd, out);
  else for (let i = 0; i < out.length; i++) out[i] = xd[i] <= 0 ? gd[i] * 0 : gd[i];
  return record(new Tensor(out, x.shape, dtype), 'reluGrad', [g, x], null);
}

/** @internal relu's derivative as a constant mask: 0 where x <= 0, 1 elsewhere (NaN too). */
export function reluMask(x: Tensor): Tensor {
  return unaryRaw(POSITIVE_MASK, x);
}

/** x², composed as x·x. @example square(tensor([3])).toArray(); // [9] */
export function square(x: Tensor): Tensor {
  x = checkTensor(x, 'square');
  return mul(x, x);
}
/** 1/x, composed as 1 ÷ x. @example reciprocal(tensor([4])).toArray(); // [0.25] */
export function reciprocal(x: Tensor): Tensor {
  x = checkTensor(x, 'reciprocal');
  return div(scalarLike(1, x.dtype), x);
}

/**
 * Clamps into [min, max]; either bound may be omitted (null/undefined).
 * NOTE: the gradient passes where min <= x <= max, boundaries included, like torch.
 *
 * @example
 * clamp(tensor([-2, 0.5, 3]), 0, 1).toArray(); // [0, 0.5, 1]
 * clamp(tensor([-2, 0.5, 3]), { min: 0 }).toArray(); // [0, 0.5, 3]
 */
export function clamp(
  x: Tensor,
  min?: number | null | { min?: number | null; max?: number | null },
  max?: number | null,
): Tensor {
  x = checkTensor(x, 'clamp');
  if (min !== null && typeof min === 'object') {
    max = min.max;
    min = min.min;
  }
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  if (min == null && max == null) {
    throw new DescentError('clamp: at least one of min and max must be given, got neither');
  }
  if (typeof lo !== 'number' || typeof hi !== 'number') {
    throw new DescentError(`clamp: min and max must be numbers, got ${typeof lo} and ${typeof hi}`);
  }
  const src = x.data;
  const out = allocate(x.dtype, src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    // NOTE: torch.clamp returns max when min > max, and propagates NaN.
    out[i] = v < lo ? lo : v > hi ? hi : v;
    if (lo > hi) out[i] = hi;
  }
  return record(new Tensor(out, x.shape, x.dtype), 'clamp', [x], { min: lo, max: hi });
}

/**
 * Picks `a` where `condition` is nonzero, `b` elsewhere; all three broadcast together.
 * Gradients flow to `a` and `b`, never to `condition`.
 *
 * @example
 * where(tensor([1, 0]), tensor([1, 2]), tensor([10, 20])).toArray(); // [1, 20]
 */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  condition = checkTensor(condition, 'where');
  const [x, y] = operands(a, b, 'where');
  const dtype = promote(x.dtype, y.dtype);
  const shape = broadcastShapes(
    broadcastShapes(condition.shape, x.shape, 'where'),
    y.shape,
    'where',
  );
  const n = sizeOf(shape);
  const out = allocate(dtype, n);
  const cond = condition.requiresGrad ? condition.detach() : condition;
  const c = condition.data;
  const xd = x.data;
  const yd = y.data;
  if (
    c.length === n &&
    (xd.length === n || xd.length === 1) &&
    (yd.length === n || yd.length === 1)
  ) {
    // Fast path: no broadcasting beyond scalars (the common masking case).
    const xs = xd.length === n ? 1 : 0;
    const ys = yd.length === n ? 1 : 0;
    for (let i = 0; i < n; i++) out[i] = c[i] !== 0 ? xd[i * xs] : yd[i * ys];
    return record(new Tensor(out, shape, dtype), 'where', [x, y], { condition: cond });
  }
  const sc = broadcastStrides(condition.shape, shape);
  const sx = broadcastStrides(x.shape, shape);
  const sy = broadcastStrides(y.shape, shape);
  const idx = new Array<number>(shape.length).fill(0);
  let oc = 0;
  let ox = 0;
  let oy = 0;
  for (let i = 0; i < n; i++) {
    out[i] = c[oc] !== 0 ? xd[ox] : yd[oy];
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d]++;
      oc += sc[d];
      ox += sx[d];
      oy += sy[d];
      if (idx[d] < shape[d]) break;
      oc -= sc[d] * shape[d];
      ox -= sx[d] * shape[d];
      oy -= sy[d] * shape[d];
      idx[d] = 0;
    }
  }
  return record(new Tensor(out, shape, dtype), 'where', [x, y], { condition: cond });
}

/**
 * Converts to `dtype` (returns `x` itself when it already has that dtype); differentiable.
 *
 * @example
 * cast(tensor([1.5]), 'float64').dtype; // 'float64'
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  x = checkTensor(x, 'cast');
  if (x.dtype === dtype) return x;
  return record(new Tensor(castArray(x.data, dtype), x.shape, dtype), 'copy', [x], null);
}

/**
 * A copy with its own storage; gradients flow through it unchanged.
 *
 * @example
 * const y = clone(tensor([1, 2])); // y.data is a new array
 */
export function clone(x: Tensor): Tensor {
  x = checkTensor(x, 'clone');
  return record(new Tensor(x.data.slice(), x.shape, x.dtype), 'copy', [x], null);
}

/** True when every element is finite (no NaN, no ±inf). @example isFiniteAll(tensor([1, Infinity])); // false */
export function isFiniteAll(x: Tensor): boolean {
  const d = checkTensor(x, 'isFiniteAll').data;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return false;
  return true;
}

/**
 * Throws a DescentError naming `label` and the first bad element when `x` holds a NaN or ±inf:
 * handy to stop a diverging training loop early with a clear message.
 *
 * @example
 * assertFinite(tensor([1, 2]), 'loss'); // passes
 */
export function assertFinite(x: Tensor, label = 'tensor'): Tensor {
  const d = checkTensor(x, 'assertFinite').data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      throw new DescentError(
        `assertFinite: ${label} is not finite: element ${i} of shape ${formatShape(x.shape)} is ${d[i]}`,
      );
    }
  }
  return x;
}

/** Tolerances of {@link isclose} and {@link allclose} (torch's defaults). */
export interface CloseOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  /** Count NaN as equal to NaN (default false). */
  equalNan?: boolean;
}

/**
 * Elementwise |a - b| <= atol + rtol·|b| as float 0/1 (broadcasting), like torch.isclose.
 * Infinities are close only to themselves.
 *
 * @example
 * isclose(tensor([1, 2]), tensor([1 + 1e-7, 2.1])).toArray(); // [1, 0]
 */
export function isclose(a: TensorLike, b: TensorLike, options: CloseOptions = {}): Tensor {
  const [x, y] = operands(a, b, 'isclose');
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-8;
  const equalNan = options.equalNan ?? false;
  const shape = broadcastShapes(x.shape, y.shape, 'isclose');
  const xe = shapesEqual(x.shape, shape) ? x : broadcastCopy(x, shape);
  const ye = shapesEqual(y.shape, shape) ? y : broadcastCopy(y, shape);
  const out = allocate(promote(x.dtype, y.dtype), sizeOf(shape));
  for (let i = 0; i < out.length; i++) {
    const u = xe.data[i];
    const v = ye.data[i];
    let close: boolean;
    if (u !== u || v !== v) close = equalNan && u !== u && v !== v;
    else if (u === v) close = true;
    else if (!Number.isFinite(u) || !Number.isFinite(v)) close = false;
    else close = Math.abs(u - v) <= atol + rtol * Math.abs(v);
    out[i] = close ? 1 : 0;
  }
  return new Tensor(out, shape, promote(x.dtype, y.dtype));
}

/**
 * True when every pair is close (see {@link isclose}), like torch.allclose: handy as the
 * last line of an exercise cell.
 *
 * @example
 * allclose(tensor([0.1 + 0.2]), 0.3); // true
 */
export function allclose(a: TensorLike, b: TensorLike, options: CloseOptions = {}): boolean {
  const c = isclose(a, b, options).data;
  for (let i = 0; i < c.length; i++) if (c[i] === 0) return false;
  return true;
}

function broadcastCopy(x: Tensor, shape: number[]): Tensor {
  const out = allocate(x.dtype, sizeOf(shape));
  broadcastBinary(ADD, x.data, x.shape, scalarLike(0, x.dtype).data, [], shape, out);
  return new Tensor(out, shape, x.dtype);
}
