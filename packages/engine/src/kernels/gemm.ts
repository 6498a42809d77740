/**
 * Dense matrix multiply on raw row-major typed arrays: C = op(A)·op(B) (+ C when accumulate).
 * op(A) is M×K, op(B) is K×N, C is M×N. With transA, A is stored K×M; with transB, B is N×K.
 * This is the one hot loop of the engine: matmul, linear layers, conv2d (im2col) and the RNN
 * cells all land here.
 */
export type FloatArray = Float32Array | Float64Array;

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
  if (!accumulate) C.fill(0);
  for (let i = 0; i < M; i++) {
    for (let p = 0; p < K; p++) {
      const a = transA ? A[p * M + i] : A[i * K + p];
      if (a === 0) continue;
      for (let j = 0; j < N; j++) {
        C[i * N + j] += a * (transB ? B[j * K + p] : B[p * N + j]);
      }
    }
  }
}
