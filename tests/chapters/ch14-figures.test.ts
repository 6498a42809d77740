/**
 * Chapter 14 (recurrent networks): the two figures' numerics, the numbers the prose quotes from
 * their descriptions, and the exercise answers, recomputed with the engine.
 */
import { describe, expect, it } from 'vitest';
import { nn } from '@descent/engine';
import { defaultState } from '../../src/notebook/figures/define.ts';
import gradientFigure, {
  gradientByDistance,
  reach,
} from '../../components/figures/rnn-gradient-distance.ts';
import gatesFigure, { memory, trace } from '../../components/figures/rnn-gates.ts';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

describe('fig-rnn-gradient-distance', () => {
  const base = { T: 100, hidden: 32, scale: 1, gateBias: 0, seed: 1 };

  it('at the defaults every network forgets within a few steps (9, 15, 16)', () => {
    expect(reach(gradientByDistance('RNN', base))).toBe(9);
    expect(reach(gradientByDistance('LSTM', base))).toBe(15);
    expect(reach(gradientByDistance('GRU', base))).toBe(16);
    const state = defaultState(gradientFigure.controls);
    const text = gradientFigure.describe(state, gradientFigure.compute!(state));
    expect(text).toContain('RNN: 4.2e-28 times its last-step value at distance 99');
    expect(text).toContain('falls below 1/1,000 of it after 9 steps');
  });

  it('a gate bias of 3 keeps the gated networks connected over 100 steps', () => {
    const s = { ...base, gateBias: 3 };
    expect(reach(gradientByDistance('LSTM', s))).toBeNull();
    expect(reach(gradientByDistance('GRU', s))).toBeNull();
    expect(reach(gradientByDistance('RNN', s))).toBe(9); // the RNN has no gate
  });

  it('a recurrent weight scale of 3 makes the RNN explode and not the gated ones', () => {
    const s = { ...base, scale: 3 };
    const rnn = gradientByDistance('RNN', s);
    expect(rnn[99] / rnn[0]).toBeGreaterThan(100);
    expect(reach(gradientByDistance('LSTM', s))).not.toBeNull();
  });
});

describe('fig-rnn-gates', () => {
  it('the recorded gates reproduce the engine cell states (LSTM)', () => {
    const t = trace('LSTM', 6, 3);
    const row = (name: string) => t.values[t.rows.indexOf(name)];
    const [i, f, g, o, c, h] = [
      'input gate i',
      'forget gate f',
      'candidate g',
      'output gate o',
      'cell state c',
      'hidden h',
    ].map(row);
    let prev = 0;
    for (let k = 0; k < c.length; k++) {
      expect(c[k]).toBeCloseTo(f[k] * prev + i[k] * g[k], 12);
      expect(h[k]).toBeCloseTo(o[k] * Math.tanh(c[k]), 12);
      prev = c[k];
    }
    expect(f[0]).toBeCloseTo(sigmoid(6), 12);
  });

  it('the recorded gates reproduce the engine cell states (GRU)', () => {
    const t = trace('GRU', 6, 3);
    const row = (name: string) => t.values[t.rows.indexOf(name)];
    const [z, n, h] = ['update gate z', 'candidate n', 'hidden h'].map(row);
    let prev = 0;
    for (let k = 0; k < h.length; k++) {
      expect(h[k]).toBeCloseTo((1 - z[k]) * n[k] + z[k] * prev, 12);
      prev = h[k];
    }
  });

  it('shows the numbers the prose quotes for sequence 3', () => {
    const lstm = trace('LSTM', 6, 3);
    expect(lstm.marks).toEqual([0, 14]);
    expect(lstm.target.toFixed(3)).toBe('1.578');
    const value = lstm.values[0];
    expect(value[0].toFixed(2)).toBe('0.72');
    expect(value[14].toFixed(2)).toBe('0.86');
    const c = lstm.values[lstm.rows.indexOf('cell state c')];
    expect(c[0].toFixed(2)).toBe('0.34');
    expect((Math.tanh(value[0] / 2) + Math.tanh(value[14] / 2)).toFixed(3)).toBe('0.750');
    expect(memory('LSTM', lstm).toFixed(3)).toBe('0.730');
    expect(memory('LSTM', trace('LSTM', 2, 3)).toFixed(3)).toBe('0.246');
    expect(memory('GRU', trace('GRU', 6, 3)).toFixed(3)).toBe('0.652');
    const state = defaultState(gatesFigure.controls);
    expect(gatesFigure.describe(state, undefined)).toContain('cell state c ends at 0.730');
  });
});

describe('exercise answers', () => {
  it('14.1–14.4', () => {
    expect(0.5 ** 10).toBeCloseTo(0.000977, 6);
    expect(0.9 ** 20).toBeCloseTo(0.121577, 6);
    const f = 0.5 ** (1 / 100);
    expect(f).toBeCloseTo(0.993092, 6);
    expect(Math.log(f / (1 - f))).toBeCloseTo(4.9679, 3);
    const count = (m: nn.Module) => m.parameters().reduce((s, p) => s + p.size, 0);
    expect(count(new nn.LSTM(10, 20))).toBe(2560);
    expect(count(new nn.GRU(10, 20))).toBe(1920);
    expect(count(new nn.RNN(10, 20))).toBe(640);
  });
});
