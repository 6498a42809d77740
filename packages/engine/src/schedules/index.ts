/**
 * Learning-rate schedules: pure functions from the step count `t` (0, 1, 2, …) to a learning rate.
 *
 * Each factory returns a `Schedule`, so a schedule can be plotted (`range(100).map(s)`), tested,
 * or attached to an optimizer with {@link attachSchedule}. Where `torch.optim.lr_scheduler` has an
 * equivalent, the numbers match it when its `step()` is called once per optimizer step (StepLR,
 * MultiStepLR, ExponentialLR, CosineAnnealingLR, PolynomialLR); the decay functions with
 * `decaySteps`, `staircase` and `cycle` follow TensorFlow's `tf.keras.optimizers.schedules`.
 *
 * @example
 * const s = stepDecay({ lr0: 0.1, stepSize: 10, gamma: 0.5 });
 * [s(0), s(9), s(10), s(25)]; // [0.1, 0.1, 0.05, 0.025]
 */
export type Schedule = (t: number) => number;

function checkStep(name: string, t: number): void {
  if (!Number.isFinite(t) || t < 0) {
    throw new RangeError(`${name}: step must be a finite number >= 0, got ${t}`);
  }
}

function checkPositive(name: string, what: string, v: number): void {
  if (!(v > 0)) throw new RangeError(`${name}: ${what} must be > 0, got ${v}`);
}

/**
 * The same learning rate at every step.
 *
 * @example
 * constantLr(0.1)(1000); // 0.1
 */
export function constantLr(lr0: number): Schedule {
  return (t) => {
    checkStep('constantLr', t);
    return lr0;
  };
}

/**
 * Step decay, like `torch.optim.lr_scheduler.StepLR`: multiply by `gamma` every `stepSize` steps,
 * lr(t) = lr0 · gamma^⌊t / stepSize⌋ ("halve it when stuck" on a fixed timetable).
 *
 * @example
 * stepDecay({ lr0: 1, stepSize: 2, gamma: 0.1 })(4); // 0.01 (up to rounding)
 */
export function stepDecay(opts: { lr0: number; stepSize: number; gamma?: number }): Schedule {
  const { lr0, stepSize, gamma = 0.1 } = opts;
  checkPositive('stepDecay', 'stepSize', stepSize);
  return (t) => {
    checkStep('stepDecay', t);
    return lr0 * gamma ** Math.floor(t / stepSize);
  };
}

/**
 * Multi-step decay, like `torch.optim.lr_scheduler.MultiStepLR`: multiply by `gamma` at each of
 * the `milestones` (lr(t) = lr0 · gamma^(number of milestones ≤ t)).
 *
 * @example
 * const s = multiStepDecay({ lr0: 1, milestones: [10, 20], gamma: 0.5 });
 * [s(9), s(10), s(20)]; // [1, 0.5, 0.25]
 */
export function multiStepDecay(opts: {
  lr0: number;
  milestones: number[];
  gamma?: number;
}): Schedule {
  const { lr0, milestones, gamma = 0.1 } = opts;
  return (t) => {
    checkStep('multiStepDecay', t);
    const passed = milestones.filter((m) => m <= t).length;
    return lr0 * gamma ** passed;
  };
}

/**
 * Piecewise constant, like TensorFlow's `PiecewiseConstantDecay`: `values[0]` while t ≤
 * `boundaries[0]`, `values[1]` while `boundaries[0]` < t ≤ `boundaries[1]`, …, and the last value
 * after the last boundary. Needs `values.length === boundaries.length + 1`.
 *
 * @example
 * const s = piecewiseConstant({ boundaries: [100, 200], values: [1, 0.5, 0.1] });
 * [s(100), s(101), s(201)]; // [1, 0.5, 0.1]
 */
