/**
 * The HTML of a figure at build time: controls as real form elements at their defaults, the
 * first frame as inline SVG, the point handles, the text description and the caption.
 * components/Figure.astro only resolves the module and inlines this string; keeping the markup
 * here lets unit tests check it without running Astro.
 *
 * The same class names and data attributes are what runtime.ts attaches to on hydration:
 *   [data-figure]            root <figure>, id = the anchor, data-module = module name
 *   [data-control="key"]     the form element of a range/select/toggle control
 *   [data-value-for="key"]   the readout of a control's current value
 *   [data-plot]              host of the plot (role="img", described by [data-describe])
 *   [data-handles]           SVG overlay with one [data-point="key"] group per point control
 */
import {
  defaultState,
  formatValue,
  rangeStep,
  selectOptions,
  type AnyFigure,
  type AnyState,
  type Control,
  type PointControl,
} from './define.ts';
import { plotGeometry, pointText, type PlotGeometry } from './geometry.ts';
import { parseState, serializeState, textToValue } from './state.ts';
import { serializeNode, ssrPlot } from '../ssr.ts';

export interface FigureProps {
  /** Stable anchor id, `fig-…`; also the root's data-figure. */
  id: string;
  /** Module name: components/figures/<module>.ts. */
  module: string;
  caption?: string;
  /** Outer width of the plot in px; 640 by default. The SVG scales down to fit narrower pages. */
  width?: number;
  /** Outer height of the plot in px; by default Plot chooses. */
  height?: number;
  /**
   * Initial state as a query string over the controls (`lr=0.5&start=1,2`), for showing one
   * module twice at different settings; unset controls keep their defaults.
   */
  state?: string;
}

export const DEFAULT_WIDTH = 640;

/** Renders a figure module's first frame and everything around it, as an HTML string. */
export function renderFigureHTML(figure: AnyFigure, props: FigureProps): string {
  const { id, module, caption } = props;
  if (!/^[A-Za-z][\w-]*$/.test(id)) {
    throw new Error(
      `Figure: id must be a plain anchor such as "fig-taylor", got ${JSON.stringify(id)}`,
    );
  }
  const width = props.width ?? DEFAULT_WIDTH;
  if (props.state) checkStateProp(figure, props);
  const state = (
    props.state ? parseState(figure.controls, props.state) : defaultState(figure.controls)
  ) as AnyState;
  const data = figure.compute?.(state);
  const plot = figure.render(state, {
    Plot: ssrPlot,
    width,
    height: props.height,
    data,
    draft: false,
  });
  const geometry = plotGeometry(plot);
  const description = figure.describe(state, data);
  if (typeof description !== 'string' || description.trim() === '') {
    throw new Error(
      `Figure "${module}": describe() must return a non-empty string, got ${JSON.stringify(description)}`,
    );
  }
  // The wrapper (role="img", described by describe()) is the plot's text alternative; Plot's
  // own aria-labels on <g> elements would only add noise (and axe flags them on <g>).
  plot.setAttribute('aria-hidden', 'true');
  const svg = serializeNode(plot, { idPrefix: id });
  const captionId = `${id}-caption`;
  const descId = `${id}-desc`;
  const controls = Object.entries(figure.controls)
    .map(([key, control]) => controlHTML(id, key, control, state[key]))
    .join('');
  const handles = handlesHTML(
    module,
    figure,
    state,
    geometry,
    plot.tagName.toLowerCase() === 'svg',
  );
  return (
    `<figure class="descent-figure" id="${attr(id)}" data-figure="${attr(id)}" data-module="${attr(module)}"` +
    ` data-width="${width}"${props.height ? ` data-height="${props.height}"` : ''}` +
    ` data-state="${attr(serializeState(figure.controls, state))}">` +
    (controls ? `<div class="descent-figure__controls">${controls}</div>` : '') +
    `<div class="descent-figure__stage" style="max-width:${width}px">` +
    `<div class="descent-figure__plot" data-plot role="img"` +
    (caption ? ` aria-labelledby="${captionId}"` : ` aria-label="Figure ${attr(id)}"`) +
    ` aria-describedby="${descId}">${svg}</div>${handles}</div>` +
    `<p class="visually-hidden" id="${descId}" data-describe aria-live="polite">${text(description)}</p>` +
    (caption
      ? `<figcaption id="${captionId}">${text(caption)} <a class="descent-figure__anchor" href="#${attr(id)}" aria-label="Link to this figure">#</a></figcaption>`
      : '') +
    `</figure>`
  );
}

