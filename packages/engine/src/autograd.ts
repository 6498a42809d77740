/**
 * Reverse-mode automatic differentiation: the tape, `backward`, and the functional
 * transforms `grad`, `valueAndGrad`, `jacobian` and `hessian`.
 *
 * Every primitive op that may need a gradient records one {@link Node} on its output: the op's
 * name, its inputs and the few attributes its derivative needs. The derivative rules
 * themselves live together in one table, `ops/gradients.ts`. Backward rules are written with
 * ordinary differentiable tensor ops, so running them while recording (`createGraph`) gives
 * gradients of gradients: that is all `hessian` needs.
 */
import { DescentError } from './errors.ts';
import { DEFAULT_DTYPE, allocate } from './dtype.ts';
import { formatShape, shapesEqual } from './shape.ts';
import { Tensor } from './tensor.ts';
import { gradients } from './ops/gradients.ts';
import { add, cast } from './ops/elementwise.ts';
import { ones, tensor } from './creation.ts';
import type { NestedNumbers } from './creation.ts';
import { reshape, stack } from './ops/movement.ts';

/**
 * The primitive ops and the attributes each one saves for its backward rule. This list is
 * the whole differentiable core of the engine: every other op is a composition of these.
 */
export interface OpAttrs {
  // Elementwise, one input.
  neg: null;
  exp: null;
  log: null;
  sqrt: null;
  abs: null;
  sin: null;
  cos: null;
  tanh: null;
  sigmoid: null;
  relu: null;
  clamp: { min: number; max: number };
  // The backward passes of tanh and sigmoid fused into one loop each (for speed), as
  // functions of (g, y) with y the forward output.
  tanhGrad: null;
  sigmoidGrad: null;
  // relu's backward g·[x > 0] in one pass, as a function of (g, x).
  reluGrad: null;
  copy: null;
  // Elementwise, two inputs (broadcasting). `sub` and `div` are primitives rather than
  // `add∘neg` and `mul∘reciprocal` because each saves a full pass and an allocation in the
  // forward and backward of every training step, and `div` rounds once like torch.
  add: null;
  sub: null;
  mul: null;
  div: null;
  pow: null;
  maximum: null;
  minimum: null;
  where: { condition: Tensor };
  // Reductions.
  sum: { axes: number[]; keepShape: number[] };
  maxAll: null;
  maxAxis: { axis: number; keepShape: number[]; mask: Tensor };
  // Movement: shape and layout.
  reshape: null;
  permute: { dims: number[] };
  expand: null;
  slice: { axis: number; start: number; step: number };
  unslice: { axis: number; start: number; step: number };
  pad: { widths: [number, number][] };
  concat: { axis: number };
  gather: { axis: number; index: Tensor };
  scatterAdd: { axis: number; index: Tensor };
  indexSelect: { axis: number; indices: Int32Array };
  indexAdd: { axis: number; indices: Int32Array };
  // Linear algebra: C = op(A)·op(B), 2-D or batched 3-D, op = transpose when the flag is set.
  matmul: { transA: boolean; transB: boolean };
  // x = A⁻¹b.
  solve: null;
}

/** Name of a primitive op. */
export type Op = keyof OpAttrs;

/** One recorded op application: how its output was made from its inputs. */
export type Node = {
  [K in Op]: { op: K; inputs: Tensor[]; attrs: OpAttrs[K]; freed?: boolean };
}[Op];

/** A node of a specific op, as the gradient rule for that op receives it. */
export type NodeOf<K extends Op> = { op: K; inputs: Tensor[]; attrs: OpAttrs[K] };

let gradEnabled = true;

/** Whether ops currently record the graph (false inside {@link noGrad}). @example noGrad(() => isGradEnabled()); // false */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording the graph, like `with torch.no_grad():`. Results do not
 * require grad. Use it for parameter updates and evaluation.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const y = noGrad(() => w.mul(2));
 * y.requiresGrad; // false
 */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Runs `fn` with recording switched on, even inside {@link noGrad}. @example noGrad(() => enableGrad(() => isGradEnabled())); // true */
