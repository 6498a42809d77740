/**
 * Where things go on the lab's two plots (contours with paths, loss against step), shared by
 * the build's static SVG and the browser's canvas: scales, contour paths, path pixels, ticks.
 * No DOM here.
 */
import { contourLines, memoize } from '../../notebook/figures/contours.ts';
import { PROBLEMS, type ProblemId } from './problems.ts';
import type { Run } from './simulate.ts';

export const MAP_WIDTH = 640;
export const MAP_HEIGHT = 440;
export const LOSS_WIDTH = 640;
export const LOSS_HEIGHT = 200;
const MARGIN = { left: 40, right: 12, top: 10, bottom: 28 };

export interface Scale {
  /** Data to pixel. */
  apply(v: number): number;
  /** Pixel to data. */
  invert(p: number): number;
  domain: readonly [number, number];
  range: readonly [number, number];
}

function linear(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = (r1 - r0) / (d1 - d0);
  return {
    apply: (v) => r0 + (v - d0) * k,
    invert: (p) => d0 + (p - r0) / k,
    domain,
    range,
  };
}

export interface MapFrame {
  x: Scale;
  y: Scale;
}

/** The contour plot's scales: the surface's region, with equal units on both axes, centred. */
export const mapFrame = memoize((id: ProblemId): MapFrame => {
  const p = PROBLEMS[id];
  const innerW = MAP_WIDTH - MARGIN.left - MARGIN.right;
  const innerH = MAP_HEIGHT - MARGIN.top - MARGIN.bottom;
  const unit = Math.min(innerW / (p.x[1] - p.x[0]), innerH / (p.y[1] - p.y[0]));
  const w = unit * (p.x[1] - p.x[0]);
  const h = unit * (p.y[1] - p.y[0]);
  const left = MARGIN.left + (innerW - w) / 2;
  const top = MARGIN.top + (innerH - h) / 2;
  return { x: linear(p.x, [left, left + w]), y: linear(p.y, [top + h, top]) };
});

/** SVG path data for every contour level of a surface, in pixels (computed once per surface). */
export const contourPaths = memoize((id: ProblemId): { level: number; d: string }[] => {
  const p = PROBLEMS[id];
  const { x, y } = mapFrame(id);
  const points = contourLines((a, b) => p.at(a, b), {
    x: p.x,
    y: p.y,
    thresholds: p.levels,
    resolution: 140,
  });
  const byLevel = new Map<number, string[]>();
  let pen = false;
  for (const pt of points) {
    const parts = byLevel.get(pt.level) ?? [];
    byLevel.set(pt.level, parts);
    if (!Number.isFinite(pt.x)) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? 'L' : 'M'}${x.apply(pt.x).toFixed(1)},${y.apply(pt.y).toFixed(1)}`);
    pen = true;
  }
  return [...byLevel].map(([level, parts]) => ({ level, d: parts.join('') }));
});

/** A run's path in pixels of the contour plot: x0, y0, x1, y1, … */
export function pathPixels(run: Run, id: ProblemId): Float32Array {
  const { x, y } = mapFrame(id);
  const out = new Float32Array(run.path.length);
  for (let i = 0; i < run.path.length; i += 2) {
    // NOTE: clamp far-away points so a diverging path still draws as a line off the edge
    out[i] = Math.max(-5000, Math.min(5000, x.apply(run.path[i]!)));
    out[i + 1] = Math.max(-5000, Math.min(5000, y.apply(run.path[i + 1]!)));
  }
  return out;
}

export interface LossFrame {
  x: Scale;
  /** log10 of (loss − lowest) to pixels. */
  y: Scale;
  /** The decades to label, as exponents. */
  decades: number[];
  steps: number;
}

/** The floor of the log-scale loss chart: gaps below this draw on the bottom edge. */
const FLOOR_DECADES = 12;

/** The loss chart's scales for these runs: steps on x, log₁₀(f − f_min) on y. */
export function lossFrame(problem: ProblemId, runs: Run[], steps: number): LossFrame {
  const lowest = PROBLEMS[problem].lowest;
  let top = -Infinity;
  for (const run of runs) {
    const first = run.loss[0]! - lowest;
    if (first > 0) top = Math.max(top, Math.log10(first));
  }
  const high = Number.isFinite(top) ? Math.ceil(top + 0.01) : 2;
  const low = high - FLOOR_DECADES;
  const decades: number[] = [];
  for (let d = high; d >= low; d -= 3) decades.push(d);
  return {
    x: linear([0, steps], [MARGIN.left + 8, LOSS_WIDTH - MARGIN.right]),
    y: linear([low, high], [LOSS_HEIGHT - MARGIN.bottom, MARGIN.top]),
    decades,
    steps,
  };
}

/** A run's loss curve in pixels of the loss chart: x0, y0, x1, y1, … */
export function lossPixels(run: Run, problem: ProblemId, frame: LossFrame): Float32Array {
  const lowest = PROBLEMS[problem].lowest;
  const [low, high] = frame.y.domain;
  const out = new Float32Array(run.loss.length * 2);
  for (let i = 0; i < run.loss.length; i++) {
    const gap = run.loss[i]! - lowest;
    const log = gap > 0 ? Math.log10(gap) : low;
    out[2 * i] = frame.x.apply(i);
    out[2 * i + 1] = frame.y.apply(
      Math.max(low, Math.min(high + 1, Number.isFinite(log) ? log : high + 1)),
    );
  }
  return out;
}

/** Tick values for an axis: the integers in its domain (at most 9). */
export function integerTicks(domain: readonly [number, number]): number[] {
  const [a, b] = domain;
  const span = b - a;
  const every = span > 8 ? 2 : 1;
  const ticks: number[] = [];
  for (let v = Math.ceil(a / every) * every; v <= b + 1e-9; v += every) ticks.push(v);
  return ticks;
}

/** Step ticks of the loss chart: 0, a quarter, half, three quarters, all. */
export function stepTicks(steps: number): number[] {
  return [0, 1, 2, 3, 4].map((k) => Math.round((k * steps) / 4));
}

/** `10⁻³`-style text for a decade. */
export function decadeLabel(exponent: number): string {
  const digits = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  const sup = String(Math.abs(exponent))
    .split('')
    .map((c) => digits[Number(c)])
    .join('');
  return `10${exponent < 0 ? '⁻' : ''}${sup}`;
}

/** SVG path data of the first `count` points of a pixel polyline. */
export function polylineD(pixels: Float32Array, count = pixels.length / 2): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++)
    parts.push(
      `${i === 0 ? 'M' : 'L'}${pixels[2 * i]!.toFixed(1)},${pixels[2 * i + 1]!.toFixed(1)}`,
    );
  return parts.join('');
}
