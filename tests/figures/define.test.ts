import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  defaultState,
  defineFigure,
  formatNumber,
  formatValue,
  isFigure,
  rangeStep,
  selectOptions,
  type Controls,
} from '../../src/notebook/figures/define.ts';

const render = (_: unknown, { Plot }: { Plot: typeof import('@observablehq/plot') }) =>
  Plot.plot({ marks: [] });
const describeIt = () => 'A plot.';

/** defineFigure with one control, for the validation tests. */
function withControl(control: unknown) {
  return () =>
    defineFigure({ controls: { c: control } as unknown as Controls, render, describe: describeIt });
}

describe('defineFigure', () => {
  it('returns a frozen, recognisable figure with computeIn defaulted', () => {
    const figure = defineFigure({ controls: {}, render, describe: describeIt });
    expect(isFigure(figure)).toBe(true);
    expect(Object.isFrozen(figure)).toBe(true);
    expect(figure.computeIn).toBe('main');
    expect(isFigure({ render })).toBe(false);
  });

  it('accepts every control type at valid values', () => {
    const figure = defineFigure({
      controls: {
        fn: { type: 'select', label: 'Function', options: ['sin', 'exp'], value: 'sin' },
        x0: { type: 'range', label: 'Expansion point', min: -3, max: 3, step: 0.1, value: 0 },
        showError: { type: 'toggle', label: 'Show error', value: false },
        start: { type: 'point', label: 'Start point', value: [-2, 1.5] },
      },
      render,
      describe: describeIt,
    });
    expect(defaultState(figure.controls)).toEqual({
      fn: 'sin',
      x0: 0,
      showError: false,
      start: [-2, 1.5],
    });
  });

  it('types the state from the controls', () => {
    defineFigure({
      controls: {
        fn: { type: 'select', label: 'Function', options: ['sin', 'exp'], value: 'sin' },
        pair: {
          type: 'select',
          label: 'Pair',
          options: [{ value: 'a', label: 'A' }],
          value: 'a',
        },
        x0: { type: 'range', label: 'x0', min: -3, max: 3, value: 0 },
        on: { type: 'toggle', label: 'On', value: false },
        p: { type: 'point', label: 'P', value: [0, 0] },
      },
      compute: (state) => ({ n: state.x0 }),
      render(state, { Plot, data }) {
        expectTypeOf(state.fn).toEqualTypeOf<'sin' | 'exp'>();
        expectTypeOf(state.pair).toEqualTypeOf<'a'>();
        expectTypeOf(state.x0).toEqualTypeOf<number>();
        expectTypeOf(state.on).toEqualTypeOf<boolean>();
        expectTypeOf(state.p).toEqualTypeOf<[number, number]>();
        expectTypeOf(data).toEqualTypeOf<{ n: number }>();
        return Plot.plot({ marks: [] });
      },
      describe: (_state, data) => `n = ${data.n}`,
    });
  });

  it.each([
    [
      { type: 'range', label: 'R', min: 0, max: 1, value: 2 },
      /control "c" \(range\) value 2 is outside \[min, max\] = \[0, 1\]/,
    ],
    [{ type: 'range', label: 'R', min: 1, max: 1, value: 1 }, /needs min < max, got \[1, 1\]/],
    [
      { type: 'range', label: 'R', min: 0, max: 1, step: 0, value: 0 },
      /step must be a positive number, got 0/,
    ],
    [
      { type: 'range', label: 'R', min: 0, max: Infinity, value: 0 },
      /max must be a finite number, got Infinity/,
    ],
    [{ type: 'select', label: 'S', options: [], value: 'a' }, /needs a non-empty options array/],
    [
      { type: 'select', label: 'S', options: ['a', 'b'], value: 'c' },
      /value "c" is not one of its options \(a, b\)/,
    ],
    [{ type: 'select', label: 'S', options: ['a', 'a'], value: 'a' }, /duplicate option values/],
    [
      { type: 'select', label: 'S', options: [{ value: 'a' }], value: 'a' },
      /options must be strings or \{ value, label \}/,
    ],
    [
      { type: 'toggle', label: 'T', value: 'yes' },
      /\(toggle\) value must be true or false, got "yes"/,
    ],
    [
      { type: 'point', label: 'P', value: [0] },
      /\(point\) value must be \[x, y\] with finite numbers, got \[0\]/,
    ],
    [
      { type: 'point', label: 'P', value: [0, 0], x: [1, -1] },
      /x bounds must be \[min, max\] with min < max/,
    ],
    [
      { type: 'point', label: 'P', value: [0, 0], step: -1 },
      /step must be a positive number or \[dx, dy\], got -1/,
    ],
    [
      { type: 'slider', label: 'X', value: 0 },
      /unknown type "slider"; expected 'range', 'select', 'toggle' or 'point'/,
    ],
    [{ type: 'toggle', label: ' ', value: true }, /needs a non-empty label/],
    [null, /control "c" must be an object, got null/],
  ])('rejects %j with a message naming the control', (control, message) => {
    expect(withControl(control)).toThrow(message);
  });

  it('rejects missing render/describe and bad compute options', () => {
    const bad = (definition: unknown) => () =>
      defineFigure(definition as Parameters<typeof defineFigure>[0]);
    expect(bad({ controls: {}, describe: describeIt })).toThrow(
      'defineFigure: render must be a function, got undefined',
    );
    expect(bad({ controls: {}, render })).toThrow('describe must be a function');
    expect(bad({ controls: [], render, describe: describeIt })).toThrow(
      'controls must be an object',
    );
    expect(bad({ controls: {}, render, describe: describeIt, compute: 3 })).toThrow(
      'compute must be a function, got 3',
    );
    expect(bad({ controls: {}, render, describe: describeIt, computeIn: 'gpu' })).toThrow(
      `computeIn must be 'main' or 'worker', got "gpu"`,
    );
  });
});

describe('control helpers', () => {
  it('defaults a range step to 1/100 of its span', () => {
    expect(rangeStep({ type: 'range', label: 'r', min: -1, max: 1, value: 0 })).toBe(0.02);
  });

  it('normalises select options', () => {
    expect(
      selectOptions({
        type: 'select',
        label: 's',
        options: ['a', { value: 'b', label: 'Bee' }],
        value: 'a',
      }),
    ).toEqual([
      { value: 'a', label: 'a' },
      { value: 'b', label: 'Bee' },
    ]);
  });

  it('formats numbers with the decimals of their step, never "-0"', () => {
    expect(formatNumber(0.15, 0.01)).toBe('0.15');
    expect(formatNumber(2, 0.5)).toBe('2.0');
    expect(formatNumber(3, 1)).toBe('3');
    expect(formatNumber(-0.0001, 0.01)).toBe('0.00');
    expect(formatNumber(1 / 3, 0.001)).toBe('0.333');
  });

  it('reads values out per control type, or with the control’s format', () => {
    expect(formatValue({ type: 'toggle', label: 't', value: true }, true)).toBe('on');
    expect(formatValue({ type: 'point', label: 'p', value: [0, 0] }, [1, -2.5])).toBe(
      '(1.00, -2.50)',
    );
    expect(
      formatValue(
        { type: 'select', label: 's', options: [{ value: 'mse', label: 'Squared' }], value: 'mse' },
        'mse',
      ),
    ).toBe('Squared');
    expect(
      formatValue(
        { type: 'range', label: 'r', min: 0, max: 1, value: 0, format: (v) => `${v * 100}%` },
        0.5,
      ),
    ).toBe('50%');
  });
});
