/**
 * Dense matrix multiply on raw row-major typed arrays: C = op(A)·op(B) (+ C when accumulate).
 * op(A) is M×K, op(B) is K×N, C is M×N. With transA, A is stored K×M; with transB, B is N×K.
 * This is the one hot loop of the engine: matmul, linear layers, conv2d (im2col) and the RNN
 * cells all land here.
 *
 * The main path is the classic packed algorithm (GotoBLAS / BLIS): copy a K-block of op(B) and
 * of op(A) into contiguous float64 panels, then sweep a 2×3 register-blocked micro-kernel over
 * them. Packing makes every transpose combination look the same to the micro-kernel, and it
 * measured faster than plain loops even for the thin products of small MLPs (256×16×2,
 * 16×16×256). Only matrix-vector products (M = 1 or N = 1), outer products (K = 1) and tiny
 * products take plain loops.
 *
 * Sums run in float64 and round when they are stored into C (once per K-block of 256 terms), so
 * float32 results are at least as accurate as PyTorch's float32 matmul. On the 'wasm' backend
 * (./backend.ts) the packed path runs in WebAssembly: float64 gives the same bits, float32 sums
 * in float32. NaN and ±Inf propagate
 * (0·NaN is NaN): no term is ever skipped.
 */
import { getBackend } from './backend.ts';
import { wasmGemm, wasmKernels } from './wasm.ts';

export type FloatArray = Float32Array | Float64Array;

/**
 * C = op(A)·op(B), or C += op(A)·op(B) when `accumulate` is true.
 *
 * @example
 * const A = new Float32Array([1, 2, 3, 4]); // 2×2
 * const B = new Float32Array([5, 6, 7, 8]); // 2×2
 * const C = new Float32Array(4);
 * gemm(false, false, 2, 2, 2, A, B, C); // C = [19, 22, 43, 50]
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  A: FloatArray,
  B: FloatArray,
  C: FloatArray,
  accumulate = false,
): void {
  if (A.length < M * K || B.length < K * N || C.length < M * N) {
    throw new RangeError(
      `gemm: buffers too small for M=${M}, N=${N}, K=${K}: ` +
        `got A ${A.length} (need ${M * K}), B ${B.length} (need ${K * N}), ` +
        `C ${C.length} (need ${M * N})`,
    );
  }
  if (M === 0 || N === 0) return;
  if (K === 0) {
    if (!accumulate) C.fill(0, 0, M * N);
    return;
  }
  if (M === 1 || N === 1 || K === 1 || M * N * K < 64) {
    // Element (i, p) of op(A) is A[i·sAi + p·sAp]; element (p, j) of op(B) is B[p·sBp + j·sBj].
    const sAi = transA ? 1 : K;
    const sAp = transA ? M : 1;
    const sBp = transB ? 1 : N;
    const sBj = transB ? K : 1;
    if (K === 1) outerProduct(M, N, A, sAi, B, sBj, C, accumulate);
    else dotProducts(M, N, K, A, sAi, sAp, B, sBp, sBj, C, accumulate);
    return;
  }
  // The wasm backend runs the same packed algorithm with SIMD128 (./wasm/kernels.wat).
  if (
    getBackend() === 'wasm' &&
    A.constructor === C.constructor &&
    B.constructor === C.constructor
  ) {
    wasmGemm(wasmKernels()!, transA, transB, M, N, K, A, B, C, accumulate);
    return;
  }
  packedGemm(transA, transB, M, N, K, A, B, C, accumulate);
}

// ---------------------------------------------------------------------------------------------
// Plain loops for matrix-vector, outer and tiny products.

/** K = 1: C = a·bᵀ (+ C), one multiply per element. */
function outerProduct(
  M: number,
  N: number,
  A: FloatArray,
  sAi: number,
  B: FloatArray,
  sBj: number,
  C: FloatArray,
  accumulate: boolean,
): void {
  for (let i = 0; i < M; i++) {
    const a = A[i * sAi];
    const c = i * N;
    if (accumulate) for (let j = 0; j < N; j++) C[c + j] += a * B[j * sBj];
    else for (let j = 0; j < N; j++) C[c + j] = a * B[j * sBj];
  }
}

/**
 * Each C[i, j] as one dot product over p, summed in float64: for matrix-vector products
 * (M = 1 or N = 1), where a 3×3 register tile would be mostly padding, and for tiny products.
 */
