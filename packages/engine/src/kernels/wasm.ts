/**
 * The WebAssembly SIMD128 kernels (source: ./wasm/kernels.wat; bytes: ./wasm/binary.ts, made by
 * scripts/wasm/build.ts) and their JavaScript side: instantiation, the memory layout, and
 * copying operands in and results out. The module is under 4 KB and compiles synchronously, so it
 * loads the same way in Node, browsers and Web Workers (no fetch, no await); where WebAssembly
 * or SIMD128 is missing, `wasmKernels()` returns null and the engine stays on JavaScript.
 */
import { KERNELS_WASM_BASE64 } from './wasm/binary.ts';
import { getBackend as getBackendFast } from './backend.ts';

/** The part of the WebAssembly JS API used here (the engine's tsconfig has no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** The module's exports, typed. Addresses and strides are in bytes unless named otherwise. */
interface KernelExports {
  memory: WasmMemory;
  gemm_f32(
    tA: number,
    tB: number,
    M: number,
    N: number,
    K: number,
    pA: number,
    pB: number,
    pC: number,
    acc: number,
    pPA: number,
    pPB: number,
  ): void;
  gemm_f64(
    tA: number,
    tB: number,
    M: number,
    N: number,
    K: number,
    pA: number,
    pB: number,
    pC: number,
    acc: number,
    pPA: number,
    pPB: number,
  ): void;
  relu_f32(pIn: number, pOut: number, n: number): void;
  relu_f64(pIn: number, pOut: number, n: number): void;
  relu_grad_f32(pG: number, pX: number, pOut: number, n: number): void;
  relu_grad_f64(pG: number, pX: number, pOut: number, n: number): void;
  maxpool2x2_f32(...args: number[]): void;
  maxpool2x2_f64(...args: number[]): void;
}

/** Memory layout: scratch tile, packed A block (MC·KC float64), packed B block (KC·NC float64), then operands. */
const PACK_A = 256;
const PACK_B = PACK_A + 128 * 256 * 8;
const OPERANDS = PACK_B + 256 * 1024 * 8;

/** The instantiated module and typed views of its memory (renewed when the memory grows). */
export interface Kernels {
  exports: KernelExports;
  f32: Float32Array;
  f64: Float64Array;
}

let kernels: Kernels | null | undefined;

function decodeBase64(text: string): Uint8Array {
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** The kernels, instantiated on first use; null where WebAssembly SIMD128 is unavailable. */
export function wasmKernels(): Kernels | null {
  if (kernels !== undefined) return kernels;
  kernels = null;
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (typeof wasm !== 'object') return null;
    const bytes = decodeBase64(KERNELS_WASM_BASE64);
    if (!wasm.validate(bytes)) return null; // no SIMD128
    const instance = new wasm.Instance(new wasm.Module(bytes), {});
    const exports = instance.exports as unknown as KernelExports;
    kernels = { exports, f32: new Float32Array(0), f64: new Float64Array(0) };
    reserve(kernels, OPERANDS);
  } catch {
    kernels = null;
  }
  return kernels;
}

/** Grows the memory to at least `bytes` and refreshes the views. */
function reserve(k: Kernels, bytes: number): void {
  const memory = k.exports.memory;
  const have = memory.buffer.byteLength;
  if (have < bytes || k.f64.buffer !== memory.buffer) {
    if (have < bytes) memory.grow(Math.ceil((bytes - have) / 65536));
    k.f32 = new Float32Array(memory.buffer);
    k.f64 = new Float64Array(memory.buffer);
  }
}

const align16 = (n: number): number => (n + 15) & ~15;

/**
 * gemm on the wasm kernels: copies op's operands into wasm memory, runs the packed SIMD kernel
 * and copies C back. All three arrays have the same element type; the caller (../gemm.ts)
 * checks sizes and handles the degenerate and tiny products.
 */
