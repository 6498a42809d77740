/**
 * Small drawing helpers shared by the digits widgets: grayscale images on canvases, a line
 * chart in SVG, and element creation. No dependencies: the widgets stay light.
 */

/** Creates an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

/**
 * Draws a size×size image on a canvas of that many pixels (CSS scales it up, pixelated).
 * `mode: 'ink'` maps 0..1 to black..white, like MNIST; `mode: 'signed'` maps the range
 * [-m, m] (m the largest magnitude) to blue..black..orange, for filters.
 */
export function imageCanvas(
  values: ArrayLike<number>,
  size: number,
  { mode = 'ink', label }: { mode?: 'ink' | 'signed'; label: string },
): HTMLCanvasElement {
  const canvas = h('canvas', {
    width: String(size),
    height: String(size),
    role: 'img',
    'aria-label': label,
  });
  paintImage(canvas, values, size, mode);
  return canvas;
}

export function paintImage(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  size: number,
  mode: 'ink' | 'signed' = 'ink',
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(size, size);
  let m = 0;
  if (mode === 'signed') for (let i = 0; i < size * size; i++) m = Math.max(m, Math.abs(values[i]));
  else for (let i = 0; i < size * size; i++) m = Math.max(m, values[i]);
  m ||= 1;
  for (let i = 0; i < size * size; i++) {
    const v = values[i] / m;
    let r: number, g: number, b: number;
    if (mode === 'ink') r = g = b = Math.round(255 * Math.max(0, Math.min(1, v)));
    else if (v >= 0)
      [r, g, b] = [234 * v, 88 * v, 12 * v].map(Math.round); // towards orange
    else [r, g, b] = [59 * -v, 130 * -v, 246 * -v].map(Math.round); // towards blue
    img.data.set([r, g, b, 255], 4 * i);
  }
  ctx.putImageData(img, 0, 0);
}

export interface Series {
  label: string;
  color: string;
  points: [number, number][];
  /** Draw dots instead of a line. */
  dots?: boolean;
}

const SVG = 'http://www.w3.org/2000/svg';

function s(tag: string, attrs: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** Redraws a simple line chart into `svg` (viewBox 320×180): axes, ticks, series. */
export function lineChart(
  svg: SVGSVGElement,
  series: Series[],
  {
    xMax,
    yMin,
    yMax,
    xLabel,
    yLabel,
  }: { xMax: number; yMin: number; yMax: number; xLabel: string; yLabel: string },
): void {
  const [W, H, left, right, top, bottom] = [320, 180, 40, 10, 10, 32];
  const x = (v: number) => left + ((W - left - right) * v) / xMax;
  const y = (v: number) =>
    top + ((H - top - bottom) * (yMax - Math.min(yMax, Math.max(yMin, v)))) / (yMax - yMin);
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const axis = s('g', { stroke: 'currentColor', 'stroke-opacity': 0.4, fill: 'none' });
  axis.append(s('path', { d: `M${left},${top}V${H - bottom}H${W - right}` }));
  svg.append(axis);
  const text = s('g', { fill: 'currentColor', 'font-size': 10 });
  for (let i = 0; i <= 4; i++) {
    const v = yMin + ((yMax - yMin) * i) / 4;
    const t = s('text', { x: left - 4, y: y(v) + 3, 'text-anchor': 'end' });
    t.textContent = yMax <= 1 && yMin >= 0 && yMax - yMin < 1.01 ? v.toFixed(2) : v.toFixed(1);
    text.append(t);
  }
  for (let v = 0; v <= xMax; v++) {
    const t = s('text', { x: x(v), y: H - bottom + 12, 'text-anchor': 'middle' });
    t.textContent = String(v);
    text.append(t);
  }
  const xl = s('text', { x: (left + W - right) / 2, y: H - 4, 'text-anchor': 'middle' });
  xl.textContent = xLabel;
  text.append(xl);
  svg.append(text);
  for (const one of series) {
    if (one.points.length === 0) continue;
    if (one.dots) {
      const g = s('g', { fill: one.color });
      for (const [px, py] of one.points) g.append(s('circle', { cx: x(px), cy: y(py), r: 3 }));
      svg.append(g);
    } else {
      const d = one.points
        .map(([px, py], i) => `${i ? 'L' : 'M'}${x(px).toFixed(1)},${y(py).toFixed(1)}`)
        .join('');
      svg.append(s('path', { d, fill: 'none', stroke: one.color, 'stroke-width': 1.5 }));
    }
  }
  svg.setAttribute('aria-label', `${yLabel} against ${xLabel}`);
}
