/**
 * Small synthetic data sets the book uses: the sources' linear-regression set and three sequence
 * tasks for the recurrent-network chapter (adding problem, copy task, sine continuation).
 * Every generator is seeded through its `generator` option (default: the global generator).
 */
import type { Tensor } from '../tensor.ts';
import type { Generator } from '../random.ts';
import { drawUniform, randInt, fromData } from './random-source.ts';

/** The linear-regression set: `xs`, `ys` as plain arrays and `x`, `y` as [m] float64 tensors. */
export interface RegressionData {
  xs: number[];
  ys: number[];
  x: Tensor;
  y: Tensor;
}

/**
 * The linear-regression set of the source's gradient-descent example: x = 1, 2, …, m and y a
 * random integer within ±5 of x, clipped to [0, m] (the source draws
 * `random.randint(max(0, x − 5), min(m, x + 5))`, both ends included).
 *
 * @example
 * const { xs, ys } = linearRegressionData({ generator: new Generator(0) }); // m = 20
 */
export function linearRegressionData(opts: { m?: number; generator?: Generator } = {}) {
  const { m = 20, generator } = opts;
  if (!Number.isInteger(m) || m < 1) {
    throw new RangeError(`linearRegressionData: m must be a positive integer, got ${m}`);
  }
  const xs = Array.from({ length: m }, (_, i) => i + 1);
  const ys = xs.map((x) => randInt(Math.max(0, x - 5), Math.min(m, x + 5), generator));
  return {
    xs,
    ys,
    x: fromData(Float64Array.from(xs), [m], 'float64'),
    y: fromData(Float64Array.from(ys), [m], 'float64'),
  } satisfies RegressionData;
}

/** A sequence task: inputs `x` and targets `y`, time-major unless `batchFirst`. */
export interface SequenceData {
  /** Inputs: [T, n, features] (or [n, T, features] with `batchFirst`). */
  x: Tensor;
  /** Targets; the shape depends on the task. */
  y: Tensor;
}

interface SequenceOptions {
  /** Number of sequences. */
  n: number;
  /** Return [n, T, …] instead of PyTorch's default [T, n, …]. */
  batchFirst?: boolean;
  generator?: Generator;
}

function checkCount(name: string, what: string, v: number, min = 1): void {
  if (!Number.isInteger(v) || v < min) {
    throw new RangeError(`${name}: ${what} must be an integer >= ${min}, got ${v}`);
  }
}

/** Index of element (t, b, f) in a time-major or batch-first buffer. */
function at(batchFirst: boolean, T: number, n: number, F: number, t: number, b: number, f = 0) {
  return batchFirst ? (b * T + t) * F + f : (t * n + b) * F + f;
}

/**
 * The adding problem (Hochreiter & Schmidhuber 1997; Le, Jaitly & Hinton 2015): each step carries
 * two features, a value from U(0, 1) and a marker that is 1 at exactly two steps, one in the first
 * half of the sequence and one in the second; the target is the sum of the two marked values.
 * A model must carry the first value across at least T/2 steps.
 *
 * @returns `x` [T, n, 2] (or [n, T, 2]) and `y` [n, 1].
 *
 * @example
 * const { x, y } = addingProblem({ n: 8, T: 50, generator: new Generator(0) });
 * [x.shape, y.shape]; // [[50, 8, 2], [8, 1]]
 */
export function addingProblem(opts: SequenceOptions & { T: number }): SequenceData {
  const { n, T, batchFirst = false, generator } = opts;
  checkCount('addingProblem', 'n', n);
  checkCount('addingProblem', 'T', T, 2);
  const x = new Float32Array(T * n * 2);
  const y = new Float32Array(n);
  const half = Math.floor(T / 2);
  for (let b = 0; b < n; b++) {
    for (let t = 0; t < T; t++) x[at(batchFirst, T, n, 2, t, b, 0)] = drawUniform(0, 1, generator);
    const first = randInt(0, half - 1, generator);
    const second = randInt(half, T - 1, generator);
    x[at(batchFirst, T, n, 2, first, b, 1)] = 1;
    x[at(batchFirst, T, n, 2, second, b, 1)] = 1;
    y[b] = x[at(batchFirst, T, n, 2, first, b, 0)] + x[at(batchFirst, T, n, 2, second, b, 0)];
  }
  return {
    x: fromData(x, batchFirst ? [n, T, 2] : [T, n, 2]),
    y: fromData(y, [n, 1]),
  };
}

