/**
 * How the chapter's digits CNN is trained, in one place: the widget's worker, the script that
 * made the shipped weights and the tests all use it. (A module of its own, without the engine,
 * so the training widget's page-side code can read it cheaply.)
 */
export const RECIPE = {
  seed: 13,
  epochs: 3,
  batchSize: 32,
  lr: 0.004,
  /** The learning rate is multiplied by this after every epoch. */
  lrDecay: 0.5,
} as const;
