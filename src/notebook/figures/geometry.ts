/**
 * Where a rendered plot puts data coordinates: shared by the build (placing point handles in
 * the first frame) and the browser (dragging them). DOM-agnostic: works on linkedom and real
 * DOM nodes alike, and imports nothing heavy, so the client bundle stays small.
 */
import type { PlotElement, PointControl } from './define.ts';

/** Where a plot's x/y scales put data coordinates, in the main SVG's own pixel units. */
export interface PlotGeometry {
  /** The SVG the scales draw in (the plot itself, or the one inside a <figure> with legends). */
  svg: SVGSVGElement;
  viewBox: [number, number, number, number];
  x: { apply(v: number): number; invert(p: number): number; domain: [number, number] };
  y: { apply(v: number): number; invert(p: number): number; domain: [number, number] };
}

/**
 * Finds the drawing SVG and the continuous x/y scales of a rendered plot, or null when the
 * plot has no such scales (then point controls cannot be placed, and we say so).
 */
export function plotGeometry(plot: PlotElement): PlotGeometry | null {
  const svg = mainSvg(plot);
  const xs = plot.scale?.('x');
  const ys = plot.scale?.('y');
  if (!svg || !xs?.invert || !ys?.invert) return null;
  const box = (svg.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  const viewBox: [number, number, number, number] =
    box.length === 4 && box.every(Number.isFinite)
      ? (box as [number, number, number, number])
      : [0, 0, width, height];
  const domainOf = (d: unknown[]) => [Number(d[0]), Number(d[d.length - 1])] as [number, number];
  return {
    svg,
    viewBox,
    x: { apply: xs.apply, invert: xs.invert, domain: domainOf(xs.domain as unknown[]) },
    y: { apply: ys.apply, invert: ys.invert, domain: domainOf(ys.domain as unknown[]) },
  };
}

/** The SVG a plot draws its marks in: the plot itself, or its last direct <svg> child. */
export function mainSvg(plot: Element): SVGSVGElement | null {
  if (plot.tagName.toLowerCase() === 'svg') return plot as SVGSVGElement;
  const svgs = [...plot.children].filter((c) => c.tagName.toLowerCase() === 'svg');
  return (svgs[svgs.length - 1] as SVGSVGElement | undefined) ?? null;
}

/** The accessible text of a point handle, e.g. "Start point: x = -2.00, y = 1.50". */
export function pointText(control: PointControl, value: readonly [number, number]): string {
  if (control.format) return `${control.label}: ${control.format(value)}`;
  return `${control.label}: x = ${value[0].toFixed(2)}, y = ${value[1].toFixed(2)}`;
}
