/**
 * The input features of the TensorFlow Playground: from each point (x, y) of a two-dimensional
 * data set, the columns x, y, x², y², xy, sin x and sin y, in any selection and order. Feeding a
 * linear model squared or product features is the "kernel trick by hand" that chapter 5 uses to
 * separate the circle with logistic regression.
 */
import { Tensor } from '../tensor.ts';
import { DescentError, ShapeError } from '../errors.ts';
import { fromData } from './random-source.ts';

/** The Playground's seven input features, in its order. */
export const playgroundFeatureNames = ['x', 'y', 'x2', 'y2', 'xy', 'sinx', 'siny'] as const;

/** Name of a Playground input feature: `x2` is x², `xy` the product, `sinx` sin x. */
export type PlaygroundFeature = (typeof playgroundFeatureNames)[number];

const featureFns: Record<PlaygroundFeature, (x: number, y: number) => number> = {
  x: (x) => x,
  y: (_, y) => y,
  x2: (x) => x * x,
  y2: (_, y) => y * y,
  xy: (x, y) => x * y,
  sinx: (x) => Math.sin(x),
  siny: (_, y) => Math.sin(y),
};

/**
 * The feature value `name` of the point (x, y).
 *
 * @example
 * playgroundFeature('xy', 2, 3); // 6
 */
export function playgroundFeature(name: PlaygroundFeature, x: number, y: number): number {
  const fn = featureFns[name];
  if (!fn) {
    throw new DescentError(
      `playgroundFeature: unknown feature "${name}", expected one of ${playgroundFeatureNames.join(', ')}`,
    );
  }
  return fn(x, y);
}

/**
 * Maps points [n, 2] (columns x, y) to the chosen features [n, features.length], float32 like the
 * Playground data sets (or the dtype of `points`). No gradient flows through it: features are
 * inputs.
 *
 * @example
 * playgroundFeatures(tensor([[2, 3]]), ['x2', 'y2', 'xy']).toArray(); // [[4, 9, 6]]
 */
export function playgroundFeatures(points: Tensor, features: readonly PlaygroundFeature[]): Tensor {
  if (!(points instanceof Tensor) || points.ndim !== 2 || points.shape[1] !== 2) {
    const got = points instanceof Tensor ? `[${points.shape.join(', ')}]` : typeof points;
    throw new ShapeError(`playgroundFeatures: points must be [n, 2], got ${got}`);
  }
  if (features.length === 0) {
    throw new DescentError('playgroundFeatures: choose at least one feature');
  }
  const fns = features.map((name) => {
    const fn = featureFns[name];
    if (!fn) {
      throw new DescentError(
        `playgroundFeatures: unknown feature "${name}", expected one of ${playgroundFeatureNames.join(', ')}`,
      );
    }
    return fn;
  });
  const n = points.shape[0];
  const k = fns.length;
  const src = points.data;
  const out = points.dtype === 'float64' ? new Float64Array(n * k) : new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const x = src[2 * i];
    const y = src[2 * i + 1];
    for (let j = 0; j < k; j++) out[i * k + j] = fns[j](x, y);
  }
  return fromData(out, [n, k]);
}
