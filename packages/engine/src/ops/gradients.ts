/**
 * The gradient table: for each primitive op, the vector-Jacobian product that turns the
 * gradient of the output `g` into gradients of the inputs. This one file is the whole
 * calculus of the engine; every other op is composed of these primitives.
 *
 * Rules are written with ordinary tensor ops. When `backward({ createGraph: true })` runs
 * them while recording, the gradients are themselves differentiable: that is how `hessian`
 * and higher derivatives work. Broadcasting binary ops sum the gradient back to each
 * input's shape (`sumTo`), the adjoint of broadcasting.
 *
 * A rule returns one entry per input (null when that input does not require grad).
 */
import type { NodeOf, Op } from '../autograd.ts';
import type { Tensor } from '../tensor.ts';
import { zeros } from '../creation.ts';
import {
  cos,
  div,
  eq,
  gt,
  le,
  log,
  lt,
  mul,
  neg,
  ne,
  reluGrad,
  sigmoidGrad,
  tanhGrad,
  ge,
  pow,
  sign,
  sin,
  sub,
  where,
  cast,
  scalarLike,
} from './elementwise.ts';
import { sum, sumTo } from './reduce.ts';
import {
  expand,
  gather,
  indexAdd,
  indexSelectUnchecked,
  pad,
  permute,
  reshape,
  scatterAdd,
  slice,
  unslice,
} from './movement.ts';
import { mm } from './matmul.ts';
import { solve } from './linalg.ts';

type Rule<K extends Op> = (g: Tensor, node: NodeOf<K>, out: Tensor) => (Tensor | null)[];

const needs = (t: Tensor): boolean => t.requiresGrad;