export function enableGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = true;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * Attaches a node to `out` when recording is on and some input requires grad. Returns `out`.
 * Called by every primitive op right after computing its output.
 */
export function record<K extends Op>(
  out: Tensor,
  op: K,
  inputs: Tensor[],
  attrs: OpAttrs[K],
): Tensor {
  if (!gradEnabled) return out;
  for (let i = 0; i < inputs.length; i++) {
    if (inputs[i].requiresGrad) {
      out.requiresGrad = true;
      out._node = { op, inputs, attrs } as Node;
      return out;
    }
  }
  return out;
}

/**
 * Topological order of the graph below `roots` (inputs before outputs), by an iterative
 * depth-first search, so a chain of 100,000 ops does not overflow the call stack. The walk
 * does not descend below `stops` (used by `grad` so an inner differentiation does not
 * wander into an outer graph).
 */
let visitEpoch = 0;

function topologicalOrder(roots: Tensor[], stops?: Set<Tensor>): Tensor[] {
  // Each walk stamps the tensors it reaches with a fresh number instead of filling a Set:
  // cheaper on graphs with hundreds of thousands of nodes.
  const epoch = ++visitEpoch;
  const order: Tensor[] = [];
  const stack: Tensor[] = [];
  const next: number[] = [];
  for (const root of roots) {
    if (root._visited === epoch) continue;
    root._visited = epoch;
    stack.push(root);
    next.push(0);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const t = stack[top];
      const node = stops !== undefined && stops.has(t) ? null : t._node;
      const i = next[top];
      if (node !== null && i < node.inputs.length) {
        next[top] = i + 1;
        const child = node.inputs[i];
        if (child.requiresGrad && child._visited !== epoch) {
          child._visited = epoch;
          stack.push(child);
          next.push(0);
        }
      } else {
        stack.pop();
        next.pop();
        order.push(t);
      }
    }
  }
  return order;
}

export interface BackwardOptions {
  /** Record the backward pass so the resulting gradients can be differentiated again. */
  createGraph?: boolean;
  /**
   * Keep the graph after `Tensor.backward` so it can be walked again. By default (like
   * torch) the graph is freed, so a stored loss does not keep a whole step's activations
   * alive. createGraph implies retainGraph.
   */
  retainGraph?: boolean;
}

const FREED_MESSAGE =
  'backward: trying to backward through the graph a second time (it is freed after backward() to save memory). Pass { retainGraph: true } to the first backward, or detach() tensors you reuse across steps';

/**
 * The gradient engine: pushes `seeds` (one per root, shaped like the root) back through the
 * graph. With `targets`, returns the gradients of those tensors and leaves `.grad` alone
 * (like `torch.autograd.grad`); without, accumulates into `.grad` of every leaf that requires
 * grad (like `Tensor.backward`).
 */
export function runBackward(
  roots: Tensor[],
  seeds: Tensor[],
  options: BackwardOptions & { targets?: Tensor[]; freeGraph?: boolean } = {},
): (Tensor | null)[] {
  const createGraph = options.createGraph ?? false;
  const freeGraph = (options.freeGraph ?? false) && !createGraph;
  const targets = options.targets;
  const stops = targets ? new Set(targets) : undefined;
  const order = topologicalOrder(roots, stops);
  const grads = new Map<Tensor, Tensor>();
  for (let i = 0; i < roots.length; i++) {
    if (roots[i].requiresGrad) accumulate(grads, roots[i], seeds[i]);
  }
  const walk = () => {
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k];
      const g = grads.get(t);
      if (g === undefined) continue;
      const node = stops?.has(t) ? null : t._node;
      if (node === null) {
        if (!targets) storeLeafGrad(t, g, createGraph);
        continue;
      }
      if (node.freed) throw new DescentError(FREED_MESSAGE);
      if (t._retainsGrad && !targets) storeLeafGrad(t, g, createGraph);
      const rule = gradients[node.op] as (g: Tensor, node: Node, out: Tensor) => (Tensor | null)[];
      const inputGrads = rule(g, node, t);
      for (let i = 0; i < node.inputs.length; i++) {
        const input = node.inputs[i];
        const gi = inputGrads[i];
        if (gi === null || gi === undefined || !input.requiresGrad) continue;
        if (!shapesEqual(gi.shape, input.shape)) {
          throw new DescentError(
            `backward: the ${node.op} rule produced a gradient of shape ${formatShape(gi.shape)} for an input of shape ${formatShape(input.shape)}`,
          );
        }
        accumulate(grads, input, gi);
      }
      // Free what this pass no longer needs, so long chains keep memory flat.
      grads.delete(t);
    }
  };
  if (createGraph) enableGrad(walk);
  else noGrad(walk);
  if (freeGraph) {
    // Drop the references that keep activations alive; the nodes stay as tombstones so a
    // second backward through them fails loudly instead of silently giving zeros.
    for (const t of order) {
      const node = t._node;
      if (node === null) continue;
      node.inputs = [];
      (node as { attrs: unknown }).attrs = null;
      node.freed = true;
    }
  }
  if (!targets) return [];
  return targets.map((t) => grads.get(t) ?? null);
}

