/**
 * # Writing an interactive figure
 *
 * A figure is a TypeScript module in `components/figures/<name>.ts` whose default export is
 * `defineFigure({ controls, render, describe })`. Drop the file there and use it in a chapter:
 *
 * ```mdx
 * import Figure from '../../components/Figure.astro';
 * <Figure id="fig-taylor" module="taylor" caption="Taylor polynomials of sin around x₀." />
 * ```
 *
 * ```ts
 * import { defineFigure } from '../../src/notebook/figures/define.ts';
 * export default defineFigure({
 *   controls: {
 *     fn: { type: 'select', label: 'Function', options: ['sin', 'exp'], value: 'sin' },
 *     x0: { type: 'range', label: 'Expansion point', min: -3, max: 3, step: 0.1, value: 0 },
 *     showError: { type: 'toggle', label: 'Show error', value: false },
 *     start: { type: 'point', label: 'Start point', value: [-2, 1.5] },
 *   },
 *   render(state, { Plot, width }) {
 *     return Plot.plot({ width, x: { domain: [-4, 4] }, y: { domain: [-2, 2] }, marks: [] });
 *   },
 *   describe(state) {
 *     return `Taylor polynomial of ${state.fn} around x₀ = ${state.x0}.`;
 *   },
 * });
 * ```
 *
 * ## Controls (each becomes a labelled form element, or a draggable handle for `point`)
 * - `range`:  `{ type: 'range', label, min, max, step?, value }` → number. A slider.
 * - `select`: `{ type: 'select', label, options, value }` → one of the options. `options` are
 *   strings, or `{ value, label }` pairs when the shown text differs from the value.
 * - `toggle`: `{ type: 'toggle', label, value }` → boolean. A checkbox.
 * - `point`:  `{ type: 'point', label, value: [x, y], step?, x?: [min, max], y?: [min, max] }`
 *   → `[x, y]` in the plot's data coordinates. Drawn as a handle over the plot that readers
 *   drag (mouse, touch) or move with the arrow keys (Shift: 10× steps). It is clamped to its
 *   `x`/`y` bounds, or to the plot's x/y scale domains. `step` defaults to 1/100 of the domain.
 * Every control may also have `format(value) => string` for how its value is read out.
 *
 * ## Rules
 * - `render(state, { Plot, width, height, data, draft })` must be pure: same state → same plot. It
 *   runs at build time in Node (the first frame is prerendered into the page, readable with
 *   JavaScript off) and again in the browser on every input. Use the `Plot` it receives (in
 *   Node it is bound to a server-side document); do not import `@observablehq/plot` yourself,
 *   touch `document`/`window`, or use unseeded randomness. Return one `Plot.plot(...)`.
 * - With `point` controls, fix the x and y scale domains (`x: { domain: [a, b] }`): a handle
 *   lives in data coordinates, and a domain that follows the point would run away from a drag.
 * - `describe(state)` returns a sentence or two that says what the plot shows now, in numbers
 *   ("The iterates converge to x = 0 in 12 steps"). It is the figure's text alternative for
 *   screen readers and is checked by tests; keep it specific, not "a plot".
 * - Keep a frame under ~15 ms at the default width (≈ a few thousand points): controls redraw
 *   on every animation frame while dragged. Expensive numerics go in `compute`; anything that
 *   does not depend on the state (a fixed loss surface's grid, level sets) belongs in a module-
 *   level constant or cache, not in `render`. Contours are the usual culprit: `Plot.contour`
 *   recomputes its grid and every threshold on each frame (30–150 ms). Use `contourLines` and
 *   `memoize` from `./contours.ts` to compute level lines once (per value of the control they
 *   depend on) and draw them with `Plot.line(lines, { x: 'x', y: 'y', z: 'level' })`.
 * - Optional `compute(state) => data`: the expensive, DOM-free part (e.g. running an optimizer
 *   for 1,000 steps). Its result arrives as `data` in `render`. It must return structured-
 *   cloneable data (arrays, plain objects, typed arrays). By default it runs on the main thread
 *   right before `render`; set `computeIn: 'worker'` to run it in a Web Worker instead, which
 *   keeps slider drags smooth when a compute takes longer than a frame (the figure then shows
 *   the newest finished result, dropping intermediate states).
 * - Colours: axes and text use currentColor, which follows the light/dark theme. For marks,
 *   use `palette` below (each ≥ 3:1 contrast on both the light and the dark page background)
 *   and keep text in currentColor (coloured text would need 4.5:1).
 * - `tests/figures/all-figures.test.ts` renders every module at its defaults and at the
 *   extremes of each control, so a figure that throws anywhere in its range fails CI.
 */
