/**
 * Raw kernels for 2-D convolution and pooling on NCHW row-major typed arrays (no autograd).
 *
 * conv2d is im2col + gemm: `im2col` unrolls every receptive field of the input into a column,
 * so the convolution becomes one matrix product with the [outC, inC·kH·kW] weight matrix;
 * `col2im` is its adjoint (it sums columns back into the image) and gives the input gradient.
 * The column layout is torch.nn.functional.unfold's: [N, C·kH·kW, outH·outW], row index
 * (c·kH + i)·kW + j, column index oh·outW + ow. Dilation is 1 throughout.
 *
 * Pooling windows skip padded positions (max pooling pads with -Inf, as in PyTorch).
 */
import type { FloatArray } from './gemm.ts';
import { wasmFor, wasmMaxPool2x2 } from './wasm.ts';

/** Sizes of a 2-D sliding-window op (convolution or pooling) over an [N, C, H, W] input. */
export interface Window2d {
  /** Batch size. */
  N: number;
  /** Input channels. */
  C: number;
  /** Input height and width. */
  H: number;
  W: number;
  /** Window (kernel) height and width. */
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  /** Zero (conv) or -Inf (max pool) padding added on each side. */
  padH: number;
  padW: number;
  /** Output height and width: ⌊(H + 2·padH − kH) / strideH⌋ + 1, likewise for W. */
  outH: number;
  outW: number;
}

/**
 * Fills in the output size of a sliding window and checks the arguments. `op` names the caller
 * in error messages (`maxPool2d: a 3×3 window … does not fit a 2×2 input`).
 *
 * @example
 * const g = window2d(32, 1, 28, 28, 3, 3, 1, 1, 1, 1); // g.outH === 28, g.outW === 28
 */
export function window2d(
  N: number,
  C: number,
  H: number,
  W: number,
  kH: number,
  kW: number,
  strideH = 1,
  strideW = strideH,
  padH = 0,
  padW = padH,
  op = 'window2d',
): Window2d {
  const outH = Math.floor((H + 2 * padH - kH) / strideH) + 1;
  const outW = Math.floor((W + 2 * padW - kW) / strideW) + 1;
  const all = [N, C, H, W, kH, kW, strideH, strideW, padH, padW];
  if (!all.every(Number.isInteger) || kH < 1 || kW < 1 || strideH < 1 || strideW < 1) {
    throw new RangeError(
      `${op}: sizes must be integers, kernel and stride at least 1, got kernel ${kH}×${kW}, ` +
        `stride ${strideH}×${strideW}, padding ${padH}×${padW}`,
    );
  }
  if (padH < 0 || padW < 0 || outH < 1 || outW < 1) {
    throw new RangeError(
      `${op}: a ${kH}×${kW} window with padding ${padH}×${padW} does not fit a ${H}×${W} input`,
    );
  }
  return { N, C, H, W, kH, kW, strideH, strideW, padH, padW, outH, outW };
}

/** First output index o with 0 ≤ o·stride − pad + k (clamped to outSize). */
function firstValid(k: number, stride: number, pad: number, outSize: number): number {
  return Math.min(outSize, Math.max(0, Math.ceil((pad - k) / stride)));
}

/** One past the last output index o with o·stride − pad + k < size (clamped to outSize). */
function endValid(k: number, stride: number, pad: number, size: number, outSize: number): number {
  return Math.min(outSize, Math.floor((size - 1 + pad - k) / stride) + 1);
}

/**
 * Unrolls input [N, C, H, W] into cols [N, C·kH·kW, outH·outW] (zeros where a window covers
 * padding). Then `conv2d(x, w)[n] = w.reshape(outC, C·kH·kW) · cols[n]`.
 *
 * @example
 * const g = window2d(1, 1, 2, 2, 2, 2); // one 2×2 window
 * im2col(g, new Float32Array([1, 2, 3, 4]), new Float32Array(4)); // [1, 2, 3, 4] as a column
 */