function accumulate(grads: Map<Tensor, Tensor>, t: Tensor, g: Tensor): void {
  if (g.dtype !== t.dtype) g = cast(g, t.dtype);
  const previous = grads.get(t);
  // Inside the walk, add records only when createGraph is on.
  grads.set(t, previous === undefined ? g : add(previous, g));
}

function storeLeafGrad(t: Tensor, g: Tensor, createGraph: boolean): void {
  if (t.grad === null) {
    // A rule may hand the same tensor to several inputs (add does), and optimizers update
    // .grad in place, so a leaf gets its own copy unless the graph is being recorded.
    t.grad = createGraph ? g : new Tensor(g.data.slice(), g.shape, g.dtype);
  } else if (createGraph || t.grad.requiresGrad) {
    t.grad = add(t.grad, g);
  } else {
    const acc = t.grad.data;
    const src = g.data;
    for (let i = 0; i < acc.length; i++) acc[i] += src[i];
  }
}

/** What `Tensor.backward` accepts as its first argument. */
export type BackwardGradient = Tensor | number | NestedNumbers | null | undefined;

/** Options of `Tensor.backward` (also accepted as its only argument). */
export interface BackwardCallOptions extends BackwardOptions {
  /** The gradient of some scalar with respect to the output (required for non-scalars). */
  gradient?: BackwardGradient;
}

/**
 * `Tensor.backward`: seeds with ones for a scalar output, or with `gradient`. Accepts
 * `backward()`, `backward(gradient)`, `backward(gradient, { createGraph })` and
 * `backward({ gradient?, createGraph? })`.
 */
export function backward(
  root: Tensor,
  gradientOrOptions?: BackwardGradient | BackwardCallOptions,
  options: BackwardOptions = {},
): void {
  let gradient: BackwardGradient;
  if (
    gradientOrOptions !== null &&
    typeof gradientOrOptions === 'object' &&
    !(gradientOrOptions instanceof Tensor) &&
    !Array.isArray(gradientOrOptions) &&
    !ArrayBuffer.isView(gradientOrOptions)
  ) {
    const opts = gradientOrOptions as BackwardCallOptions;
    gradient = opts.gradient;
    options = {
      ...options,
      createGraph: opts.createGraph ?? options.createGraph,
      retainGraph: opts.retainGraph ?? options.retainGraph,
    };
  } else {
    gradient = gradientOrOptions as BackwardGradient;
  }
  if (!root.requiresGrad) {
    throw new DescentError(
      'backward: element 0 of tensors does not require grad and does not have a grad_fn (the output was computed from tensors without requiresGrad, or inside noGrad)',
    );
  }
  let seed: Tensor;
  if (gradient === undefined || gradient === null) {
    if (root.size !== 1) {
      throw new DescentError(
        `backward: grad can be implicitly created only for scalar outputs, got shape ${formatShape(root.shape)}; pass a gradient of that shape`,
      );
    }
    seed = ones(root.shape, { dtype: root.dtype });
  } else {
    const g = gradient instanceof Tensor ? gradient : tensor(gradient, { dtype: root.dtype });
    const fits = shapesEqual(g.shape, root.shape) || (g.size === 1 && root.size === 1);
    if (!fits) {
      throw new DescentError(
        `backward: gradient has shape ${formatShape(g.shape)} but the output has shape ${formatShape(root.shape)}`,
      );
    }
    seed = g.size === 1 && !shapesEqual(g.shape, root.shape) ? reshape(g, root.shape.slice()) : g;
  }
  runBackward([root], [seed], { ...options, freeGraph: !(options.retainGraph ?? false) });
}

