/**
 * Convolution and pooling on [N, C, H, W] tensors, like `torch.nn.functional.conv2d`,
 * `max_pool2d` and `avg_pool2d`.
 *
 * All three are compositions of differentiable primitives, so autograd (including gradients of
 * gradients) comes for free:
 *
 * - conv2d is im2col + matrix products. `unfold` copies the pixel under every (channel, kernel
 *   offset, output position) into columns [N, C·kH·kW, Ho·Wo] with the fast `im2col` kernel and
 *   records them on the tape as the `indexSelect` they are, whose backward, `indexAdd`, is
 *   col2im. The weight [outC, C·kH·kW] then multiplies each image's columns (`gemm`).
 * - pooling unfolds each channel the same way and reduces every window with `max` (the gradient
 *   goes to the first maximal element of the window, as in PyTorch) or `mean`.
 */
import { Tensor } from '../tensor.ts';
import { DescentError, ShapeError } from '../errors.ts';
import { reshape, pad } from '../ops/movement.ts';
import { record } from '../autograd.ts';
import { allocate } from '../dtype.ts';
import { im2col, maxPool2d as maxPoolKernel, window2d } from '../kernels/conv.ts';
import { matmul } from '../ops/matmul.ts';
import { add, mul } from '../ops/elementwise.ts';
import { mean as meanReduce, sum as sumReduce } from '../ops/reduce.ts';

/** A size for both spatial dimensions, or [height, width]. */
export type Pair = number | [number, number];

function pair(name: string, what: string, v: Pair, min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((k) => Number.isInteger(k) && k >= min)) {
    throw new DescentError(
      `${name}: ${what} must be an integer >= ${min} or a pair of them, got ${JSON.stringify(v)}`,
    );
  }
  return p;
}

function check4d(name: string, x: Tensor): void {
  if (!(x instanceof Tensor) || x.ndim !== 4) {
    const got = x instanceof Tensor ? `[${x.shape.join(', ')}]` : typeof x;
    throw new ShapeError(`${name}: input must be [N, C, H, W], got ${got}`);
  }
}

/**
 * Index, in the flattened padded image [C·Hp·Wp], of the pixel under each (channel, kernel row,
 * kernel column, output row, output column), in that order: the layout of im2col's columns.
 */
function windowIndices(
  C: number,
  Hp: number,
  Wp: number,
  kH: number,
  kW: number,
  Ho: number,
  Wo: number,
  sH: number,
  sW: number,
): Int32Array {
  const idx = new Int32Array(C * kH * kW * Ho * Wo);
  let n = 0;
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < kH; i++) {
      for (let j = 0; j < kW; j++) {
        for (let oh = 0; oh < Ho; oh++) {
          const row = (c * Hp + oh * sH + i) * Wp + j;
          for (let ow = 0; ow < Wo; ow++) idx[n++] = row + ow * sW;
        }
      }
    }
  }
  return idx;
}

const indexCache = new Map<string, Int32Array>();

function cachedIndices(...dims: number[]): Int32Array {
  const key = dims.join(',');
  let idx = indexCache.get(key);
  if (!idx) {
    const [C, Hp, Wp, kH, kW, Ho, Wo, sH, sW] = dims;
    idx = windowIndices(C, Hp, Wp, kH, kW, Ho, Wo, sH, sW);
    if (indexCache.size > 64) indexCache.clear();
    indexCache.set(key, idx);
  }
  return idx;
}

function outSize(name: string, size: number, k: number, s: number, p: number, axis: string) {
  const o = Math.floor((size + 2 * p - k) / s) + 1;
  if (o < 1) {
    throw new ShapeError(
      `${name}: kernel ${k} with padding ${p} does not fit the input ${axis} ${size} (output would be ${o})`,
    );
  }
  return o;
}

/**
 * im2col: the windows of x [N, C, H, W] (padded with `value`) as cols [N, C·kH·kW·Ho·Wo], in
 * the layout of `torch.nn.functional.unfold` ([N, C·kH·kW, Ho·Wo] flattened).
 *
 * The values come from the fast `im2col` kernel; on the tape the result is recorded as what it
 * is, `indexSelect(xPadded.reshape([N, C·Hp·Wp]), 1, windowIndices)`, so its backward is
 * `indexAdd` (col2im) and gradients of any order follow from the primitives' rules.
 */
