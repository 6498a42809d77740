/**
 * Training helpers: `fit` (the epoch/mini-batch loop with callbacks for live plots and early
 * stopping), `evaluate`, `predict`, and the metrics `accuracy` and `confusionMatrix`.
 *
 * `fit` is the loop every chapter would otherwise rewrite: for each epoch, shuffle, and for each
 * mini-batch `zeroGrad → forward → loss → backward → step`; then evaluate on the validation set,
 * report, and maybe stop early.
 */
import { Tensor } from '../tensor.ts';
import { DescentError, ShapeError } from '../errors.ts';
import { noGrad } from '../autograd.ts';
import type { Generator as RandomGenerator } from '../random.ts';
import { batches, takeRows } from '../data/loader.ts';
import { concat } from '../ops/movement.ts';

/** A model: a Module (anything with `forward`) or a plain function of the inputs. */
export type Model =
  | { forward(x: Tensor): unknown; train?(mode?: boolean): unknown; training?: boolean }
  | ((x: Tensor) => Tensor);

/** An optimizer as `fit` uses it. */
export interface FitOptimizer {
  zeroGrad(): void;
  step(): unknown;
}

/** Inputs and targets. */
export interface XY {
  x: Tensor;
  y: Tensor;
}

/** What `onStep` receives after each mini-batch. */
export interface StepInfo {
  epoch: number;
  /** Batch index within the epoch. */
  step: number;
  /** Batches since the start of training. */
  globalStep: number;
  loss: number;
}

/** What `onEpoch` receives after each epoch (validation numbers when a validation set is given). */
export interface EpochInfo {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Training accuracy over the epoch's batches (classification losses only, see `metrics`). */
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
}

/** The record `fit` returns: one entry per epoch. */
export interface History {
  loss: number[];
  accuracy: number[];
  valLoss: number[];
  valAccuracy: number[];
  /** Loss of every mini-batch, in order. */
  stepLosses: number[];
  /** Epochs actually run. */
  epochs: number;
  /** True if early stopping ended training. */
  stoppedEarly: boolean;
  /** The epoch with the best monitored value (early stopping only). */
  bestEpoch: number | null;
}

/** Options of {@link fit}. */
export interface FitOptions {
  /** Training data (rows along the first axis), and optionally a validation set. */
  data: XY & { val?: XY };
  /** Loss of a batch: (model output, targets) → scalar tensor, e.g. `F.crossEntropy`. */
  lossFn: (output: Tensor, target: Tensor) => Tensor;
  optimizer: FitOptimizer;
  /** Default 1. */
  epochs?: number;
  /** Default: the whole training set (batch gradient descent). */
  batchSize?: number;
  /** Shuffle every epoch. Default true. */
  shuffle?: boolean;
  /** Random source of the shuffles; default the global generator. */
  generator?: RandomGenerator;
  /** Also compute accuracy (for classification outputs). Default false. */
  metrics?: 'accuracy'[];
  /** Called after every mini-batch. Return false to stop training. */
  onStep?: (info: StepInfo) => void | boolean;
  /** Called after every epoch. Return false to stop training. */
  onEpoch?: (info: EpochInfo) => void | boolean;
  /**
   * Stop when `monitor` has not improved for `patience` epochs (by more than `minDelta`).
   * `monitor` defaults to 'valLoss' with a validation set, else 'loss'.
   */
  earlyStopping?: {
    patience: number;
    monitor?: 'loss' | 'valLoss' | 'accuracy' | 'valAccuracy';
    minDelta?: number;
  };
}

function forwardOf(model: Model): (x: Tensor) => Tensor {
  if (typeof model === 'function') return model;
  if (model && typeof model.forward === 'function') {
    return (x) => {
      const out = model.forward(x);
      if (!(out instanceof Tensor)) {
        throw new DescentError(
          'fit: the model must return a Tensor from forward (got an object; wrap it in a function)',
        );
      }
      return out;
    };
  }
  throw new DescentError(`fit: model must be a Module or a function, got ${typeof model}`);
}

function setTraining(model: Model, mode: boolean): void {
  if (typeof model !== 'function' && typeof model.train === 'function') model.train(mode);
}

/**
 * Class predictions: argmax over the last axis, or (logit > threshold) for one output.
 *
 * @example
 * predictClasses(tensor([[0.1, 0.9], [2, -1]])); // [1, 0]
 */
export function predictClasses(output: Tensor, threshold = 0): number[] {
  if (output.ndim === 2 && output.shape[1] > 1) {
    const [n, c] = output.shape;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < c; j++) if (output.data[i * c + j] > output.data[i * c + best]) best = j;
      out[i] = best;
    }
    return out;
  }
  return Array.from(output.data, (v) => (v > threshold ? 1 : 0));
}

