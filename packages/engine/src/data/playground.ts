/**
 * The two-dimensional data sets of the TensorFlow Playground (circle, xor, gaussian, spiral), with
 * the same shapes, radii and noise model as the Playground's `dataset.ts`, drawn from a seeded
 * generator so a chapter's figure is the same on every build.
 *
 * `noise` is the Playground's slider divided by 100 (0 to 0.5). Each point carries the
 * Playground's ±1 label; the tensors use 0/1 (1 = the Playground's positive class), which is what
 * `F.bceWithLogitsLoss` and `accuracy` expect.
 */
import type { Tensor } from '../tensor.ts';
import type { Generator } from '../random.ts';
import { drawUniform, standardNormal, fromData } from './random-source.ts';

/** A point of a two-dimensional data set with the Playground's ±1 label. */
export interface Point2D {
  x: number;
  y: number;
  label: 1 | -1;
}

/** A two-dimensional classification set: points, inputs `x` [n, 2] and 0/1 targets `y` [n]. */
export interface Dataset2D {
  points: Point2D[];
  /** Inputs, [n, 2] float32. */
  x: Tensor;
  /** Targets, [n] float32: 1 for the Playground's positive class, 0 for the negative one. */
  y: Tensor;
}

/** Options shared by the Playground generators. */
export interface PlaygroundOptions {
  /** Number of points; the Playground uses 500. Default 500. */
  n?: number;
  /** The Playground's noise slider / 100, from 0 to 0.5. Default 0. */
  noise?: number;
  /** Random source; default: the global generator (see `manualSeed`). */
  generator?: Generator;
}

const dist = (x: number, y: number) => Math.sqrt(x * x + y * y);

function pack(points: Point2D[]): Dataset2D {
  return {
    points,
    x: fromData(Float32Array.from(points.flatMap((p) => [p.x, p.y])), [points.length, 2]),
    y: fromData(
      Float32Array.from(points, (p) => (p.label === 1 ? 1 : 0)),
      [points.length],
    ),
  };
}

function checkOptions(name: string, n: number, noise: number): void {
  if (!Number.isInteger(n) || n < 2) {
    throw new RangeError(`${name}: n must be an integer >= 2, got ${n}`);
  }
  if (!(noise >= 0)) throw new RangeError(`${name}: noise must be >= 0, got ${noise}`);
}

/**
 * A disc of positive points (radius < 2.5) inside a ring of negative ones (radius 3.5 to 5).
 * Noise perturbs the point used for the label, not the point itself, so with noise some points
 * near the boundary carry the other class's label (as in the Playground).
 *
 * @example
 * const { x, y } = circleData({ n: 200, noise: 0.1, generator: new Generator(1) });
 */
export function circleData(opts: PlaygroundOptions = {}): Dataset2D {
  const { n = 500, noise = 0, generator } = opts;
  checkOptions('circleData', n, noise);
  const radius = 5;
  const points: Point2D[] = [];
  const label = (x: number, y: number): 1 | -1 => (dist(x, y) < radius * 0.5 ? 1 : -1);
  const ring = (rMin: number, rMax: number, count: number) => {
    for (let i = 0; i < count; i++) {
      const r = drawUniform(rMin, rMax, generator);
      const angle = drawUniform(0, 2 * Math.PI, generator);
      const x = r * Math.sin(angle);
      const y = r * Math.cos(angle);
      const nx = drawUniform(-radius, radius, generator) * noise;
      const ny = drawUniform(-radius, radius, generator) * noise;
      points.push({ x, y, label: label(x + nx, y + ny) });
    }
  };
  ring(0, radius * 0.5, Math.ceil(n / 2));
  ring(radius * 0.7, radius, Math.floor(n / 2));
  return pack(points);
}

/**
 * Points uniform in [−5, 5]², pushed 0.3 away from the axes; positive when x·y ≥ 0 (quadrants
 * I and III), with the label computed on a noisy copy of the point.
 *
 * @example
 * const { points } = xorData({ n: 100, generator: new Generator(0) });
 * points.every((p) => (p.x * p.y >= 0) === (p.label === 1)); // true
 */
