/** `F`: the functional API, like `torch.nn.functional`. */
export * from './activations.ts';
export * from './losses.ts';
export * from './conv.ts';
export * from './norm.ts';
export * from './dropout.ts';
export * from './penalties.ts';
