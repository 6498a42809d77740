/**
 * Activations per layer (chapter 12, fig-in-histograms): a batch of 300 standard-normal inputs
 * goes through a deep stack of 100-unit dense layers (no biases), each followed by tanh or
 * ReLU, with the weights drawn from one of five initialization schemes. One histogram per
 * layer shows where the activations end up: saturated at ±1, collapsed to 0, exploded, or
 * spread over a useful range. Everything is seeded, so a state always draws the same picture.
 *
 * The forward pass runs with the engine in `compute`, in a worker in the browser (a deep stack
 * is 36 million multiply-adds, more than a frame).
 */
import { Generator, nn, noGrad, randn, zeros, type Tensor } from '@descent/engine';
import { defineFigure, palette } from '../../src/notebook/figures/define.ts';

const WIDTH = 100;
const BATCH = 300;
const BINS = 30;

export const SCHEMES = {
  normal: 'Gaussian N(0, 1)',
  small: 'Gaussian N(0, 0.01²)',
  uniform: 'Uniform U(−a, a), a = 1/√n',
  xavier: 'Xavier (Glorot) normal',
  he: 'He (Kaiming) normal',
} as const;
export type Scheme = keyof typeof SCHEMES;
export type Activation = 'tanh' | 'relu';

/** Fills a [WIDTH, WIDTH] weight matrix by the scheme, with nn.init. */
export function initialize(w: Tensor, scheme: Scheme, generator: Generator): Tensor {
  switch (scheme) {
    case 'normal':
      return nn.init.normal_(w, 0, 1, generator);
    case 'small':
      return nn.init.normal_(w, 0, 0.01, generator);
    case 'uniform': {
      const a = 1 / Math.sqrt(w.shape[1]!);
      return nn.init.uniform_(w, -a, a, generator);
    }
    case 'xavier':
      return nn.init.xavierNormal_(w, 1, generator);
    case 'he':
      return nn.init.kaimingNormal_(w, { nonlinearity: 'relu', generator });
  }
}

/** The range the histograms cover; ReLU values above the top land in the last bin. */
const RANGE: Record<Activation, [number, number]> = { tanh: [-1, 1], relu: [0, 3] };

export interface LayerHistogram {
  layer: number;
  std: number;
  /** Fraction of the activations in each bin; for ReLU the last bin also holds everything above. */
  fractions: number[];
  /** Fraction of activations with |a| > 0.99 (tanh) or exactly 0 (ReLU). */
  extreme: number;
}

/** The forward pass, layer by layer, with one histogram per layer. */
export function layerHistograms(
  activation: Activation,
  scheme: Scheme,
  depth: number,
): LayerHistogram[] {
  const inputs = randn([BATCH, WIDTH], { generator: new Generator(0) });
  const weights = new Generator(1);
  const [lo, hi] = RANGE[activation];
  const out: LayerHistogram[] = [];
  noGrad(() => {
    let h = inputs;
    for (let layer = 1; layer <= depth; layer++) {
      const w = initialize(zeros([WIDTH, WIDTH]), scheme, weights);
      const z = h.matmul(w.T);
      h = activation === 'tanh' ? z.tanh() : z.relu();
      const values = h.data;
      const counts = new Array<number>(BINS).fill(0);
      let extreme = 0;
      let sum = 0;
      let sumSq = 0;
      for (const v of values) {
        sum += v;
        sumSq += v * v;
        if (activation === 'tanh' ? Math.abs(v) > 0.99 : v === 0) extreme++;
        const bin = Math.floor(((v - lo) / (hi - lo)) * BINS);
        counts[Math.max(0, Math.min(BINS - 1, bin))]! += 1;
      }
      const n = values.length;
      const mean = sum / n;
      out.push({
        layer,
        std: Math.sqrt(Math.max(0, sumSq / n - mean * mean)),
        fractions: counts.map((c) => c / n),
        extreme: extreme / n,
      });
    }
  });
  return out;
}

const sci = (v: number) => (v >= 0.01 && v < 100 ? v.toFixed(2) : v.toExponential(1));

export default defineFigure({
  controls: {
    activation: {
      type: 'select',
      label: 'Activation',
      options: [
        { value: 'tanh', label: 'tanh' },
        { value: 'relu', label: 'ReLU' },
      ],
      value: 'tanh',
    },
    scheme: {
      type: 'select',
      label: 'Initialization',
      options: Object.entries(SCHEMES).map(([value, label]) => ({ value, label })),
      value: 'normal',
    },
    depth: { type: 'range', label: 'Layers', min: 1, max: 12, step: 1, value: 8 },
  },
  computeIn: 'worker',
  compute(state) {
    return layerHistograms(state.activation as Activation, state.scheme as Scheme, state.depth);
  },
  render(state, { Plot, width, data }) {
    const activation = state.activation as Activation;
    const [lo, hi] = RANGE[activation];
    const columns = width < 520 ? 3 : 4;
    const rows = Math.ceil(data.length / columns);
    const step = (hi - lo) / BINS;
    const bars = data.flatMap((h) =>
      h.fractions.map((fraction, i) => ({
        col: (h.layer - 1) % columns,
        row: Math.floor((h.layer - 1) / columns),
        x1: lo + i * step,
        x2: lo + (i + 1) * step,
        fraction,
      })),
    );
    const labels = data.map((h) => ({
      col: (h.layer - 1) % columns,
      row: Math.floor((h.layer - 1) / columns),
      text: `layer ${h.layer}\nstd ${sci(h.std)}`,
    }));
    return Plot.plot({
      width,
      height: 40 + rows * 120,
      marginLeft: 40,
      fx: { axis: null, padding: 0.12 },
      fy: { axis: null, padding: 0.25 },
      x: {
        domain: [lo, hi],
        label:
          activation === 'tanh' ? 'activation tanh(z)' : 'activation max(0, z); last bin: ≥ 2.9',
        // NOTE: no ticks at the ends of the range: neighbouring facets' end labels would collide.
        ticks: activation === 'tanh' ? [-0.5, 0, 0.5] : [0.5, 1.5, 2.5],
      },
      y: { domain: [0, 1], label: 'fraction', ticks: [0, 0.5, 1] },
      marks: [
        Plot.frame({ stroke: 'currentColor', strokeOpacity: 0.2 }),
        Plot.rectY(bars, {
          fx: 'col',
          fy: 'row',
          x1: 'x1',
          x2: 'x2',
          y: 'fraction',
          fill: activation === 'tanh' ? palette.blue : palette.orange,
        }),
        Plot.text(labels, {
          fx: 'col',
          fy: 'row',
          text: 'text',
          frameAnchor: 'top-right',
          dx: -3,
          dy: 3,
          fontSize: 10,
          lineHeight: 1.1,
          fill: 'currentColor',
        }),
      ],
    });
  },
  describe(state, data) {
    const activation = state.activation as Activation;
    const first = data[0]!;
    const last = data[data.length - 1]!;
    const extreme =
      activation === 'tanh'
        ? `${(last.extreme * 100).toFixed(0)}% of the last layer's activations are saturated (|a| > 0.99)`
        : `${(last.extreme * 100).toFixed(0)}% of the last layer's activations are exactly zero`;
    return `${data.length} ${activation === 'tanh' ? 'tanh' : 'ReLU'} layers initialized with ${SCHEMES[state.scheme as Scheme]}: the standard deviation of the activations is ${sci(first.std)} after layer 1 and ${sci(last.std)} after layer ${last.layer}; ${extreme}.`;
  },
});