export function xorData(opts: PlaygroundOptions = {}): Dataset2D {
  const { n = 500, noise = 0, generator } = opts;
  checkOptions('xorData', n, noise);
  const padding = 0.3;
  const points: Point2D[] = [];
  for (let i = 0; i < n; i++) {
    let x = drawUniform(-5, 5, generator);
    x += x > 0 ? padding : -padding;
    let y = drawUniform(-5, 5, generator);
    y += y > 0 ? padding : -padding;
    const nx = drawUniform(-5, 5, generator) * noise;
    const ny = drawUniform(-5, 5, generator) * noise;
    points.push({ x, y, label: (x + nx) * (y + ny) >= 0 ? 1 : -1 });
  }
  return pack(points);
}

/**
 * Two Gaussian blobs, positive around (2, 2) and negative around (−2, −2), whose variance grows
 * linearly with the noise from 0.5 (noise 0) to 4 (noise 0.5).
 *
 * @example
 * const { x, y } = gaussianData({ n: 100, noise: 0.1, generator: new Generator(0) });
 * x.shape; // [100, 2]
 */
export function gaussianData(opts: PlaygroundOptions = {}): Dataset2D {
  const { n = 500, noise = 0, generator } = opts;
  checkOptions('gaussianData', n, noise);
  const variance = 0.5 + (noise / 0.5) * 3.5;
  const sd = Math.sqrt(variance);
  const points: Point2D[] = [];
  const blob = (cx: number, cy: number, label: 1 | -1, count: number) => {
    for (let i = 0; i < count; i++) {
      const x = cx + sd * standardNormal(generator);
      const y = cy + sd * standardNormal(generator);
      points.push({ x, y, label });
    }
  };
  blob(2, 2, 1, Math.ceil(n / 2));
  blob(-2, -2, -1, Math.floor(n / 2));
  return pack(points);
}

/**
 * Two interleaved spirals: point i of n/2 has radius 5·i/(n/2) and angle 1.75·2π·i/(n/2) (plus π
 * for the negative arm), each coordinate jittered by U(−1, 1)·noise.
 *
 * @example
 * const { y } = spiralData({ n: 100, generator: new Generator(0) });
 * y.sum().item(); // 50
 */
export function spiralData(opts: PlaygroundOptions = {}): Dataset2D {
  const { n = 500, noise = 0, generator } = opts;
  checkOptions('spiralData', n, noise);
  const half = n / 2;
  const points: Point2D[] = [];
  const arm = (deltaT: number, label: 1 | -1, count: number) => {
    for (let i = 0; i < count; i++) {
      const r = (i / half) * 5;
      const t = ((1.75 * i) / half) * 2 * Math.PI + deltaT;
      const x = r * Math.sin(t) + drawUniform(-1, 1, generator) * noise;
      const y = r * Math.cos(t) + drawUniform(-1, 1, generator) * noise;
      points.push({ x, y, label });
    }
  };
  arm(0, 1, Math.ceil(half));
  arm(Math.PI, -1, Math.floor(half));
  return pack(points);
}

/** The four Playground classification sets by name. */
export const playgroundDatasets = {
  circle: circleData,
  xor: xorData,
  gaussian: gaussianData,
  spiral: spiralData,
} as const;

/** Name of a Playground data set. */
export type PlaygroundName = keyof typeof playgroundDatasets;

/**
 * A Playground data set by name.
 *
 * @example
 * const data = playgroundData('spiral', { n: 300, noise: 0.05, generator: new Generator(0) });
 */
export function playgroundData(name: PlaygroundName, opts: PlaygroundOptions = {}): Dataset2D {
  const make = playgroundDatasets[name];
  if (!make) {
    throw new RangeError(
      `playgroundData: unknown data set "${name}", expected one of ${Object.keys(playgroundDatasets).join(', ')}`,
    );
  }
  return make(opts);
}
