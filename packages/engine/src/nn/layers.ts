/**
 * Layers: Linear, Conv2d, pooling, Flatten, Dropout, batch normalization and activation modules,
 * each a thin Module around the functional op in `F`, with PyTorch's parameter names, shapes,
 * defaults and default initialisation.
 */
import { Tensor } from '../tensor.ts';
import type { DType } from '../dtype.ts';
import { DescentError, ShapeError } from '../errors.ts';
import type { Generator } from '../random.ts';
import { linear } from '../ops/matmul.ts';
import { flatten } from '../ops/movement.ts';
import * as A from '../functional/activations.ts';
import { conv2d, maxPool2d, avgPool2d, type Pair } from '../functional/conv.ts';
import { batchNorm } from '../functional/norm.ts';
import { dropout } from '../functional/dropout.ts';
import { Module } from './module.ts';
import { defaultLayerInit } from './init.ts';

/** Options shared by layers with parameters. */
export interface LayerOptions {
  /** Element type of the parameters. Default 'float32'. */
  dtype?: DType;
  /** Random source for the initial values; default: the global generator. */
  generator?: Generator;
}

/**
 * A zero-filled trainable tensor.
 *
 * @example
 * const w = nn.parameter([2, 3]);
 * w.requiresGrad; // true
 */
export function parameter(shape: number[], dtype: DType = 'float32'): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const t = new Tensor(dtype === 'float64' ? new Float64Array(n) : new Float32Array(n), shape);
  t.requiresGrad = true;
  return t;
}

function checkSize(name: string, what: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) {
    throw new DescentError(`${name}: ${what} must be a positive integer, got ${v}`);
  }
}

/**
 * Fully connected layer y = x·Wᵀ + b, like `torch.nn.Linear`: weight [outFeatures, inFeatures],
 * bias [outFeatures], both initialised U(−1/√in, 1/√in).
 *
 * @example
 * const fc = new nn.Linear(784, 10);
 * fc.forward(zeros([32, 784])).shape; // [32, 10]
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Tensor;
  bias: Tensor | null;

  constructor(
    inFeatures: number,
    outFeatures: number,
    options: (LayerOptions & { bias?: boolean }) | boolean = {},
  ) {
    super();
    if (typeof options === 'boolean') options = { bias: options }; // torch: Linear(in, out, bias)
    checkSize('Linear', 'inFeatures', inFeatures);
    checkSize('Linear', 'outFeatures', outFeatures);
    const { dtype = 'float32', bias = true, generator } = options;
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = parameter([outFeatures, inFeatures], dtype);
    this.bias = bias ? parameter([outFeatures], dtype) : null;
    defaultLayerInit(this.weight, this.bias, generator);
  }

  override forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor) || x.ndim < 1 || x.shape[x.ndim - 1] !== this.inFeatures) {
      const got = x instanceof Tensor ? `[${x.shape.join(', ')}]` : typeof x;
      throw new ShapeError(`Linear: input must end in ${this.inFeatures} features, got ${got}`);
    }
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

/**
 * 2-D convolution layer, like `torch.nn.Conv2d`: weight [outChannels, inChannels, kH, kW], bias
 * [outChannels], initialised U(−1/√fanIn, 1/√fanIn) with fanIn = inChannels·kH·kW.
 *
 * @example
 * const conv = new nn.Conv2d(1, 8, 3, { padding: 1 });
 * conv.forward(zeros([2, 1, 28, 28])).shape; // [2, 8, 28, 28]
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: Pair;
  readonly padding: Pair;
  weight: Tensor;
  bias: Tensor | null;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Pair,
    options: (LayerOptions & { stride?: Pair; padding?: Pair; bias?: boolean }) | Pair = {},
    positionalPadding?: Pair,
  ) {
    super();
    // torch's positional form Conv2d(in, out, k, stride, padding) works too.
    if (typeof options === 'number' || Array.isArray(options)) {
      options = { stride: options, padding: positionalPadding ?? 0 };
    }
    checkSize('Conv2d', 'inChannels', inChannels);
    checkSize('Conv2d', 'outChannels', outChannels);
    const k: [number, number] =
      typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize;
    k.forEach((v) => checkSize('Conv2d', 'kernelSize', v));
    const { dtype = 'float32', bias = true, generator, stride = 1, padding = 0 } = options;
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = k;
    this.stride = stride;
    this.padding = padding;
    this.weight = parameter([outChannels, inChannels, k[0], k[1]], dtype);
    this.bias = bias ? parameter([outChannels], dtype) : null;
    defaultLayerInit(this.weight, this.bias, generator);
  }

  override forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize}], stride=${JSON.stringify(this.stride)}, padding=${JSON.stringify(this.padding)}`;
  }
}

/** Options of the pooling layers. */
export interface PoolOptions {
  /** Default: the kernel size. */
  stride?: Pair;
  padding?: Pair;
  /** AvgPool2d only: count padded zeros in the average (default true, as in PyTorch). */
  countIncludePad?: boolean;
}

