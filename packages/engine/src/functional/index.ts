/** `F`: the functional API, like `torch.nn.functional`. */
export * from './activations.ts';
export * from './losses.ts';
export * from './conv.ts';
export * from './norm.ts';
export * from './dropout.ts';
export * from './penalties.ts';
// Core ops that torch also lists under torch.nn.functional.
export { linear } from '../ops/matmul.ts';
export { pad } from '../ops/movement.ts';
