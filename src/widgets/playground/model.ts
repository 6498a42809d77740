/**
 * The network playground's model: everything it computes, with no DOM, so Node tests and the
 * build's prerender use exactly what the browser runs. A configuration (data set, features,
 * layers, activation, learning rate, batch size, regularization, seed) becomes a
 * `PlaygroundModel` that trains one mini-batch at a time with `@descent/engine` and evaluates its
 * output, and every hidden neuron's, on a grid over the plane.
 *
 * Like the TensorFlow Playground: 500 points, by default half for training and half for testing, plain SGD
 * over mini-batches in a freshly shuffled order each epoch, weights (not biases) regularized.
 * Unlike it: the output is a sigmoid unit trained with binary cross-entropy (the Playground uses
 * tanh and squared error), which is what chapter 7 will justify; the loss curves show BCE.
 */
import {
  F,
  Generator,
  nn,
  noGrad,
  optim,
  permutation,
  playgroundData,
  playgroundFeatureNames,
  playgroundFeatures,
  tensor,
  trainTestSplit,
  type PlaygroundFeature,
  type PlaygroundName,
  type Tensor,
} from '@descent/engine';

export const datasets = [
  'circle',
  'xor',
  'gaussian',
  'spiral',
] as const satisfies readonly PlaygroundName[];
export const activations = ['tanh', 'sigmoid', 'relu', 'linear'] as const;
export const regularizations = ['none', 'l1', 'l2'] as const;
export const features = playgroundFeatureNames;

export type Activation = (typeof activations)[number];
export type Regularization = (typeof regularizations)[number];

/** Everything that defines a run. Changing any of it means a fresh model (a reset). */
export interface PlaygroundConfig {
  dataset: PlaygroundName;
  /** The Playground's noise slider / 100: 0 to 0.5. */
  noise: number;
  /** Share of the points used for training (the rest are the test set): 0.1 to 0.9. */
  trainFraction: number;
  features: PlaygroundFeature[];
  /** Units of each hidden layer; [] is logistic regression on the features. */
  hidden: number[];
  activation: Activation;
  learningRate: number;
  batchSize: number;
  regularization: Regularization;
  regularizationRate: number;
  /** Seeds the data, the split, the initial weights and the shuffles. */
  seed: number;
}

export const MAX_LAYERS = 6;
export const MAX_UNITS = 8;
export const POINTS = 500;
/** The plane shown, as in the Playground: [−6, 6]². */
export const DOMAIN = 6;

export const defaultConfig: PlaygroundConfig = {
  dataset: 'circle',
  noise: 0,
  trainFraction: 0.5,
  features: ['x', 'y'],
  hidden: [4, 2],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  seed: 1,
};

/** The chapter's experiments (source 001, 4.2), each a complete configuration. */
export const presets = {
  linear: {
    label: 'Linear activation',
    config: { ...defaultConfig, hidden: [4, 2], activation: 'linear' },
  },
  neuron: {
    label: 'One logistic neuron',
    config: { ...defaultConfig, hidden: [], activation: 'sigmoid' },
  },
  parallel: {
    label: 'Four in parallel',
    config: { ...defaultConfig, hidden: [4], activation: 'sigmoid', learningRate: 0.3 },
  },
  squares: {
    label: 'Squared features',
    config: { ...defaultConfig, features: ['x2', 'y2'], hidden: [], activation: 'sigmoid' },
  },
  spiral: {
    label: 'Spiral network',
    config: {
      ...defaultConfig,
      dataset: 'spiral',
      features: ['x', 'y', 'sinx', 'siny'],
      hidden: [8, 8],
      activation: 'tanh',
      learningRate: 0.3,
    },
  },
} as const satisfies Record<string, { label: string; config: PlaygroundConfig }>;

export type PresetName = keyof typeof presets;