export function im2col(g: Window2d, input: FloatArray, cols: FloatArray): void {
  const { N, C, H, W, kH, kW, strideH, strideW, padH, padW, outH, outW } = g;
  const L = outH * outW;
  if (input.length < N * C * H * W || cols.length < N * C * kH * kW * L) {
    throw new RangeError(
      `im2col: expected input of ${N * C * H * W} and cols of ${N * C * kH * kW * L} elements, ` +
        `got ${input.length} and ${cols.length}`,
    );
  }
  let row = 0;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = (n * C + c) * H * W;
      for (let ki = 0; ki < kH; ki++) {
        const ohStart = firstValid(ki, strideH, padH, outH);
        const ohEnd = endValid(ki, strideH, padH, H, outH);
        for (let kj = 0; kj < kW; kj++) {
          const owStart = firstValid(kj, strideW, padW, outW);
          const owEnd = endValid(kj, strideW, padW, W, outW);
          const base = row * L;
          row++;
          for (let oh = 0; oh < outH; oh++) {
            const o = base + oh * outW;
            if (oh < ohStart || oh >= ohEnd) {
              for (let ow = 0; ow < outW; ow++) cols[o + ow] = 0;
              continue;
            }
            const src = plane + (oh * strideH - padH + ki) * W - padW + kj;
            for (let ow = 0; ow < owStart; ow++) cols[o + ow] = 0;
            if (strideW === 1) {
              for (let ow = owStart; ow < owEnd; ow++) cols[o + ow] = input[src + ow];
            } else {
              for (let ow = owStart; ow < owEnd; ow++) cols[o + ow] = input[src + ow * strideW];
            }
            for (let ow = Math.max(owStart, owEnd); ow < outW; ow++) cols[o + ow] = 0;
          }
        }
      }
    }
  }
}

/**
 * The adjoint of {@link im2col}: adds every column entry back into the input position it was
 * read from (entries that came from padding are dropped). `image` [N, C, H, W] is accumulated
 * into, so zero it first for a plain gradient.
 *
 * @example
 * const g = window2d(1, 1, 3, 3, 2, 2); // four overlapping 2×2 windows
 * const img = new Float32Array(9);
 * col2im(g, new Float32Array(16).fill(1), img); // img = [1, 2, 1, 2, 4, 2, 1, 2, 1]
 */
export function col2im(g: Window2d, cols: FloatArray, image: FloatArray): void {
  const { N, C, H, W, kH, kW, strideH, strideW, padH, padW, outH, outW } = g;
  const L = outH * outW;
  if (image.length < N * C * H * W || cols.length < N * C * kH * kW * L) {
    throw new RangeError(
      `col2im: expected cols of ${N * C * kH * kW * L} and image of ${N * C * H * W} elements, ` +
        `got ${cols.length} and ${image.length}`,
    );
  }
  let row = 0;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = (n * C + c) * H * W;
      for (let ki = 0; ki < kH; ki++) {
        const ohStart = firstValid(ki, strideH, padH, outH);
        const ohEnd = endValid(ki, strideH, padH, H, outH);
        for (let kj = 0; kj < kW; kj++) {
          const owStart = firstValid(kj, strideW, padW, outW);
          const owEnd = endValid(kj, strideW, padW, W, outW);
          const base = row * L;
          row++;
          for (let oh = ohStart; oh < ohEnd; oh++) {
            const o = base + oh * outW;
            const dst = plane + (oh * strideH - padH + ki) * W - padW + kj;
            if (strideW === 1) {
              for (let ow = owStart; ow < owEnd; ow++) image[dst + ow] += cols[o + ow];
            } else {
              for (let ow = owStart; ow < owEnd; ow++) image[dst + ow * strideW] += cols[o + ow];
            }
          }
        }
      }
    }
  }
}

/**
 * Max pooling forward: out [N, C, outH, outW] holds each window's maximum and `argmax` the
 * flat index into `input` it came from (what {@link maxPool2dBackward} routes gradients to).
 * NOTE: like PyTorch, a NaN in a window wins (the output is NaN), and among equal maxima the
 * first in row-major window order wins, so the gradient goes to exactly one input.
 *
 * @example
 * const g = window2d(1, 1, 2, 2, 2, 2, 2);
 * const out = new Float32Array(1);
 * const argmax = new Int32Array(1);
 * maxPool2d(g, new Float32Array([1, 5, 3, 2]), out, argmax); // out = [5], argmax = [1]
 */