/** What the two pooling layers share: kernel size, options and torch's positional form. */
abstract class Pool2d extends Module {
  readonly kernelSize: Pair;
  readonly options: PoolOptions;
  constructor(kernelSize: Pair, options: PoolOptions | Pair = {}, padding?: Pair) {
    super();
    this.kernelSize = kernelSize;
    // torch's positional form Pool2d(kernelSize, stride, padding) works too.
    this.options =
      typeof options === 'number' || Array.isArray(options)
        ? { stride: options, padding: padding ?? 0 }
        : options;
  }
  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}`;
  }
}

/** Max pooling layer, like `torch.nn.MaxPool2d` (stride defaults to the kernel size). */
export class MaxPool2d extends Pool2d {
  override forward(x: Tensor): Tensor {
    return maxPool2d(x, { kernelSize: this.kernelSize, ...this.options });
  }
}

/** Average pooling layer, like `torch.nn.AvgPool2d` (stride defaults to the kernel size). */
export class AvgPool2d extends Pool2d {
  override forward(x: Tensor): Tensor {
    return avgPool2d(x, { kernelSize: this.kernelSize, ...this.options });
  }
}

/** Flatten dimensions startDim..endDim (default 1..−1: everything but the batch), like `nn.Flatten`. */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;
  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = startDim;
    this.endDim = endDim;
  }
  override forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
}

/** Identity: returns its input (a placeholder layer). */
export class Identity extends Module {
  override forward(x: Tensor): Tensor {
    return x;
  }
}

/**
 * Dropout layer, like `torch.nn.Dropout`: active in training mode only; its masks come from
 * `generator` (default: the global generator), so a seeded run is reproducible.
 */
export class Dropout extends Module {
  readonly p: number;
  /** @internal */
  _generator: Generator | undefined;
  constructor(p = 0.5, options: { generator?: Generator } = {}) {
    super();
    if (!(p >= 0 && p <= 1)) throw new DescentError(`Dropout: p must be between 0 and 1, got ${p}`);
    this.p = p;
    this._generator = options.generator;
  }
  override forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, this._generator);
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/** Options of the batch-norm layers (PyTorch's defaults). */
export interface BatchNormLayerOptions {
  /** Default 1e-5. */
  eps?: number;
  /** Weight of each new batch in the running statistics (default 0.1); null: cumulative average. */
  momentum?: number | null;
  /** Learnable γ (weight, init 1) and β (bias, init 0). Default true. */
  affine?: boolean;
  /** Keep running statistics for evaluation. Default true. */
  trackRunningStats?: boolean;
  dtype?: DType;
}

/** torch's positional form BatchNorm1d(numFeatures, eps, momentum) as options. */
function bnOptions(
  options: BatchNormLayerOptions | number,
  momentum?: number,
): BatchNormLayerOptions {
  if (typeof options === 'number') return { eps: options, momentum: momentum ?? 0.1 };
  return options;
}

class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  weight: Tensor | null;
  bias: Tensor | null;
  runningMean!: Tensor | null;
  runningVar!: Tensor | null;
  numBatchesTracked!: Tensor | null;
  private readonly expectedDims: number[];

  constructor(
    name: string,
    expectedDims: number[],
    numFeatures: number,
    options: BatchNormLayerOptions,
  ) {
    super();
    checkSize(name, 'numFeatures', numFeatures);
    const {
      eps = 1e-5,
      momentum = 0.1,
      affine = true,
      trackRunningStats = true,
      dtype = 'float32',
    } = options;
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.expectedDims = expectedDims;
    this.weight = affine ? parameter([numFeatures], dtype) : null;
    this.bias = affine ? parameter([numFeatures], dtype) : null;
    this.weight?.data.fill(1);
    const make = (fill: number) => {
      const t = parameter([numFeatures], dtype);
      t.requiresGrad = false;
      t.data.fill(fill);
      return t;
    };
    this.registerBuffer('runningMean', trackRunningStats ? make(0) : null);
    this.registerBuffer('runningVar', trackRunningStats ? make(1) : null);
    this.registerBuffer(
      'numBatchesTracked',
      trackRunningStats ? new Tensor(new Float64Array(1), []) : null,
    );
  }

  override forward(x: Tensor): Tensor {
    const name = this.constructor.name;
    if (!(x instanceof Tensor) || !this.expectedDims.includes(x.ndim)) {
      const got = x instanceof Tensor ? `${x.ndim}-D [${x.shape.join(', ')}]` : typeof x;
      throw new ShapeError(
        `${name}: expected ${this.expectedDims.join('-D or ')}-D input, got ${got}`,
      );
    }
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError(
        `${name}: expected ${this.numFeatures} channels on axis 1, got [${x.shape.join(', ')}]`,
      );
    }
    const useBatchStats = this.training || this.runningMean === null;
    let momentum = this.momentum ?? 0;
    if (this.training && this.numBatchesTracked) {
      this.numBatchesTracked.data[0] += 1;
      // NOTE: momentum null means a cumulative moving average, as in torch.
      if (this.momentum === null) momentum = 1 / this.numBatchesTracked.data[0];
    }
    return batchNorm(
      x,
      this.training ? this.runningMean : useBatchStats ? null : this.runningMean,
      this.training ? this.runningVar : useBatchStats ? null : this.runningVar,
      { weight: this.weight, bias: this.bias, training: useBatchStats, momentum, eps: this.eps },
    );
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}`;
  }
}