/** Checks and clamps a configuration, so a hand-written `state` cannot break the widget. */
export function normalizeConfig(config: Partial<PlaygroundConfig>): PlaygroundConfig {
  const c = { ...defaultConfig, ...config };
  const pick = <T extends string>(value: string, options: readonly T[], fallback: T): T =>
    (options as readonly string[]).includes(value) ? (value as T) : fallback;
  const clamp = (v: number, lo: number, hi: number, fallback: number) =>
    Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : fallback;
  const feats = features.filter((f) => c.features.includes(f));
  return {
    dataset: pick(c.dataset, datasets, 'circle'),
    noise: clamp(c.noise, 0, 0.5, 0),
    trainFraction: Math.round(clamp(c.trainFraction, 0.1, 0.9, 0.5) * 10) / 10,
    features: feats.length ? feats : ['x', 'y'],
    hidden: c.hidden.slice(0, MAX_LAYERS).map((u) => Math.round(clamp(u, 1, MAX_UNITS, 4))),
    activation: pick(c.activation, activations, 'tanh'),
    learningRate: clamp(c.learningRate, 1e-5, 10, 0.03),
    batchSize: Math.round(clamp(c.batchSize, 1, 250, 10)),
    regularization: pick(c.regularization, regularizations, 'none'),
    regularizationRate: clamp(c.regularizationRate, 0, 10, 0),
    seed: Math.round(clamp(c.seed, 0, 2 ** 31, 1)),
  };
}

/** The configuration as a short query string (`data=spiral&layers=8,8&act=tanh…`). */
export function serializeConfig(c: PlaygroundConfig): string {
  const p = new URLSearchParams({
    data: c.dataset,
    noise: String(c.noise),
    ratio: String(c.trainFraction),
    features: c.features.join(','),
    layers: c.hidden.join(','),
    act: c.activation,
    lr: String(c.learningRate),
    batch: String(c.batchSize),
    reg: c.regularization,
    regRate: String(c.regularizationRate),
    seed: String(c.seed),
  });
  return p.toString();
}

/** Reads `serializeConfig`'s format (any subset of its keys; the rest keep their defaults). */
export function parseConfig(text: string): PlaygroundConfig {
  const p = new URLSearchParams(text);
  const c: Partial<PlaygroundConfig> = {};
  const num = (key: string) => (p.has(key) ? Number(p.get(key)) : undefined);
  if (p.has('data')) c.dataset = p.get('data') as PlaygroundName;
  if (p.has('noise')) c.noise = num('noise');
  if (p.has('ratio')) c.trainFraction = num('ratio');
  if (p.has('features')) c.features = p.get('features')!.split(',') as PlaygroundFeature[];
  if (p.has('layers')) {
    const v = p.get('layers')!;
    c.hidden = v === '' ? [] : v.split(',').map(Number);
  }
  if (p.has('act')) c.activation = p.get('act') as Activation;
  if (p.has('lr')) c.learningRate = num('lr');
  if (p.has('batch')) c.batchSize = num('batch');
  if (p.has('reg')) c.regularization = p.get('reg') as Regularization;
  if (p.has('regRate')) c.regularizationRate = num('regRate');
  if (p.has('seed')) c.seed = num('seed');
  return normalizeConfig(c);
}

/** A regular grid over [−6, 6]², row-major from the top-left corner, at the cell centres. */
export function gridPoints(size: number): Tensor {
  const data = new Float32Array(size * size * 2);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const k = row * size + col;
      data[2 * k] = -DOMAIN + ((col + 0.5) * 2 * DOMAIN) / size;
      data[2 * k + 1] = DOMAIN - ((row + 0.5) * 2 * DOMAIN) / size;
    }
  }
  return tensor(data).reshape([size * size, 2]);
}

function activationModule(name: Activation): nn.Module {
  if (name === 'tanh') return new nn.Tanh();
  if (name === 'sigmoid') return new nn.Sigmoid();
  if (name === 'relu') return new nn.ReLU();
  return new nn.Identity();
}

/** What `evaluateGrid` returns: values on a size × size grid, row-major from the top left. */
export interface GridOutput {
  size: number;
  /** P(positive class) of the network at each grid point. */
  probability: Float32Array;
  /** Per layer (inputs first, then each hidden layer), per unit: its value at each grid point. */
  neurons: Float32Array[][];
}

export interface Point {
  x: number;
  y: number;
  /** 1 for the positive class, 0 for the negative. */
  label: number;
}