function labelsOf(labels: Tensor | ArrayLike<number>, n: number, name: string): number[] {
  if (labels instanceof Tensor && labels.ndim === 2 && labels.shape[1] > 1) {
    // One-hot (or probabilities) per row: take the argmax.
    return predictClasses(labels);
  }
  const arr = labels instanceof Tensor ? Array.from(labels.data) : Array.from(labels);
  if (arr.length !== n) {
    throw new ShapeError(`${name}: ${n} predictions but ${arr.length} labels`);
  }
  return arr.map((v) => Math.round(v));
}

/**
 * The fraction of correct predictions. `output` is [N, C] class scores (logits or
 * probabilities: the argmax is compared) or [N] / [N, 1] binary logits (positive when
 * > `threshold`, default 0; pass 0.5 for probabilities). `labels` are class indices (or one-hot).
 *
 * @example
 * accuracy(tensor([[2, 1], [0, 3]]), tensor([0, 0])); // 0.5
 */
export function accuracy(
  output: Tensor,
  labels: Tensor | ArrayLike<number>,
  options: { threshold?: number } = {},
): number {
  const pred = predictClasses(output, options.threshold ?? 0);
  const truth = labelsOf(labels, pred.length, 'accuracy');
  if (pred.length === 0) return 0;
  let correct = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) correct++;
  return correct / pred.length;
}

/**
 * Confusion matrix, rows = true class, columns = predicted class (scikit-learn's convention):
 * entry [i][j] counts the examples of class i predicted as j. `pred` may be class indices or
 * class scores [N, C] (argmax is taken).
 *
 * @example
 * confusionMatrix([0, 1, 1], [0, 1, 0], 2); // [[1, 1], [0, 1]]
 */
export function confusionMatrix(
  pred: Tensor | ArrayLike<number>,
  labels: Tensor | ArrayLike<number>,
  numClasses: number,
): number[][] {
  const p =
    pred instanceof Tensor && pred.ndim === 2 && pred.shape[1] > 1
      ? predictClasses(pred)
      : labelsOf(pred, pred instanceof Tensor ? pred.size : pred.length, 'confusionMatrix');
  const t = labelsOf(labels, p.length, 'confusionMatrix');
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < p.length; i++) {
    if (!(t[i] >= 0 && t[i] < numClasses && p[i] >= 0 && p[i] < numClasses)) {
      throw new DescentError(
        `confusionMatrix: class ${t[i]} or ${p[i]} is outside 0..${numClasses - 1}`,
      );
    }
    m[t[i]][p[i]] += 1;
  }
  return m;
}

/**
 * The model's outputs for every row of x, in eval mode and without recording, computed in
 * batches of `batchSize` (default 1000) to bound memory.
 *
 * @example
 * const model = new nn.Linear(2, 3);
 * predict(model, zeros([5, 2])).shape; // [5, 3]
 */
export function predict(model: Model, x: Tensor, options: { batchSize?: number } = {}): Tensor {
  const { batchSize = 1000 } = options;
  const forward = forwardOf(model);
  const wasTraining = typeof model !== 'function' ? model.training : undefined;
  setTraining(model, false);
  try {
    return noGrad(() => {
      const n = x.shape[0];
      if (n <= batchSize) return forward(x);
      const parts: Tensor[] = [];
      for (let s = 0; s < n; s += batchSize) {
        const idx = Array.from({ length: Math.min(batchSize, n - s) }, (_, i) => s + i);
        parts.push(forward(takeRows(x, idx)));
      }
      return concat(parts, 0);
    });
  } finally {
    if (wasTraining) setTraining(model, true);
  }
}

/**
 * Loss (and accuracy with `metrics: ['accuracy']`) of the model on (x, y), in eval mode.
 *
 * @example
 * const model = (x: Tensor) => x;
 * evaluate(model, { x: tensor([1, 2]), y: tensor([1, 4]) }, F.mseLoss).loss; // 2
 */
export function evaluate(
  model: Model,
  data: XY,
  lossFn: (output: Tensor, target: Tensor) => Tensor,
  options: { batchSize?: number; metrics?: 'accuracy'[] } = {},
): { loss: number; accuracy?: number } {
  const out = predict(model, data.x, options);
  const loss = noGrad(() => lossFn(out, data.y)).item();
  if (options.metrics?.includes('accuracy')) return { loss, accuracy: accuracy(out, data.y) };
  return { loss };
}

/**
 * Train `model` on `data` with mini-batch gradient descent and return the history.
 *
 * @example
 * manualSeed(0);
 * const { x, y } = xorData({ n: 200, generator: new Generator(1) });
 * const model = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 1), new nn.Flatten(0));
 * const losses: number[] = [];
 * const history = fit(model, {
 *   data: { x, y },
 *   lossFn: F.bceWithLogitsLoss,
 *   optimizer: new optim.Adam(model.parameters(), { lr: 0.05 }),
 *   epochs: 20,
 *   batchSize: 32,
 *   metrics: ['accuracy'],
 *   onEpoch: ({ loss }) => void losses.push(loss), // e.g. redraw a live plot
 *   earlyStopping: { patience: 5 },
 * });
 * history.loss[history.epochs - 1] < history.loss[0]; // true
 */
