/**
 * Matrix products. One primitive, `mm(a, b, transA, transB)`, multiplies 2-D matrices or
 * equal-sized batches of them by calling the `gemm` kernel; `matmul` adds torch.matmul's
 * rules for 1-D operands and broadcast batch dimensions around it.
 */
import { allocate, castArray, promote } from '../dtype.ts';
import { DescentError, ShapeError } from '../errors.ts';
import { broadcastShapes, formatShape, shapesEqual, sizeOf } from '../shape.ts';
import { Tensor } from '../tensor.ts';
import { record } from '../autograd.ts';
import { gemm } from '../kernels/gemm.ts';
import { add, mul } from './elementwise.ts';
import { expand, reshape } from './movement.ts';

/**
 * op(a)·op(b) for 2-D matrices, or batch by batch for 3-D [B, ., .] operands of equal batch
 * size. With `transA` the matrix of a is read transposed (a is stored K×M), likewise `transB`
 * (b stored N×K), so gradients and linear layers never materialize a transpose.
 *
 * @example
 * mm(tensor([[1, 2]]), tensor([[3], [4]])).toArray(); // [[11]]
 * mm(tensor([[1, 2]]), tensor([[3, 4]]), false, true).toArray(); // [[11]]
 */
export function mm(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor))
    throw new DescentError('mm: expected two Tensors');
  const batched = a.ndim === 3;
  if (!(
    (a.ndim === 2 && b.ndim === 2) ||
    (a.ndim === 3 && b.ndim === 3 && a.shape[0] === b.shape[0])
  )) {
    throw new ShapeError(
      `mm: expected two 2-D matrices or two 3-D batches of the same size, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const r = a.ndim - 2;
  const M = transA ? a.shape[r + 1] : a.shape[r];
  const Ka = transA ? a.shape[r] : a.shape[r + 1];
  const Kb = transB ? b.shape[r + 1] : b.shape[r];
  const N = transB ? b.shape[r] : b.shape[r + 1];
  if (Ka !== Kb) {
    throw new ShapeError(
      `matmul: cannot multiply ${describeOperand(a, transA)} by ${describeOperand(b, transB)}: inner sizes ${Ka} and ${Kb} differ`,
    );
  }
  const K = Ka;
  const dtype = promote(a.dtype, b.dtype);
  const A = castArray(a.data, dtype);
  const B = castArray(b.data, dtype);
  const batch = batched ? a.shape[0] : 1;
  const C = allocate(dtype, batch * M * N);
  if (batch === 1) {
    gemm(transA, transB, M, N, K, A, B, C, true);
  } else {
    for (let i = 0; i < batch; i++) {
      gemm(
        transA,
        transB,
        M,
        N,
        K,
        A.subarray(i * M * K, (i + 1) * M * K),
        B.subarray(i * K * N, (i + 1) * K * N),
        C.subarray(i * M * N, (i + 1) * M * N),
        true,
      );
    }
  }
  const shape = batched ? [batch, M, N] : [M, N];
  return record(new Tensor(C, shape, dtype), 'matmul', [a, b], { transA, transB });
}

function describeOperand(x: Tensor, trans: boolean): string {
  if (!trans) return formatShape(x.shape);
  const s = x.shape.slice();
  const n = s.length;
  [s[n - 2], s[n - 1]] = [s[n - 1], s[n - 2]];
  return `${formatShape(s)} (transposed)`;
}

/**
 * Matrix product with torch.matmul's rules: 1-D·1-D is a dot product (0-d result), a 1-D
 * left operand is a row vector and a 1-D right operand a column vector (that dimension is
 * removed afterwards), and leading batch dimensions broadcast.
 *
 * @example
 * matmul(tensor([[1, 2], [3, 4]]), tensor([1, 1])).toArray(); // [3, 7]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) {
    throw new DescentError(`matmul: expected two Tensors, got ${typeof a} and ${typeof b}`);
  }
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(
      `matmul: both arguments need at least 1 dimension, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  if (a.ndim === 2 && b.ndim === 2) {
    if (a.shape[1] !== b.shape[0]) throw innerError(a, b);
    return mm(a, b);
  }
  const aVec = a.ndim === 1;
  const bVec = b.ndim === 1;
  const a2 = aVec ? reshape(a, [1, a.shape[0]]) : a;
  const b2 = bVec ? reshape(b, [b.shape[0], 1]) : b;
  if (a2.shape[a2.ndim - 1] !== b2.shape[b2.ndim - 2]) throw innerError(a, b);
  const M = a2.shape[a2.ndim - 2];
  const K = a2.shape[a2.ndim - 1];
  const N = b2.shape[b2.ndim - 1];
  let out: Tensor;
  if (a2.ndim === 2 && b2.ndim === 2) {
    out = mm(a2, b2);
  } else if (b2.ndim === 2) {
    // [..., M, K]·[K, N]: fold the batch into the rows, one big product.
    const batchShape = a2.shape.slice(0, -2);
    out = reshape(mm(reshape(a2, [-1, K]), b2), [...batchShape, M, N]);
  } else {
    const batchShape = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2), 'matmul');
    const B = sizeOf(batchShape);
    const ae = expandBatch(a2, batchShape);
    const be = expandBatch(b2, batchShape);
    const prod = mm(reshape(ae, [B, M, K]), reshape(be, [B, K, N]));
    out = reshape(prod, [...batchShape, M, N]);
  }
  if (aVec && bVec) return reshape(out, out.shape.slice(0, -2));
  if (aVec) return reshape(out, [...out.shape.slice(0, -2), N]);
  if (bVec) return reshape(out, [...out.shape.slice(0, -2), M]);
  return out;
}