export function piecewiseConstant(opts: { boundaries: number[]; values: number[] }): Schedule {
  const { boundaries, values } = opts;
  if (values.length !== boundaries.length + 1) {
    throw new RangeError(
      `piecewiseConstant: values must have boundaries.length + 1 = ${boundaries.length + 1} entries, got ${values.length}`,
    );
  }
  for (let i = 1; i < boundaries.length; i++) {
    if (!(boundaries[i] > boundaries[i - 1])) {
      throw new RangeError(
        `piecewiseConstant: boundaries must increase, got ${JSON.stringify(boundaries)}`,
      );
    }
  }
  return (t) => {
    checkStep('piecewiseConstant', t);
    let i = 0;
    while (i < boundaries.length && t > boundaries[i]) i++;
    return values[i];
  };
}

/**
 * Exponential decay, lr(t) = lr0 · decayRate^(t / decaySteps), with `staircase` flooring the
 * exponent (TensorFlow's `ExponentialDecay`). With the default `decaySteps = 1` it is
 * `torch.optim.lr_scheduler.ExponentialLR` with `gamma = decayRate` (`gamma` is accepted as an
 * alias).
 *
 * @example
 * exponentialDecay({ lr0: 1, decayRate: 0.5 })(3); // 0.125
 */
export function exponentialDecay(opts: {
  lr0: number;
  decayRate?: number;
  gamma?: number;
  decaySteps?: number;
  staircase?: boolean;
}): Schedule {
  const { lr0, decaySteps = 1, staircase = false } = opts;
  const rate = opts.decayRate ?? opts.gamma;
  if (rate === undefined) throw new TypeError('exponentialDecay: give decayRate (or gamma)');
  checkPositive('exponentialDecay', 'decaySteps', decaySteps);
  return (t) => {
    checkStep('exponentialDecay', t);
    const p = t / decaySteps;
    return lr0 * rate ** (staircase ? Math.floor(p) : p);
  };
}

/**
 * Inverse-time decay, lr(t) = lr0 / (1 + decayRate · t / decaySteps), with `staircase` flooring
 * t / decaySteps (TensorFlow's `InverseTimeDecay`).
 *
 * @example
 * inverseTimeDecay({ lr0: 1, decayRate: 1 })(3); // 0.25
 */
export function inverseTimeDecay(opts: {
  lr0: number;
  decayRate: number;
  decaySteps?: number;
  staircase?: boolean;
}): Schedule {
  const { lr0, decayRate, decaySteps = 1, staircase = false } = opts;
  checkPositive('inverseTimeDecay', 'decaySteps', decaySteps);
  return (t) => {
    checkStep('inverseTimeDecay', t);
    const p = t / decaySteps;
    return lr0 / (1 + decayRate * (staircase ? Math.floor(p) : p));
  };
}

/**
 * Polynomial decay from `lr0` to `lrEnd` over `decaySteps` steps:
 * lr(t) = (lr0 − lrEnd) · (1 − t / T)^power + lrEnd.
 *
 * Without `cycle`, t is clipped at T = decaySteps, so the rate stays at `lrEnd` afterwards. With
 * `cycle`, T grows to the next multiple of `decaySteps` above t (T = decaySteps · ⌈t /
 * decaySteps⌉, and decaySteps at t = 0), so the rate jumps back up and decays again, more slowly
 * each cycle: TensorFlow's `PolynomialDecay(cycle=True)`.
 *
 * NOTE: `lrEnd` defaults to 0, which is `torch.optim.lr_scheduler.PolynomialLR(total_iters =
 * decaySteps, power)`; TensorFlow's default is 1e-4.
 *
 * @example
 * polynomialDecay({ lr0: 1, decaySteps: 10, power: 2 })(5); // 0.25
 */
export function polynomialDecay(opts: {
  lr0: number;
  decaySteps: number;
  lrEnd?: number;
  power?: number;
  cycle?: boolean;
}): Schedule {
  const { lr0, decaySteps, lrEnd = 0, power = 1, cycle = false } = opts;
  checkPositive('polynomialDecay', 'decaySteps', decaySteps);
  return (t) => {
    checkStep('polynomialDecay', t);
    let T = decaySteps;
    let s = t;
    if (cycle) T = decaySteps * (t === 0 ? 1 : Math.ceil(t / decaySteps));
    else s = Math.min(t, decaySteps);
    return (lr0 - lrEnd) * (1 - s / T) ** power + lrEnd;
  };
}