import type * as PlotNamespace from '@observablehq/plot';

/**
 * Mark colours readable in both themes: each has at least 3:1 contrast against the light
 * (#ffffff) and the dark (#12151b) page background, as WCAG asks of graphics.
 */
export const palette = {
  blue: '#3b82f6',
  orange: '#ea580c',
  green: '#059669',
  purple: '#8b5cf6',
  pink: '#db2777',
  teal: '#0891b2',
} as const;

/** A slider over [min, max]. */
export interface RangeControl {
  type: 'range';
  label: string;
  min: number;
  max: number;
  /** Slider granularity; defaults to (max - min) / 100. */
  step?: number;
  value: number;
  format?: (value: number) => string;
}

/** An option of a select: a plain string, or a value with the text shown for it. */
export type SelectOption = string | { readonly value: string; readonly label: string };

/** A drop-down menu. */
export interface SelectControl<O extends readonly SelectOption[] = readonly SelectOption[]> {
  type: 'select';
  label: string;
  options: O;
  value: OptionValue<O[number]>;
  format?: (value: string) => string;
}

/** A checkbox. */
export interface ToggleControl {
  type: 'toggle';
  label: string;
  value: boolean;
  format?: (value: boolean) => string;
}

/** A draggable, keyboard-movable point in the plot's data coordinates. */
export interface PointControl {
  type: 'point';
  label: string;
  value: readonly [number, number];
  /** Arrow-key step in data units: one number for both axes, or [dx, dy]. */
  step?: number | readonly [number, number];
  /** Bounds for x; defaults to the x scale's domain. */
  x?: readonly [number, number];
  /** Bounds for y; defaults to the y scale's domain. */
  y?: readonly [number, number];
  format?: (value: readonly [number, number]) => string;
}

export type Control = RangeControl | SelectControl | ToggleControl | PointControl;
export type Controls = Record<string, Control>;

export type OptionValue<O> = O extends string ? O : O extends { value: infer V } ? V : never;

/** The value a control holds. */
export type ControlValue<C> = C extends RangeControl
  ? number
  : C extends SelectControl<infer O>
    ? OptionValue<O[number]>
    : C extends ToggleControl
      ? boolean
      : C extends PointControl
        ? [number, number]
        : never;

/** The state a figure renders: one value per control, under the control's key. */
export type FigureState<C extends Controls> = { [K in keyof C]: ControlValue<C[K]> };

/** What `render` receives besides the state. */
export interface RenderContext<D = undefined> {
  /** Observable Plot; bound to a server-side document at build time. */
  Plot: typeof PlotNamespace;
  /** Outer width in CSS pixels (the figure's `width` prop, 640 by default). */
  width: number;
  /** Outer height if the figure's `height` prop was given; otherwise let Plot choose. */
  height: number | undefined;
  /** The result of `compute(state)`, or undefined without `compute`. */
  data: D;
  /**
   * True while the reader is dragging a slider or point (or holding an arrow key). A slow
   * figure may then draw coarser, e.g. `pixelSize: draft ? 8 : 4` on a contour, to keep up;
   * once the reader pauses, the figure is drawn again with `draft: false`. Always false at
   * build time.
   */
  draft: boolean;
}

/** What a rendered frame may be: Plot's result (an SVG, or a `<figure>` when it has legends). */
export type PlotElement = (SVGSVGElement | HTMLElement) & Partial<PlotNamespace.Plot>;

