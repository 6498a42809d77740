/**
 * PyTorch-style learning-rate schedulers (`torch.optim.lr_scheduler`), as `optim.lrScheduler`:
 * construct one on an optimizer, call `step()` after each `optimizer.step()` (or each epoch), and
 * every param group's `lr` follows the schedule from its own initial value.
 *
 * They use the closed forms, so `getLastLr()` after t calls to `step()` equals the pure schedule
 * functions of `schedules/index.ts` at t.
 *
 * @example
 * const opt = new optim.SGD([tensor([0], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 30; epoch++) sched.step(); // after each epoch's training
 * sched.getLastLr()[0]; // 0.01
 */
import { DescentError } from '../errors.ts';

/** What a scheduler needs of an optimizer: its param groups' learning rates. */
export interface HasParamGroups {
  paramGroups: { lr: number }[];
}

/** Base class: keeps the step count and each group's initial learning rate. */
export abstract class LRScheduler {
  readonly optimizer: HasParamGroups;
  /** Each group's learning rate when the scheduler was created. */
  readonly baseLrs: number[];
  /** Number of `step()` calls so far (PyTorch's `last_epoch`, starting at 0). */
  lastEpoch = 0;

  constructor(optimizer: HasParamGroups) {
    if (!optimizer || !Array.isArray(optimizer.paramGroups)) {
      throw new DescentError('LRScheduler: expected an optimizer with paramGroups');
    }
    this.optimizer = optimizer;
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
    this.apply();
  }

  /** The learning rate of a group whose initial rate is `baseLr`, after `t` steps. */
  protected abstract lrAt(baseLr: number, t: number): number;

  private apply(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = this.lrAt(this.baseLrs[i], this.lastEpoch);
    });
  }

  /** Advance one step and update every group's learning rate. */
  step(): void {
    this.lastEpoch += 1;
    this.apply();
  }

  /** The learning rates now in force, one per group, like `get_last_lr()`. */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}

/**
 * Helper for schedulers whose options must be known while the base constructor runs: the
 * schedule function is built first and stored before `super()` applies it.
 */
abstract class FunctionScheduler extends LRScheduler {
  private static building: ((base: number, t: number) => number) | null = null;
  private readonly fn: (base: number, t: number) => number;
  constructor(optimizer: HasParamGroups, fn: (base: number, t: number) => number) {
    FunctionScheduler.building = fn;
    super(optimizer);
    this.fn = fn;
    FunctionScheduler.building = null;
  }
  protected lrAt(base: number, t: number): number {
    const fn = this.fn ?? FunctionScheduler.building!;
    return fn(base, t);
  }
}

/** `StepLR`: lr = base · gamma^⌊t / stepSize⌋. */
export class StepLR extends FunctionScheduler {
  constructor(optimizer: HasParamGroups, opts: { stepSize: number; gamma?: number }) {
    const { stepSize, gamma = 0.1 } = opts;
    if (!(stepSize > 0)) throw new DescentError(`StepLR: stepSize must be > 0, got ${stepSize}`);
    super(optimizer, (base, t) => base * gamma ** Math.floor(t / stepSize));
  }
}

/** `MultiStepLR`: multiply by gamma at each milestone. */
export class MultiStepLR extends FunctionScheduler {
  constructor(optimizer: HasParamGroups, opts: { milestones: number[]; gamma?: number }) {
    const gamma = opts.gamma ?? 0.1;
    const milestones = [...opts.milestones].sort((a, b) => a - b);
    super(optimizer, (base, t) => base * gamma ** milestones.filter((m) => m <= t).length);
  }
}

/** `ExponentialLR`: lr = base · gamma^t. */
export class ExponentialLR extends FunctionScheduler {
  constructor(optimizer: HasParamGroups, opts: { gamma: number }) {
    super(optimizer, (base, t) => base * opts.gamma ** t);
  }
}

/** `CosineAnnealingLR` (closed form): etaMin + (base − etaMin)(1 + cos(πt/tMax))/2. */
export class CosineAnnealingLR extends FunctionScheduler {
  constructor(optimizer: HasParamGroups, opts: { tMax: number; etaMin?: number }) {
    const etaMin = opts.etaMin ?? 0;
    if (!(opts.tMax > 0))
      throw new DescentError(`CosineAnnealingLR: tMax must be > 0, got ${opts.tMax}`);
    super(
      optimizer,
      (base, t) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * t) / opts.tMax))) / 2,
    );
  }
}

/** `PolynomialLR`: lr = base · (1 − min(t, totalIters)/totalIters)^power. */
export class PolynomialLR extends FunctionScheduler {
  constructor(optimizer: HasParamGroups, opts: { totalIters?: number; power?: number } = {}) {
    const total = opts.totalIters ?? 5;
    const power = opts.power ?? 1;
    super(optimizer, (base, t) => base * (1 - Math.min(t, total) / total) ** power);
  }
}

/** `LinearLR`: the factor goes linearly from startFactor to endFactor over totalIters steps. */
export class LinearLR extends FunctionScheduler {
  constructor(
    optimizer: HasParamGroups,
    opts: { startFactor?: number; endFactor?: number; totalIters?: number } = {},
  ) {
    const start = opts.startFactor ?? 1 / 3;
    const end = opts.endFactor ?? 1;
    const total = opts.totalIters ?? 5;
    super(optimizer, (base, t) => base * (start + ((end - start) * Math.min(t, total)) / total));
  }
}

/** `LambdaLR`: lr = base · lambda(t). */
export class LambdaLR extends FunctionScheduler {
  constructor(optimizer: HasParamGroups, lrLambda: (t: number) => number) {
    super(optimizer, (base, t) => base * lrLambda(t));
  }
}

/** Any schedule function of `schedules` (absolute rates, the same for every group). */
export class ScheduleLR extends FunctionScheduler {
  constructor(optimizer: HasParamGroups, schedule: (t: number) => number) {
    super(optimizer, (_base, t) => schedule(t));
  }
}
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './plateau.ts';