function dotProducts(
  M: number,
  N: number,
  K: number,
  A: FloatArray,
  sAi: number,
  sAp: number,
  B: FloatArray,
  sBp: number,
  sBj: number,
  C: FloatArray,
  accumulate: boolean,
): void {
  for (let i = 0; i < M; i++) {
    const a0 = i * sAi;
    for (let j = 0; j < N; j++) {
      const b0 = j * sBj;
      let s = 0;
      for (let p = 0; p < K; p++) s += A[a0 + p * sAp] * B[b0 + p * sBp];
      const c = i * N + j;
      C[c] = accumulate ? C[c] + s : s;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Packed path.

/** Micro-tile: MR rows of op(A) times NR columns of op(B), held in 6 local accumulators. */
const MR = 2;
const NR = 3;
/** K-block: one packed panel of A (MR×KC) and one of B (KC×NR) stay in L1 together. */
const KC = 256;
/** Rows of op(A) packed at once (a multiple of MR); the A block stays in L2. */
const MC = 240;
/** Columns of op(B) packed at once (a multiple of NR). */
const NC = 1023;

// Each row of an A panel and each column of a B panel gets its own buffer: panel q occupies
// [q·kc, q·kc + kc) of each, so the micro-kernel reads its two A and three B operands of a step
// at the same two indices. V8 keeps every typed-array bounds check (even when it can prove the
// index in range), but it merges identical checks: same index, same constant length. So a step
// costs two checks instead of five, and no index arithmetic. All five are views of one
// ArrayBuffer so the per-load "detached buffer" test merges into one as well. Together: ~20%
// faster than one interleaved buffer per panel.
// NOTE: panels are float64 even for float32 inputs: V8 computes in doubles anyway, and float32
// panels (half the memory traffic, a conversion on every load) measured ~15% slower.
// NOTE: the panel buffers are fixed-size module constants on purpose. V8 then embeds their
// address and length in the optimized micro-kernel, so each load is one move and each check one
// compare with a constant (no base-pointer reload): faster than passing the arrays in.
const A_LEN = (MC / MR) * KC;
const B_LEN = (NC / NR) * KC;
const panels = new ArrayBuffer(8 * (MR * A_LEN + NR * B_LEN));
const packedA0 = new Float64Array(panels, 0, A_LEN);
const packedA1 = new Float64Array(panels, 8 * A_LEN, A_LEN);
const packedB0 = new Float64Array(panels, 8 * MR * A_LEN, B_LEN);
const packedB1 = new Float64Array(panels, 8 * (MR * A_LEN + B_LEN), B_LEN);
const packedB2 = new Float64Array(panels, 8 * (MR * A_LEN + 2 * B_LEN), B_LEN);
const tile = new Float64Array(MR * NR);

function packedGemm(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  A: FloatArray,
  B: FloatArray,
  C: FloatArray,
  accumulate: boolean,
): void {
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      // The first K-block overwrites C unless the caller asked to accumulate.
      const add = accumulate || pc > 0;
      if (transB) packBT(B, K, pc, kc, jc, nc);
      else packBN(B, N, pc, kc, jc, nc);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        if (transA) packAT(A, M, pc, kc, ic, mc);
        else packAN(A, K, pc, kc, ic, mc);
        for (let jr = 0, bOffset = 0; jr < nc; jr += NR, bOffset += kc) {
          const cols = Math.min(NR, nc - jr);
          for (let ir = 0, aOffset = 0; ir < mc; ir += MR, aOffset += kc) {
            microKernel(kc, aOffset, bOffset);
            const rows = Math.min(MR, mc - ir);
            storeTile(C, N, ic + ir, jc + jr, rows, cols, add);
          }
        }
      }
    }
  }
}

/**
 * tile = Σ_p a_r[ai + p] · b_c[bi + p] over p < kc (kc ≥ 1), for r < 2, c < 3, where a_r and b_c
 * are packedA0..1 and packedB0..2.
 * Why 2×3 and not a bigger tile: V8 schedules all the multiplies of a step before the adds, so
 * each accumulator needs a second register for its product. V8 allocates 15 double registers;
 * 6 accumulators + 6 products fit, while 3×3 spilled 4 accumulators to the stack and each step
 * then waited on a store, reload and add. 3×3, 2×4, 4×2, 3×2, 1×6 and a 2-step unroll all
 * measured slower. The do-while on the running A offset saves a separate counter and the
 * per-step untagging of kc that `for (p < kc)` compiled to.
 */
