/**
 * Reduce the learning rate when a monitored number stops improving, like PyTorch's
 * `torch.optim.lr_scheduler.ReduceLROnPlateau`: the one schedule that depends on the training
 * run rather than on the step count, so it is a stateful class and `step(metric)` takes the
 * latest loss (or accuracy).
 *
 * @example
 * const opt = new optim.SGD([tensor([0], { requiresGrad: true })], { lr: 1 });
 * const plateau = new optim.lrScheduler.ReduceLROnPlateau(opt, { factor: 0.5, patience: 2 });
 * for (const loss of [3, 2, 2, 2, 2]) plateau.step(loss); // no new best for 3 epochs
 * plateau.getLastLr()[0]; // 0.5
 */
import { DescentError } from '../errors.ts';
import type { HasParamGroups } from './schedulers.ts';

/** Options of {@link ReduceLROnPlateau}; the defaults are PyTorch's. */
export interface ReduceLROnPlateauOptions {
  /** 'min' for a loss (lower is better), 'max' for an accuracy. Default 'min'. */
  mode?: 'min' | 'max';
  /** Multiply the learning rate by this on a plateau. Default 0.1. */
  factor?: number;
  /** Epochs without improvement that are tolerated; the rate drops on the next one. Default 10. */
  patience?: number;
  /** An improvement must beat the best by this much. Default 1e-4. */
  threshold?: number;
  /** 'rel': beat best · (1 ∓ threshold); 'abs': beat best ∓ threshold. Default 'rel'. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again. Default 0. */
  cooldown?: number;
  /** Never go below this rate. Default 0. */
  minLr?: number;
}

/**
 * Multiplies every group's learning rate by `factor` once the metric passed to `step` has not
 * improved on its best for more than `patience` calls in a row (PyTorch's semantics, including
 * the relative threshold, the cooldown and `minLr`; a change smaller than 1e-8 is skipped, as
 * torch's `eps`).
 */
export class ReduceLROnPlateau {
  readonly optimizer: HasParamGroups;
  /** The best metric seen so far. */
  best: number;
  /** Consecutive calls without an improvement. */
  numBadEpochs = 0;
  /** Number of `step()` calls so far. */
  lastEpoch = 0;
  /** The epochs (`lastEpoch` values) at which the rate was reduced. */
  readonly reductions: number[] = [];
  private cooldownCounter = 0;
  private readonly opts: Required<ReduceLROnPlateauOptions>;

  constructor(optimizer: HasParamGroups, opts: ReduceLROnPlateauOptions = {}) {
    if (!optimizer || !Array.isArray(optimizer.paramGroups)) {
      throw new DescentError('ReduceLROnPlateau: expected an optimizer with paramGroups');
    }
    this.optimizer = optimizer;
    this.opts = {
      mode: 'min',
      factor: 0.1,
      patience: 10,
      threshold: 1e-4,
      thresholdMode: 'rel',
      cooldown: 0,
      minLr: 0,
      ...opts,
    };
    if (!(this.opts.factor > 0 && this.opts.factor < 1)) {
      throw new DescentError(
        `ReduceLROnPlateau: factor must be in (0, 1), got ${this.opts.factor}`,
      );
    }
    if (!(this.opts.patience >= 0)) {
      throw new DescentError(`ReduceLROnPlateau: patience must be >= 0, got ${this.opts.patience}`);
    }
    this.best = this.opts.mode === 'min' ? Infinity : -Infinity;
  }

  /** Whether `value` improves on the best so far by more than the threshold. */
  isBetter(value: number): boolean {
    const { mode, threshold, thresholdMode } = this.opts;
    if (mode === 'min') {
      const bar = thresholdMode === 'rel' ? this.best * (1 - threshold) : this.best - threshold;
      return value < bar;
    }
    const bar = thresholdMode === 'rel' ? this.best * (1 + threshold) : this.best + threshold;
    return value > bar;
  }

  /** Report the metric of the epoch just finished; lowers the rate if it has plateaued. */
  step(metric: number): void {
    this.lastEpoch += 1;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.opts.patience) {
      let reduced = false;
      for (const g of this.optimizer.paramGroups) {
        const next = Math.max(g.lr * this.opts.factor, this.opts.minLr);
        if (g.lr - next > 1e-8) {
          g.lr = next;
          reduced = true;
        }
      }
      if (reduced) this.reductions.push(this.lastEpoch);
      this.cooldownCounter = this.opts.cooldown;
      this.numBadEpochs = 0;
    }
  }

  /** The learning rates now in force, one per group. */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}
