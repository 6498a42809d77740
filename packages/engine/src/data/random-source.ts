/**
 * The few random draws the data sets, initialisers and layers need, on top of the engine's
 * seeded {@link Generator} (the global one from `manualSeed` when none is given).
 */
import { Tensor } from '../tensor.ts';
import { defaultGenerator, type Generator } from '../random.ts';
import type { DType, FloatArray } from '../dtype.ts';

/** The generator to draw from: the given one, else the global one. */
export function resolveGenerator(generator?: Generator): Generator {
  return generator ?? defaultGenerator();
}

/** Uniform in [a, b). */
export function drawUniform(a: number, b: number, generator?: Generator): number {
  return a + (b - a) * resolveGenerator(generator).uniform();
}

/** Standard normal. */
export function standardNormal(generator?: Generator): number {
  return resolveGenerator(generator).normal();
}

/** Uniform integer in [low, high], both ends included (like Python's `random.randint`). */
export function randInt(low: number, high: number, generator?: Generator): number {
  return resolveGenerator(generator).integer(low, high + 1);
}

/**
 * A random permutation of 0..n−1 (Fisher–Yates).
 *
 * @example
 * permutation(5, new Generator(0)).sort(); // [0, 1, 2, 3, 4]
 */
export function permutation(n: number, generator?: Generator): number[] {
  const g = resolveGenerator(generator);
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = g.integer(0, i + 1);
    const tmp = out[i];
    out[i] = out[j];
    out[j] = tmp;
  }
  return out;
}

/** Wrap a typed array as a tensor of `shape` (no copy). */
export function fromData(data: FloatArray, shape: number[], dtype?: DType): Tensor {
  if (dtype === 'float64' && !(data instanceof Float64Array)) data = Float64Array.from(data);
  if (dtype === 'float32' && !(data instanceof Float32Array)) data = Float32Array.from(data);
  return new Tensor(data, shape);
}
