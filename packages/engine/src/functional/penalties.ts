/**
 * Weight penalties for regularization: add `lambda * l2Penalty(params)` (or `l1Penalty`) to the
 * loss.
 */
import { Tensor } from '../tensor.ts';
import { DescentError } from '../errors.ts';
import { abs, add, square, mul } from '../ops/elementwise.ts';
import { sum } from '../ops/reduce.ts';

function asList(name: string, params: Tensor | Tensor[]): Tensor[] {
  const list = params instanceof Tensor ? [params] : params;
  if (!Array.isArray(list) || list.length === 0 || !list.every((p) => p instanceof Tensor)) {
    throw new DescentError(`${name}: expected a Tensor or a non-empty list of Tensors`);
  }
  return list;
}

/**
 * The L1 penalty Σ|w| over every element of every tensor. Its gradient is sign(w) (0 at w = 0),
 * which pushes weights to exactly zero: sparsity.
 *
 * @example
 * F.l1Penalty([tensor([1, -2]), tensor([3])]).item(); // 6
 */
export function l1Penalty(params: Tensor | Tensor[]): Tensor {
  const terms = asList('l1Penalty', params).map((p) => sum(abs(p)));
  return terms.reduce((a, b) => add(a, b));
}

/**
 * The L2 penalty ½Σw² over every element of every tensor, whose gradient is w itself: adding
 * λ·l2Penalty to the loss is exactly weight decay with coefficient λ (SGD's `weightDecay`).
 *
 * NOTE: this is the squared norm with a ½, not the norm √Σw² that the source writes (a known
 * erratum): the norm's gradient w/‖w‖ has unit length whatever the weights' size, so it is not
 * weight decay.
 *
 * @example
 * F.l2Penalty(tensor([3, 4])).item(); // 12.5
 */
export function l2Penalty(params: Tensor | Tensor[]): Tensor {
  const terms = asList('l2Penalty', params).map((p) => sum(square(p)));
  return mul(
    terms.reduce((a, b) => add(a, b)),
    0.5,
  );
}
