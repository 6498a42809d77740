/**
 * Errors thrown by the engine. Every message starts with the op's name and says what was
 * received and what was expected, e.g. `add: cannot broadcast [2,3] with [4]`.
 */

/**
 * Base class of every error the engine throws on purpose.
 *
 * @example
 * let error;
 * try { tensor([1, 2]).item(); } catch (e) { error = e; }
 * error instanceof DescentError; // true
 */
export class DescentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DescentError';
  }
}

/**
 * Shapes that do not fit together: broadcasting, matmul inner sizes, reshape sizes, axes.
 *
 * @example
 * let error;
 * try { add(zeros([2, 3]), zeros([4])); } catch (e) { error = e; }
 * error instanceof ShapeError; // true
 * error.message; // 'add: cannot broadcast [2,3] with [4]'
 */
export class ShapeError extends DescentError {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}