export interface FigureDefinition<C extends Controls, D = undefined> {
  controls: C;
  // NOTE: method syntax (not `render: (…) => …`) on purpose: methods are bivariant in their
  // parameters, so a figure with specific controls is still an AnyFigure for the runtime.
  /** Expensive, DOM-free part of a frame; its result is `data` in `render`. */
  compute?(state: FigureState<C>): D;
  /** Where `compute` runs in the browser. Defaults to `'main'`. */
  computeIn?: 'main' | 'worker';
  render(state: FigureState<C>, context: RenderContext<D>): PlotElement;
  describe(state: FigureState<C>, data: D): string;
}

/** A validated figure definition (the default export of a figure module). */
export interface Figure<C extends Controls = Controls, D = unknown> extends FigureDefinition<C, D> {
  readonly kind: 'descent-figure';
}

/** A figure with its control types erased, as the runtime handles it. */
export type AnyFigure = Figure<Controls, unknown>;
export type AnyState = Record<string, number | string | boolean | [number, number]>;

/**
 * Declares an interactive figure. Validates the controls now (at import time), so a mistake
 * fails the build with a message naming the control, instead of a broken figure in a chapter.
 */
export function defineFigure<const C extends Controls, D = undefined>(
  definition: FigureDefinition<C, D>,
): Figure<C, D> {
  if (definition === null || typeof definition !== 'object') {
    throw new TypeError(`defineFigure: expected an object, got ${describeValue(definition)}`);
  }
  const { controls, render, describe, compute, computeIn = 'main' } = definition;
  if (controls === null || typeof controls !== 'object' || Array.isArray(controls)) {
    throw new TypeError(`defineFigure: controls must be an object, got ${describeValue(controls)}`);
  }
  for (const [key, control] of Object.entries(controls)) validateControl(key, control);
  for (const [name, fn] of [
    ['render', render],
    ['describe', describe],
  ] as const) {
    if (typeof fn !== 'function') {
      throw new TypeError(`defineFigure: ${name} must be a function, got ${describeValue(fn)}`);
    }
  }
  if (compute !== undefined && typeof compute !== 'function') {
    throw new TypeError(`defineFigure: compute must be a function, got ${describeValue(compute)}`);
  }
  if (computeIn !== 'main' && computeIn !== 'worker') {
    throw new TypeError(
      `defineFigure: computeIn must be 'main' or 'worker', got ${describeValue(computeIn)}`,
    );
  }
  return Object.freeze({ ...definition, computeIn, kind: 'descent-figure' as const });
}

/** True for a module's default export made by `defineFigure`. */
export function isFigure(value: unknown): value is AnyFigure {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'descent-figure'
  );
}

/** The state before any interaction: every control at its `value`. */
export function defaultState<C extends Controls>(controls: C): FigureState<C> {
  const state: AnyState = {};
  for (const [key, control] of Object.entries(controls)) {
    state[key] = control.type === 'point' ? [control.value[0], control.value[1]] : control.value;
  }
  return state as FigureState<C>;
}

/** The step of a range control, defaulting to 1/100 of its span. */
export function rangeStep(control: RangeControl): number {
  return control.step ?? (control.max - control.min) / 100;
}

/** The values and shown texts of a select's options. */
export function selectOptions(control: SelectControl): { value: string; label: string }[] {
  return control.options.map((option) =>
    typeof option === 'string' ? { value: option, label: option } : { ...option },
  );
}

/** How a control's current value is read out (in the control bar and to screen readers). */
export function formatValue(control: Control, value: unknown): string {
  if (control.format) return (control.format as (v: unknown) => string)(value);
  switch (control.type) {
    case 'range':
      return formatNumber(value as number, rangeStep(control));
    case 'select':
      return selectOptions(control).find((o) => o.value === value)?.label ?? String(value);
    case 'toggle':
      return value ? 'on' : 'off';
    case 'point': {
      const [x, y] = value as [number, number];
      return `(${formatNumber(x, 0.01)}, ${formatNumber(y, 0.01)})`;
    }
  }
}