export const gradients: { [K in Op]: Rule<K> } = {
  // d(-x) = -g
  neg: (g) => [neg(g)],
  // d(e^x) = g·e^x, reusing the output
  exp: (g, _node, out) => [mul(g, out)],
  // d(log x) = g/x
  log: (g, { inputs: [x] }) => [div(g, x)],
  // d(√x) = g/(2√x). NOTE: at x = 0 this is +inf (torch agrees), and 0·inf = NaN for g = 0.
  sqrt: (g, _node, out) => [div(g, mul(out, 2))],
  // d|x| = g·sign(x). NOTE: sign(0) = 0, so abs'(0) = 0 like torch.
  abs: (g, { inputs: [x] }) => [mul(g, sign(x))],
  sin: (g, { inputs: [x] }) => [mul(g, cos(x))],
  cos: (g, { inputs: [x] }) => [neg(mul(g, sin(x)))],
  // d(tanh x) = g·(1 - tanh²x), from the output, in one fused pass
  tanh: (g, _node, out) => [tanhGrad(g, out)],
  // dσ(x) = g·σ(x)·(1 - σ(x)), from the output, in one fused pass
  sigmoid: (g, _node, out) => [sigmoidGrad(g, out)],
  // The fused backward passes are linear in g; in y: d[g(1 - y²)]/dy = -2gy, d[gy(1 - y)]/dy = g(1 - 2y).
  tanhGrad: (h, { inputs: [g, y] }) => [
    needs(g) ? tanhGrad(h, y) : null,
    needs(y) ? mul(h, mul(g, mul(y, -2))) : null,
  ],
  sigmoidGrad: (h, { inputs: [g, y] }) => [
    needs(g) ? sigmoidGrad(h, y) : null,
    needs(y) ? mul(h, mul(g, sub(1, mul(y, 2)))) : null,
  ],
  // NOTE: relu'(0) = 0, and a NaN input passes the gradient: torch masks with x <= 0.
  relu: (g, { inputs: [x] }) => [reluGrad(g, x)],
  // Linear in g; the mask is piecewise constant in x, so x gets no gradient (as in relu).
  reluGrad: (h, { inputs: [g, x] }) => [needs(g) ? reluGrad(h, x) : null, null],
  // NOTE: the gradient passes where min <= x <= max, boundaries included, like torch.
  clamp: (g, { inputs: [x], attrs: { min, max } }) => [mul(g, mul(ge(x, min), le(x, max)))],
  copy: (g, { inputs: [x] }) => [cast(g, x.dtype)],

  add: (g, { inputs: [a, b] }) => [
    needs(a) ? sumTo(g, a.shape) : null,
    needs(b) ? sumTo(g, b.shape) : null,
  ],
  sub: (g, { inputs: [a, b] }) => [
    needs(a) ? sumTo(g, a.shape) : null,
    needs(b) ? sumTo(neg(g), b.shape) : null,
  ],
  mul: (g, { inputs: [a, b] }) => [
    needs(a) ? sumTo(mul(g, b), a.shape) : null,
    needs(b) ? sumTo(mul(g, a), b.shape) : null,
  ],
  // d(a/b) = g/b and -g·a/b²
  div: (g, { inputs: [a, b] }) => [
    needs(a) ? sumTo(div(g, b), a.shape) : null,
    needs(b) ? sumTo(neg(div(mul(g, a), mul(b, b))), b.shape) : null,
  ],
  // d(aᵇ) = g·b·aᵇ⁻¹ and g·aᵇ·log a.
  // NOTE: as torch, the base gradient is 0 where b = 0 (even at a = 0), and the exponent
  // gradient is 0 where a = 0 and b >= 0 (instead of 0·-inf = NaN).
  pow: (g, { inputs: [a, b] }, out) => [
    needs(a) ? sumTo(powBaseGrad(g, a, b), a.shape) : null,
    needs(b) ? sumTo(where(mul(eq(a, 0), ge(b, 0)), 0, mul(g, mul(out, log(a)))), b.shape) : null,
  ],
  // NOTE: where a == b the gradient is split evenly between the two, as torch does.
  maximum: (g, { inputs: [a, b] }) => tieSplit(g, a, b, lt(a, b), gt(a, b)),
  minimum: (g, { inputs: [a, b] }) => tieSplit(g, a, b, gt(a, b), lt(a, b)),
  where: (g, { inputs: [a, b], attrs: { condition } }) => [
    needs(a) ? sumTo(where(condition, g, 0), a.shape) : null,
    needs(b) ? sumTo(where(condition, 0, g), b.shape) : null,
  ],

  // Sum: copy the gradient back along the reduced axes.
  sum: (g, { inputs: [x], attrs: { keepShape } }) => [expand(reshape(g, keepShape), x.shape)],
  // NOTE: max over all elements splits the gradient evenly among ties, like torch.max().
  maxAll: (g, { inputs: [x] }, out) => {
    // NOTE: when the maximum is NaN, the NaN elements share the gradient, as torch does.
    const mask = Number.isNaN(out.data[0]) ? ne(x, x) : eq(x, out);
    return [mul(g, div(mask, sum(mask)))];
  },
  // NOTE: max along an axis sends the gradient to the first maximal element, like torch.max(dim).
  maxAxis: (g, { inputs: [x], attrs: { keepShape, mask } }) => [
    mul(expand(reshape(g, keepShape), x.shape), mask),
  ],

  reshape: (g, { inputs: [x] }) => [reshape(g, x.shape)],
  permute: (g, { attrs: { dims } }) => {
    const inverse = new Array<number>(dims.length);
    dims.forEach((d, i) => (inverse[d] = i));
    return [permute(g, inverse)];
  },
  expand: (g, { inputs: [x] }) => [sumTo(g, x.shape)],
  slice: (g, { inputs: [x], attrs: { axis, start, step } }) => [
    unslice(g, axis, x.shape[axis], start, step),
  ],
  unslice: (g, { inputs: [x], attrs: { axis, start, step } }) => [
    slice(g, axis, start, start + (x.shape[axis] - 1) * step + 1, step),
  ],
  // Pad's adjoint crops: negative widths in the same layout.
  pad: (g, { attrs: { widths } }) => {
    const crop: number[] = [];
    for (let d = widths.length - 1; d >= 0; d--) crop.push(-widths[d][0], -widths[d][1]);
    return [pad(g, crop)];
  },
  concat: (g, { inputs, attrs: { axis } }) => {
    let at = 0;
    return inputs.map((x) => {
      const start = at;
      at += x.shape[axis];
      return needs(x) ? slice(g, axis, start, at) : null;
    });
  },
  gather: (g, { inputs: [x], attrs: { axis, index } }) => [
    scatterAdd(zeros(x.shape, { dtype: g.dtype }), axis, index, g),
  ],
  scatterAdd: (g, { inputs: [x, src], attrs: { axis, index } }) => {
    let gs: Tensor | null = null;
    if (needs(src)) {
      gs = gather(g, axis, index);
      // A source larger than the index gets zeros where nothing was scattered.
      const widths: number[] = [];
      for (let d = src.ndim - 1; d >= 0; d--) widths.push(0, src.shape[d] - index.shape[d]);
      if (widths.some((w) => w > 0)) gs = pad(gs, widths);
    }
    return [needs(x) ? g : null, gs];
  },
  indexSelect: (g, { inputs: [x], attrs: { axis, indices } }) => [
    indexAdd(zeros(x.shape, { dtype: g.dtype }), axis, indices, g),
  ],
  indexAdd: (g, { inputs: [x, src], attrs: { axis, indices } }) => [
    needs(x) ? g : null,
    needs(src) ? indexSelectUnchecked(g, axis, indices) : null,
  ],

  // C = op(A)·op(B); each case reads the operands transposed instead of copying them.
  matmul: (g, { inputs: [a, b], attrs: { transA, transB } }) => {
    if (!transA && !transB)
      return [needs(a) ? mm(g, b, false, true) : null, needs(b) ? mm(a, g, true, false) : null];
    if (!transA && transB)
      return [needs(a) ? mm(g, b, false, false) : null, needs(b) ? mm(g, a, true, false) : null];
    if (transA && !transB)
      return [needs(a) ? mm(b, g, false, true) : null, needs(b) ? mm(a, g, false, false) : null];
    return [needs(a) ? mm(b, g, true, true) : null, needs(b) ? mm(g, a, true, true) : null];
  },
  // x = A⁻¹b: the gradient of b solves the transposed system, and that of A is -g_b·xᵀ.
  solve: (g, { inputs: [A, b] }, x) => {
    const gb = solve(permute(A, [1, 0]), g);
    const gA =
      b.ndim === 1 ? mm(reshape(gb, [-1, 1]), reshape(x, [1, -1])) : mm(gb, x, false, true);
    return [needs(A) ? neg(gA) : null, needs(b) ? gb : null];
  },
};