function expandBatch(x: Tensor, batchShape: number[]): Tensor {
  const target = [...batchShape, ...x.shape.slice(-2)];
  return shapesEqual(target, x.shape) ? x : expand(x, target);
}

function innerError(a: Tensor, b: Tensor): ShapeError {
  const ka = a.shape[a.ndim - 1];
  const kb = b.ndim === 1 ? b.shape[0] : b.shape[b.ndim - 2];
  return new ShapeError(
    `matmul: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}: inner sizes ${ka} and ${kb} differ`,
  );
}

/**
 * Affine map x·wᵀ + b with w shaped [out, in], like torch.nn.functional.linear. The
 * transpose is never materialized. x may have any number of leading dimensions.
 *
 * @example
 * linear(tensor([[1, 2]]), tensor([[1, 1], [1, -1]]), tensor([0, 10])).toArray(); // [[3, 9]]
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (!(x instanceof Tensor) || !(weight instanceof Tensor))
    throw new DescentError('linear: expected Tensors for x and weight');
  if (weight.ndim !== 2)
    throw new ShapeError(`linear: weight must be [out, in], got ${formatShape(weight.shape)}`);
  const inF = weight.shape[1];
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inF) {
    throw new ShapeError(
      `linear: input ${formatShape(x.shape)} must end in ${inF} features to match weight ${formatShape(weight.shape)}`,
    );
  }
  const x2 = x.ndim === 2 ? x : reshape(x, [-1, inF]);
  let y = mm(x2, weight, false, true);
  if (bias !== undefined && bias !== null) y = add(y, bias);
  return x.ndim === 2 ? y : reshape(y, [...x.shape.slice(0, -1), weight.shape[0]]);
}

/**
 * Dot product of two 1-D tensors of the same length (a 0-d result), like torch.dot.
 *
 * @example
 * dot(tensor([1, 2, 3]), tensor([4, 5, 6])).item(); // 32
 */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor) || a.ndim !== 1 || b.ndim !== 1) {
    throw new ShapeError(
      `dot: expects two 1-D tensors, got ${a instanceof Tensor ? formatShape(a.shape) : typeof a} and ${b instanceof Tensor ? formatShape(b.shape) : typeof b}`,
    );
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new ShapeError(`dot: lengths ${a.shape[0]} and ${b.shape[0]} differ`);
  }
  return matmul(a, b);
}

/**
 * Outer product of two 1-D tensors: out[i][j] = a[i]·b[j], like torch.outer.
 *
 * @example
 * outer(tensor([1, 2]), tensor([3, 4, 5])).toArray(); // [[3, 4, 5], [6, 8, 10]]
 */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor) || a.ndim !== 1 || b.ndim !== 1) {
    throw new ShapeError(
      `outer: expects two 1-D tensors, got ${a instanceof Tensor ? formatShape(a.shape) : typeof a} and ${b instanceof Tensor ? formatShape(b.shape) : typeof b}`,
    );
  }
  return mul(reshape(a, [a.shape[0], 1]), b);
}
