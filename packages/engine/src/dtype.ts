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

/** A zero-filled typed array of `n` elements of `dtype`. */
export function allocate(dtype: DType, n: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
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
