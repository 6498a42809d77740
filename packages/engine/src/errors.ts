/**
 * Errors thrown by the engine. Every message starts with the op's name and says what was
 * received and what was expected, e.g. `add: cannot broadcast [2,3] with [4]`.
 */

/** Base class of every error the engine throws on purpose. */
export class DescentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DescentError';
  }
}

/** Shapes that do not fit together: broadcasting, matmul inner sizes, reshape sizes, axes. */
export class ShapeError extends DescentError {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}