export function fit(model: Model, options: FitOptions): History {
  const run = fitSteps(model, options);
  let r = run.next();
  while (!r.done) r = run.next();
  return r.value;
}

/**
 * Like {@link fit} but yields to the event loop after every epoch (and every `yieldEvery`
 * batches), so a page or worker stays responsive and live plots can redraw.
 *
 * @example
 * manualSeed(0);
 * const { x, y } = xorData({ n: 64, generator: new Generator(0) });
 * const model = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 1), new nn.Flatten(0));
 * const history = await fitAsync(model, { data: { x, y }, lossFn: F.bceWithLogitsLoss, optimizer: new optim.Adam(model.parameters(), { lr: 0.05 }), epochs: 3 });
 * history.epochs; // 3
 */
export async function fitAsync(
  model: Model,
  options: FitOptions & { yieldEvery?: number },
): Promise<History> {
  const run = fitSteps(model, options, options.yieldEvery);
  let r = run.next();
  while (!r.done) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    r = run.next();
  }
  return r.value;
}

function* fitSteps(model: Model, options: FitOptions, yieldEvery = 0): Generator<void, History> {
  const {
    data,
    lossFn,
    optimizer,
    epochs = 1,
    shuffle = true,
    generator,
    metrics = [],
    onStep,
    onEpoch,
    earlyStopping,
  } = options;
  if (!data || !(data.x instanceof Tensor) || !(data.y instanceof Tensor)) {
    throw new DescentError('fit: data must be { x: Tensor, y: Tensor, val?: { x, y } }');
  }
  if (typeof lossFn !== 'function') throw new DescentError('fit: lossFn must be a function');
  if (!optimizer || typeof optimizer.step !== 'function')
    throw new DescentError('fit: optimizer is required');
  const n = data.x.shape[0];
  const batchSize = options.batchSize ?? n;
  const withAccuracy = metrics.includes('accuracy');
  const forward = forwardOf(model);
  const history: History = {
    loss: [],
    accuracy: [],
    valLoss: [],
    valAccuracy: [],
    stepLosses: [],
    epochs: 0,
    stoppedEarly: false,
    bestEpoch: null,
  };
  const monitor = earlyStopping?.monitor ?? (data.val ? 'valLoss' : 'loss');
  const higherIsBetter = monitor === 'accuracy' || monitor === 'valAccuracy';
  let best = higherIsBetter ? -Infinity : Infinity;
  let sinceBest = 0;
  let globalStep = 0;
  let stop = false;
  for (let epoch = 0; epoch < epochs && !stop; epoch++) {
    setTraining(model, true);
    let lossSum = 0;
    let count = 0;
    let correct = 0;
    let step = 0;
    for (const batch of batches(data.x, data.y, { batchSize, shuffle, generator })) {
      optimizer.zeroGrad();
      const out = forward(batch.x);
      const loss = lossFn(out, batch.y);
      loss.backward();
      optimizer.step();
      const value = loss.item();
      const size = batch.indices.length;
      lossSum += value * size;
      count += size;
      if (withAccuracy) correct += accuracy(out, batch.y) * size;
      history.stepLosses.push(value);
      if (onStep?.({ epoch, step, globalStep, loss: value }) === false) stop = true;
      step += 1;
      globalStep += 1;
      if (stop) break;
      if (yieldEvery > 0 && globalStep % yieldEvery === 0) yield;
    }
    const info: EpochInfo = { epoch, loss: lossSum / Math.max(count, 1) };
    history.loss.push(info.loss);
    if (withAccuracy) {
      info.accuracy = correct / Math.max(count, 1);
      history.accuracy.push(info.accuracy);
    }
    if (data.val) {
      const v = evaluate(model, data.val, lossFn, { metrics });
      info.valLoss = v.loss;
      history.valLoss.push(v.loss);
      if (v.accuracy !== undefined) {
        info.valAccuracy = v.accuracy;
        history.valAccuracy.push(v.accuracy);
      }
    }
    history.epochs = epoch + 1;
    if (onEpoch?.(info) === false) stop = true;
    if (earlyStopping) {
      const value = info[monitor];
      if (value === undefined) {
        throw new DescentError(
          `fit: earlyStopping monitors '${monitor}', which this run does not compute`,
        );
      }
      const minDelta = earlyStopping.minDelta ?? 0;
      const improved = higherIsBetter ? value > best + minDelta : value < best - minDelta;
      if (improved) {
        best = value;
        sinceBest = 0;
        history.bestEpoch = epoch;
      } else {
        sinceBest += 1;
        if (sinceBest >= earlyStopping.patience) {
          history.stoppedEarly = true;
          stop = true;
        }
      }
    }
    if (!stop && epoch + 1 < epochs) yield;
  }
  setTraining(model, true);
  return history;
}
