/**
 * Small data transforms: feature standardization (the source's feature-scaling tip) and one-hot
 * labels. Both return new tensors that are not on the autograd tape.
 */
import { Tensor } from '../tensor.ts';
import { DescentError, ShapeError } from '../errors.ts';
import { allocate } from '../dtype.ts';

/** The result of {@link standardize}: the scaled data and the statistics used. */
export interface Standardized {
  /** (x − mean) / std, column by column. */
  x: Tensor;
  /** Per-feature mean [F]. */
  mean: Tensor;
  /** Per-feature standard deviation [F] (population, divide by n). */
  std: Tensor;
}

/**
 * Standardize each feature (column of x [n, F], or x [n] as one feature) to mean 0 and standard
 * deviation 1. Pass the training set's `{ mean, std }` to scale a test set the same way.
 *
 * NOTE: a constant feature (std 0) is only centred, not divided, to avoid 0/0.
 *
 * @example
 * const { x } = standardize(tensor([[1, 10], [3, 30]]));
 * x.toArray(); // [[-1, -1], [1, 1]]
 */
export function standardize(x: Tensor, stats?: { mean: Tensor; std: Tensor }): Standardized {
  if (!(x instanceof Tensor) || (x.ndim !== 1 && x.ndim !== 2)) {
    const got = x instanceof Tensor ? `[${x.shape.join(', ')}]` : typeof x;
    throw new ShapeError(`standardize: expected [n, features] or [n], got ${got}`);
  }
  const n = x.shape[0];
  const F = x.ndim === 2 ? x.shape[1] : 1;
  let mean: Tensor;
  let std: Tensor;
  if (stats) {
    if (stats.mean.size !== F || stats.std.size !== F) {
      throw new ShapeError(
        `standardize: stats must have ${F} features, got mean [${stats.mean.shape}] and std [${stats.std.shape}]`,
      );
    }
    mean = stats.mean;
    std = stats.std;
  } else {
    if (n === 0) throw new DescentError('standardize: no rows to compute statistics from');
    const m = allocate(x.dtype, F);
    const s = allocate(x.dtype, F);
    for (let j = 0; j < F; j++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += x.data[i * F + j];
      const mu = sum / n;
      let sq = 0;
      for (let i = 0; i < n; i++) sq += (x.data[i * F + j] - mu) ** 2;
      m[j] = mu;
      s[j] = Math.sqrt(sq / n);
    }
    mean = new Tensor(m, [F], x.dtype);
    std = new Tensor(s, [F], x.dtype);
  }
  const out = allocate(x.dtype, x.size);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < F; j++) {
      const d = std.data[j];
      out[i * F + j] = (x.data[i * F + j] - mean.data[j]) / (d > 0 ? d : 1);
    }
  }
  return { x: new Tensor(out, x.shape.slice(), x.dtype), mean, std };
}

/**
 * One-hot rows [n, numClasses] from class indices [n] (like `F.one_hot`, as floats).
 *
 * @example
 * oneHot(tensor([2, 0]), 3).toArray(); // [[0, 0, 1], [1, 0, 0]]
 */
export function oneHot(labels: Tensor | ArrayLike<number>, numClasses: number): Tensor {
  const values = labels instanceof Tensor ? labels.data : labels;
  const out = new Float32Array(values.length * numClasses);
  for (let i = 0; i < values.length; i++) {
    const c = values[i];
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
      throw new DescentError(`oneHot: class ${c} is outside 0..${numClasses - 1}`);
    }
    out[i * numClasses + c] = 1;
  }
  return new Tensor(out, [values.length, numClasses]);
}