function unfold(
  name: string,
  x: Tensor,
  kH: number,
  kW: number,
  sH: number,
  sW: number,
  pH: number,
  pW: number,
  value: number,
) {
  const [N, C, H, W] = x.shape;
  const Ho = outSize(name, H, kH, sH, pH, 'height');
  const Wo = outSize(name, W, kW, sW, pW, 'width');
  const padded = pH > 0 || pW > 0 ? pad(x, [pW, pW, pH, pH], value) : x;
  const Hp = H + 2 * pH;
  const Wp = W + 2 * pW;
  const flat = reshape(padded, [N, C * Hp * Wp]);
  const indices = cachedIndices(C, Hp, Wp, kH, kW, Ho, Wo, sH, sW);
  const colsData = allocate(x.dtype, N * indices.length);
  im2col(window2d(N, C, Hp, Wp, kH, kW, sH, sW, 0, 0), flat.data, colsData);
  const cols = record(new Tensor(colsData, [N, indices.length], x.dtype), 'indexSelect', [flat], {
    axis: 1,
    indices,
  });
  return { cols, N, C, Ho, Wo };
}

/** Options of {@link conv2d}. */
export interface Conv2dOptions {
  /** Step between windows. Default 1. */
  stride?: Pair;
  /** Zeros added on each side. Default 0. */
  padding?: Pair;
}

/**
 * 2-D convolution (cross-correlation, as in every deep-learning library): x [N, C, H, W],
 * weight [outC, C, kH, kW], optional bias [outC] → [N, outC, Ho, Wo] with
 * Ho = ⌊(H + 2p − kH)/s⌋ + 1.
 *
 * NOTE: no dilation or groups. Gradients of any order work (it is composed from primitives), but
 * only the first order is fast enough for training.
 *
 * @example
 * const y = F.conv2d(randn([1, 1, 5, 5]), randn([2, 1, 3, 3]), null, { padding: 1 });
 * y.shape; // [1, 2, 5, 5]
 */
export function conv2d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: Conv2dOptions | Pair = {},
  padding?: Pair,
): Tensor {
  // PyTorch's positional form conv2d(x, w, b, stride, padding) works too.
  if (typeof options === 'number' || Array.isArray(options)) {
    options = { stride: options, padding: padding ?? 0 };
  }
  check4d('conv2d', x);
  if (!(weight instanceof Tensor) || weight.ndim !== 4) {
    throw new ShapeError(
      `conv2d: weight must be [outC, inC, kH, kW], got ${weight instanceof Tensor ? `[${weight.shape.join(', ')}]` : typeof weight}`,
    );
  }
  const [outC, inC, kH, kW] = weight.shape;
  if (x.shape[1] !== inC) {
    throw new ShapeError(
      `conv2d: input has ${x.shape[1]} channels but the weight [${weight.shape.join(', ')}] expects ${inC}`,
    );
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outC)) {
    throw new ShapeError(`conv2d: bias must be [${outC}], got [${bias.shape.join(', ')}]`);
  }
  const [sH, sW] = pair('conv2d', 'stride', options.stride ?? 1, 1);
  const [pH, pW] = pair('conv2d', 'padding', options.padding ?? 0, 0);
  const { cols, N, Ho, Wo } = unfold('conv2d', x, kH, kW, sH, sW, pH, pW, 0);
  const K = inC * kH * kW;
  // [outC, K] · [N, K, Ho·Wo] -> [N, outC, Ho·Wo], one small product per image.
  const prod = matmul(reshape(weight, [outC, K]), reshape(cols, [N, K, Ho * Wo]));
  let y = reshape(prod, [N, outC, Ho, Wo]);
  if (bias) y = add(y, reshape(bias, [1, outC, 1, 1]));
  return y;
}

/** Options of {@link maxPool2d} and {@link avgPool2d}. */
export interface Pool2dOptions {
  /** Window size. */
  kernelSize: Pair;
  /** Step between windows. Default: the kernel size (non-overlapping windows). */
  stride?: Pair;
  /** Padding on each side (−∞ for max pooling, 0 for average pooling). Default 0. */
  padding?: Pair;
  /**
   * Average pooling only: count padded zeros in each window's average (PyTorch's default, true),
   * or divide by the number of real elements (false).
   */
  countIncludePad?: boolean;
}

/** PyTorch's positional form pool(x, kernelSize, stride, padding) as options. */
function poolOptions(
  options: Pool2dOptions | Pair,
  stride?: Pair | null,
  padding?: Pair,
): Pool2dOptions {
  if (typeof options === 'number' || Array.isArray(options)) {
    return { kernelSize: options, stride: stride ?? undefined, padding };
  }
  return options;
}

function poolSetup(name: string, x: Tensor, options: Pool2dOptions) {
  check4d(name, x);
  if (!options || options.kernelSize === undefined) {
    throw new DescentError(`${name}: options.kernelSize is required`);
  }
  const [kH, kW] = pair(name, 'kernelSize', options.kernelSize, 1);
  const [sH, sW] = pair(name, 'stride', options.stride ?? [kH, kW], 1);
  const [pH, pW] = pair(name, 'padding', options.padding ?? 0, 0);
  if (2 * pH > kH || 2 * pW > kW) {
    throw new DescentError(
      `${name}: padding should be at most half the kernel size, got padding [${pH}, ${pW}] for kernel [${kH}, ${kW}]`,
    );
  }
  return { kH, kW, sH, sW, pH, pW };
}

