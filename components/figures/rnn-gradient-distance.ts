/**
 * Gradient norm against distance in time (chapter 14, fig-rnn-gradient-distance): for a
 * freshly initialised RNN, LSTM and GRU of the engine, the norm of ∂L/∂x_t, where
 * L = u·h_T for a fixed random unit vector u, against the distance T − t. The reader sets the
 * sequence length, the hidden size, a factor on every recurrent weight matrix, and the bias of
 * the LSTM's forget gate and the GRU's update gate (the gates that decide how much of the old
 * state survives a step).
 */
import { defineFigure, palette } from '../../src/notebook/figures/define.ts';
import { Generator, nn, randn, type Tensor } from '@descent/engine';

export const MODELS = [
  { key: 'RNN', color: palette.orange },
  { key: 'LSTM', color: palette.blue },
  { key: 'GRU', color: palette.green },
] as const;
export type ModelKey = (typeof MODELS)[number]['key'];

/** The settings of one measurement. */
export interface GradientSettings {
  T: number;
  hidden: number;
  /** Factor on weightHh after the default initialisation U(−1/√H, 1/√H). */
  scale: number;
  /** Added to the bias of the LSTM's forget gate and the GRU's update gate. */
  gateBias: number;
  seed: number;
}

const INPUT = 4;
const FLOOR = 1e-30;

/**
 * ‖∂L/∂x_t‖ for t = T−1 … 0, returned by distance d = T − 1 − t (so index 0 is the last input),
 * for a model built with the engine's default initialisation from `seed` (float64, so tiny
 * gradients do not underflow).
 */
export function gradientByDistance(model: ModelKey, s: GradientSettings): number[] {
  const generator = new Generator(s.seed);
  const options = { dtype: 'float64' as const, generator };
  const layer =
    model === 'RNN'
      ? new nn.RNN(INPUT, s.hidden, options)
      : model === 'LSTM'
        ? new nn.LSTM(INPUT, s.hidden, options)
        : new nn.GRU(INPUT, s.hidden, options);
  const H = s.hidden;
  for (let i = 0; i < layer.weightHh.data.length; i++) layer.weightHh.data[i] *= s.scale;
  // LSTM gates are i, f, g, o and GRU gates r, z, n: the second block of H rows is f (LSTM) or z (GRU).
  if (model !== 'RNN') for (let j = H; j < 2 * H; j++) layer.biasHh!.data[j] += s.gateBias;
  const input = new Generator(s.seed + 1000);
  const x = randn([s.T, 1, INPUT], { dtype: 'float64', generator: input });
  x.requiresGrad_();
  const u = randn([1, H], { dtype: 'float64', generator: input });
  const { h } = layer.forward(x) as { h: Tensor };
  h.mul(u.div(Math.sqrt(u.mul(u).sum().item())))
    .sum()
    .backward();
  const g = x.grad!.data;
  const norms: number[] = [];
  for (let t = s.T - 1; t >= 0; t--) {
    let sq = 0;
    for (let k = 0; k < INPUT; k++) sq += g[t * INPUT + k] ** 2;
    norms.push(Math.max(Math.sqrt(sq), FLOOR));
  }
  return norms;
}

/** The first distance at which the norm has fallen below 10⁻³ of its value at distance 0. */
export function reach(norms: number[]): number | null {
  const i = norms.findIndex((v) => v < norms[0] * 1e-3);
  return i === -1 ? null : i;
}

export default defineFigure({
  controls: {
    T: { type: 'range', label: 'Sequence length T', min: 10, max: 200, step: 10, value: 100 },
    hidden: {
      type: 'select',
      label: 'Hidden size H',
      options: ['8', '16', '32', '64'],
      value: '32',
    },
    scale: {
      type: 'range',
      label: 'Recurrent weight scale',
      min: 0.25,
      max: 4,
      step: 0.25,
      value: 1,
      format: (v) => `×${v}`,
    },
    gateBias: {
      type: 'range',
      label: 'Forget / update gate bias',
      min: -2,
      max: 6,
      step: 0.5,
      value: 0,
    },
    seed: { type: 'range', label: 'Seed', min: 1, max: 10, step: 1, value: 1 },
  },
  computeIn: 'worker',
  compute(state) {
    const settings: GradientSettings = { ...state, hidden: Number(state.hidden) };
    return MODELS.map((m) => ({ key: m.key, norms: gradientByDistance(m.key, settings) }));
  },
  render(state, { Plot, width, data }) {
    const points = data.flatMap((run) =>
      run.norms.map((norm, distance) => ({ model: run.key, distance, norm })),
    );
    return Plot.plot({
      width,
      height: 320,
      marginLeft: 56,
      x: { label: 'distance in time steps, T − t', domain: [0, state.T - 1] },
      y: { type: 'log', label: '‖∂L/∂xₜ‖', domain: [1e-16, 1e4], grid: true, clamp: true },
      color: {
        domain: MODELS.map((m) => m.key),
        range: MODELS.map((m) => m.color),
        legend: true,
      },
      marks: [
        Plot.line(points, {
          x: 'distance',
          y: (p: { norm: number }) => Math.max(p.norm, 1e-16),
          z: 'model',
          stroke: 'model',
          strokeWidth: 2,
        }),
      ],
    });
  },
  describe(state, data) {
    const parts = data.map((run) => {
      const d = reach(run.norms);
      const ratio = (run.norms[run.norms.length - 1] / run.norms[0]).toExponential(1);
      const fall =
        d === null
          ? 'never falls below 1/1,000 of it'
          : `falls below 1/1,000 of it after ${d} steps`;
      return `${run.key}: ${ratio} times its last-step value at distance ${state.T - 1}, ${fall}`;
    });
    return `Gradient norm of u·h_T with respect to each input, T = ${state.T}, H = ${state.hidden}, recurrent weights ×${state.scale}, gate bias ${state.gateBias}, seed ${state.seed}. ${parts.join('; ')}.`;
  },
});
