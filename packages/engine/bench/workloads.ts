/**
 * The benchmark workloads as plain data: sizes plus seeded inputs and initial weights, in the
 * engine's (PyTorch's) layouts. `engine.ts` and `tfjs.ts` build the same computation from the
 * same numbers, so the first-step losses can be compared as a sanity check.
 */
import { SeededRandom } from './timing.ts';

export interface MatmulData {
  n: number;
  A: Float32Array;
  B: Float32Array;
}

/** A dense layer's initial weight [out, in] and bias [out]. */
export interface DenseInit {
  inF: number;
  outF: number;
  weight: Float32Array;
  bias: Float32Array;
}

/** A conv layer's initial weight [outC, inC, k, k] and bias [outC]. */
export interface ConvInit {
  inC: number;
  outC: number;
  k: number;
  weight: Float32Array;
  bias: Float32Array;
}

export interface MlpSmallData {
  batch: number;
  /** [batch, 2] points. */
  x: Float32Array;
  /** [batch, 1] labels in {0, 1}: whether the point lies in the 1st or 3rd quadrant (XOR). */
  y: Float32Array;
  layers: DenseInit[];
  lr: number;
}

export interface Mlp784Data {
  batch: number;
  /** [batch, 784] pixel-like values in [0, 1). */
  x: Float32Array;
  /** [batch] class indices 0..9. */
  labels: Int32Array;
  layers: DenseInit[];
  lr: number;
}

export interface CnnData {
  batch: number;
  /** [batch, 1, 28, 28] (NCHW). */
  x: Float32Array;
  labels: Int32Array;
  conv1: ConvInit;
  conv2: ConvInit;
  /** Dense [10, 16·7·7], inputs in NCHW flatten order (c, h, w). */
  fc: DenseInit;
  lr: number;
}

export interface LstmData {
  T: number;
  batch: number;
  input: number;
  hidden: number;
  /** [T, batch, input] (PyTorch's default batch_first = false). */
  x: Float32Array;
  /** PyTorch layout and gate order (i, f, g, o): weightIh [4H, in], weightHh [4H, H]. */
  weightIh: Float32Array;
  weightHh: Float32Array;
  biasIh: Float32Array;
  biasHh: Float32Array;
}

function dense(rng: SeededRandom, inF: number, outF: number): DenseInit {
  const bound = 1 / Math.sqrt(inF);
  return { inF, outF, weight: rng.uniforms(outF * inF, bound), bias: rng.uniforms(outF, bound) };
}

function conv(rng: SeededRandom, inC: number, outC: number, k: number): ConvInit {
  const bound = 1 / Math.sqrt(inC * k * k);
  return {
    inC,
    outC,
    k,
    weight: rng.uniforms(outC * inC * k * k, bound),
    bias: rng.uniforms(outC, bound),
  };
}

export function matmulData(n: number): MatmulData {
  const rng = new SeededRandom(1000 + n);
  return { n, A: rng.normals(n * n), B: rng.normals(n * n) };
}

export function mlpSmallData(): MlpSmallData {
  const rng = new SeededRandom(1);
  const batch = 256;
  const x = rng.normals(batch * 2);
  const y = new Float32Array(batch);
  for (let i = 0; i < batch; i++) y[i] = x[2 * i] * x[2 * i + 1] > 0 ? 1 : 0;
  return {
    batch,
    x,
    y,
    layers: [dense(rng, 2, 16), dense(rng, 16, 16), dense(rng, 16, 1)],
    lr: 0.1,
  };
}

export function mlp784Data(): Mlp784Data {
  const rng = new SeededRandom(2);
  const batch = 64;
  const x = new Float32Array(batch * 784);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  return {
    batch,
    x,
    labels: rng.ints(batch, 10),
    layers: [dense(rng, 784, 128), dense(rng, 128, 10)],
    lr: 1e-3,
  };
}

export function cnnData(): CnnData {
  const rng = new SeededRandom(3);
  const batch = 32;
  const x = new Float32Array(batch * 28 * 28);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  return {
    batch,
    x,
    labels: rng.ints(batch, 10),
    conv1: conv(rng, 1, 8, 3),
    conv2: conv(rng, 8, 16, 3),
    fc: dense(rng, 16 * 7 * 7, 10),
    lr: 1e-3,
  };
}

export function lstmData(): LstmData {
  const rng = new SeededRandom(4);
  const [T, batch, input, hidden] = [20, 16, 8, 32];
  const bound = 1 / Math.sqrt(hidden);
  return {
    T,
    batch,
    input,
    hidden,
    x: rng.normals(T * batch * input),
    weightIh: rng.uniforms(4 * hidden * input, bound),
    weightHh: rng.uniforms(4 * hidden * hidden, bound),
    biasIh: rng.uniforms(4 * hidden, bound),
    biasHh: rng.uniforms(4 * hidden, bound),
  };
}