/** g·b·aᵇ⁻¹, with a short path for a constant number exponent (x², x^0.5: the common case). */
function powBaseGrad(g: Tensor, a: Tensor, b: Tensor): Tensor {
  if (b.size === 1 && !b.requiresGrad) {
    const c = b.data[0];
    if (c === 0) return mul(g, 0);
    if (c === 1) return g;
    if (c === 2) return mul(g, mul(a, scalarLike(2, b.dtype)));
    return mul(g, mul(pow(a, scalarLike(c - 1, b.dtype)), b));
  }
  return where(eq(b, 0), 0, mul(g, mul(b, pow(a, sub(b, scalarLike(1, b.dtype))))));
}

/**
 * Gradient of maximum/minimum, as torch writes it: each side gets g, halved on ties, and 0
 * where it lost. NOTE: with a NaN on either side no comparison holds, so both sides get the
 * full gradient (torch's behaviour).
 */
function tieSplit(
  g: Tensor,
  a: Tensor,
  b: Tensor,
  aLoses: Tensor,
  bLoses: Tensor,
): (Tensor | null)[] {
  const shared = where(eq(a, b), mul(g, 0.5), g);
  return [
    needs(a) ? sumTo(where(aLoses, 0, shared), a.shape) : null,
    needs(b) ? sumTo(where(bLoses, 0, shared), b.shape) : null,
  ];
}