function microKernel(kc: number, ai: number, bi: number): void {
  let c00 = 0;
  let c01 = 0;
  let c02 = 0;
  let c10 = 0;
  let c11 = 0;
  let c12 = 0;
  const aEnd = (ai + kc) | 0;
  do {
    const a0 = packedA0[ai];
    const a1 = packedA1[ai];
    const b0 = packedB0[bi];
    c00 += a0 * b0;
    c10 += a1 * b0;
    const b1 = packedB1[bi];
    c01 += a0 * b1;
    c11 += a1 * b1;
    const b2 = packedB2[bi];
    c02 += a0 * b2;
    c12 += a1 * b2;
    ai = (ai + 1) | 0;
    bi = (bi + 1) | 0;
  } while (ai < aEnd);
  tile[0] = c00;
  tile[1] = c01;
  tile[2] = c02;
  tile[3] = c10;
  tile[4] = c11;
  tile[5] = c12;
}

function storeTile(
  C: FloatArray,
  N: number,
  row0: number,
  col0: number,
  rows: number,
  cols: number,
  add: boolean,
): void {
  const c = row0 * N + col0;
  if (rows === MR && cols === NR) {
    const c1 = c + N;
    if (add) {
      C[c] += tile[0];
      C[c + 1] += tile[1];
      C[c + 2] += tile[2];
      C[c1] += tile[3];
      C[c1 + 1] += tile[4];
      C[c1 + 2] += tile[5];
    } else {
      C[c] = tile[0];
      C[c + 1] = tile[1];
      C[c + 2] = tile[2];
      C[c1] = tile[3];
      C[c1 + 1] = tile[4];
      C[c1 + 2] = tile[5];
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const cr = c + r * N;
    const t = r * NR;
    if (add) for (let j = 0; j < cols; j++) C[cr + j] += tile[t + j];
    else for (let j = 0; j < cols; j++) C[cr + j] = tile[t + j];
  }
}

/** Packs rows ic..ic+mc, columns pc..pc+kc of op(A) = A (M×K, row-major). Missing rows are 0. */
function packAN(A: FloatArray, K: number, pc: number, kc: number, ic: number, mc: number): void {
  for (let ir = 0, o = 0; ir < mc; ir += MR, o += kc) {
    const r0 = (ic + ir) * K + pc;
    for (let p = 0; p < kc; p++) packedA0[o + p] = A[r0 + p];
    if (ir + 1 < mc) {
      const r1 = r0 + K;
      for (let p = 0; p < kc; p++) packedA1[o + p] = A[r1 + p];
    } else packedA1.fill(0, o, o + kc);
  }
}

/** Like packAN, for op(A) = Aᵀ where A is stored K×M. */
function packAT(A: FloatArray, M: number, pc: number, kc: number, ic: number, mc: number): void {
  for (let ir = 0, o = 0; ir < mc; ir += MR, o += kc) {
    const src = pc * M + ic + ir;
    if (ir + 1 < mc) {
      for (let p = 0, s = src; p < kc; p++, s += M) {
        packedA0[o + p] = A[s];
        packedA1[o + p] = A[s + 1];
      }
    } else {
      for (let p = 0, s = src; p < kc; p++, s += M) packedA0[o + p] = A[s];
      packedA1.fill(0, o, o + kc);
    }
  }
}

/** Packs rows pc..pc+kc, columns jc..jc+nc of op(B) = B (K×N, row-major). Missing columns are 0. */
function packBN(B: FloatArray, N: number, pc: number, kc: number, jc: number, nc: number): void {
  for (let jr = 0, o = 0; jr < nc; jr += NR, o += kc) {
    const cols = Math.min(NR, nc - jr);
    const src = pc * N + jc + jr;
    if (cols === NR) {
      for (let p = 0, s = src; p < kc; p++, s += N) {
        packedB0[o + p] = B[s];
        packedB1[o + p] = B[s + 1];
        packedB2[o + p] = B[s + 2];
      }
    } else {
      for (let p = 0, s = src; p < kc; p++, s += N) {
        packedB0[o + p] = B[s];
        packedB1[o + p] = cols > 1 ? B[s + 1] : 0;
        packedB2[o + p] = 0;
      }
    }
  }
}

/** Like packBN, for op(B) = Bᵀ where B is stored N×K. */
function packBT(B: FloatArray, K: number, pc: number, kc: number, jc: number, nc: number): void {
  for (let jr = 0, o = 0; jr < nc; jr += NR, o += kc) {
    const cols = Math.min(NR, nc - jr);
    const r0 = (jc + jr) * K + pc;
    for (let p = 0; p < kc; p++) packedB0[o + p] = B[r0 + p];
    if (cols > 1) for (let p = 0, r1 = r0 + K; p < kc; p++) packedB1[o + p] = B[r1 + p];
    else packedB1.fill(0, o, o + kc);
    if (cols > 2) for (let p = 0, r2 = r0 + 2 * K; p < kc; p++) packedB2[o + p] = B[r2 + p];
    else packedB2.fill(0, o, o + kc);
  }
}
