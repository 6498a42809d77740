/**
 * The optimizer base class: parameter groups, per-parameter state, `zeroGrad`, `step(closure)`,
 * a settable learning rate for schedules, and optional recording of the trajectory for plots.
 *
 * Like `torch.optim.Optimizer`, `step` reads each parameter's `.grad` and writes `.data` in place
 * with plain typed-array loops, so the update is never recorded on the autograd tape.
 */
import { Tensor } from '../tensor.ts';
import type { FloatArray } from '../dtype.ts';
import { DescentError } from '../errors.ts';
import { noGrad, enableGrad } from '../autograd.ts';

/** A group of parameters sharing hyperparameters; any option left out takes the default. */
export type ParamGroupInput<O> = { params: Tensor[] } & Partial<O>;

/** The parameters an optimizer takes: a list of tensors, or a list of groups. */
export type ParamsInput<O> = Tensor[] | ParamGroupInput<O>[];

/** A parameter group with every option filled in. */
export type ParamGroup<O> = { params: Tensor[] } & O;

/** Options every optimizer accepts besides its hyperparameters. */
export interface RecordOptions {
  /**
   * Keep `trajectory` (the flattened parameters, the initial point first, then after every
   * step) and `losses` (the closure's loss at every `step(closure)`), for plotting.
   */
  record?: boolean;
}

/** The closure `step` may take: re-evaluate the model, backpropagate, return the loss. */
export type Closure = () => Tensor | number;

/** The hyperparameters every optimizer has. */
export interface BaseOptions {
  lr: number;
}

/** `new optim.SGD(params, 0.1)` means `{ lr: 0.1 }`, like torch's positional lr. */
export function withLr<O extends object>(options: O | number | undefined): O {
  if (typeof options === 'number') return { lr: options } as unknown as O;
  return (options ?? {}) as O;
}

/**
 * Flatten every parameter of every group into one plain array (float64 values).
 *
 * @example
 * optim.flattenParams([{ params: [tensor([1, 2]), tensor([[3]])] }]); // [1, 2, 3]
 */
export function flattenParams(groups: { params: Tensor[] }[]): number[] {
  const out: number[] = [];
  for (const g of groups)
    for (const p of g.params) for (let i = 0; i < p.data.length; i++) out.push(p.data[i]);
  return out;
}

/**
 * Base class of the optimizers. Subclasses implement {@link Optimizer.updateGroup} (or
 * {@link Optimizer.updateParam} for elementwise rules) and get param groups, state, `zeroGrad`,
 * closures, `lr`/`setLr` and recording for free.
 */
export abstract class Optimizer<O extends BaseOptions = BaseOptions> {
  /** The groups of parameters with their hyperparameters (edit `lr` here per group). */
  paramGroups: ParamGroup<O>[];
  /** The defaults a group gets for options it leaves out. */
  readonly defaults: O;
  /** Per-parameter state (moment buffers, step counts), created on a parameter's first step. */
  readonly state = new Map<Tensor, Record<string, FloatArray | number>>();
  /** With `record: true`: the flattened parameters, the initial point first. */
  trajectory: number[][] = [];
  /** With `record: true`: the loss returned by the closure at each `step(closure)`. */
  losses: number[] = [];
  /** Whether `trajectory` and `losses` are being kept. */
  readonly record: boolean;
  /** Number of `step()` calls so far. */
  stepCount = 0;