/**
 * Cosine annealing from `lr0` down to `etaMin` over `tMax` steps,
 * lr(t) = etaMin + (lr0 − etaMin) · (1 + cos(π t / tMax)) / 2: the closed form of
 * `torch.optim.lr_scheduler.CosineAnnealingLR` (past tMax the cosine climbs back up, as in torch).
 *
 * @example
 * cosineAnnealing({ lr0: 1, tMax: 10 })(5); // 0.5 (up to rounding)
 */
export function cosineAnnealing(opts: { lr0: number; tMax: number; etaMin?: number }): Schedule {
  const { lr0, tMax, etaMin = 0 } = opts;
  checkPositive('cosineAnnealing', 'tMax', tMax);
  return (t) => {
    checkStep('cosineAnnealing', t);
    return etaMin + ((lr0 - etaMin) * (1 + Math.cos((Math.PI * t) / tMax))) / 2;
  };
}

/**
 * Inverse square-root decay, lr(t) = lr0 / √(t + 1): the η_t = η/√(t+1) that Adagrad's analysis
 * (and the source's Lee lecture) starts from.
 *
 * @example
 * invSqrt({ lr0: 1 })(3); // 0.5
 */
export function invSqrt(opts: { lr0: number }): Schedule {
  const { lr0 } = opts;
  return (t) => {
    checkStep('invSqrt', t);
    return lr0 / Math.sqrt(t + 1);
  };
}

/**
 * Linear warm-up from `lr0 · startFactor` to the wrapped schedule over `warmupSteps` steps, then
 * the wrapped schedule (shifted so it starts at t = 0 after the warm-up).
 *
 * @example
 * const s = linearWarmup({ schedule: constantLr(0.1), warmupSteps: 4 });
 * [s(0), s(2), s(4)]; // [0, 0.05, 0.1]
 */
export function linearWarmup(opts: {
  schedule: Schedule;
  warmupSteps: number;
  startFactor?: number;
}): Schedule {
  const { schedule, warmupSteps, startFactor = 0 } = opts;
  return (t) => {
    checkStep('linearWarmup', t);
    if (t >= warmupSteps) return schedule(t - warmupSteps);
    const f = startFactor + ((1 - startFactor) * t) / warmupSteps;
    return schedule(0) * f;
  };
}

/** What {@link attachSchedule} needs of an optimizer: a settable learning rate and `step`. */
export interface SchedulableOptimizer {
  setLr(lr: number): void;
  step(...args: never[]): unknown;
}

/** The handle returned by {@link attachSchedule}. */
export interface AttachedSchedule {
  /** Steps taken since the schedule was attached. */
  readonly t: number;
  /** The learning rate in force for the next step. */
  readonly lr: number;
  /** Restore the optimizer's own `step` (the learning rate stays where it is). */
  detach(): void;
}

/**
 * Make an optimizer's learning rate follow `schedule`, one schedule step per optimizer step:
 * the rate is `schedule(0)` for the first `step()`, `schedule(1)` for the second, and so on (what
 * calling a torch scheduler's `step()` after every `optimizer.step()` gives).
 *
 * Every param group gets the same rate.
 *
 * @example
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new optim.SGD([w], { lr: 1 });
 * attachSchedule(opt, stepDecay({ lr0: 0.1, stepSize: 100 }));
 * opt.lr; // 0.1
 */
export function attachSchedule<O extends SchedulableOptimizer>(
  opt: O,
  schedule: Schedule,
): AttachedSchedule {
  let t = 0;
  const original = opt.step;
  opt.setLr(schedule(0));
  const wrapped = function (this: O, ...args: never[]) {
    const out = original.apply(this, args);
    t += 1;
    opt.setLr(schedule(t));
    return out;
  };
  opt.step = wrapped as O['step'];
  return {
    get t() {
      return t;
    },
    get lr() {
      return schedule(t);
    },
    detach() {
      opt.step = original;
    },
  };
}
export * from './schedulers.ts';
