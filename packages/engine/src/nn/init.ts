/**
 * `nn.init`: fill a tensor in place with PyTorch's initialisation schemes, from a seeded
 * generator (the global one set by `manualSeed` unless `generator` is given). Each function
 * returns the tensor it filled, never records on the autograd tape, and has a `name_` alias like
 * torch's (`xavierUniform` = `xavierUniform_`).
 *
 * NOTE: the formulas (bounds, standard deviations, fans, gains) are PyTorch's; the random numbers
 * are the engine's, so values differ from torch's for the same seed.
 */
import { Tensor } from '../tensor.ts';
import { DescentError } from '../errors.ts';
import { defaultGenerator, type Generator } from '../random.ts';

/** Nonlinearity names accepted by {@link calculateGain} (torch's snake_case also works). */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leakyRelu'
  | 'leaky_relu'
  | 'selu';

/** Fan mode for Kaiming initialisation. */
export type FanMode = 'fanIn' | 'fanOut' | 'fan_in' | 'fan_out';

/**
 * The recommended gain for a nonlinearity, like `torch.nn.init.calculate_gain`: 1 for linear,
 * conv and sigmoid, 5/3 for tanh, √2 for ReLU, √(2/(1 + slope²)) for leaky ReLU (slope `param`,
 * default 0.01), 3/4 for SELU.
 *
 * @example
 * nn.init.calculateGain('relu'); // 1.4142…
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu':
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new DescentError(`calculateGain: unsupported nonlinearity ${String(nonlinearity)}`);
  }
}

/**
 * fanIn and fanOut of a weight, like torch's `_calculate_fan_in_and_fan_out`: for [out, in, …k]
 * fanIn = in·∏k and fanOut = out·∏k.
 *
 * @example
 * nn.init.calculateFans(zeros([8, 3, 5, 5])).fanIn; // 75
 */
export function calculateFans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) {
    throw new DescentError(
      `calculateFans: fan in and fan out need a tensor with at least 2 dimensions, got [${t.shape.join(', ')}]`,
    );
  }
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

function fill(t: Tensor, draw: () => number): Tensor {
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = draw();
  return t;
}

/**
 * Fill with U(a, b).
 *
 * @example
 * const w = nn.init.uniform_(zeros([2, 3]), -1, 1, new Generator(0));
 * w.abs().max().item() <= 1; // true
 */
export function uniform_(t: Tensor, a = 0, b = 1, generator?: Generator): Tensor {
  const g = generator ?? defaultGenerator();
  return fill(t, () => a + (b - a) * g.uniform());
}

/**
 * Fill with N(mean, std²).
 *
 * @example
 * const w = nn.init.normal_(zeros([1000]), 0, 0.1, new Generator(0));
 * Math.abs(w.mean().item()) < 0.02; // true
 */
export function normal_(t: Tensor, mean = 0, std = 1, generator?: Generator): Tensor {
  const g = generator ?? defaultGenerator();
  return fill(t, () => mean + std * g.normal());
}

/**
 * Fill with a constant.
 *
 * @example
 * nn.init.constant_(zeros([2]), 0.5).toArray(); // [0.5, 0.5]
 */
export function constant_(t: Tensor, value: number): Tensor {
  t.data.fill(value);
  return t;
}

/**
 * Fill with zeros.
 *
 * @example
 * nn.init.zeros_(ones([2])).toArray(); // [0, 0]
 */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/**
 * Fill with ones.
 *
 * @example
 * nn.init.ones_(zeros([2])).toArray(); // [1, 1]
 */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/**
 * The identity matrix (2-D tensors only).
 *
 * @example
 * nn.init.eye_(zeros([2, 3])).toArray(); // [[1, 0, 0], [0, 1, 0]]
 */
export function eye_(t: Tensor): Tensor {
  if (t.ndim !== 2)
    throw new DescentError(`eye_: expected a 2-D tensor, got [${t.shape.join(', ')}]`);
  t.data.fill(0);
  const [r, c] = t.shape;
  for (let i = 0; i < Math.min(r, c); i++) t.data[i * c + i] = 1;
  return t;
}