export function maxPool2d(
  g: Window2d,
  input: FloatArray,
  out: FloatArray,
  argmax: Int32Array,
): void {
  const { N, C, H, W, kH, kW, strideH, strideW, padH, padW, outH, outW } = g;
  if (
    input.length < N * C * H * W ||
    out.length < N * C * outH * outW ||
    argmax.length < out.length
  ) {
    throw new RangeError(
      `maxPool2d: expected input of ${N * C * H * W} and out/argmax of ${N * C * outH * outW} ` +
        `elements, got ${input.length}, ${out.length} and ${argmax.length}`,
    );
  }
  if (kH === 2 && kW === 2 && strideH === 2 && strideW === 2 && padH === 0 && padW === 0) {
    const k = input.constructor === out.constructor ? wasmFor(N * C * H * W) : null;
    if (k) wasmMaxPool2x2(k, N * C, H, W, outH, outW, input, out, argmax);
    else maxPool2x2(N * C, H, W, outH, outW, input, out, argmax);
    return;
  }
  let o = 0;
  for (let plane = 0; plane < N * C; plane++) {
    const p0 = plane * H * W;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * strideH - padH;
      const hStart = Math.max(h0, 0);
      const hEnd = Math.min(h0 + kH, H);
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ow * strideW - padW;
        const wStart = Math.max(w0, 0);
        const wEnd = Math.min(w0 + kW, W);
        let best = -Infinity;
        let bestIndex = p0 + hStart * W + wStart;
        for (let h = hStart; h < hEnd; h++) {
          const rowStart = p0 + h * W;
          for (let w = wStart; w < wEnd; w++) {
            const v = input[rowStart + w];
            if (v > best || v !== v) {
              best = v;
              bestIndex = rowStart + w;
              if (v !== v) break;
            }
          }
          if (best !== best) break;
        }
        out[o] = best;
        argmax[o] = bestIndex;
        o++;
      }
    }
  }
}

/**
 * The common 2×2, stride 2, unpadded window, unrolled: the same comparisons in the same order
 * as the general loop (row-major, first maximum wins, a NaN wins and stops the search).
 */
function maxPool2x2(
  planes: number,
  H: number,
  W: number,
  outH: number,
  outW: number,
  input: FloatArray,
  out: FloatArray,
  argmax: Int32Array,
): void {
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const p0 = plane * H * W;
    for (let oh = 0; oh < outH; oh++) {
      let i = p0 + 2 * oh * W;
      for (let ow = 0; ow < outW; ow++, i += 2) {
        let best = input[i];
        let at = i;
        // NaN in the first place wins at once; otherwise each later entry wins if larger or NaN.
        if (best === best) {
          let v = input[i + 1];
          if (v > best || v !== v) {
            best = v;
            at = i + 1;
          }
          if (best === best) {
            v = input[i + W];
            if (v > best || v !== v) {
              best = v;
              at = i + W;
            }
            if (best === best) {
              v = input[i + W + 1];
              if (v > best || v !== v) {
                best = v;
                at = i + W + 1;
              }
            }
          }
        }
        out[o] = best;
        argmax[o] = at;
        o++;
      }
    }
  }
}

/**
 * Max pooling backward: gradIn[argmax[i]] += gradOut[i]. `gradIn` is accumulated into (zero it
 * first); overlapping windows that share a maximum add up, as in PyTorch.
 */
export function maxPool2dBackward(
  gradOut: FloatArray,
  argmax: Int32Array,
  gradIn: FloatArray,
): void {
  const n = gradOut.length;
  for (let i = 0; i < n; i++) gradIn[argmax[i]] += gradOut[i];
}

/**
 * Average pooling forward. Padded positions count in the divisor (PyTorch's default
 * `count_include_pad=True`), so every window divides by kH·kW.
 */
export function avgPool2d(g: Window2d, input: FloatArray, out: FloatArray): void {
  const { N, C, H, W, kH, kW, strideH, strideW, padH, padW, outH, outW } = g;
  const scale = 1 / (kH * kW);
  let o = 0;
  for (let plane = 0; plane < N * C; plane++) {
    const p0 = plane * H * W;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * strideH - padH;
      const hStart = Math.max(h0, 0);
      const hEnd = Math.min(h0 + kH, H);
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ow * strideW - padW;
        const wStart = Math.max(w0, 0);
        const wEnd = Math.min(w0 + kW, W);
        let s = 0;
        for (let h = hStart; h < hEnd; h++) {
          for (let w = wStart; w < wEnd; w++) s += input[p0 + h * W + w];
        }
        out[o++] = s * scale;
      }
    }
  }
}

/** Average pooling backward: spreads gradOut[i]/(kH·kW) over window i (accumulates into gradIn). */
export function avgPool2dBackward(g: Window2d, gradOut: FloatArray, gradIn: FloatArray): void {
  const { N, C, H, W, kH, kW, strideH, strideW, padH, padW, outH, outW } = g;
  const scale = 1 / (kH * kW);
  let o = 0;
  for (let plane = 0; plane < N * C; plane++) {
    const p0 = plane * H * W;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * strideH - padH;
      const hStart = Math.max(h0, 0);
      const hEnd = Math.min(h0 + kH, H);
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ow * strideW - padW;
        const wStart = Math.max(w0, 0);
        const wEnd = Math.min(w0 + kW, W);
        const v = gradOut[o++] * scale;
        for (let h = hStart; h < hEnd; h++) {
          for (let w = wStart; w < wEnd; w++) gradIn[p0 + h * W + w] += v;
        }
      }
    }
  }
}
