/**
 * Gate activations along a sequence (chapter 14, fig-rnn-gates): a one-unit LSTM or GRU with
 * hand-set weights that solves the adding problem, run on one adding-problem sequence, drawn as
 * a heatmap of its gates and states (rows) against time (columns). The reader picks the model,
 * the sequence, and the bias of the gate that keeps the memory (the LSTM's forget gate, the
 * GRU's update gate); lowering it makes the memory leak.
 */
import { defineFigure } from '../../src/notebook/figures/define.ts';
import { Generator, addingProblem, nn, tensor, type Tensor } from '@descent/engine';

/** Sharpness of the gates that open on the marker, and the input scale of the candidate. */
export const SHARPNESS = 16;
export const INPUT_SCALE = 0.5;

const f64 = { dtype: 'float64' as const };

/** Writes rows of numbers into a parameter (PyTorch's layout, gates stacked on axis 0). */
function set(p: Tensor, rows: number[][] | number[]) {
  p.data.set(rows.flat());
}

/**
 * A one-unit LSTM cell (input: value, marker) that adds up the marked values in its cell state:
 * the input gate opens only on a marker, the forget gate is σ(forgetBias) (close to 1: keep),
 * the candidate is tanh(0.5·value) and the output gate is almost open.
 */
export function handSetLSTM(forgetBias: number): nn.LSTMCell {
  const cell = new nn.LSTMCell(2, 1, f64);
  const k = SHARPNESS;
  // gate order i, f, g, o; columns: value, marker
  set(cell.weightIh, [
    [0, k],
    [0, 0],
    [INPUT_SCALE, 0],
    [0, 0],
  ]);
  set(cell.weightHh, [0, 0, 0, 0]);
  set(cell.biasIh!, [-k / 2, forgetBias, 0, 4]);
  set(cell.biasHh!, [0, 0, 0, 0]);
  return cell;
}

/**
 * A one-unit GRU cell that does the same in its hidden state: the update gate z is σ(updateBias)
 * (keep the old state) except on a marker, where it closes and the new state
 * n = tanh(0.5·value + r·h) ≈ h + 0.5·value takes over; the reset gate stays open.
 */
export function handSetGRU(updateBias: number): nn.GRUCell {
  const cell = new nn.GRUCell(2, 1, f64);
  const k = SHARPNESS;
  // gate order r, z, n
  set(cell.weightIh, [
    [0, 0],
    [0, -k],
    [INPUT_SCALE, 0],
  ]);
  set(cell.weightHh, [0, 0, 1]);
  set(cell.biasIh!, [6, updateBias, 0]);
  set(cell.biasHh!, [0, 0, 0]);
  return cell;
}

export type Trace = { rows: string[]; values: number[][]; target: number; marks: number[] };

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** Pre-activations W_ih x + b_ih and W_hh h + b_hh of a one-unit cell, one number per gate. */
function parts(cell: nn.LSTMCell | nn.GRUCell, x: [number, number], h: number) {
  const wi = cell.weightIh.data;
  const wh = cell.weightHh.data;
  const bi = cell.biasIh!.data;
  const bh = cell.biasHh!.data;
  return Array.from({ length: wh.length }, (_, g) => ({
    fromX: wi[2 * g] * x[0] + wi[2 * g + 1] * x[1] + bi[g],
    fromH: wh[g] * h + bh[g],
  }));
}

/**
 * Runs the hand-set cell over adding-problem sequence number `seed` (length T) and records
 * every gate and state. The states come from the engine's cell; the gates are recomputed from
 * its weights with the equations of the chapter (tests check both agree).
 */
