/**
 * The digits CNN of chapter 13, shared by everything that builds, trains or runs it: the
 * training widget's worker (`train-worker.ts`), the drawing pad (`pad.ts`), the script that
 * made the shipped weights (`make-weights.ts`) and the tests. DOM-free; only the engine.
 *
 *   [N, 1, 28, 28] → conv 5×5, 8 filters → ReLU → max-pool 2 → [N, 8, 12, 12]
 *                  → conv 5×5, 16 filters → ReLU → max-pool 2 → [N, 16, 4, 4]
 *                  → flatten 256 → dense 10 (logits; softmax cross-entropy in training)
 *
 * 5,994 parameters. Adam with lr 0.004 halved after every epoch, mini-batches of 32, three
 * epochs (recipe.ts): 98.00 % test accuracy on the book's 2,000 test digits.
 */
import { RECIPE } from './recipe.ts';
import { F, Generator, nn, noGrad, optim, permutation, tensor, type Tensor } from '@descent/engine';

export { RECIPE } from './recipe.ts';

export const CLASSES = 10;

/** A fresh, seeded digits CNN (PyTorch's default initialisation). */
export function makeDigitsCnn(seed: number = RECIPE.seed): nn.Sequential {
  const generator = new Generator(seed);
  return new nn.Sequential(
    new nn.Conv2d(1, 8, 5, { generator }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 5, { generator }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(256, CLASSES, { generator }),
  );
}

/** Parameter names in file order, with their shapes. */
export const PARAMETER_SHAPES: [string, number[]][] = [
  ['0.weight', [8, 1, 5, 5]],
  ['0.bias', [8]],
  ['3.weight', [16, 8, 5, 5]],
  ['3.bias', [16]],
  ['7.weight', [CLASSES, 256]],
  ['7.bias', [CLASSES]],
];

/** The model's parameters as one flat float32 array, in `PARAMETER_SHAPES` order. */
export function flatWeights(model: nn.Module): Float32Array {
  const named = new Map(model.namedParameters());
  const total = PARAMETER_SHAPES.reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
  const out = new Float32Array(total);
  let offset = 0;
  for (const [name] of PARAMETER_SHAPES) {
    const p = named.get(name);
    if (!p) throw new Error(`flatWeights: the model has no parameter ${name}`);
    out.set(p.data, offset);
    offset += p.size;
  }
  return out;
}

/** Loads a flat array (from `flatWeights` or the shipped file) into a model. */
export function loadFlatWeights<M extends nn.Module>(model: M, flat: Float32Array): M {
  const state: Record<string, { shape: number[]; data: Float32Array }> = {};
  let offset = 0;
  for (const [name, shape] of PARAMETER_SHAPES) {
    const size = shape.reduce((a, b) => a * b, 1);
    state[name] = { shape, data: flat.subarray(offset, offset + size) };
    offset += size;
  }
  if (offset !== flat.length) {
    throw new Error(`loadFlatWeights: expected ${offset} numbers, got ${flat.length}`);
  }
  model.loadStateDict(state);
  return model;
}

/**
 * The shipped file `public/data/digits-cnn.bin.gz` (gzip of): "DCNN", uint32 LE parameter
 * count, the parameters as float32 LE, then ten sample test digits (one per class, 0..9),
 * 784 bytes each (0..255), for the pad's "show a sample" menu.
 */
export function encodeWeightsFile(weights: Float32Array, samples: Uint8Array): Uint8Array {
  if (samples.length !== CLASSES * 784) {
    throw new Error(
      `encodeWeightsFile: expected ${CLASSES * 784} sample bytes, got ${samples.length}`,
    );
  }
  const out = new Uint8Array(8 + weights.length * 4 + samples.length);
  const view = new DataView(out.buffer);
  out.set([68, 67, 78, 78], 0); // "DCNN"
  view.setUint32(4, weights.length, true);
  for (let i = 0; i < weights.length; i++) view.setFloat32(8 + 4 * i, weights[i], true);
  out.set(samples, 8 + weights.length * 4);
  return out;
}

/** Reads a file written by {@link encodeWeightsFile} (after gunzip). */
export function decodeWeightsFile(bytes: Uint8Array): {
  weights: Float32Array;
  samples: Uint8Array;
} {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== 'DCNN') throw new Error(`decodeWeightsFile: expected magic "DCNN", got "${magic}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  const weights = new Float32Array(count);
  for (let i = 0; i < count; i++) weights[i] = view.getFloat32(8 + 4 * i, true);
  const samples = bytes.slice(8 + 4 * count, 8 + 4 * count + CLASSES * 784);
  return { weights, samples };
}

/** Ten probabilities for one 28×28 image (values in [0, 1], row-major). */
export function classify(model: nn.Module, image: Float32Array): number[] {
  return noGrad(() => {
    const x = tensor(image).reshape([1, 1, 28, 28]);
    return Array.from(F.softmax(model.forward(x) as Tensor, -1).data);
  });
}

/** Yields to the event loop without the 4 ms clamp of nested timers. */
function yieldNow(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export interface TrainData {
  trainX: Tensor;
  trainY: Tensor;
  testX: Tensor;
  testY: Tensor;
}

export interface StepReport {
  epoch: number;
  /** Steps done so far, over all epochs. */
  step: number;
  totalSteps: number;
  loss: number;
  /** Accuracy on this mini-batch. */
  batchAccuracy: number;
}

export interface EpochReport {
  epoch: number;
  step: number;
  testAccuracy: number;
  /** Test predictions (class per test image) and logits-free probabilities of the truth. */
  predictions: number[];
  truthProbability: number[];
  trainSeconds: number;
}

/**
 * Training state that survives a pause: the loop can stop after any mini-batch and resume
 * exactly where it was (same shuffles, same steps), so a paused and resumed run ends with the
 * same weights as an uninterrupted one.
 */
export class DigitsTrainer {
  readonly model = makeDigitsCnn();
  readonly optimizer = new optim.Adam(this.model.parameters(), { lr: RECIPE.lr });
  readonly shuffler = new Generator(RECIPE.seed + 1);
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  epoch = 0;
  step = 0;
  trainSeconds = 0;
  readonly data: TrainData;
  private order: number[] = [];

  constructor(data: TrainData) {
    this.data = data;
    this.stepsPerEpoch = Math.ceil(data.trainX.shape[0] / RECIPE.batchSize);
    this.totalSteps = this.stepsPerEpoch * RECIPE.epochs;
  }

  get done(): boolean {
    return this.step >= this.totalSteps;
  }

  /** One mini-batch step; starts a new epoch's shuffle when needed. */
  trainStep(): StepReport {
    const inEpoch = this.step % this.stepsPerEpoch;
    if (inEpoch === 0) {
      this.epoch = this.step / this.stepsPerEpoch;
      this.order = permutation(this.data.trainX.shape[0], this.shuffler);
      this.optimizer.lr = RECIPE.lr * RECIPE.lrDecay ** this.epoch;
    }
    const started = performance.now();
    const idx = this.order.slice(inEpoch * RECIPE.batchSize, (inEpoch + 1) * RECIPE.batchSize);
    const xb = this.data.trainX.indexSelect(0, idx);
    const yb = this.data.trainY.indexSelect(0, idx);
    this.model.train(true);
    this.optimizer.zeroGrad();
    const logits = this.model.forward(xb) as Tensor;
    const loss = F.crossEntropy(logits, yb);
    loss.backward();
    this.optimizer.step();
    let correct = 0;
    const [n] = logits.shape;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < CLASSES; c++) {
        if (logits.data[i * CLASSES + c] > logits.data[i * CLASSES + best]) best = c;
      }
      if (best === yb.data[i]) correct++;
    }
    this.step++;
    this.trainSeconds += (performance.now() - started) / 1000;
    return {
      epoch: this.epoch,
      step: this.step,
      totalSteps: this.totalSteps,
      loss: loss.item(),
      batchAccuracy: correct / n,
    };
  }

  /** Test accuracy and per-image predictions of the current weights. */
  evaluate(): Omit<EpochReport, 'epoch' | 'step' | 'trainSeconds'> {
    return evaluateDigitsCnn(this.model, this.data.testX, this.data.testY);
  }

  /**
   * Runs until done or until `shouldPause()` is true, reporting every step and every finished
   * epoch, and yielding to the event loop after each step so messages (Pause) get through.
   */
  async run(hooks: {
    shouldPause?: () => boolean;
    onStep?: (report: StepReport) => void;
    onEpoch?: (report: EpochReport) => void;
  }): Promise<void> {
    while (!this.done && !hooks.shouldPause?.()) {
      const report = this.trainStep();
      hooks.onStep?.(report);
      if (this.step % this.stepsPerEpoch === 0 || this.done) {
        hooks.onEpoch?.({
          epoch: this.epoch + 1,
          step: this.step,
          trainSeconds: this.trainSeconds,
          ...this.evaluate(),
        });
      }
      await yieldNow();
    }
  }
}

/** Test accuracy, predicted classes and the probability given to the true class. */
export function evaluateDigitsCnn(
  model: nn.Module,
  testX: Tensor,
  testY: Tensor,
): { testAccuracy: number; predictions: number[]; truthProbability: number[] } {
  model.train(false);
  const n = testX.shape[0];
  const predictions: number[] = [];
  const truthProbability: number[] = [];
  noGrad(() => {
    for (let start = 0; start < n; start += 500) {
      const idx = Array.from({ length: Math.min(500, n - start) }, (_, i) => start + i);
      const probs = F.softmax(model.forward(testX.indexSelect(0, idx)) as Tensor, -1).data;
      for (let i = 0; i < idx.length; i++) {
        let best = 0;
        for (let c = 1; c < CLASSES; c++) {
          if (probs[i * CLASSES + c] > probs[i * CLASSES + best]) best = c;
        }
        predictions.push(best);
        truthProbability.push(probs[i * CLASSES + testY.data[start + i]]);
      }
    }
  });
  const correct = predictions.filter((p, i) => p === testY.data[i]).length;
  return { testAccuracy: correct / n, predictions, truthProbability };
}

/** The first layer's 8 filters (5×5 each) and one image's 8 feature maps after ReLU (24×24). */
export function firstLayer(
  model: nn.Module,
  image: Float32Array | Float64Array,
): { filters: Float32Array[]; maps: Float32Array[] } {
  const [conv, relu] = (model as nn.Sequential).children() as [nn.Module, nn.Module];
  const weight = (conv as nn.Conv2d).weight.data;
  const filters = Array.from({ length: 8 }, (_, k) =>
    Float32Array.from(weight.subarray(k * 25, (k + 1) * 25)),
  );
  const out = noGrad(
    () => relu.forward(conv.forward(tensor(image).reshape([1, 1, 28, 28])) as Tensor) as Tensor,
  );
  const maps = Array.from({ length: 8 }, (_, k) =>
    Float32Array.from(out.data.subarray(k * 576, (k + 1) * 576)),
  );
  return { filters, maps };
}
