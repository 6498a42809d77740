/**
 * Small dense linear algebra on tensors: `solve` (a primitive, for Newton steps H p = -g)
 * and `norm` (composed).
 */
import { allocate, promote } from '../dtype.ts';
import { DescentError, ShapeError } from '../errors.ts';
import { formatShape } from '../shape.ts';
import { Tensor } from '../tensor.ts';
import { record } from '../autograd.ts';
import { abs, eq, mul, sqrt, where } from './elementwise.ts';
import { max, sum } from './reduce.ts';
import type { AxisArg } from './reduce.ts';

/**
 * Solves A·x = b for x, like torch.linalg.solve: A is n×n, b is [n] or [n, k]. Gaussian
 * elimination with partial pivoting, in float64 whatever the dtype. Differentiable in A and b.
 *
 * @example
 * solve(tensor([[2, 0], [0, 4]]), tensor([2, 2])).toArray(); // [1, 0.5]
 */
export function solve(A: Tensor, b: Tensor): Tensor {
  if (!(A instanceof Tensor) || !(b instanceof Tensor)) {
    throw new DescentError('solve: expected two Tensors (A and b)');
  }
  if (A.ndim !== 2 || A.shape[0] !== A.shape[1]) {
    throw new ShapeError(`solve: A must be a square matrix [n, n], got ${formatShape(A.shape)}`);
  }
  const n = A.shape[0];
  if ((b.ndim !== 1 && b.ndim !== 2) || b.shape[0] !== n) {
    throw new ShapeError(
      `solve: b must be [${n}] or [${n}, k] to match A ${formatShape(A.shape)}, got ${formatShape(b.shape)}`,
    );
  }
  const k = b.ndim === 1 ? 1 : b.shape[1];
  // Work on a float64 copy of [A | b].
  const M = new Float64Array(n * n);
  M.set(A.data);
  const X = new Float64Array(n * k);
  X.set(b.data);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(M[r * n + col]) > Math.abs(M[pivot * n + col])) pivot = r;
    }
    const p = M[pivot * n + col];
    if (p === 0 || !Number.isFinite(p)) {
      throw new DescentError(`solve: A is singular (no usable pivot in column ${col})`);
    }
    if (pivot !== col) {
      for (let j = 0; j < n; j++)
        [M[col * n + j], M[pivot * n + j]] = [M[pivot * n + j], M[col * n + j]];
      for (let j = 0; j < k; j++)
        [X[col * k + j], X[pivot * k + j]] = [X[pivot * k + j], X[col * k + j]];
    }
    for (let r = col + 1; r < n; r++) {
      const f = M[r * n + col] / p;
      if (f === 0) continue;
      for (let j = col; j < n; j++) M[r * n + j] -= f * M[col * n + j];
      for (let j = 0; j < k; j++) X[r * k + j] -= f * X[col * k + j];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    for (let j = 0; j < k; j++) {
      let s = X[r * k + j];
      for (let c = r + 1; c < n; c++) s -= M[r * n + c] * X[c * k + j];
      X[r * k + j] = s / M[r * n + r];
    }
  }
  const dtype = promote(A.dtype, b.dtype);
  const out = allocate(dtype, n * k);
  out.set(X);
  return record(new Tensor(out, b.shape.slice(), dtype), 'solve', [A, b], null);
}

/**
 * Vector norm over `axis` (all elements when omitted): p = 2 (default), 1 or Infinity,
 * like torch.linalg.vector_norm.
 * NOTE: the 2-norm's gradient x/‖x‖ is taken as 0 at x = 0 (torch does the same), by
 * routing the zero case through `where` so no 0/0 appears.
 *
 * @example
 * norm(tensor([3, 4])).item(); // 5
 * norm(tensor([[3, -4], [1, 1]]), 1, 1).toArray(); // [7, 2]
 */
export function norm(x: Tensor, p: number = 2, axis?: AxisArg, keepDims = false): Tensor {
  if (!(x instanceof Tensor)) throw new DescentError(`norm: expected a Tensor, got ${typeof x}`);
  if (p === 1) return sum(abs(x), axis, keepDims);
  if (p === Infinity) return max(abs(x), axis, keepDims);
  if (p !== 2) throw new DescentError(`norm: p must be 1, 2 or Infinity, got ${p}`);
  const s = sum(mul(x, x), axis, keepDims);
  const zero = eq(s, 0);
  return where(zero, 0, sqrt(where(zero, 1, s)));
}
