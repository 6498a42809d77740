/**
 * Element types. Like PyTorch, tensors are float32 unless asked otherwise, and an op mixing
 * float32 with float64 promotes to float64. A plain JS number keeps the tensor's dtype.
 */

/** The element type of a tensor. */
export type DType = 'float32' | 'float64';

/** Contiguous row-major storage of a tensor. */
export type FloatArray = Float32Array | Float64Array;

/** The dtype new tensors get when none is given (float32, like `torch.get_default_dtype()`). */
export const DEFAULT_DTYPE: DType = 'float32';

// Small arrays are views into shared 64 KB slabs. A fresh ArrayBuffer per array costs V8 a
// calloc, an extension object and external-memory accounting (which triggers collections): about
// 0.8 µs, against 0.1–0.3 µs for a view, and the small training steps (MLP 2-16-16-1, LSTM h32)
// make thousands of small tensors per step. Slab memory is never reused while any view is
// alive (it is garbage-collected as a whole), so a view starts zeroed like a new array; the
// cost is that a long-lived small tensor keeps its slab (at most 64 KB) alive.
const SLAB_BYTES = 1 << 16;
const SMALL_BYTES = 4096;
let slab = new ArrayBuffer(0);
let slabUsed = 0;

/** A zero-filled typed array of `n` elements of `dtype`. */
export function allocate(dtype: DType, n: number): FloatArray {
  const bytes = dtype === 'float64' ? 8 * n : 4 * n;
  if (bytes > SMALL_BYTES || bytes === 0) {
    return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  }
  if (slabUsed + bytes > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const out =
    dtype === 'float64' ? new Float64Array(slab, slabUsed, n) : new Float32Array(slab, slabUsed, n);
  slabUsed += (bytes + 15) & ~15;
  return out;
}

/** The dtype of a typed array. */
export function dtypeOf(array: FloatArray): DType {
  return array instanceof Float64Array ? 'float64' : 'float32';
}

/** Type promotion for two float dtypes: float64 wins, like `torch.promote_types`. @example promoteTypes('float32', 'float64'); // 'float64' */
export function promote(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}

/** `array` itself when it already has `dtype`, otherwise a converted copy. */
export function castArray(array: FloatArray, dtype: DType): FloatArray {
  if (dtypeOf(array) === dtype) return array;
  return dtype === 'float64' ? Float64Array.from(array) : Float32Array.from(array);
}

/** Checks a user-supplied dtype name. */
export function checkDType(dtype: unknown, op: string): DType {
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  throw new TypeError(`${op}: dtype must be 'float32' or 'float64', got ${String(dtype)}`);
}