/** A network and its data, trained one mini-batch at a time. */
export class PlaygroundModel {
  readonly config: PlaygroundConfig;
  readonly train: Point[];
  readonly test: Point[];
  /** Epochs completed. */
  epoch = 0;
  /** Mini-batches taken. */
  steps = 0;
  /** Mean training and test loss after each completed epoch, starting with the untrained net. */
  readonly trainLosses: number[] = [];
  readonly testLosses: number[] = [];

  private readonly layers: { linear: nn.Linear; act: nn.Module }[] = [];
  private readonly output: nn.Linear;
  private readonly model: nn.Sequential;
  private readonly optimizer: optim.SGD;
  private readonly shuffler: Generator;
  private readonly trainX: Tensor;
  private readonly trainY: Tensor;
  private readonly testX: Tensor;
  private readonly testY: Tensor;
  private order: number[] = [];
  private cursor = 0;

  constructor(config: Partial<PlaygroundConfig> = {}) {
    this.config = normalizeConfig(config);
    const c = this.config;
    const data = playgroundData(c.dataset, {
      n: POINTS,
      noise: c.noise,
      generator: new Generator(c.seed),
    });
    const split = trainTestSplit(data.x, data.y, {
      testFraction: 1 - c.trainFraction,
      generator: new Generator(c.seed + 1),
    });
    const points = (x: Tensor, y: Tensor): Point[] =>
      Array.from({ length: y.shape[0] }, (_, i) => ({
        x: x.data[2 * i],
        y: x.data[2 * i + 1],
        label: y.data[i],
      }));
    this.train = points(split.trainX, split.trainY);
    this.test = points(split.testX, split.testY);
    this.trainX = playgroundFeatures(split.trainX, c.features);
    this.trainY = split.trainY;
    this.testX = playgroundFeatures(split.testX, c.features);
    this.testY = split.testY;

    const init = new Generator(c.seed + 2);
    let inputs = c.features.length;
    for (const units of c.hidden) {
      this.layers.push({
        linear: new nn.Linear(inputs, units, { generator: init }),
        act: activationModule(c.activation),
      });
      inputs = units;
    }
    this.output = new nn.Linear(inputs, 1, { generator: init });
    this.model = new nn.Sequential(
      ...this.layers.flatMap(({ linear, act }) => [linear, act]),
      this.output,
    );
    this.optimizer = new optim.SGD(this.model.parameters(), { lr: c.learningRate });
    this.shuffler = new Generator(c.seed + 3);
    this.recordLosses();
  }

  /**
   * Changes the settings that do not need a new network (as the Playground does while it runs):
   * learning rate, batch size and regularization. A new batch size starts with the next batch.
   */
  setTrainingOptions(
    options: Partial<
      Pick<PlaygroundConfig, 'learningRate' | 'batchSize' | 'regularization' | 'regularizationRate'>
    >,
  ): void {
    const next = normalizeConfig({ ...this.config, ...options });
    this.config.learningRate = next.learningRate;
    this.config.batchSize = next.batchSize;
    this.config.regularization = next.regularization;
    this.config.regularizationRate = next.regularizationRate;
    this.optimizer.lr = next.learningRate;
  }

  /** Σ|w| over the weights (not the biases): what L1 regularization shrinks. */
  weightMagnitude(): number {
    return this.weights().reduce((sum, w) => sum + w.abs().sum().item(), 0);
  }

