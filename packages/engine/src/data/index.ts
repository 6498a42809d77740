/**
 * Data: seeded toy data sets (the TensorFlow Playground's 2-D sets, the sources' regression set,
 * sequence tasks), mini-batching with seeded shuffling, train/test splits, and real handwritten
 * digits.
 */
export * from './playground.ts';
export * from './features.ts';
export * from './synthetic.ts';
export * from './loader.ts';
export * from './digits.ts';
export * from './text.ts';
export { permutation } from './random-source.ts';
export * from './transforms.ts';
