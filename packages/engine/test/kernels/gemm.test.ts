// Kernels are internal (not exported from '@descent/engine'), so these tests import the source.
import { describe, expect, it } from 'vitest';
import { gemm, type FloatArray } from '../../src/kernels/gemm.ts';

/** A seeded LCG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** Reference: triple loop in float64 with no tricks. */
function reference(
  tA: boolean,
  tB: boolean,
  M: number,
  N: number,
  K: number,
  A: FloatArray,
  B: FloatArray,
  C0: FloatArray | null,
): Float64Array {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = C0 ? C0[i * N + j] : 0;
      for (let p = 0; p < K; p++)
        s += (tA ? A[p * M + i] : A[i * K + p]) * (tB ? B[j * K + p] : B[p * N + j]);
      C[i * N + j] = s;
    }
  }
  return C;
}

const combos: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

// Edge sizes around the micro-tile (3), K-block (256) and M-block (240), the plain-loop cases
// (M = 1, N = 1, K = 1, tiny) and the thin shapes of small MLPs.
const shapes: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 1],
  [6, 5, 1],
  [2, 40, 30],
  [40, 2, 30],
  [5, 1, 9],
  [2, 2, 2],
  [3, 3, 3],
  [4, 5, 6],
  [7, 11, 13],
  [256, 16, 2],
  [16, 2, 256],
  [256, 1, 16],
  [31, 33, 35],
  [32, 32, 32],
  [64, 64, 64],
  [65, 67, 9],
  [241, 10, 12],
  [10, 37, 257],
  [47, 1030, 20],
  [250, 20, 600],
];

describe('gemm', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const random = (n: number, next: () => number): FloatArray => {
      const x = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) x[i] = next();
      return x;
    };
    const tol = dtype === 'float32' ? 1e-5 : 1e-12;
    for (const [tA, tB] of combos) {
      it(`${dtype} ${tA ? 'T' : 'N'}${tB ? 'T' : 'N'} matches the triple loop on edge shapes`, () => {
        const next = rng(42);
        for (const [M, N, K] of shapes) {
          const A = random(M * K, next);
          const B = random(K * N, next);
          for (const accumulate of [false, true]) {
            const C = random(M * N, next);
            const C0 = C.slice();
            gemm(tA, tB, M, N, K, A, B, C, accumulate);
            const want = reference(tA, tB, M, N, K, A, B, accumulate ? C0 : null);
            let worst = 0;
            for (let i = 0; i < M * N; i++) {
              worst = Math.max(worst, Math.abs(C[i] - want[i]) / (1 + Math.abs(want[i])));
            }
            expect(worst, `M=${M} N=${N} K=${K} accumulate=${accumulate}`).toBeLessThan(
              tol * Math.sqrt(K),
            );
          }
        }
      });
    }
  }

  it('computes the documented 2×2 example', () => {
    const C = new Float32Array(4);
    gemm(false, false, 2, 2, 2, new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), C);
    expect(Array.from(C)).toEqual([19, 22, 43, 50]);
  });

  it('propagates NaN and Inf even against zeros (0·NaN is NaN)', () => {
    for (const [M, N, K] of [
      [2, 2, 2],
      [40, 40, 40],
    ]) {
      for (const [tA, tB] of combos) {
        const A = new Float64Array(M * K); // all zeros
        const B = new Float64Array(K * N).fill(1);
        B[0] = NaN; // op(B)[0, 0] for every transpose
        const C = new Float64Array(M * N);
        gemm(tA, tB, M, N, K, A, B, C);
        expect(C[0]).toBeNaN();
        expect(C[M * N - 1]).toBe(N === 1 ? NaN : 0);
        const A2 = new Float64Array(M * K).fill(1);
        A2[0] = Infinity;
        const C2 = new Float64Array(M * N);
        gemm(tA, tB, M, N, K, A2, new Float64Array(K * N).fill(1), C2);
        expect(C2[0]).toBe(Infinity);
      }
    }
  });

  it('handles K = 0 (a sum of nothing is 0) and empty outputs', () => {
    const C = new Float32Array([1, 2, 3, 4]);
    gemm(false, false, 2, 2, 0, new Float32Array(0), new Float32Array(0), C);
    expect(Array.from(C)).toEqual([0, 0, 0, 0]);
    const D = new Float32Array([1, 2]);
    gemm(false, false, 1, 2, 0, new Float32Array(0), new Float32Array(0), D, true);
    expect(Array.from(D)).toEqual([1, 2]);
    gemm(false, false, 0, 3, 4, new Float32Array(0), new Float32Array(12), new Float32Array(0));
  });

  it('works on subarray views (batched matmul passes them)', () => {
    const next = rng(7);
    const A = Float32Array.from({ length: 2 * 30 * 40 }, next);
    const B = Float32Array.from({ length: 2 * 40 * 50 }, next);
    const C = new Float32Array(2 * 30 * 50);
    for (let b = 0; b < 2; b++) {
      gemm(
        false,
        false,
        30,
        50,
        40,
        A.subarray(b * 1200, (b + 1) * 1200),
        B.subarray(b * 2000, (b + 1) * 2000),
        C.subarray(b * 1500, (b + 1) * 1500),
      );
    }
    const want = reference(false, false, 30, 50, 40, A.subarray(1200), B.subarray(2000), null);
    for (let i = 0; i < 1500; i++) expect(C[1500 + i]).toBeCloseTo(want[i], 4);
  });

  it('names the sizes when a buffer is too small', () => {
    expect(() =>
      gemm(false, false, 2, 2, 2, new Float32Array(3), new Float32Array(4), new Float32Array(4)),
    ).toThrow(/gemm: buffers too small for M=2, N=2, K=2: got A 3 \(need 4\)/);
  });
});