export function wasmGemm(
  k: Kernels,
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  A: Float32Array | Float64Array,
  B: Float32Array | Float64Array,
  C: Float32Array | Float64Array,
  accumulate: boolean,
): void {
  const f64 = C instanceof Float64Array;
  const size = f64 ? 8 : 4;
  const pA = OPERANDS;
  const pB = align16(pA + M * K * size);
  const pC = align16(pB + K * N * size);
  reserve(k, pC + M * N * size);
  const heap = f64 ? k.f64 : k.f32;
  const shift = f64 ? 3 : 2;
  heap.set(A.length === M * K ? A : A.subarray(0, M * K), pA >> shift);
  heap.set(B.length === K * N ? B : B.subarray(0, K * N), pB >> shift);
  const c = pC >> shift;
  if (accumulate) heap.set(C.length === M * N ? C : C.subarray(0, M * N), c);
  const run = f64 ? k.exports.gemm_f64 : k.exports.gemm_f32;
  run(+transA, +transB, M, N, K, pA, pB, pC, +accumulate, PACK_A, PACK_B);
  C.set(heap.subarray(c, c + M * N));
}

/** Whether the elementwise kernels should run in wasm: the backend is on and the arrays are big enough to repay the copies. */
export function wasmFor(n: number): Kernels | null {
  return n >= 1024 && getBackendFast() === 'wasm' ? wasmKernels() : null;
}

/** out = relu(x) (x < 0 ? 0 : x), on the wasm kernels; x and out have the same type. */
export function wasmRelu(
  k: Kernels,
  x: Float32Array | Float64Array,
  out: Float32Array | Float64Array,
): void {
  const n = x.length;
  const f64 = x instanceof Float64Array;
  const shift = f64 ? 3 : 2;
  const pIn = OPERANDS;
  const pOut = align16(pIn + (n << shift));
  reserve(k, pOut + (n << shift));
  const heap = f64 ? k.f64 : k.f32;
  heap.set(x, pIn >> shift);
  (f64 ? k.exports.relu_f64 : k.exports.relu_f32)(pIn, pOut, n);
  out.set(heap.subarray(pOut >> shift, (pOut >> shift) + n));
}

/** out = x <= 0 ? g·0 : g, on the wasm kernels; all three have the same type and length. */
export function wasmReluGrad(
  k: Kernels,
  g: Float32Array | Float64Array,
  x: Float32Array | Float64Array,
  out: Float32Array | Float64Array,
): void {
  const n = x.length;
  const f64 = x instanceof Float64Array;
  const shift = f64 ? 3 : 2;
  const pG = OPERANDS;
  const pX = align16(pG + (n << shift));
  const pOut = align16(pX + (n << shift));
  reserve(k, pOut + (n << shift));
  const heap = f64 ? k.f64 : k.f32;
  heap.set(g, pG >> shift);
  heap.set(x, pX >> shift);
  (f64 ? k.exports.relu_grad_f64 : k.exports.relu_grad_f32)(pG, pX, pOut, n);
  out.set(heap.subarray(pOut >> shift, (pOut >> shift) + n));
}

/** 2×2 / stride 2 / unpadded max pooling of `planes` H×W planes on the wasm kernels. */
export function wasmMaxPool2x2(
  k: Kernels,
  planes: number,
  H: number,
  W: number,
  outH: number,
  outW: number,
  input: Float32Array | Float64Array,
  out: Float32Array | Float64Array,
  argmax: Int32Array,
): void {
  const f64 = input instanceof Float64Array;
  const shift = f64 ? 3 : 2;
  const nIn = planes * H * W;
  const nOut = planes * outH * outW;
  const pIn = OPERANDS;
  const pOut = align16(pIn + (nIn << shift));
  const pArg = align16(pOut + (nOut << shift));
  reserve(k, pArg + 4 * nOut);
  const heap = f64 ? k.f64 : k.f32;
  heap.set(input.length === nIn ? input : input.subarray(0, nIn), pIn >> shift);
  (f64 ? k.exports.maxpool2x2_f64 : k.exports.maxpool2x2_f32)(
    pIn,
    pOut,
    pArg,
    planes,
    H,
    W,
    outH,
    outW,
  );
  out.set(heap.subarray(pOut >> shift, (pOut >> shift) + nOut));
  argmax.set(new Int32Array(k.exports.memory.buffer, pArg, nOut));
}
