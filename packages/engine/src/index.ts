/** @descent/engine: tensors, reverse-mode autodiff, layers and optimizers for the Descent book. */
export const version = '0.1.0';
