/**
 * A figure's state as text and back, and the rules that keep a state valid (clamping to a
 * range, snapping to its step). Shared by the build (data-state attribute), the browser
 * runtime (reading the form, updating data-state after each frame) and the tests.
 *
 * The text form is a URL query string in control order, e.g.
 * `lr=0.1&loss=mse&momentum=1&start=-2,1.5`, so it is short, readable in the DOM, and could
 * later go into a link to a figure's exact state.
 */
import {
  defaultState,
  rangeStep,
  selectOptions,
  type AnyState,
  type Control,
  type Controls,
  type FigureState,
  type PointControl,
  type RangeControl,
} from './define.ts';

/** Writes a state as a query string, in the order the controls are declared. */
export function serializeState<C extends Controls>(controls: C, state: FigureState<C>): string {
  const params = new URLSearchParams();
  const values = state as AnyState;
  for (const [key, control] of Object.entries(controls)) {
    params.set(key, valueToText(control, values[key]));
  }
  return params.toString();
}

/**
 * Reads a query string back into a full state. Missing, unknown or malformed entries fall
 * back to the control's default; numbers are clamped into range, so any text gives a state
 * that `render` can handle.
 */
export function parseState<C extends Controls>(controls: C, text: string): FigureState<C> {
  const params = new URLSearchParams(text);
  const state = defaultState(controls) as AnyState;
  for (const [key, control] of Object.entries(controls)) {
    const raw = params.get(key);
    if (raw === null) continue;
    const value = textToValue(control, raw);
    if (value !== undefined) state[key] = value;
  }
  return state as FigureState<C>;
}

/** The text of one control's value, as it appears in a serialized state or a form field. */
export function valueToText(control: Control, value: unknown): string {
  switch (control.type) {
    case 'toggle':
      return value ? '1' : '0';
    case 'point': {
      const [x, y] = value as [number, number];
      return `${x},${y}`;
    }
    default:
      return String(value);
  }
}

/** Parses one control's value from text; undefined when the text is not a valid value. */
export function textToValue(
  control: Control,
  text: string,
): number | string | boolean | [number, number] | undefined {
  switch (control.type) {
    case 'range': {
      const n = Number(text);
      return text.trim() !== '' && Number.isFinite(n) ? clampRange(control, n) : undefined;
    }
    case 'select':
      return selectOptions(control).some((o) => o.value === text) ? text : undefined;
    case 'toggle':
      if (text === '1' || text === 'true' || text === 'on') return true;
      if (text === '0' || text === 'false' || text === 'off') return false;
      return undefined;
    case 'point': {
      const parts = text.split(',');
      if (parts.length !== 2 || parts.some((p) => p.trim() === '')) return undefined;
      const [x, y] = parts.map(Number) as [number, number];
      if (!Number.isFinite(x) || !Number.isFinite(y)) return undefined;
      return clampPoint(control, [x, y]);
    }
  }
}

/** Clamps into [min, max] and snaps to the step grid that starts at min, like `<input>` does. */
export function clampRange(control: RangeControl, value: number): number {
  const step = rangeStep(control);
  const snapped = control.min + Math.round((value - control.min) / step) * step;
  const clamped = Math.min(control.max, Math.max(control.min, snapped));
  // NOTE: min + k·step accumulates float error (0.1 + 3·0.1 = 0.4000000000000001); round to
  // the step's decimals so serialized states and readouts stay clean.
  return roundTo(clamped, decimalsOf(step) + decimalsOf(control.min));
}

/**
 * Clamps a point into its bounds: the control's own `x`/`y`, else the given scale domains
 * (the plot's), else leaves that axis alone.
 */
export function clampPoint(
  control: PointControl,
  [x, y]: readonly [number, number],
  domains: { x?: readonly [number, number]; y?: readonly [number, number] } = {},
): [number, number] {
  const bx = control.x ?? domains.x;
  const by = control.y ?? domains.y;
  return [clampTo(x, bx), clampTo(y, by)];
}

/** The arrow-key steps of a point: its `step`, or 1/100 of each bound's span. */
export function pointSteps(
  control: PointControl,
  domains: { x?: readonly [number, number]; y?: readonly [number, number] } = {},
): [number, number] {
  if (typeof control.step === 'number') return [control.step, control.step];
  if (control.step) return [control.step[0], control.step[1]];
  const span = (b: readonly [number, number] | undefined) =>
    b ? niceStep((b[1] - b[0]) / 100) : 0.1;
  return [span(control.x ?? domains.x), span(control.y ?? domains.y)];
}

/** Rounds a step up to 1, 2 or 5 times a power of ten, so arrow keys land on round numbers. */
export function niceStep(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0.1;
  const power = 10 ** Math.floor(Math.log10(step));
  const m = step / power;
  const nice = m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10;
  return roundTo(nice * power, Math.max(0, -Math.floor(Math.log10(step)) + 1));
}

/** Rounds to a multiple of step (to the step's decimals), for keyboard-moved and dragged points. */
export function snapTo(value: number, step: number): number {
  return roundTo(Math.round(value / step) * step, decimalsOf(step));
}

function clampTo(value: number, bounds: readonly [number, number] | undefined): number {
  if (!bounds) return value;
  const lo = Math.min(bounds[0], bounds[1]);
  const hi = Math.max(bounds[0], bounds[1]);
  return Math.min(hi, Math.max(lo, value));
}

function decimalsOf(n: number): number {
  const text = String(n);
  if (text.includes('e-')) return Number(text.split('e-')[1]);
  return text.includes('.') ? text.split('.')[1]!.length : 0;
}

function roundTo(value: number, decimals: number): number {
  const rounded = Number(value.toFixed(Math.min(12, decimals)));
  return Object.is(rounded, -0) ? 0 : rounded;
}
