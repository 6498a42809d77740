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
 * float32 results are at least as accurate as PyTorch's float32 matmul. NaN and ±Inf propagate
 * (0·NaN is NaN): no term is ever skipped.
 */
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
/** Columns of op(B) packed at once (a multiple of NR), so KC·NC fits in the B panel buffer. */
const NC = 1023;

// NOTE: panels are float64 even for float32 inputs: V8 computes in doubles anyway, and float32
// panels (half the memory traffic, a conversion on every load) measured ~15% slower.
// NOTE: the panel buffers are fixed-size module constants on purpose. V8 then embeds their
// address and length in the optimized micro-kernel, so each load is one compare plus one move
// (no base-pointer reload, no overflow check): about 20% faster than passing the arrays in.
const packedA = new Float64Array(MC * KC);
const packedB = new Float64Array(KC * NC);
/** The micro-kernel leaves its 2×3 result here; the caller adds it into C. */
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
        for (let jr = 0; jr < nc; jr += NR) {
          const bOffset = jr * kc;
          const cols = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            microKernel(kc, ir * kc, bOffset);
            const rows = Math.min(MR, mc - ir);
            storeTile(C, N, ic + ir, jc + jr, rows, cols, add);
          }
        }
      }
    }
  }
}

/**
 * tile = Σ_p packedA[ai + 2p + r] · packedB[bi + 3p + c] over p < kc (kc ≥ 1), for r < 2, c < 3.
 * Why 2×3 and not a bigger tile: V8 schedules all the multiplies of a step before the adds, so
 * each accumulator needs a second register for its product. V8 allocates 15 double registers;
 * 6 accumulators + 6 products fit, while 3×3 spilled 4 accumulators to the stack and each step
 * then waited on a store, reload and add (2×3 measured ~10% faster at 512 and on MLP shapes).
 * The do-while on the running A offset saves the separate counter and the per-step untagging of
 * kc that a `for (p < kc)` loop compiled to.
 */
function microKernel(kc: number, ai: number, bi: number): void {
  let c00 = 0;
  let c01 = 0;
  let c02 = 0;
  let c10 = 0;
  let c11 = 0;
  let c12 = 0;
  const aEnd = (ai + 2 * kc) | 0;
  do {
    const a0 = packedA[ai];
    const a1 = packedA[(ai + 1) | 0];
    const b0 = packedB[bi];
    c00 += a0 * b0;
    c10 += a1 * b0;
    const b1 = packedB[(bi + 1) | 0];
    c01 += a0 * b1;
    c11 += a1 * b1;
    const b2 = packedB[(bi + 2) | 0];
    c02 += a0 * b2;
    c12 += a1 * b2;
    ai = (ai + 2) | 0;
    bi = (bi + 3) | 0;
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
    // The common full tile, unrolled.
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

/**
 * Packs rows ic..ic+mc of op(A) = A (M×K, row-major), columns pc..pc+kc, as panels of MR rows:
 * panel r holds, for each p, the MR values A[ic + MR·r + 0..MR-1, pc + p]. Missing rows are 0.
 */
function packAN(A: FloatArray, K: number, pc: number, kc: number, ic: number, mc: number): void {
  let o = 0;
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = Math.min(MR, mc - ir);
    const base = (ic + ir) * K + pc;
    if (rows === MR) {
      const r0 = base;
      const r1 = base + K;
      for (let p = 0; p < kc; p++) {
        packedA[o] = A[r0 + p];
        packedA[o + 1] = A[r1 + p];
        o += MR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) packedA[o + r] = r < rows ? A[base + r * K + p] : 0;
        o += MR;
      }
    }
  }
}

/** Like packAN, for op(A) = Aᵀ where A is stored K×M: the MR values of a panel are adjacent. */
function packAT(A: FloatArray, M: number, pc: number, kc: number, ic: number, mc: number): void {
  let o = 0;
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = Math.min(MR, mc - ir);
    let src = pc * M + ic + ir;
    if (rows === MR) {
      for (let p = 0; p < kc; p++) {
        packedA[o] = A[src];
        packedA[o + 1] = A[src + 1];
        o += MR;
        src += M;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) packedA[o + r] = r < rows ? A[src + r] : 0;
        o += MR;
        src += M;
      }
    }
  }
}

/**
 * Packs rows pc..pc+kc and columns jc..jc+nc of op(B) = B (K×N, row-major) as panels of NR
 * columns: panel j holds, for each p, the NR values B[pc + p, jc + NR·j + 0..NR-1].
 */
function packBN(B: FloatArray, N: number, pc: number, kc: number, jc: number, nc: number): void {
  let o = 0;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    let src = pc * N + jc + jr;
    if (cols === NR) {
      for (let p = 0; p < kc; p++) {
        packedB[o] = B[src];
        packedB[o + 1] = B[src + 1];
        packedB[o + 2] = B[src + 2];
        o += NR;
        src += N;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < NR; j++) packedB[o + j] = j < cols ? B[src + j] : 0;
        o += NR;
        src += N;
      }
    }
  }
}

/** Like packBN, for op(B) = Bᵀ where B is stored N×K: each panel reads NR rows of B. */
function packBT(B: FloatArray, K: number, pc: number, kc: number, jc: number, nc: number): void {
  let o = 0;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    const base = (jc + jr) * K + pc;
    if (cols === NR) {
      const r0 = base;
      const r1 = base + K;
      const r2 = base + 2 * K;
      for (let p = 0; p < kc; p++) {
        packedB[o] = B[r0 + p];
        packedB[o + 1] = B[r1 + p];
        packedB[o + 2] = B[r2 + p];
        o += NR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < NR; j++) packedB[o + j] = j < cols ? B[base + j * K + p] : 0;
        o += NR;
      }
    }
  }
}
