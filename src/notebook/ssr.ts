/**
 * Server-side rendering of Observable Plot figures, for the build (Node, no browser DOM).
 *
 * Plot builds real DOM nodes; at build time we hand it a linkedom document instead of the
 * browser's, then serialize the result to an HTML string that Astro inlines into the page.
 *
 * The output is deterministic: the same Plot options give byte-identical strings, across runs
 * and across figures rendered in the same process. Two things would otherwise break that:
 * - Plot numbers the ids it generates for clip paths, patterns and markers with a process-wide
 *   counter (`plot-clip-7`), so the same figure gets different ids depending on what rendered
 *   before it. We renumber them per output, in order of first appearance, under a prefix the
 *   caller chooses (a figure id), which also keeps two figures on one page from sharing ids.
 * - Coordinates are long floats whose last digits can differ between JS engines' Math
 *   functions. We round geometry attributes to `precision` decimals (3 by default, far below a
 *   pixel), which also makes the HTML smaller.
 *
 * Used by components/Figure.astro (first frame of interactive figures) and by code cells
 * (a `Plot.plot(...)` value shown at build time).
 *
 * @example
 * import { ssrPlot, renderPlot } from './ssr.ts';
 * const html = renderPlot({ marks: [ssrPlot.lineY([1, 3, 2])] }, { idPrefix: 'fig-demo' });
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

/** Options for serializing a rendered node. */
export interface SerializeOptions {
  /**
   * Prefix for renumbered generated ids: `plot-clip-7` becomes `<idPrefix>-clip-1`.
   * Use something unique on the page, such as the figure's id. Defaults to `'plot'`.
   */
  idPrefix?: string;
  /** Decimals kept in geometry attributes (d, transform, x, y, …). Defaults to 3. */
  precision?: number;
}

let sharedDocument: Document | undefined;

/**
 * A linkedom document for building DOM in Node. One is shared per process: Plot only creates
 * detached nodes with it, so figures never see each other.
 */
export function ssrDocument(): Document {
  sharedDocument ??= parseHTML('<!doctype html><html><head></head><body></body></html>')
    .document as unknown as Document;
  return sharedDocument;
}

/**
 * The Plot namespace with `plot` and `legend` bound to the linkedom document, so code written
 * for the browser (`Plot.plot({ marks })`, no `document` option) also runs in Node.
 */
export const ssrPlot: typeof Plot = {
  ...Plot,
  plot: (options: Plot.PlotOptions = {}) => Plot.plot({ document: ssrDocument(), ...options }),
  // NOTE: Plot reads `document` from legend options too, though its types do not list it.
  legend: (options: Parameters<typeof Plot.legend>[0] = {}) =>
    Plot.legend({ document: ssrDocument(), ...options } as Parameters<typeof Plot.legend>[0]),
};

/** Attributes holding coordinates, whose numbers are rounded. */
const GEOMETRY_ATTRIBUTES = new Set([
  'd',
  'transform',
  'points',
  'x',
  'y',
  'x1',
  'x2',
  'y1',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'dx',
  'dy',
  'width',
  'height',
  'viewBox',
]);

const NUMBER = /-?(?:\d+\.\d*|\.\d+|\d+)(?:e[-+]?\d+)?/gi;

/** Rounds every decimal number in an attribute value; integers pass through untouched. */
export function roundNumbers(value: string, precision = 3): string {
  return value.replace(NUMBER, (text) => {
    if (!/[.e]/i.test(text)) return text;
    const rounded = Number(Number(text).toFixed(precision));
    // NOTE: `-0` would print as "0" anyway; normalise so "-0.0001" and "0.0001" agree.
    return String(Object.is(rounded, -0) ? 0 : rounded);
  });
}

const GENERATED_ID = /\bplot-(clip|pattern|marker)-(\d+)/g;

/**
 * Renumbers Plot's generated ids in order of first appearance: `plot-clip-7` → `<prefix>-clip-1`.
 * References (`url(#plot-clip-7)`, `href`) change with them since they are the same text.
 */
export function renumberIds(html: string, prefix = 'plot'): string {
  const renamed = new Map<string, string>();
  const counters = new Map<string, number>();
  return html.replace(GENERATED_ID, (id: string, kind: string) => {
    let name = renamed.get(id);
    if (name === undefined) {
      const n = (counters.get(kind) ?? 0) + 1;
      counters.set(kind, n);
      name = `${prefix}-${kind}-${n}`;
      renamed.set(id, name);
    }
    return name;
  });
}

/**
 * Serializes a node built with `ssrDocument()` (typically a `Plot.plot` result) to HTML,
 * rounding geometry and renumbering generated ids. The node itself is modified (rounded).
 */
export function serializeNode(node: Element, options: SerializeOptions = {}): string {
  const { idPrefix = 'plot', precision = 3 } = options;
  for (const element of [node, ...node.querySelectorAll('*')]) {
    for (const attribute of [...element.attributes]) {
      if (GEOMETRY_ATTRIBUTES.has(attribute.name)) {
        element.setAttribute(attribute.name, roundNumbers(attribute.value, precision));
      }
    }
  }
  return renumberIds(node.outerHTML, idPrefix);
}

/** Renders Plot options in Node and returns the serialized SVG (or `<figure>` with legends). */
export function renderPlot(options: Plot.PlotOptions, serialize: SerializeOptions = {}): string {
  return serializeNode(ssrPlot.plot(options), serialize);
}