/** A typo in an author's `state` prop fails the build instead of silently using defaults. */
function checkStateProp(figure: AnyFigure, props: FigureProps): void {
  for (const [key, text] of new URLSearchParams(props.state)) {
    const control = figure.controls[key];
    if (!control) {
      const keys = Object.keys(figure.controls).join(', ');
      throw new Error(`Figure "${props.id}": state names no control "${key}" (controls: ${keys})`);
    }
    if (textToValue(control, text) === undefined) {
      throw new Error(
        `Figure "${props.id}": state gives ${key}=${JSON.stringify(text)}, not a valid ${control.type} value`,
      );
    }
  }
}

function controlHTML(figureId: string, key: string, control: Control, value: unknown): string {
  const inputId = `${figureId}-${key}`;
  const label = `<label for="${attr(inputId)}">${text(control.label)}</label>`;
  const readout = `<span class="descent-figure__value" data-value-for="${attr(key)}" aria-hidden="true">${text(formatValue(control, value))}</span>`;
  switch (control.type) {
    case 'range':
      return (
        `<div class="descent-figure__control descent-figure__control--range">${label}` +
        `<input type="range" id="${attr(inputId)}" name="${attr(key)}" data-control="${attr(key)}"` +
        ` min="${control.min}" max="${control.max}" step="${rangeStep(control)}" value="${value}"` +
        ` aria-valuetext="${attr(formatValue(control, value))}" />${readout}</div>`
      );
    case 'select': {
      const options = selectOptions(control)
        .map(
          (o) =>
            `<option value="${attr(o.value)}"${o.value === value ? ' selected' : ''}>${text(o.label)}</option>`,
        )
        .join('');
      return (
        `<div class="descent-figure__control descent-figure__control--select">${label}` +
        `<select id="${attr(inputId)}" name="${attr(key)}" data-control="${attr(key)}">${options}</select></div>`
      );
    }
    case 'toggle':
      return (
        `<div class="descent-figure__control descent-figure__control--toggle">` +
        `<input type="checkbox" id="${attr(inputId)}" name="${attr(key)}" data-control="${attr(key)}"${value ? ' checked' : ''} />` +
        `${label}</div>`
      );
    case 'point':
      // The point itself is the handle on the plot; here we only read out where it is.
      return (
        `<div class="descent-figure__control descent-figure__control--point">` +
        `<span class="descent-figure__point-label">${text(control.label)}</span>` +
        `<span class="descent-figure__value" data-value-for="${attr(key)}">${text(formatValue(control, value))}</span></div>`
      );
  }
}

/**
 * The overlay SVG with one handle per point control. Before hydration the handles are plain
 * markers (aria-hidden, not focusable: nothing would move them); runtime.ts makes them
 * sliders. When the plot is a <figure> (legends), the overlay starts hidden because only the
 * browser can measure where the inner SVG sits.
 */
function handlesHTML(
  module: string,
  figure: AnyFigure,
  state: AnyState,
  geometry: PlotGeometry | null,
  bareSvg: boolean,
): string {
  const points = Object.entries(figure.controls).filter(
    (entry): entry is [string, PointControl] => entry[1].type === 'point',
  );
  if (points.length === 0) return '';
  if (!geometry) {
    throw new Error(
      `Figure "${module}": point controls need continuous x and y scales (with an invert), but the plot has none`,
    );
  }
  const [bx, by, bw, bh] = geometry.viewBox;
  const groups = points
    .map(([key, control]) => {
      const [x, y] = state[key] as [number, number];
      const px = round(geometry.x.apply(x));
      const py = round(geometry.y.apply(y));
      return (
        `<g class="descent-figure__handle" data-point="${attr(key)}" transform="translate(${px},${py})"` +
        ` aria-label="${attr(pointText(control, [x, y]))}">` +
        `<circle class="descent-figure__handle-hit" r="18"></circle>` +
        `<circle class="descent-figure__handle-ring" r="11"></circle>` +
        `<circle class="descent-figure__handle-dot" r="6"></circle></g>`
      );
    })
    .join('');
  return (
    `<svg class="descent-figure__handles" data-handles aria-hidden="true" viewBox="${bx} ${by} ${bw} ${bh}"` +
    ` width="${bw}" height="${bh}"${bareSvg ? '' : ' hidden'}>${groups}</svg>`
  );
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Escapes text content. */
export function text(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value (always double-quoted). */
export function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;');
}