// ---------------------------------------------------------------------------------------
// Functional transforms, in the style of JAX and torch.autograd.functional.

/** Options of {@link grad} and {@link valueAndGrad}. */
export interface GradOptions {
  /** Which positional argument(s) to differentiate with respect to (default 0). */
  argnums?: number | number[];
  /**
   * Record the gradient computation so it can be differentiated again. Defaults to true
   * when an argument already requires grad (so `grad(grad(f))` just works), false otherwise.
   */
  createGraph?: boolean;
}

function prepareArgs(args: unknown[], argnums: number[]): { inputs: Tensor[]; nested: boolean } {
  const inputs: Tensor[] = [];
  let nested = false;
  for (const i of argnums) {
    let a = args[i];
    if (typeof a === 'number') {
      // A plain number is differentiated as a 0-d tensor of the default dtype.
      const data = allocate(DEFAULT_DTYPE, 1);
      data[0] = a;
      a = new Tensor(data, [], DEFAULT_DTYPE);
    }
    if (!(a instanceof Tensor)) {
      throw new DescentError(`grad: argument ${i} must be a Tensor or a number, got ${typeof a}`);
    }
    if (a.requiresGrad && isGradEnabled()) {
      // Part of an outer computation (or a parameter): differentiate through it directly.
      nested = true;
      inputs.push(a);
    } else {
      const x = new Tensor(a.data, a.shape, a.dtype);
      x.requiresGrad = true;
      args[i] = x;
      inputs.push(x);
    }
  }
  return { inputs, nested };
}

function evaluate<Args extends unknown[]>(
  f: (...args: Args) => Tensor,
  args: Args,
  opts: GradOptions,
): [Tensor, Tensor | Tensor[]] {
  const argnums = opts.argnums ?? 0;
  const list = typeof argnums === 'number' ? [argnums] : argnums;
  const copy = args.slice() as Args;
  const { inputs, nested } = prepareArgs(copy, list);
  const createGraph = opts.createGraph ?? nested;
  const value = enableGrad(() => f(...copy));
  if (!(value instanceof Tensor)) {
    throw new DescentError(`grad: the function must return a Tensor, got ${typeof value}`);
  }
  if (value.size !== 1) {
    throw new DescentError(
      `grad: the function must return a scalar (one element), got shape ${formatShape(value.shape)}; use jacobian for vector outputs`,
    );
  }
  let grads: Tensor[];
  if (!value.requiresGrad) {
    grads = inputs.map((x) => zerosLikeOf(x));
  } else {
    const seed = ones(value.shape, { dtype: value.dtype });
    const raw = runBackward([value], [seed], { createGraph, targets: inputs });
    grads = raw.map((g, i) => g ?? zerosLikeOf(inputs[i]));
  }
  const out = createGraph ? value : value.detach();
  return [out, typeof argnums === 'number' ? grads[0] : grads];
}

function zerosLikeOf(x: Tensor): Tensor {
  return new Tensor(x.data.slice().fill(0), x.shape, x.dtype);
}

/**
 * The gradient of a scalar-valued function, as a function: `grad(f)(x)` is ∂f/∂x with x's
 * shape. Does not touch `x.grad`. With `argnums: [0, 1]` returns an array of gradients.
 *
 * @example
 * const df = grad((x: Tensor) => x.pow(3).sum());
 * df(tensor([1, 2])).toArray(); // [3, 12]
 * grad((x: Tensor) => x.sin())(0).item(); // 1
 */