/**
 * The copy task (Hochreiter & Schmidhuber 1997; Arjovsky, Shah & Bengio 2016): a sequence of
 * `length` symbols from 1..numSymbols, then `delay` − 1 blanks (0), a go marker (numSymbols + 1),
 * and `length` more blanks; the target is blank until the last `length` steps, which must repeat
 * the symbols. Sequences are `delay + 2·length` steps long.
 *
 * @returns `x` one-hot [L, n, numSymbols + 2] (or batch-first), `y` class indices [L, n] (or
 *   [n, L]) as float32, `symbols` the class count numSymbols + 2.
 *
 * @example
 * const { x, y } = copyTask({ n: 4, length: 5, delay: 10, generator: new Generator(0) });
 * [x.shape, y.shape]; // [[20, 4, 10], [20, 4]]
 */
export function copyTask(
  opts: SequenceOptions & { length: number; delay: number; numSymbols?: number },
): SequenceData & { numClasses: number } {
  const { n, length, delay, numSymbols = 8, batchFirst = false, generator } = opts;
  checkCount('copyTask', 'n', n);
  checkCount('copyTask', 'length', length);
  checkCount('copyTask', 'delay', delay);
  checkCount('copyTask', 'numSymbols', numSymbols);
  const L = delay + 2 * length;
  const C = numSymbols + 2;
  const x = new Float32Array(L * n * C);
  const y = new Float32Array(L * n);
  for (let b = 0; b < n; b++) {
    const classes = new Array<number>(L).fill(0);
    const targets = new Array<number>(L).fill(0);
    for (let t = 0; t < length; t++) {
      const s = randInt(1, numSymbols, generator);
      classes[t] = s;
      targets[delay + length + t] = s;
    }
    classes[length + delay - 1] = numSymbols + 1;
    for (let t = 0; t < L; t++) {
      x[at(batchFirst, L, n, C, t, b, classes[t])] = 1;
      y[at(batchFirst, L, n, 1, t, b)] = targets[t];
    }
  }
  return {
    x: fromData(x, batchFirst ? [n, L, C] : [L, n, C]),
    y: fromData(y, batchFirst ? [n, L] : [L, n]),
    numClasses: C,
  };
}

/**
 * Sine continuation: n sine waves sin(ω·t·dt + φ) with random phase φ ~ U(0, 2π) and frequency
 * ω ~ U(omegaMin, omegaMax); the input is the first T samples and the target the same wave
 * `horizon` steps ahead (next-step prediction with the default horizon 1).
 *
 * @returns `x` and `y`, both [T, n, 1] (or [n, T, 1]).
 *
 * @example
 * const { x, y } = sineSequences({ n: 3, T: 40, generator: new Generator(0) });
 * x.shape; // [40, 3, 1]
 */
export function sineSequences(
  opts: SequenceOptions & {
    T: number;
    dt?: number;
    horizon?: number;
    omegaMin?: number;
    omegaMax?: number;
  },
): SequenceData {
  const {
    n,
    T,
    dt = 0.1,
    horizon = 1,
    omegaMin = 0.5,
    omegaMax = 2,
    batchFirst = false,
    generator,
  } = opts;
  checkCount('sineSequences', 'n', n);
  checkCount('sineSequences', 'T', T);
  checkCount('sineSequences', 'horizon', horizon);
  const x = new Float32Array(T * n);
  const y = new Float32Array(T * n);
  for (let b = 0; b < n; b++) {
    const phase = drawUniform(0, 2 * Math.PI, generator);
    const omega = drawUniform(omegaMin, omegaMax, generator);
    for (let t = 0; t < T; t++) {
      x[at(batchFirst, T, n, 1, t, b)] = Math.sin(omega * t * dt + phase);
      y[at(batchFirst, T, n, 1, t, b)] = Math.sin(omega * (t + horizon) * dt + phase);
    }
  }
  const shape = batchFirst ? [n, T, 1] : [T, n, 1];
  return { x: fromData(x, shape), y: fromData(y, shape) };
}