/** Pool each (n, c) plane: its windows as [N·C, kH·kW, Ho·Wo], reduced over axis 1. */
function pool(
  name: string,
  x: Tensor,
  options: Pool2dOptions,
  padValue: number,
  reduce: (t: Tensor, window: WindowGeometry) => Tensor,
): Tensor {
  const { kH, kW, sH, sW, pH, pW } = poolSetup(name, x, options);
  const [N, C, H, W] = x.shape;
  const planes = reshape(x, [N * C, 1, H, W]);
  const { cols, Ho, Wo } = unfold(name, planes, kH, kW, sH, sW, pH, pW, padValue);
  const geometry = { H, W, kH, kW, sH, sW, pH, pW, Ho, Wo };
  const pooled = reduce(reshape(cols, [N * C, kH * kW, Ho * Wo]), geometry);
  return reshape(pooled, [N, C, Ho, Wo]);
}

interface WindowGeometry {
  H: number;
  W: number;
  kH: number;
  kW: number;
  sH: number;
  sW: number;
  pH: number;
  pW: number;
  Ho: number;
  Wo: number;
}

/** 1 / (number of real, unpadded elements) of every window, as a [1, Ho·Wo] constant. */
function inverseCounts(g: WindowGeometry, dtype: Tensor['dtype']): Tensor {
  const out = allocate(dtype, g.Ho * g.Wo);
  const span = (o: number, s: number, p: number, k: number, size: number) =>
    Math.min(o * s - p + k, size) - Math.max(o * s - p, 0);
  for (let oh = 0; oh < g.Ho; oh++) {
    const rows = span(oh, g.sH, g.pH, g.kH, g.H);
    for (let ow = 0; ow < g.Wo; ow++) {
      out[oh * g.Wo + ow] = 1 / (rows * span(ow, g.sW, g.pW, g.kW, g.W));
    }
  }
  return new Tensor(out, [1, g.Ho * g.Wo], dtype);
}

/**
 * Max pooling over kH×kW windows, like `F.max_pool2d` (stride defaults to the kernel size,
 * padding counts as −∞). The gradient flows to the first maximal element of each window.
 *
 * @example
 * F.maxPool2d(tensor([[[[1, 2], [3, 4]]]]), { kernelSize: 2 }).toArray(); // [[[[4]]]]
 */
export function maxPool2d(
  x: Tensor,
  options: Pool2dOptions | Pair,
  stride?: Pair | null,
  padding?: Pair,
): Tensor {
  const { kH, kW, sH, sW, pH, pW } = poolSetup(
    'maxPool2d',
    x,
    poolOptions(options, stride, padding),
  );
  const [N, C, H, W] = x.shape;
  const g = window2d(N, C, H, W, kH, kW, sH, sW, pH, pW, 'maxPool2d');
  const out = allocate(x.dtype, N * C * g.outH * g.outW);
  const argmax = new Int32Array(out.length);
  maxPoolKernel(g, x.data, out, argmax);
  // The output gathers x at argmax, so record it as indexSelect on the flat input: its
  // gradient (indexAdd) routes each output gradient to its window's maximum.
  const flat = reshape(x, [1, N * C * H * W]);
  const y = record(new Tensor(out, [1, out.length], x.dtype), 'indexSelect', [flat], {
    axis: 1,
    indices: argmax,
  });
  return reshape(y, [N, C, g.outH, g.outW]);
}

/**
 * Average pooling over kH×kW windows, like `F.avg_pool2d` (stride defaults to the kernel size;
 * zero padding is counted in the average unless `countIncludePad: false`).
 *
 * @example
 * F.avgPool2d(tensor([[[[1, 2], [3, 4]]]]), { kernelSize: 2 }).toArray(); // [[[[2.5]]]]
 */
export function avgPool2d(
  x: Tensor,
  options: Pool2dOptions | Pair,
  stride?: Pair | null,
  padding?: Pair,
): Tensor {
  const opts = poolOptions(options, stride, padding);
  if (opts.countIncludePad === false) {
    return pool('avgPool2d', x, opts, 0, (t, g) => mul(sumReduce(t, 1), inverseCounts(g, t.dtype)));
  }
  return pool('avgPool2d', x, opts, 0, (t) => meanReduce(t, 1));
}

/**
 * The output size of a convolution or pooling along one axis: ⌊(W − F + 2P)/S⌋ + 1.
 *
 * @example
 * F.convOutputSize(227, 11, 4, 0); // 55
 */
export function convOutputSize(size: number, kernel: number, stride = 1, padding = 0): number {
  return Math.floor((size - kernel + 2 * padding) / stride) + 1;
}