export function grad<Args extends unknown[]>(
  f: (...args: Args) => Tensor,
  opts: GradOptions & { argnums: number[] },
): (...args: Args) => Tensor[];
export function grad<Args extends unknown[]>(
  f: (...args: Args) => Tensor,
  opts?: GradOptions & { argnums?: number },
): (...args: Args) => Tensor;
export function grad<Args extends unknown[]>(
  f: (...args: Args) => Tensor,
  opts: GradOptions = {},
): (...args: Args) => Tensor | Tensor[] {
  return (...args: Args) => evaluate(f, args, opts)[1];
}

/** The pair returned by {@link valueAndGrad}: destructure it, or read `.value` and `.grad`. */
export type ValueAndGrad<G = Tensor> = [Tensor, G] & { value: Tensor; grad: G };

/**
 * Like {@link grad} but also returns f's value, computed in the same pass.
 *
 * @example
 * const [value, g] = valueAndGrad((x: Tensor) => x.mul(x).sum())(tensor([3]));
 * value.item(); // 9
 * g.toArray(); // [6]
 */
export function valueAndGrad<Args extends unknown[]>(
  f: (...args: Args) => Tensor,
  opts: GradOptions & { argnums: number[] },
): (...args: Args) => ValueAndGrad<Tensor[]>;
export function valueAndGrad<Args extends unknown[]>(
  f: (...args: Args) => Tensor,
  opts?: GradOptions & { argnums?: number },
): (...args: Args) => ValueAndGrad<Tensor>;
export function valueAndGrad<Args extends unknown[]>(
  f: (...args: Args) => Tensor,
  opts: GradOptions = {},
): (...args: Args) => ValueAndGrad<Tensor | Tensor[]> {
  return (...args: Args) => {
    const [value, g] = evaluate(f, args, opts);
    const pair = [value, g] as unknown as ValueAndGrad<Tensor | Tensor[]>;
    pair.value = value;
    pair.grad = g;
    return pair;
  };
}

/** Options of {@link jacobian} and {@link hessian}. */
export interface JacobianOptions {
  /** Record the computation so the result can be differentiated again. */
  createGraph?: boolean;
}

/**
 * The Jacobian of `f` at `x`, shaped `[...out.shape, ...x.shape]` like
 * `torch.autograd.functional.jacobian`. One backward pass per output element.
 *
 * @example
 * const J = jacobian((x: Tensor) => x.mul(x))(tensor([1, 2]));
 * J.toArray(); // [[2, 0], [0, 4]]
 */
export function jacobian(
  f: (x: Tensor) => Tensor,
  opts: JacobianOptions = {},
): (x: Tensor) => Tensor {
  return (x0: Tensor) => {
    const { inputs, nested } = prepareArgs([x0], [0]);
    const x = inputs[0];
    const createGraph = opts.createGraph ?? nested;
    const y = enableGrad(() => f(x));
    if (!(y instanceof Tensor)) {
      throw new DescentError(`jacobian: the function must return a Tensor, got ${typeof y}`);
    }
    const rows: Tensor[] = [];
    for (let i = 0; i < y.size; i++) {
      let row: Tensor | null = null;
      if (y.requiresGrad) {
        const seed = new Tensor(y.data.slice().fill(0), y.shape, y.dtype);
        seed.data[i] = 1;
        row = runBackward([y], [seed], { createGraph, targets: [x] })[0];
      }
      rows.push(row ?? zerosLikeOf(x));
    }
    const shape = [...y.shape, ...x.shape];
    if (rows.length === 0) return new Tensor(x.data.slice(0, 0), shape, x.dtype);
    const body = () => reshape(stack(rows, 0), shape);
    return createGraph ? body() : noGrad(body);
  };
}

/**
 * The Hessian of a scalar-valued `f` at `x`, shaped `[...x.shape, ...x.shape]`: the Jacobian
 * of the gradient, computed reverse-over-reverse.
 *
 * @example
 * const H = hessian((x: Tensor) => x.pow(3).sum())(tensor([1, 2]));
 * H.toArray(); // [[6, 0], [0, 12]]
 */
export function hessian(
  f: (x: Tensor) => Tensor,
  opts: JacobianOptions = {},
): (x: Tensor) => Tensor {
  return jacobian((x: Tensor) => grad(f, { createGraph: true })(x), opts);
}