/**
 * Xavier/Glorot uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)), which keeps the variance
 * of activations and gradients about equal across tanh-like layers.
 *
 * @example
 * const w = nn.init.xavierUniform_(zeros([20, 30]), 1, new Generator(0));
 * w.abs().max().item() <= Math.sqrt(6 / 50); // true
 */
export function xavierUniform_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -a, a, generator);
}

/**
 * Xavier/Glorot normal: N(0, σ²) with σ = gain·√(2 / (fanIn + fanOut)).
 *
 * @example
 * const w = nn.init.xavierNormal_(zeros([200, 300]), 1, new Generator(0));
 * Math.abs(w.std().item() - Math.sqrt(2 / 500)) < 0.002; // true
 */
export function xavierNormal_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), generator);
}

/** Options of the Kaiming initialisers (torch's defaults: a = 0, fanIn, leaky_relu). */
export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (used by the gain). Default 0. */
  a?: number;
  /** Preserve the variance of activations ('fanIn') or of gradients ('fanOut'). */
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
  generator?: Generator;
}

function kaimingStd(name: string, t: Tensor, opts: KaimingOptions): number {
  const { a = 0, mode = 'fanIn', nonlinearity = 'leaky_relu' } = opts;
  const { fanIn, fanOut } = calculateFans(t);
  let fan: number;
  if (mode === 'fanIn' || mode === 'fan_in') fan = fanIn;
  else if (mode === 'fanOut' || mode === 'fan_out') fan = fanOut;
  else throw new DescentError(`${name}: mode must be 'fanIn' or 'fanOut', got ${String(mode)}`);
  return calculateGain(nonlinearity, a) / Math.sqrt(fan);
}

/**
 * Kaiming/He uniform: U(−b, b) with b = gain·√(3 / fan) (gain from the nonlinearity and a).
 *
 * @example
 * const w = nn.init.kaimingUniform_(zeros([64, 100]), { nonlinearity: 'relu', generator: new Generator(0) });
 * w.abs().max().item() <= Math.sqrt(6 / 100); // true
 */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const b = Math.sqrt(3) * kaimingStd('kaimingUniform_', t, opts);
  return uniform_(t, -b, b, opts.generator);
}

/**
 * Kaiming/He normal: N(0, σ²) with σ = gain / √fan; for ReLU, σ = √(2 / fanIn).
 *
 * @example
 * const w = nn.init.kaimingNormal_(zeros([200, 300]), { nonlinearity: 'relu', generator: new Generator(0) });
 * Math.abs(w.std().item() - Math.sqrt(2 / 300)) < 0.002; // true
 */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd('kaimingNormal_', t, opts), opts.generator);
}

// Aliases without the trailing underscore.
export {
  uniform_ as uniform,
  normal_ as normal,
  constant_ as constant,
  zeros_ as zeros,
  ones_ as ones,
  eye_ as eye,
  xavierUniform_ as xavierUniform,
  xavierNormal_ as xavierNormal,
  kaimingUniform_ as kaimingUniform,
  kaimingNormal_ as kaimingNormal,
};

/**
 * PyTorch's default initialisation of Linear and Conv weights and biases:
 * weight ~ kaiming_uniform(a = √5), i.e. U(−1/√fanIn, 1/√fanIn), and bias ~ U(−1/√fanIn, 1/√fanIn).
 *
 * @example
 * const w = zeros([4, 16]);
 * const b = zeros([4]);
 * nn.init.defaultLayerInit(w, b, new Generator(0));
 * w.abs().max().item() <= 0.25; // true
 */
export function defaultLayerInit(weight: Tensor, bias: Tensor | null, generator?: Generator): void {
  kaimingUniform_(weight, { a: Math.sqrt(5), generator });
  if (bias) {
    const { fanIn } = calculateFans(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound, generator);
  }
}