/**
 * Batch normalization over [N, C] or [N, C, L], like `torch.nn.BatchNorm1d`: batch statistics in
 * training (biased variance to normalize, unbiased in the running estimate), running statistics
 * in eval mode.
 *
 * @example
 * const bn = new nn.BatchNorm1d(3);
 * const x = randn([8, 3]);
 * bn.forward(x).mean(0).abs().max().item() < 1e-5; // true
 * bn.eval();
 * bn.forward(x).shape; // [8, 3]
 */
export class BatchNorm1d extends BatchNormBase {
  constructor(
    numFeatures: number,
    options: BatchNormLayerOptions | number = {},
    momentum?: number,
  ) {
    super('BatchNorm1d', [2, 3], numFeatures, bnOptions(options, momentum));
  }
}

/** Batch normalization over [N, C, H, W] per channel, like `torch.nn.BatchNorm2d`. */
export class BatchNorm2d extends BatchNormBase {
  constructor(
    numFeatures: number,
    options: BatchNormLayerOptions | number = {},
    momentum?: number,
  ) {
    super('BatchNorm2d', [4], numFeatures, bnOptions(options, momentum));
  }
}

// ---------------------------------------------------------------------------------------------
// Activation modules.

/** `nn.ReLU`. */
export class ReLU extends Module {
  override forward(x: Tensor): Tensor {
    return A.relu(x);
  }
}

/** `nn.Tanh`. */
export class Tanh extends Module {
  override forward(x: Tensor): Tensor {
    return A.tanh(x);
  }
}

/** `nn.Sigmoid`. */
export class Sigmoid extends Module {
  override forward(x: Tensor): Tensor {
    return A.sigmoid(x);
  }
}

/** `nn.LeakyReLU(negativeSlope = 0.01)`. */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  constructor(negativeSlope = 0.01) {
    super();
    this.negativeSlope = negativeSlope;
  }
  override forward(x: Tensor): Tensor {
    return A.leakyRelu(x, this.negativeSlope);
  }
}

/** `nn.ELU(alpha = 1)`. */
export class ELU extends Module {
  readonly alpha: number;
  constructor(alpha = 1) {
    super();
    this.alpha = alpha;
  }
  override forward(x: Tensor): Tensor {
    return A.elu(x, this.alpha);
  }
}

/** `nn.Softplus(beta = 1, threshold = 20)`. */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(beta = 1, threshold = 20) {
    super();
    this.beta = beta;
    this.threshold = threshold;
  }
  override forward(x: Tensor): Tensor {
    return A.softplus(x, this.beta, this.threshold);
  }
}

/** `nn.GELU` (exact erf form; `{ approximate: 'tanh' }` for the tanh approximation). */
export class GELU extends Module {
  readonly options: Parameters<typeof A.gelu>[1];
  constructor(options: Parameters<typeof A.gelu>[1] = {}) {
    super();
    this.options = options;
  }
  override forward(x: Tensor): Tensor {
    return A.gelu(x, this.options);
  }
}

/** `nn.Softmax(axis)` (PyTorch's `dim`; default the last axis). */
export class Softmax extends Module {
  readonly axis: number;
  constructor(axis = -1) {
    super();
    this.axis = axis;
  }
  override forward(x: Tensor): Tensor {
    return A.softmax(x, this.axis);
  }
}

/** `nn.LogSoftmax(axis)`. */
export class LogSoftmax extends Module {
  readonly axis: number;
  constructor(axis = -1) {
    super();
    this.axis = axis;
  }
  override forward(x: Tensor): Tensor {
    return A.logSoftmax(x, this.axis);
  }
}
