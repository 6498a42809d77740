// The wasm backend: the committed module is what the WAT source assembles to, the backend
// switch works, and the wasm gemm agrees with the JavaScript one (float64: bit for bit;
// float32: within the rounding-error bound of float32 summation, against a float64 reference).
import { afterEach, describe, expect, it } from 'vitest';
import { getBackend, setBackend, type Backend } from '../../src/kernels/backend.ts';
import { gemm, type FloatArray } from '../../src/kernels/gemm.ts';
import { KERNELS_WASM_BASE64 } from '../../src/kernels/wasm/binary.ts';
import { assemble, binaryModule } from '../../scripts/wasm/build.ts';
import { readFileSync } from 'node:fs';
import { binaryPath } from '../../scripts/wasm/build.ts';
import { describeDocExamples } from '../helpers/docs.ts';

const initial = getBackend();
afterEach(() => {
  setBackend(initial);
});

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

const combos: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];
// Around the tiles (4×8, 4×4), blocks (MC 128, KC 256, NC 1024) and MLP/conv shapes.
const shapes: [number, number, number][] = [
  [2, 2, 2],
  [3, 5, 7],
  [4, 8, 1],
  [5, 9, 3],
  [7, 11, 13],
  [256, 16, 2],
  [16, 2, 256],
  [256, 16, 16],
  [64, 10, 128],
  [8, 784, 9],
  [16, 196, 72],
  [129, 17, 257],
  [33, 1030, 20],
  [64, 64, 64],
];

function run(
  backend: Backend,
  tA: boolean,
  tB: boolean,
  M: number,
  N: number,
  K: number,
  A: FloatArray,
  B: FloatArray,
  C0: FloatArray,
  accumulate: boolean,
): FloatArray {
  setBackend(backend);
  const C = C0.slice();
  gemm(tA, tB, M, N, K, A, B, C, accumulate);
  return C;
}

describe('wasm kernels module', () => {
  it('binary.ts is what kernels.wat assembles to (rebuild gives the same bytes)', async () => {
    const bytes = await assemble();
    expect(Buffer.from(bytes).toString('base64')).toBe(KERNELS_WASM_BASE64);
    expect(readFileSync(binaryPath, 'utf8')).toBe(binaryModule(bytes));
  });

  it('loads here, and the engine picked it at load', () => {
    expect(initial).toBe(process.env.DESCENT_BACKEND ?? 'wasm');
    expect(setBackend('wasm')).toBe(initial);
    expect(getBackend()).toBe('wasm');
    expect(setBackend('js')).toBe('wasm');
    expect(getBackend()).toBe('js');
    expect(() => setBackend('gpu' as Backend)).toThrow(/expected 'js' or 'wasm'/);
  });
});

describeDocExamples('backend TSDoc examples run', ['kernels/backend.ts']);

