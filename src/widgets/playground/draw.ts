/**
 * Pixels and paths the playground draws, shared by the build (PNG data URLs, SVG strings) and
 * the browser (canvas ImageData, SVG attributes), so the prerendered first state and the live
 * widget look the same. Colours: the book's palette, blue for the positive class and orange for
 * the negative one (as in the TensorFlow Playground), drawn translucent over the page
 * background so they work in light and dark mode.
 */
import { palette } from '../../notebook/figures/define.ts';
import {
  DOMAIN,
  featureLabels,
  type GridOutput,
  type PlaygroundConfig,
  type Point,
} from './model.ts';

/** Resolution of the grid the network is evaluated on (pictures are drawn smoothed). */
export const GRID = 40;

const hex = (h: string): [number, number, number] => [
  parseInt(h.slice(1, 3), 16),
  parseInt(h.slice(3, 5), 16),
  parseInt(h.slice(5, 7), 16),
];
export const POSITIVE = palette.blue;
export const NEGATIVE = palette.orange;
const POS = hex(POSITIVE);
const NEG = hex(NEGATIVE);
/** Strongest opacity of the region colours: the points stay readable on top. */
const MAX_ALPHA = 0.7;

/**
 * RGBA pixels for values in [−1, 1] (one per grid cell, row-major): blue for positive values,
 * orange for negative ones, more opaque the larger |v|.
 */
export function signedPixels(
  values: ArrayLike<number>,
  out?: Uint8ClampedArray,
): Uint8ClampedArray {
  const pixels = out ?? new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const v = Math.max(-1, Math.min(1, values[i]!));
    const [r, g, b] = v >= 0 ? POS : NEG;
    pixels[4 * i] = r;
    pixels[4 * i + 1] = g;
    pixels[4 * i + 2] = b;
    pixels[4 * i + 3] = Math.round(255 * MAX_ALPHA * Math.abs(v));
  }
  return pixels;
}

/** The decision region's values: 2p − 1 for the probability p of the positive class. */
export function regionValues(grid: GridOutput, out?: Float32Array): Float32Array {
  const values = out ?? new Float32Array(grid.probability.length);
  for (let i = 0; i < values.length; i++) values[i] = 2 * grid.probability[i]! - 1;
  return values;
}

/**
 * A neuron's values scaled into [−1, 1] for its small picture: centred at 0.5 for sigmoid units
 * (their output is in (0, 1)), at 0 otherwise, and divided by the largest |value| on the grid.
 */
export function neuronValues(
  values: Float32Array,
  centre: number,
  out?: Float32Array,
): Float32Array {
  const scaled = out ?? new Float32Array(values.length);
  let max = 1e-6;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]! - centre));
  for (let i = 0; i < values.length; i++) scaled[i] = (values[i]! - centre) / max;
  return scaled;
}

/** Size of the data picture's SVG coordinate system (it scales with CSS). */
export const VIEW = 300;
const toView = (v: number) => ((v + DOMAIN) / (2 * DOMAIN)) * VIEW;

/** The points as SVG circles (training points filled, test points outlined). */
export function pointsSVG(train: Point[], test: Point[]): string {
  const circle = (p: Point, cls: string) =>
    `<circle cx="${toView(p.x).toFixed(1)}" cy="${(VIEW - toView(p.y)).toFixed(1)}" r="3.2" class="${cls} ${p.label > 0.5 ? 'pg-pos' : 'pg-neg'}"/>`;
  return (
    `<g class="pg-train">${train.map((p) => circle(p, 'pg-pt')).join('')}</g>` +
    `<g class="pg-test">${test.map((p) => circle(p, 'pg-pt pg-pt--test')).join('')}</g>`
  );
}

/** Axis ticks of the data picture: −6, −3, 0, 3, 6 on both axes. */
export function axesSVG(): string {
  const ticks = [-6, -3, 0, 3, 6];
  const x = ticks
    .map((t) => `<text x="${toView(t)}" y="${VIEW + 14}" text-anchor="middle">${t}</text>`)
    .join('');
  const y = ticks
    .map((t) => `<text x="-5" y="${VIEW - toView(t) + 4}" text-anchor="end">${t}</text>`)
    .join('');
  return `<g class="pg-axes" aria-hidden="true">${x}${y}</g>`;
}

export const CURVE_W = 300;
export const CURVE_H = 90;

/**
 * SVG path data for the loss curves over epochs 0..n, on a shared y scale from 0 to the
 * largest loss seen (so both curves fit), x stretched to at least 10 epochs.
 */
export function lossPaths(
  train: number[],
  test: number[],
): { train: string; test: string; max: number } {
  const finite = [...train, ...test].filter(Number.isFinite);
  const max = Math.max(0.1, ...finite);
  const n = Math.max(10, train.length - 1);
  // Long runs: at most ~300 points per curve (one per horizontal pixel).
  const stride = Math.max(1, Math.ceil(train.length / CURVE_W));
  const path = (losses: number[]) => {
    let d = '';
    for (let i = 0; i < losses.length; i += stride) {
      const v = Math.min(max, Number.isFinite(losses[i]!) ? losses[i]! : max);
      d += `${d ? 'L' : 'M'}${((i / n) * CURVE_W).toFixed(1)},${(CURVE_H - (v / max) * CURVE_H).toFixed(1)}`;
    }
    const last = losses.length - 1;
    if (last > 0 && last % stride !== 0) {
      const v = Math.min(max, Number.isFinite(losses[last]!) ? losses[last]! : max);
      d += `L${((last / n) * CURVE_W).toFixed(1)},${(CURVE_H - (v / max) * CURVE_H).toFixed(1)}`;
    }
    return d;
  };
  return { train: path(train), test: path(test), max };
}

/** Which centre a unit's picture uses: 0.5 for sigmoid hidden units, 0 for everything else. */
export function neuronCentre(config: PlaygroundConfig, layer: number): number {
  return layer > 0 && config.activation === 'sigmoid' ? 0.5 : 0;
}

/** Label of unit `unit` of layer `layer` (layer 0 = the input features). */
export function neuronLabel(config: PlaygroundConfig, layer: number, unit: number): string {
  return layer === 0 ? featureLabels[config.features[unit]!] : `layer ${layer}, unit ${unit + 1}`;
}