  /** Number of weights and biases. */
  get parameterCount(): number {
    return this.model.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Steps per epoch: ⌈training points / batch size⌉. */
  get stepsPerEpoch(): number {
    return Math.ceil(this.train.length / this.config.batchSize);
  }

  private weights(): Tensor[] {
    return [...this.layers.map((l) => l.linear.weight), this.output.weight];
  }

  private penalty(): Tensor | null {
    const { regularization, regularizationRate } = this.config;
    if (regularization === 'none' || regularizationRate === 0) return null;
    const p = regularization === 'l1' ? F.l1Penalty(this.weights()) : F.l2Penalty(this.weights());
    return p.mul(regularizationRate);
  }

  /** The data loss (mean BCE) on training or test data, without the penalty. */
  loss(which: 'train' | 'test'): number {
    const [x, y] = which === 'train' ? [this.trainX, this.trainY] : [this.testX, this.testY];
    return noGrad(() => F.bceWithLogitsLoss(this.model.forward(x).reshape([-1]), y).item());
  }

  /** Fraction of training or test points on the right side of the 0.5 boundary. */
  accuracy(which: 'train' | 'test'): number {
    const [x, y] = which === 'train' ? [this.trainX, this.trainY] : [this.testX, this.testY];
    const logits = noGrad(() => this.model.forward(x)).data;
    let right = 0;
    for (let i = 0; i < y.shape[0]; i++) if (logits[i] > 0 === y.data[i] > 0.5) right++;
    return right / y.shape[0];
  }

  private recordLosses(): void {
    this.trainLosses.push(this.loss('train'));
    this.testLosses.push(this.loss('test'));
  }

  /** One SGD step on the next mini-batch; returns that batch's loss (penalty included). */
  step(): number {
    if (this.cursor >= this.order.length) {
      this.order = permutation(this.train.length, this.shuffler);
      this.cursor = 0;
    }
    const batch = this.order.slice(this.cursor, this.cursor + this.config.batchSize);
    this.cursor += batch.length;
    const k = this.config.features.length;
    const xb = new Float32Array(batch.length * k);
    const yb = new Float32Array(batch.length);
    batch.forEach((row, i) => {
      xb.set(this.trainX.data.subarray(row * k, row * k + k), i * k);
      yb[i] = this.trainY.data[row];
    });
    this.optimizer.zeroGrad();
    let loss = F.bceWithLogitsLoss(
      this.model.forward(tensor(xb).reshape([batch.length, k])).reshape([-1]),
      tensor(yb),
    );
    const penalty = this.penalty();
    if (penalty) loss = loss.add(penalty);
    loss.backward();
    this.optimizer.step();
    this.steps++;
    if (this.cursor >= this.order.length) {
      this.epoch++;
      this.recordLosses();
    }
    return loss.item();
  }

  /** Trains until `epochs` more epochs have completed. */
  trainEpochs(epochs: number): void {
    const target = this.epoch + epochs;
    while (this.epoch < target) this.step();
  }

  /**
   * The network on a size × size grid over [−6, 6]²: its output probability and every input
   * feature's and hidden unit's value, for the decision region and the small neuron pictures.
   */
  evaluateGrid(size: number): GridOutput {
    return noGrad(() => {
      const grid = gridPoints(size);
      let h = playgroundFeatures(grid, this.config.features);
      const neurons: Float32Array[][] = [columns(h)];
      for (const { linear, act } of this.layers) {
        h = act.forward(linear.forward(h)) as Tensor; // activation modules return a Tensor
        neurons.push(columns(h));
      }
      const probability = this.output.forward(h).sigmoid().data as Float32Array;
      return { size, probability: Float32Array.from(probability), neurons };
    });
  }
}

/** The columns of an [n, k] tensor as k arrays. */
function columns(t: Tensor): Float32Array[] {
  const [n, k] = t.shape;
  const out = Array.from({ length: k }, () => new Float32Array(n));
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[j]![i] = t.data[i * k + j]!;
  return out;
}

/** Human-readable names of the features, for labels. */
export const featureLabels: Record<PlaygroundFeature, string> = {
  x: 'x',
  y: 'y',
  x2: 'x²',
  y2: 'y²',
  xy: 'xy',
  sinx: 'sin x',
  siny: 'sin y',
};

/** One sentence on what the playground shows, for screen readers and the no-JS page. */
export function describeModel(m: PlaygroundModel): string {
  const c = m.config;
  const net =
    c.hidden.length === 0
      ? 'no hidden layer (logistic regression)'
      : `hidden layers of ${c.hidden.join(', ')} ${c.activation} units`;
  const feats = c.features.map((f) => featureLabels[f]).join(', ');
  const acc = (v: number) => `${Math.round(v * 100)} %`;
  return (
    `${c.dataset[0]!.toUpperCase()}${c.dataset.slice(1)} data, ${m.train.length} training and ${m.test.length} test points; ` +
    `inputs ${feats}; ${net}. ` +
    `After ${m.epoch} epochs: training loss ${m.trainLosses.at(-1)!.toFixed(3)}, test loss ${m.testLosses.at(-1)!.toFixed(3)}, ` +
    `test accuracy ${acc(m.accuracy('test'))}.`
  );
}
