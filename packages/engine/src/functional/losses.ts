// Filled in by the engine-parity work (issue 3).
export {};
