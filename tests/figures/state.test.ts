import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defineFigure, defaultState, type FigureState } from '../../src/notebook/figures/define.ts';
import {
  clampPoint,
  clampRange,
  niceStep,
  parseState,
  pointSteps,
  serializeState,
  snapTo,
} from '../../src/notebook/figures/state.ts';

const figure = defineFigure({
  controls: {
    lr: { type: 'range', label: 'Learning rate', min: 0.01, max: 1.2, step: 0.01, value: 0.15 },
    loss: {
      type: 'select',
      label: 'Loss',
      options: ['mse', { value: 'l1', label: 'Absolute' }],
      value: 'mse',
    },
    momentum: { type: 'toggle', label: 'Momentum', value: false },
    start: { type: 'point', label: 'Start', value: [-4, 3], x: [-5, 5], y: [-4, 4] },
  },
  render: (_s, { Plot }) => Plot.plot({ marks: [] }),
  describe: () => 'x',
});
const { controls } = figure;
type State = FigureState<typeof controls>;

describe('serializeState / parseState', () => {
  it('writes a readable query string in control order', () => {
    expect(serializeState(controls, defaultState(controls))).toBe(
      'lr=0.15&loss=mse&momentum=0&start=-4%2C3',
    );
  });

  it('round-trips every valid state', () => {
    const states = fc.record({
      lr: fc.integer({ min: 1, max: 120 }).map((k) => k / 100),
      loss: fc.constantFrom('mse' as const, 'l1' as const),
      momentum: fc.boolean(),
      start: fc.tuple(
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: -4, max: 4, noNaN: true }),
      ),
    });
    fc.assert(
      fc.property(states, (state) => {
        const back = parseState(controls, serializeState(controls, state as State));
        expect(back).toEqual({ ...state, start: state.start.map((v) => v + 0) });
      }),
    );
  });

  it('falls back to defaults for missing or malformed entries and clamps numbers', () => {
    expect(parseState(controls, '')).toEqual(defaultState(controls));
    expect(parseState(controls, 'lr=banana&loss=huber&momentum=maybe&start=1&extra=1')).toEqual(
      defaultState(controls),
    );
    expect(parseState(controls, 'lr=7&momentum=1&start=9,-9')).toEqual({
      lr: 1.2,
      loss: 'mse',
      momentum: true,
      start: [5, -4],
    });
  });

  it('never produces an invalid state from arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const state = parseState(controls, text);
        expect(state.lr).toBeGreaterThanOrEqual(0.01);
        expect(state.lr).toBeLessThanOrEqual(1.2);
        expect(['mse', 'l1']).toContain(state.loss);
        expect(typeof state.momentum).toBe('boolean');
        expect(state.start.every(Number.isFinite)).toBe(true);
      }),
    );
  });
});

describe('clamping and steps', () => {
  it('clampRange snaps to the step grid from min, without float noise', () => {
    const lr = controls.lr;
    expect(clampRange(lr, 0.154)).toBe(0.15);
    expect(clampRange(lr, 0.4)).toBe(0.4);
    expect(clampRange(lr, -3)).toBe(0.01);
    expect(clampRange({ type: 'range', label: 'k', min: 1, max: 10, step: 3, value: 1 }, 9)).toBe(
      10,
    );
  });

  it('clampPoint prefers the control’s bounds, then the scale domains', () => {
    expect(clampPoint(controls.start, [9, 9])).toEqual([5, 4]);
    const free = { type: 'point' as const, label: 'p', value: [0, 0] as const };
    expect(clampPoint(free, [9, -9], { x: [0, 2], y: [1, -1] })).toEqual([2, -1]);
    expect(clampPoint(free, [9, -9])).toEqual([9, -9]);
  });

  it('point steps default to a nice 1/100 of the bounds', () => {
    expect(pointSteps(controls.start)).toEqual([0.1, 0.1]);
    expect(pointSteps({ ...controls.start, step: [0.5, 0.25] })).toEqual([0.5, 0.25]);
    expect(niceStep(0.08)).toBe(0.1);
    expect(niceStep(0.013)).toBe(0.02);
    expect(niceStep(3.3)).toBe(5);
    expect(snapTo(-3.9000000001, 0.1)).toBe(-3.9);
    expect(snapTo(0.30000000000000004, 0.01)).toBe(0.3);
  });
});
