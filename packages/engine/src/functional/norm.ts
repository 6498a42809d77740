/**
 * Batch normalization, like `torch.nn.functional.batch_norm`.
 */
import { Tensor } from '../tensor.ts';
import { ShapeError } from '../errors.ts';
import { reshape } from '../ops/movement.ts';
import { add, mul, sub, div, sqrt, square } from '../ops/elementwise.ts';
import { mean } from '../ops/reduce.ts';
import { noGrad } from '../autograd.ts';

/** Options of {@link batchNorm}. */
export interface BatchNormOptions {
  /** Scale γ [C] (none: 1). */
  weight?: Tensor | null;
  /** Shift β [C] (none: 0). */
  bias?: Tensor | null;
  /** Normalize with the batch's statistics and update the running ones. Default false. */
  training?: boolean;
  /**
   * Weight of the new batch in the running averages: running ← (1 − m)·running + m·batch.
   * Default 0.1 (PyTorch's convention; Keras's momentum 0.99 is 1 − m).
   */
  momentum?: number;
  /** Added to the variance before the square root. Default 1e-5. */
  eps?: number;
}

/**
 * Batch normalization over every axis but the channel axis 1 of x [N, C] or [N, C, …]:
 * y = (x − μ) / √(σ² + ε) · γ + β.
 *
 * In training mode μ and σ² are the batch's mean and biased variance (divide by n), and the
 * running statistics, if given, are updated in place with the unbiased variance (n / (n − 1)
 * times the biased one), exactly as PyTorch does. Otherwise the running statistics normalize.
 *
 * @example
 * const x = randn([16, 3]);
 * const runningMean = zeros([3]);
 * const runningVar = ones([3]);
 * const y = F.batchNorm(x, runningMean, runningVar, { training: true });
 * y.mean(0).abs().max().item() < 1e-5; // true
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  options: BatchNormOptions | Tensor | null = {},
  ...rest: [bias?: Tensor | null, training?: boolean, momentum?: number, eps?: number]
): Tensor {
  // PyTorch's positional form batchNorm(x, rm, rv, weight, bias, training, momentum, eps) too.
  if (options === null || options instanceof Tensor) {
    const [bias = null, training = false, momentum = 0.1, eps = 1e-5] = rest;
    options = { weight: options, bias, training, momentum, eps };
  }
  const { weight = null, bias = null, training = false, momentum = 0.1, eps = 1e-5 } = options;
  if (!(x instanceof Tensor) || x.ndim < 2) {
    throw new ShapeError(
      `batchNorm: input must be [N, C] or [N, C, ...], got ${x instanceof Tensor ? `[${x.shape.join(', ')}]` : typeof x}`,
    );
  }
  const C = x.shape[1];
  for (const [name, t] of [
    ['runningMean', runningMean],
    ['runningVar', runningVar],
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    if (t && (t.ndim !== 1 || t.shape[0] !== C)) {
      throw new ShapeError(`batchNorm: ${name} must be [${C}], got [${t.shape.join(', ')}]`);
    }
  }
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const bshape = x.shape.map((d, i) => (i === 1 ? d : 1));
  let mu: Tensor;
  let variance: Tensor;
  if (training) {
    const n = x.size / C;
    if (n <= 1) {
      throw new ShapeError(
        `batchNorm: expected more than 1 value per channel when training, got input [${x.shape.join(', ')}]`,
      );
    }
    mu = mean(x, axes, true);
    variance = mean(square(sub(x, mu)), axes, true);
    if (runningMean || runningVar) {
      noGrad(() => {
        const m = momentum;
        if (runningMean) {
          for (let c = 0; c < C; c++) {
            runningMean.data[c] = (1 - m) * runningMean.data[c] + m * mu.data[c];
          }
        }
        if (runningVar) {
          // NOTE: the running estimate uses the unbiased variance, the normalization the biased.
          const unbias = n / (n - 1);
          for (let c = 0; c < C; c++) {
            runningVar.data[c] = (1 - m) * runningVar.data[c] + m * variance.data[c] * unbias;
          }
        }
      });
    }
  } else {
    if (!runningMean || !runningVar) {
      throw new ShapeError('batchNorm: running statistics are required when training is false');
    }
    mu = reshape(runningMean, bshape);
    variance = reshape(runningVar, bshape);
  }
  let y = div(sub(x, mu), sqrt(add(variance, eps)));
  if (weight) y = mul(y, reshape(weight, bshape));
  if (bias) y = add(y, reshape(bias, bshape));
  return y;
}