export function trace(model: 'LSTM' | 'GRU', bias: number, seed: number, T = 20): Trace {
  const { x, y } = addingProblem({ n: 1, T, generator: new Generator(seed) });
  const xs = x.data;
  const inputs: [number, number][] = Array.from({ length: T }, (_, t) => [
    xs[2 * t],
    xs[2 * t + 1],
  ]);
  const marks = inputs.flatMap((v, t) => (v[1] === 1 ? [t] : []));
  if (model === 'LSTM') {
    const cell = handSetLSTM(bias);
    let state = { h: tensor([[0]], f64), c: tensor([[0]], f64) };
    const rows = ['value x', 'marker', 'input gate i', 'forget gate f', 'candidate g'];
    rows.push('output gate o', 'cell state c', 'hidden h');
    const values: number[][] = rows.map(() => []);
    for (const v of inputs) {
      const p = parts(cell, v, state.h.item());
      const gates = [
        sigmoid(p[0].fromX + p[0].fromH),
        sigmoid(p[1].fromX + p[1].fromH),
        Math.tanh(p[2].fromX + p[2].fromH),
        sigmoid(p[3].fromX + p[3].fromH),
      ];
      state = cell.forward(tensor([v], f64), state);
      [v[0], v[1], ...gates, state.c.item(), state.h.item()].forEach((n, r) => values[r].push(n));
    }
    return { rows, values, target: y.item(), marks };
  }
  const cell = handSetGRU(bias);
  let h = tensor([[0]], f64);
  const rows = ['value x', 'marker', 'reset gate r', 'update gate z', 'candidate n', 'hidden h'];
  const values: number[][] = rows.map(() => []);
  for (const v of inputs) {
    const p = parts(cell, v, h.item());
    const r = sigmoid(p[0].fromX + p[0].fromH);
    const z = sigmoid(p[1].fromX + p[1].fromH);
    const n = Math.tanh(p[2].fromX + r * p[2].fromH);
    h = cell.forward(tensor([v], f64), h);
    [v[0], v[1], r, z, n, h.item()].forEach((value, i) => values[i].push(value));
  }
  return { rows, values, target: y.item(), marks };
}

/** What the memory ends with: c_T for the LSTM, h_T for the GRU (the last row but one or last). */
export function memory(model: 'LSTM' | 'GRU', t: Trace): number {
  const row = t.rows.indexOf(model === 'LSTM' ? 'cell state c' : 'hidden h');
  return t.values[row].at(-1)!;
}

export default defineFigure({
  controls: {
    model: { type: 'select', label: 'Model', options: ['LSTM', 'GRU'], value: 'LSTM' },
    bias: {
      type: 'range',
      label: 'Forget (LSTM) / update (GRU) gate bias',
      min: -2,
      max: 8,
      step: 0.5,
      value: 6,
    },
    seed: { type: 'range', label: 'Sequence', min: 1, max: 20, step: 1, value: 3 },
  },
  render(state, { Plot, width }) {
    const t = trace(state.model, state.bias, state.seed);
    const cells = t.rows.flatMap((row, r) =>
      t.values[r].map((value, step) => ({ row, step, value })),
    );
    const labels = width >= 520;
    return Plot.plot({
      width,
      height: 60 + 30 * t.rows.length,
      marginLeft: 100,
      padding: 0.04,
      x: { label: 'time step t', tickFormat: (d: number) => (d % 5 === 0 ? String(d) : '') },
      y: { label: null, domain: t.rows },
      color: {
        type: 'linear',
        scheme: 'PuOr',
        domain: [-1, 1],
        // NOTE: no ramp legend: Plot draws it on a canvas, which the build's document lacks.
        // The caption says what the colours mean, and wide plots print every value.
      },
      marks: [
        Plot.cell(cells, { x: 'step', y: 'row', fill: 'value', inset: 0.5 }),
        labels
          ? Plot.text(cells, {
              x: 'step',
              y: 'row',
              text: (d: { value: number }) => d.value.toFixed(2).replace(/^(-?)0\./, '$1.'),
              fontSize: 8,
              fill: (d: { value: number }) => (Math.abs(d.value) > 0.55 ? 'white' : 'black'),
            })
          : null,
      ],
    });
  },
  describe(state) {
    const t = trace(state.model, state.bias, state.seed);
    const where = state.model === 'LSTM' ? 'cell state c' : 'hidden state h';
    const gate = state.model === 'LSTM' ? 'forget' : 'update';
    return `A one-unit ${state.model} with hand-set weights on adding-problem sequence ${state.seed} (markers at steps ${t.marks.join(' and ')}, target ${t.target.toFixed(3)}), ${gate}-gate bias ${state.bias}. Its ${where} ends at ${memory(state.model, t).toFixed(3)}.`;
  },
});
