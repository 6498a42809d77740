/**
 * Vanishing and exploding gradients (chapter 6, fig-bp-vanishing): the norm of ∂L/∂W_ℓ for
 * every layer ℓ of a freshly initialized fully connected network, computed with the engine's
 * autodiff, as the depth, the activation and the scale of the initial weights change.
 */
import { defineFigure, palette } from '../../src/notebook/figures/define.ts';
import { F, Generator, randn, type Tensor } from '@descent/engine';

export const WIDTH = 32;
const BATCH = 64;

const ACTIVATIONS = {
  sigmoid: (t: Tensor) => t.sigmoid(),
  tanh: (t: Tensor) => t.tanh(),
  relu: (t: Tensor) => t.relu(),
} as const;
type Activation = keyof typeof ACTIVATIONS;

/**
 * One seeded network of `depth` hidden layers of WIDTH units (weights N(0, scale²/WIDTH), zero
 * biases) on a seeded batch; returns ‖∂L/∂W_ℓ‖ for ℓ = 1 … depth + 1 (the last is the output
 * layer), with L = ½ mean((ŷ − y)²).
 */
export function gradientNorms(depth: number, activation: Activation, scale: number): number[] {
  const gen = new Generator(6);
  const opts = { generator: gen, dtype: 'float64' } as const;
  const x = randn([BATCH, WIDTH], opts);
  const target = randn([BATCH, 1], opts);
  const weights: Tensor[] = [];
  for (let l = 0; l <= depth; l++) {
    const out = l === depth ? 1 : WIDTH;
    const w = randn([WIDTH, out], opts).mul(scale / Math.sqrt(WIDTH));
    weights.push(w.requiresGrad_());
  }
  let h = x;
  for (let l = 0; l < depth; l++) h = ACTIVATIONS[activation](h.matmul(weights[l]!));
  const yHat = h.matmul(weights[depth]!);
  F.mseLoss(yHat, target).div(2).backward();
  return weights.map((w) => Math.sqrt(w.grad!.square().sum().item()));
}

export default defineFigure({
  controls: {
    depth: { type: 'range', label: 'Hidden layers', min: 2, max: 20, step: 1, value: 10 },
    activation: {
      type: 'select',
      label: 'Activation',
      options: ['sigmoid', 'tanh', 'relu'],
      value: 'sigmoid',
    },
    scale: {
      type: 'range',
      label: 'Initial weight scale',
      min: 0.25,
      max: 4,
      step: 0.25,
      value: 1,
      format: (s: number) => `${s.toFixed(2)}/√32`,
    },
  },
  // A deep network's forward and backward pass take ~10 ms: off the main thread while dragging.
  computeIn: 'worker',
  compute(state) {
    return gradientNorms(state.depth, state.activation, state.scale);
  },
  render(state, { Plot, width, data }) {
    const points = data.map((norm, i) => ({ layer: i + 1, norm: Math.max(norm, 1e-30) }));
    return Plot.plot({
      width,
      height: Math.round(Math.max(260, width * 0.55)),
      marginLeft: 56,
      x: { label: 'layer ℓ (the last is the output layer)', domain: [0.5, 21.5] },
      y: {
        type: 'log',
        label: '‖∂L/∂Wℓ‖',
        // Fixed, so curves can be compared across settings: from sigmoid at depth 20 and scale
        // 0.25 (about 1e-25) to ReLU at depth 20 and scale 4 (about 1e19).
        domain: [1e-26, 1e20],
        ticks: [1e-25, 1e-20, 1e-15, 1e-10, 1e-5, 1, 1e5, 1e10, 1e15, 1e20],
        tickFormat: (v: number) => (v === 1 ? '1' : `1e${Math.round(Math.log10(v))}`),
        grid: true,
      },
      clip: true,
      marks: [
        Plot.ruleY([1], { strokeOpacity: 0.3 }),
        Plot.line(points, { x: 'layer', y: 'norm', stroke: palette.blue, strokeWidth: 2 }),
        Plot.dot(points, { x: 'layer', y: 'norm', fill: palette.blue, r: 3.5 }),
        Plot.text([`${state.activation}, ${state.depth} hidden layers`], {
          frameAnchor: 'top-right',
          dx: -8,
          dy: 8,
          fill: 'currentColor',
        }),
      ],
    });
  },
  describe(state, data) {
    const first = data[0]!;
    const last = data[data.length - 1]!;
    return (
      `${state.activation}, ${state.depth} hidden layers, weights drawn with standard deviation ` +
      `${state.scale.toFixed(2)}/√32: the gradient norm is ${first.toExponential(2)} at the first ` +
      `layer and ${last.toExponential(2)} at the output layer, a ratio of ${(first / last).toExponential(2)}.`
    );
  },
});
