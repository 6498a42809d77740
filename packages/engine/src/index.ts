/**
 * @descent/engine: tensors, reverse-mode autodiff, layers and optimizers for the Descent book.
 *
 * The folders follow a tensor through the engine: `tensor.ts` (storage) → `autograd.ts`
 * (tape, backward, grad/hessian) → `ops/` (primitives and their gradient table, then the
 * ops composed from them) → `nn/` → `functional/` (losses) → `optim/` → `data/`.
 */
export const version = '0.1.0';

// Tensors and their element types.
export { Tensor } from './tensor.ts';
export type { TensorLike, NestedArray } from './tensor.ts';
export type { DType, FloatArray } from './dtype.ts';
export { DEFAULT_DTYPE, promote as promoteTypes } from './dtype.ts';
export { DescentError, ShapeError } from './errors.ts';
export { broadcastShapes } from './shape.ts';

// Making tensors.
export {
  tensor,
  zeros,
  ones,
  full,
  zerosLike,
  onesLike,
  fullLike,
  arange,
  linspace,
  eye,
  rand,
  randn,
  randint,
  randperm,
  randLike,
  randnLike,
} from './creation.ts';
export type { TensorOptions, RandomOptions, NestedNumbers } from './creation.ts';
export { Generator, manualSeed, defaultGenerator } from './random.ts';

// Kernel backend: WebAssembly SIMD128 (default where available) or plain JavaScript.
export { getBackend, setBackend } from './kernels/backend.ts';
export type { Backend } from './kernels/backend.ts';

// Autodiff.
export {
  noGrad,
  enableGrad,
  isGradEnabled,
  grad,
  valueAndGrad,
  jacobian,
  hessian,
} from './autograd.ts';
export type {
  GradOptions,
  JacobianOptions,
  ValueAndGrad,
  BackwardOptions,
  BackwardCallOptions,
  BackwardGradient,
} from './autograd.ts';

// Ops.
export {
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  neg,
  exp,
  log,
  sqrt,
  abs,
  sin,
  cos,
  tanh,
  sigmoid,
  relu,
  sign,
  square,
  reciprocal,
  clamp,
  gt,
  lt,
  ge,
  le,
  eq,
  ne,
  where,
  cast,
  clone,
  isFiniteAll,
  assertFinite,
  isclose,
  allclose,
} from './ops/elementwise.ts';
export type { CloseOptions } from './ops/elementwise.ts';
export {
  sum,
  mean,
  max,
  min,
  argmax,
  argmin,
  logsumexp,
  variance,
  std,
  sumTo,
} from './ops/reduce.ts';
export type { VarianceOptions, ReduceOptions, AxisArg } from './ops/reduce.ts';
export {
  reshape,
  view,
  flatten,
  squeeze,
  unsqueeze,
  expand,
  broadcastTo,
  permute,
  transpose,
  t,
  slice,
  unslice,
  select,
  narrow,
  pad,
  concat,
  cat,
  stack,
  indexSelect,
  indexAdd,
  gather,
  scatterAdd,
  split,
  chunk,
} from './ops/movement.ts';
export { matmul, mm, linear, dot, outer } from './ops/matmul.ts';
export { solve, norm } from './ops/linalg.ts';

// Layers, losses, optimizers, schedules, data and training (filled by other modules).
export * as F from './functional/index.ts';
export * as nn from './nn/index.ts';
export * as optim from './optim/index.ts';
export * from './schedules/index.ts';
export * from './data/index.ts';
export * from './train/index.ts';