describe('wasm gemm against the JavaScript gemm', () => {
  for (const [tA, tB] of combos) {
    const name = `${tA ? 'T' : 'N'}${tB ? 'T' : 'N'}`;
    it(`float64 ${name}: bit-identical on edge shapes, with and without accumulate`, () => {
      const next = rng(11);
      for (const [M, N, K] of shapes) {
        const A = Float64Array.from({ length: M * K }, next);
        const B = Float64Array.from({ length: K * N }, next);
        const C0 = Float64Array.from({ length: M * N }, next);
        for (const acc of [false, true]) {
          const js = run('js', tA, tB, M, N, K, A, B, C0, acc);
          const wasm = run('wasm', tA, tB, M, N, K, A, B, C0, acc);
          expect(wasm, `M=${M} N=${N} K=${K} acc=${acc}`).toEqual(js);
        }
      }
    });

    it(`float32 ${name}: within float32 summation error of the float64 product`, () => {
      const next = rng(12);
      for (const [M, N, K] of shapes) {
        const A = Float32Array.from({ length: M * K }, next);
        const B = Float32Array.from({ length: K * N }, next);
        const C0 = Float32Array.from({ length: M * N }, next);
        for (const acc of [false, true]) {
          const wasm = run('wasm', tA, tB, M, N, K, A, B, C0, acc);
          const js = run('js', tA, tB, M, N, K, A, B, C0, acc);
          // γ_n·Σ|terms| with n = K + 2 (the sum, the add into C, the store), u = 2⁻²⁴.
          const gamma = ((K + 2) * 2 ** -24) / (1 - (K + 2) * 2 ** -24);
          let worstWasm = 0;
          let worstJs = 0;
          for (let i = 0; i < M; i++) {
            for (let j = 0; j < N; j++) {
              let exact = acc ? C0[i * N + j] : 0;
              let abs = Math.abs(exact);
              for (let p = 0; p < K; p++) {
                const t = (tA ? A[p * M + i] : A[i * K + p]) * (tB ? B[j * K + p] : B[p * N + j]);
                exact += t;
                abs += Math.abs(t);
              }
              const c = i * N + j;
              // error / bound: ≤ 1 passes
              worstWasm = Math.max(worstWasm, Math.abs(wasm[c] - exact) / (gamma * abs));
              worstJs = Math.max(worstJs, Math.abs(js[c] - exact) / (gamma * abs));
            }
          }
          expect(worstWasm, `wasm M=${M} N=${N} K=${K} acc=${acc}`).toBeLessThanOrEqual(1);
          expect(worstJs, `js M=${M} N=${N} K=${K} acc=${acc}`).toBeLessThanOrEqual(1);
        }
      }
    });
  }

  it('float32 with PyTorch float32 tolerances (rtol 1.3e-6, atol 1e-5) on small MLP shapes', () => {
    const next = rng(13);
    for (const [M, N, K] of [
      [256, 16, 2],
      [256, 16, 16],
      [64, 128, 10],
    ] as const) {
      const A = Float32Array.from({ length: M * K }, next);
      const B = Float32Array.from({ length: K * N }, next);
      const C0 = new Float32Array(M * N);
      const wasm = run('wasm', false, false, M, N, K, A, B, C0, false);
      const ref = run(
        'js',
        false,
        false,
        M,
        N,
        K,
        Float64Array.from(A),
        Float64Array.from(B),
        new Float64Array(M * N),
        false,
      );
      let worst = 0;
      for (let i = 0; i < M * N; i++) {
        worst = Math.max(worst, Math.abs(wasm[i] - ref[i]) / (1e-5 + 1.3e-6 * Math.abs(ref[i])));
      }
      expect(worst, `M=${M} N=${N} K=${K}`).toBeLessThanOrEqual(1);
    }
  });

  it('propagates NaN and Inf like the JavaScript kernel', () => {
    const M = 40;
    const A = new Float32Array(M * M);
    const B = new Float32Array(M * M).fill(1);
    B[0] = NaN;
    A[M * M - 1] = Infinity;
    for (const [tA, tB] of combos) {
      const js = run('js', tA, tB, M, M, M, A, B, new Float32Array(M * M), false);
      const wasm = run('wasm', tA, tB, M, M, M, A, B, new Float32Array(M * M), false);
      expect(Array.from(wasm)).toEqual(Array.from(js));
    }
  });
});

describe('wasm elementwise and pooling kernels against the JavaScript ones', () => {
  // Special values in every lane position and in the scalar tails: NaN, ±0, ±Inf, ties.
  const specials = [NaN, -0, 0, Infinity, -Infinity, 1, -1, 1, 2.5, -2.5];
  function values(n: number, next: () => number): number[] {
    return Array.from({ length: n }, (_, i) => (i % 7 === 3 ? specials[i % 10] : next()));
  }
  function bits(a: ArrayLike<number>): string[] {
    return Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)));
  }
  async function both<T>(f: () => T): Promise<[T, T]> {
    setBackend('js');
    const js = f();
    setBackend('wasm');
    const wasm = f();
    return [js, wasm];
  }

  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype} relu forward and backward are bit-identical (n = 4099, odd tail)`, async () => {
      const E = await import('../../src/index.ts');
      const next = rng(21);
      const x = values(4099, next);
      const g = values(4099, next);
      const [js, wasm] = await both(() => {
        const t = E.tensor(x, { dtype, requiresGrad: true });
        const y = E.relu(t);
        y.backward(E.tensor(g, { dtype }));
        return [bits(y.data), bits(t.grad!.data)];
      });
      expect(wasm).toEqual(js);
    });

    it(`${dtype} 2×2 max pooling forward and backward are bit-identical`, async () => {
      const E = await import('../../src/index.ts');
      const next = rng(22);
      // Ties (rounded values), NaN, ±Inf and -0 inside windows; W odd drops the last column.
      const n = 3 * 5 * 14 * 15;
      const x = values(n, () => Math.round(next() * 4) / 2);
      const [js, wasm] = await both(() => {
        const leaf = E.tensor(x, { dtype, requiresGrad: true });
        const y = E.F.maxPool2d(leaf.reshape([3, 5, 14, 15]), { kernelSize: 2 });
        y.backward(E.onesLike(y));
        return [bits(y.data), bits(leaf.grad!.data)];
      });
      expect(wasm).toEqual(js);
    });
  }
});
