// Filled in by the layers/optimizers work (issue 4).
export {};
