// Kernels are internal (not exported from '@descent/engine'), so these tests import the source.
import { describe, expect, it } from 'vitest';
import {
  avgPool2d,
  avgPool2dBackward,
  col2im,
  im2col,
  maxPool2d,
  maxPool2dBackward,
  window2d,
  type Window2d,
} from '../../src/kernels/conv.ts';
import { gemm } from '../../src/kernels/gemm.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** Input value at (n, c, h, w), or undefined in the padding. */
function at(
  g: Window2d,
  x: Float64Array,
  n: number,
  c: number,
  h: number,
  w: number,
): number | undefined {
  if (h < 0 || h >= g.H || w < 0 || w >= g.W) return undefined;
  return x[((n * g.C + c) * g.H + h) * g.W + w];
}

/** Direct convolution (cross-correlation, like PyTorch) of x with weight [outC, C, kH, kW]. */
function directConv(
  g: Window2d,
  x: Float64Array,
  weight: Float64Array,
  outC: number,
): Float64Array {
  const out = new Float64Array(g.N * outC * g.outH * g.outW);
  let o = 0;
  for (let n = 0; n < g.N; n++)
    for (let f = 0; f < outC; f++)
      for (let oh = 0; oh < g.outH; oh++)
        for (let ow = 0; ow < g.outW; ow++) {
          let s = 0;
          for (let c = 0; c < g.C; c++)
            for (let i = 0; i < g.kH; i++)
              for (let j = 0; j < g.kW; j++) {
                const v =
                  at(g, x, n, c, oh * g.strideH - g.padH + i, ow * g.strideW - g.padW + j) ?? 0;
                s += v * weight[((f * g.C + c) * g.kH + i) * g.kW + j];
              }
          out[o++] = s;
        }
  return out;
}

const geometries: Window2d[] = [
  window2d(1, 1, 1, 1, 1, 1),
  window2d(2, 3, 5, 7, 3, 3, 1, 1, 1, 1),
  window2d(2, 2, 6, 5, 3, 2, 2, 1, 1, 0),
  window2d(1, 2, 7, 7, 3, 3, 2, 3, 1, 1),
  window2d(3, 1, 28, 28, 3, 3, 1, 1, 1, 1),
  window2d(1, 4, 9, 8, 5, 5, 1, 1, 2, 2),
  window2d(1, 1, 4, 4, 4, 4, 1, 1, 0, 0),
  window2d(2, 1, 3, 3, 1, 1, 2, 2, 1, 1),
];

const describeGeometry = (g: Window2d) =>
  `[${g.N},${g.C},${g.H},${g.W}] k${g.kH}×${g.kW} s${g.strideH}×${g.strideW} p${g.padH}×${g.padW}`;

describe('window2d', () => {
  it('computes PyTorch output sizes', () => {
    expect(window2d(32, 1, 28, 28, 3, 3, 1, 1, 1, 1)).toMatchObject({ outH: 28, outW: 28 });
    expect(window2d(1, 1, 28, 28, 2, 2, 2, 2)).toMatchObject({ outH: 14, outW: 14 });
    expect(window2d(1, 1, 7, 7, 3, 3, 2, 2, 1, 1)).toMatchObject({ outH: 4, outW: 4 });
  });
  it('says what does not fit', () => {
    expect(() => window2d(1, 1, 2, 2, 3, 3)).toThrow(
      /window2d: a 3×3 window with padding 0×0 does not fit a 2×2 input/,
    );
    expect(() => window2d(1, 1, 4, 4, 0, 3)).toThrow(/kernel and stride at least 1/);
    expect(() => window2d(1, 1, 2, 2, 3, 3, 1, 1, 0, 0, 'maxPool2d')).toThrow(
      /^maxPool2d: a 3×3 window/,
    );
  });
});

describe('im2col + gemm', () => {
  for (const g of geometries) {
    it(`equals a direct convolution for ${describeGeometry(g)}`, () => {
      const next = rng(3);
      const outC = 3;
      const x = Float64Array.from({ length: g.N * g.C * g.H * g.W }, next);
      const w = Float64Array.from({ length: outC * g.C * g.kH * g.kW }, next);
      const CK = g.C * g.kH * g.kW;
      const L = g.outH * g.outW;
      const cols = new Float64Array(g.N * CK * L).fill(NaN); // every entry must be written
      im2col(g, x, cols);
      const out = new Float64Array(g.N * outC * L);
      for (let n = 0; n < g.N; n++) {
        gemm(false, false, outC, L, CK, w, cols.subarray(n * CK * L), out.subarray(n * outC * L));
      }
      const want = directConv(g, x, w, outC);
      for (let i = 0; i < want.length; i++) expect(out[i]).toBeCloseTo(want[i], 12);
    });
  }
});

describe('col2im', () => {
  for (const g of geometries) {
    it(`is the adjoint of im2col for ${describeGeometry(g)}`, () => {
      // <im2col(x), y> = <x, col2im(y)> for random x, y.
      const next = rng(5);
      const x = Float64Array.from({ length: g.N * g.C * g.H * g.W }, next);
      const y = Float64Array.from({ length: g.N * g.C * g.kH * g.kW * g.outH * g.outW }, next);
      const cols = new Float64Array(y.length);
      im2col(g, x, cols);
      const img = new Float64Array(x.length);
      col2im(g, y, img);
      let lhs = 0;
      let rhs = 0;
      for (let i = 0; i < y.length; i++) lhs += cols[i] * y[i];
      for (let i = 0; i < x.length; i++) rhs += x[i] * img[i];
      expect(lhs).toBeCloseTo(rhs, 10);
    });
  }

  it('matches the documented example', () => {
    const g = window2d(1, 1, 3, 3, 2, 2);
    const img = new Float32Array(9);
    col2im(g, new Float32Array(16).fill(1), img);
    expect(Array.from(img)).toEqual([1, 2, 1, 2, 4, 2, 1, 2, 1]);
  });
});

