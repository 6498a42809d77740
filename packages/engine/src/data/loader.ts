/**
 * Mini-batches and splits: a `DataLoader`-like iterator with seeded shuffling, and a train/test
 * split. Both work on the first axis of the tensors (the sample axis) and copy the rows they
 * pick into new tensors that are not on the autograd tape.
 */
import type { Tensor } from '../tensor.ts';
import type { Generator } from '../random.ts';
import { permutation, fromData } from './random-source.ts';

/**
 * Copy rows `indices` of `t` along its first axis into a new tensor.
 *
 * @example
 * takeRows(tensor([[1, 2], [3, 4], [5, 6]]), [2, 0]).toArray(); // [[5, 6], [1, 2]]
 */
export function takeRows(t: Tensor, indices: ArrayLike<number>): Tensor {
  if (t.shape.length === 0)
    throw new RangeError('takeRows: expected a tensor with a first axis, got a scalar');
  const n = t.shape[0];
  const rowSize = t.shape.slice(1).reduce((a, b) => a * b, 1);
  const src = t.data;
  const out =
    t.dtype === 'float64'
      ? new Float64Array(indices.length * rowSize)
      : new Float32Array(indices.length * rowSize);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (!(r >= 0 && r < n))
      throw new RangeError(`takeRows: row ${r} is out of range for ${n} rows`);
    out.set(src.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize);
  }
  return fromData(out, [indices.length, ...t.shape.slice(1)], t.dtype);
}

/** A mini-batch: the inputs, the targets (when given) and which rows they are. */
export interface Batch {
  x: Tensor;
  y: Tensor;
  indices: number[];
}

/** Options of {@link batches}. */
export interface BatchOptions {
  /** Rows per batch; the last batch may be smaller unless `dropLast`. Default 32. */
  batchSize?: number;
  /** Visit the rows in a new random order each pass. Default false. */
  shuffle?: boolean;
  /** Skip a last batch smaller than `batchSize`. Default false. */
  dropLast?: boolean;
  /** Random source for shuffling; default: the global generator. */
  generator?: Generator;
}

/**
 * Iterate over mini-batches of `(x, y)` rows, like PyTorch's `DataLoader(TensorDataset(x, y))`.
 * Each call to `batches` is one pass (epoch) over the data: with `shuffle`, it draws a fresh
 * permutation from `generator`, so a seeded generator gives the same order on every run.
 *
 * @example
 * const x = arange(10).reshape([5, 2]);
 * const sizes: number[] = [];
 * for (const { x: xb } of batches(x, arange(5), { batchSize: 2, shuffle: true, generator: new Generator(0) })) {
 *   sizes.push(xb.shape[0]); // one step of mini-batch gradient descent on each batch
 * }
 * sizes; // [2, 2, 1]
 */
export function* batches(x: Tensor, y: Tensor, opts: BatchOptions = {}): IterableIterator<Batch> {
  const { batchSize = 32, shuffle = false, dropLast = false, generator } = opts;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batches: batchSize must be a positive integer, got ${batchSize}`);
  }
  const n = x.shape[0];
  if (y.shape[0] !== n) {
    throw new RangeError(
      `batches: x and y must have the same number of rows, got x [${x.shape}] and y [${y.shape}]`,
    );
  }
  const order = shuffle ? permutation(n, generator) : Array.from({ length: n }, (_, i) => i);
  for (let start = 0; start < n; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    if (dropLast && indices.length < batchSize) break;
    yield { x: takeRows(x, indices), y: takeRows(y, indices), indices };
  }
}

/**
 * The number of batches {@link batches} yields for `n` rows.
 *
 * @example
 * numBatches(10, 4); // 3
 */
export function numBatches(n: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}

/**
 * Split rows into a training and a test set (like scikit-learn's `train_test_split`): with
 * `shuffle` (the default) the rows are permuted by `generator` first, then the last
 * round(testFraction · n) rows of the order form the test set.
 *
 * @example
 * const x = arange(10).reshape([5, 2]);
 * const { trainX, testX } = trainTestSplit(x, arange(5), { testFraction: 0.2, generator: new Generator(0) });
 * [trainX.shape, testX.shape]; // [[4, 2], [1, 2]]
 */
export function trainTestSplit(
  x: Tensor,
  y: Tensor,
  opts: { testFraction?: number; shuffle?: boolean; generator?: Generator } = {},
): { trainX: Tensor; trainY: Tensor; testX: Tensor; testY: Tensor } {
  const { testFraction = 0.25, shuffle = true, generator } = opts;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`trainTestSplit: testFraction must be in (0, 1), got ${testFraction}`);
  }
  const n = x.shape[0];
  if (y.shape[0] !== n) {
    throw new RangeError(
      `trainTestSplit: x and y must have the same number of rows, got x [${x.shape}] and y [${y.shape}]`,
    );
  }
  const order = shuffle ? permutation(n, generator) : Array.from({ length: n }, (_, i) => i);
  const nTest = Math.round(testFraction * n);
  const train = order.slice(0, n - nTest);
  const test = order.slice(n - nTest);
  return {
    trainX: takeRows(x, train),
    trainY: takeRows(y, train),
    testX: takeRows(x, test),
    testY: takeRows(y, test),
  };
}