  constructor(name: string, params: ParamsInput<O>, defaults: O & RecordOptions) {
    const { record = false, ...rest } = defaults;
    this.defaults = rest as unknown as O;
    this.record = record;
    if (!Array.isArray(params) || params.length === 0) {
      throw new DescentError(
        `${name}: expected a non-empty list of parameters or param groups, got ${describe(params)}`,
      );
    }
    const groups: ParamGroupInput<O>[] =
      params[0] instanceof Tensor
        ? [{ params: params as Tensor[] } as ParamGroupInput<O>]
        : (params as ParamGroupInput<O>[]);
    const seen = new Set<Tensor>();
    this.paramGroups = groups.map((g, gi) => {
      if (!g || !Array.isArray(g.params)) {
        throw new DescentError(
          `${name}: param group ${gi} must be { params: Tensor[], ... }, got ${describe(g)}`,
        );
      }
      for (const p of g.params) {
        if (!(p instanceof Tensor)) {
          throw new DescentError(
            `${name}: param group ${gi} holds a ${describe(p)}, expected Tensors`,
          );
        }
        if (seen.has(p))
          throw new DescentError(`${name}: a parameter appears in more than one group`);
        seen.add(p);
      }
      const group = { ...this.defaults, ...g } as ParamGroup<O>;
      if (group.lr === undefined || !(group.lr >= 0)) {
        throw new DescentError(`${name}: lr must be a number >= 0, got ${group.lr}`);
      }
      return group;
    });
    if (this.record) this.trajectory.push(flattenParams(this.paramGroups));
  }

  /** The learning rate of the first group. Setting it sets every group's. */
  get lr(): number {
    return this.paramGroups[0].lr;
  }
  set lr(value: number) {
    this.setLr(value);
  }

  /** Set the learning rate of every group (what schedules call each step). */
  setLr(value: number): void {
    for (const g of this.paramGroups) g.lr = value;
  }

  /** Every parameter, group by group. */
  params(): Tensor[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  /** Set every parameter's `.grad` to null (PyTorch ≥ 2.0's `set_to_none=True` default). */
  zeroGrad(): void {
    for (const g of this.paramGroups) for (const p of g.params) p.grad = null;
  }

  /**
   * One update of every parameter that has a gradient. With a closure, calls it first (it
   * should zero the gradients, compute the loss, call `backward()` and return the loss) and
   * returns its loss.
   */
  step(closure?: Closure): number | undefined {
    let loss: number | undefined;
    if (closure) loss = this.evaluateClosure(closure);
    noGrad(() => {
      for (const group of this.paramGroups) this.updateGroup(group);
    });
    this.stepCount += 1;
    this.afterStep(loss);
    return loss;
  }

  /** @internal Run a closure with recording on and return its loss as a number. */
  protected evaluateClosure(closure: Closure): number {
    const value = enableGrad(closure);
    return typeof value === 'number' ? value : value.item();
  }

  /** @internal Bookkeeping after a step: the trajectory and the loss. */
  protected afterStep(loss: number | undefined): void {
    if (!this.record) return;
    this.trajectory.push(flattenParams(this.paramGroups));
    if (loss !== undefined) this.losses.push(loss);
  }

  /** Update the parameters of one group; the default calls `updateParam` for each. */
  protected updateGroup(group: ParamGroup<O>): void {
    for (const p of group.params) {
      if (p.grad === null) continue;
      if (p.grad.data.length !== p.data.length) {
        throw new DescentError(
          `${this.constructor.name}.step: a parameter of shape [${p.shape}] has a gradient of shape [${p.grad.shape}]`,
        );
      }
      let state = this.state.get(p);
      if (!state) {
        state = {};
        this.state.set(p, state);
      }
      this.updateParam(p, p.grad.data, group, state);
    }
  }

  /** The update rule for one parameter; `grad` is read-only. */
  protected updateParam(
    _p: Tensor,
    _grad: FloatArray,
    _group: ParamGroup<O>,
    _state: Record<string, FloatArray | number>,
  ): void {
    throw new DescentError(`${this.constructor.name}: updateParam is not implemented`);
  }
}

/** A zero-filled buffer like `p.data` (same dtype), kept in `state[key]`. */
export function buffer(
  state: Record<string, FloatArray | number>,
  key: string,
  p: Tensor,
  fill = 0,
): FloatArray {
  let b = state[key] as FloatArray | undefined;
  if (!b) {
    b = p.dtype === 'float64' ? new Float64Array(p.data.length) : new Float32Array(p.data.length);
    if (fill !== 0) b.fill(fill);
    state[key] = b;
  }
  return b;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v instanceof Tensor) return `a Tensor of shape [${v.shape}]`;
  return typeof v;
}