describe('maxPool2d', () => {
  function reference(g: Window2d, x: Float64Array): Float64Array {
    const out = new Float64Array(g.N * g.C * g.outH * g.outW);
    let o = 0;
    for (let n = 0; n < g.N; n++)
      for (let c = 0; c < g.C; c++)
        for (let oh = 0; oh < g.outH; oh++)
          for (let ow = 0; ow < g.outW; ow++) {
            let m = -Infinity;
            for (let i = 0; i < g.kH; i++)
              for (let j = 0; j < g.kW; j++) {
                const v = at(g, x, n, c, oh * g.strideH - g.padH + i, ow * g.strideW - g.padW + j);
                if (v !== undefined) m = Math.max(m, v);
              }
            out[o++] = m;
          }
    return out;
  }

  const pools = [
    window2d(2, 3, 8, 8, 2, 2, 2, 2),
    window2d(1, 2, 7, 5, 3, 3, 2, 2, 1, 1),
    window2d(1, 1, 5, 5, 3, 3, 1, 1),
    window2d(2, 1, 9, 6, 2, 3, 3, 2, 1, 1),
  ];
  for (const g of pools) {
    it(`takes window maxima and routes gradients to them for ${describeGeometry(g)}`, () => {
      const next = rng(11);
      const x = Float64Array.from({ length: g.N * g.C * g.H * g.W }, next);
      const out = new Float64Array(g.N * g.C * g.outH * g.outW);
      const argmax = new Int32Array(out.length);
      maxPool2d(g, x, out, argmax);
      expect(Array.from(out)).toEqual(Array.from(reference(g, x)));
      for (let i = 0; i < out.length; i++) expect(x[argmax[i]]).toBe(out[i]);
      // Backward: each output's gradient lands on its argmax, summed where windows overlap.
      const gy = Float64Array.from({ length: out.length }, next);
      const gx = new Float64Array(x.length);
      maxPool2dBackward(gy, argmax, gx);
      const want = new Float64Array(x.length);
      for (let i = 0; i < out.length; i++) want[argmax[i]] += gy[i];
      expect(Array.from(gx)).toEqual(Array.from(want));
      expect(gx.reduce((a, b) => a + b, 0)).toBeCloseTo(
        gy.reduce((a, b) => a + b, 0),
        10,
      );
    });
  }

  it('lets NaN win and picks the first of tied maxima', () => {
    const g = window2d(1, 1, 2, 4, 2, 2, 2, 2);
    const out = new Float32Array(2);
    const argmax = new Int32Array(2);
    maxPool2d(g, new Float32Array([1, NaN, 7, 7, 3, 2, 7, 7]), out, argmax);
    expect(out[0]).toBeNaN();
    expect(argmax[0]).toBe(1);
    expect(out[1]).toBe(7);
    expect(argmax[1]).toBe(2);
  });
});

describe('avgPool2d', () => {
  it('averages windows (padding counts in the divisor) and spreads gradients back', () => {
    const g = window2d(1, 1, 3, 3, 2, 2, 1, 1, 1, 1); // 4×4 output over a padded 3×3
    const x = Float64Array.from({ length: 9 }, (_, i) => i + 1);
    const out = new Float64Array(16);
    avgPool2d(g, x, out);
    expect(out[0]).toBeCloseTo(1 / 4, 12); // only x[0,0] is inside
    expect(out[5]).toBeCloseTo((1 + 2 + 4 + 5) / 4, 12);
    // Adjoint check: <avg(x), y> = <x, avgᵀ(y)>.
    const next = rng(9);
    const y = Float64Array.from({ length: 16 }, next);
    const gx = new Float64Array(9);
    avgPool2dBackward(g, y, gx);
    let lhs = 0;
    let rhs = 0;
    for (let i = 0; i < 16; i++) lhs += out[i] * y[i];
    for (let i = 0; i < 9; i++) rhs += x[i] * gx[i];
    expect(lhs).toBeCloseTo(rhs, 10);
  });
});

describe('documented examples', () => {
  it('window2d, im2col and maxPool2d do what their TSDoc says', () => {
    const g28 = window2d(32, 1, 28, 28, 3, 3, 1, 1, 1, 1);
    expect([g28.outH, g28.outW]).toEqual([28, 28]);
    const cols = new Float32Array(4);
    im2col(window2d(1, 1, 2, 2, 2, 2), new Float32Array([1, 2, 3, 4]), cols);
    expect(Array.from(cols)).toEqual([1, 2, 3, 4]);
    const out = new Float32Array(1);
    const argmax = new Int32Array(1);
    maxPool2d(window2d(1, 1, 2, 2, 2, 2, 2), new Float32Array([1, 5, 3, 2]), out, argmax);
    expect([out[0], argmax[0]]).toEqual([5, 1]);
  });
});
