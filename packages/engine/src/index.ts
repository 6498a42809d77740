/** @descent/engine: tensors, reverse-mode autodiff, layers and optimizers for the Descent book. */
export const version = '0.1.0';
export * as F from './functional/index.ts';
export * as nn from './nn/index.ts';
export * as optim from './optim/index.ts';
export * from './schedules/index.ts';
export * from './data/index.ts';
export * from './train/index.ts';