/** Formats a number with as many decimals as its step has (0.05 → 2), without "-0". */
export function formatNumber(value: number, step: number): string {
  const decimals = Math.min(6, Math.max(0, Math.ceil(-Math.log10(Math.abs(step) || 1) - 1e-9)));
  const text = value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

function validateControl(key: string, control: unknown): void {
  const where = `defineFigure: control "${key}"`;
  if (control === null || typeof control !== 'object') {
    throw new TypeError(`${where} must be an object, got ${describeValue(control)}`);
  }
  const c = control as Partial<Control> & Record<string, unknown>;
  if (typeof c.label !== 'string' || c.label.trim() === '') {
    throw new TypeError(`${where} needs a non-empty label, got ${describeValue(c.label)}`);
  }
  switch (c.type) {
    case 'range': {
      const { min, max, step, value } = c as RangeControl;
      for (const [name, v] of Object.entries({ min, max, value })) {
        if (!Number.isFinite(v)) {
          throw new TypeError(`${where} (range) ${name} must be a finite number, got ${v}`);
        }
      }
      if (!(min < max))
        throw new RangeError(`${where} (range) needs min < max, got [${min}, ${max}]`);
      if (step !== undefined && !(Number.isFinite(step) && step > 0)) {
        throw new RangeError(`${where} (range) step must be a positive number, got ${step}`);
      }
      if (value < min || value > max) {
        throw new RangeError(
          `${where} (range) value ${value} is outside [min, max] = [${min}, ${max}]`,
        );
      }
      return;
    }
    case 'select': {
      const { options, value } = c as SelectControl;
      if (!Array.isArray(options) || options.length === 0) {
        throw new TypeError(
          `${where} (select) needs a non-empty options array, got ${describeValue(options)}`,
        );
      }
      for (const option of options) {
        const ok =
          typeof option === 'string' ||
          (typeof option === 'object' &&
            option !== null &&
            typeof option.value === 'string' &&
            typeof option.label === 'string');
        if (!ok) {
          throw new TypeError(
            `${where} (select) options must be strings or { value, label }, got ${describeValue(option)}`,
          );
        }
      }
      const values = selectOptions(c as SelectControl).map((o) => o.value);
      if (new Set(values).size !== values.length) {
        throw new TypeError(`${where} (select) has duplicate option values: ${values.join(', ')}`);
      }
      if (!values.includes(value)) {
        throw new RangeError(
          `${where} (select) value ${describeValue(value)} is not one of its options (${values.join(', ')})`,
        );
      }
      return;
    }
    case 'toggle':
      if (typeof c.value !== 'boolean') {
        throw new TypeError(
          `${where} (toggle) value must be true or false, got ${describeValue(c.value)}`,
        );
      }
      return;
    case 'point': {
      const { value, step, x, y } = c as PointControl;
      if (!isPair(value)) {
        throw new TypeError(
          `${where} (point) value must be [x, y] with finite numbers, got ${describeValue(value)}`,
        );
      }
      for (const [name, bounds] of Object.entries({ x, y })) {
        if (bounds === undefined) continue;
        if (!isPair(bounds) || !(bounds[0] < bounds[1])) {
          throw new RangeError(
            `${where} (point) ${name} bounds must be [min, max] with min < max, got ${describeValue(bounds)}`,
          );
        }
      }
      const steps = typeof step === 'number' ? [step, step] : step;
      if (steps !== undefined && !(isPair(steps) && steps[0] > 0 && steps[1] > 0)) {
        throw new RangeError(
          `${where} (point) step must be a positive number or [dx, dy], got ${describeValue(step)}`,
        );
      }
      return;
    }
    default:
      throw new TypeError(
        `${where} has unknown type ${describeValue(c.type)}; expected 'range', 'select', 'toggle' or 'point'`,
      );
  }
}

function isPair(value: unknown): value is readonly [number, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    Number.isFinite(value[0]) &&
    Number.isFinite(value[1])
  );
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
