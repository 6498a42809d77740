/**
 * The same workloads in TensorFlow.js 4.22, on its pure-JS 'cpu' backend and its 'wasm' backend
 * (XNNPACK, SIMD on; threads are not available in Node without extra setup). Weights are the
 * seeded ones from workloads.ts, converted to tfjs layouts ([in, out] dense weights, HWIO conv
 * filters, NHWC images), so the first-step losses should match the engine's.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type {
  CnnData,
  DenseInit,
  LstmData,
  MatmulData,
  Mlp784Data,
  MlpSmallData,
} from './workloads.ts';
import { nchwToNhwc, oihwToHwio, transpose2d } from './timing.ts';

const require = createRequire(import.meta.url);
// tfjs ships CommonJS for Node; require keeps its types loose, which is all the bench needs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TF = any;
type Step = () => number;

let tfModule: TF | null = null;

/** Loads tfjs and the wasm backend once (quietly: tfjs nags about tfjs-node on first use). */
export function loadTf(): TF {
  if (tfModule) return tfModule;
  const tf = require('@tensorflow/tfjs');
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  const dist = path.join(
    path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
  wasm.setWasmPaths(dist + path.sep);
  tfModule = tf;
  return tf;
}

/** Switches backend; returns a description such as 'wasm (SIMD, 1 thread)'. */
export async function useBackend(tf: TF, name: 'cpu' | 'wasm'): Promise<string> {
  const warn = console.warn;
  const log = console.log;
  console.warn = () => {};
  console.log = () => {};
  try {
    await tf.setBackend(name);
    await tf.ready();
    // The cpu backend prints its tfjs-node advert on the first tensor it stores: get it over with.
    tf.dispose(tf.scalar(0));
  } finally {
    console.warn = warn;
    console.log = log;
  }
  if (name === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    return `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads ? 'threads' : '1 thread'})`;
  }
  return name;
}

/** The kernel tfjs lacks for this backend, if `err` says so (e.g. wasm's Conv2DBackpropFilter). */
export function missingKernel(err: unknown): string | null {
  const msg = err instanceof Error ? err.message : String(err);
  const m =
    /'(\w+)' not registered/.exec(msg) ?? /kernel '?(\w+)'? .*not (?:registered|found)/i.exec(msg);
  return m ? m[1] : null;
}

function denseVars(tf: TF, d: DenseInit): { w: TF; b: TF } {
  return {
    w: tf.variable(tf.tensor2d(transpose2d(d.weight, d.outF, d.inF), [d.inF, d.outF])),
    b: tf.variable(tf.tensor1d(d.bias)),
  };
}

/** Runs one optimizer step and reads the loss back (which also waits for the work). */
function minimizeStep(tf: TF, optimizer: TF, lossFn: () => TF): Step {
  return () => {
    const loss = tf.tidy(() => optimizer.minimize(lossFn, true));
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  };
}

export function tfMatmul(tf: TF, d: MatmulData): { step: Step; dispose: () => void } {
  const a = tf.tensor2d(d.A, [d.n, d.n]);
  const b = tf.tensor2d(d.B, [d.n, d.n]);
  return {
    step: () => {
      const c = tf.matMul(a, b);
      const v = c.dataSync()[0];
      c.dispose();
      return v;
    },
    dispose: () => tf.dispose([a, b]),
  };
}

export function tfMlpSmall(tf: TF, d: MlpSmallData): { step: Step; dispose: () => void } {
  const layers = d.layers.map((l) => denseVars(tf, l));
  const x = tf.tensor2d(d.x, [d.batch, 2]);
  const y = tf.tensor2d(d.y, [d.batch, 1]);
  const opt = tf.train.sgd(d.lr);
  const lossFn = () => {
    const h1 = tf.tanh(tf.add(tf.matMul(x, layers[0].w), layers[0].b));
    const h2 = tf.tanh(tf.add(tf.matMul(h1, layers[1].w), layers[1].b));
    const logits = tf.add(tf.matMul(h2, layers[2].w), layers[2].b);
    return tf.losses.sigmoidCrossEntropy(y, logits);
  };
  return {
    step: minimizeStep(tf, opt, lossFn),
    dispose: () => {
      tf.dispose([x, y, ...layers.flatMap((l) => [l.w, l.b])]);
      opt.dispose();
    },
  };
}

export function tfMlp784(tf: TF, d: Mlp784Data): { step: Step; dispose: () => void } {
  const layers = d.layers.map((l) => denseVars(tf, l));
  const x = tf.tensor2d(d.x, [d.batch, 784]);
  const y = tf.oneHot(tf.tensor1d(d.labels, 'int32'), 10);
  const opt = tf.train.adam(d.lr);
  const lossFn = () => {
    const h = tf.relu(tf.add(tf.matMul(x, layers[0].w), layers[0].b));
    const logits = tf.add(tf.matMul(h, layers[1].w), layers[1].b);
    return tf.losses.softmaxCrossEntropy(y, logits);
  };
  return {
    step: minimizeStep(tf, opt, lossFn),
    dispose: () => {
      tf.dispose([x, y, ...layers.flatMap((l) => [l.w, l.b])]);
      opt.dispose();
    },
  };
}

export function tfCnn(tf: TF, d: CnnData): { step: Step; dispose: () => void } {
  const convs = [d.conv1, d.conv2].map((c) => ({
    f: tf.variable(
      tf.tensor4d(oihwToHwio(c.weight, c.outC, c.inC, c.k, c.k), [c.k, c.k, c.inC, c.outC]),
    ),
    b: tf.variable(tf.tensor1d(c.bias)),
  }));
  // The engine flattens [16, 7, 7] as (c, h, w); tfjs flattens NHWC as (h, w, c): reorder the
  // dense weight's input rows so both compute the same function.
  const fcW = new Float32Array(784 * 10);
  for (let o = 0; o < 10; o++)
    for (let c = 0; c < 16; c++)
      for (let hw = 0; hw < 49; hw++)
        fcW[(hw * 16 + c) * 10 + o] = d.fc.weight[o * 784 + c * 49 + hw];
  const fc = {
    w: tf.variable(tf.tensor2d(fcW, [784, 10])),
    b: tf.variable(tf.tensor1d(d.fc.bias)),
  };
  const x = tf.tensor4d(nchwToNhwc(d.x, d.batch, 1, 28, 28), [d.batch, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(d.labels, 'int32'), 10);
  const opt = tf.train.adam(d.lr);
  const lossFn = () => {
    let h = x;
    for (const c of convs) {
      h = tf.relu(tf.add(tf.conv2d(h, c.f, 1, 'same'), c.b));
      h = tf.maxPool(h, 2, 2, 'valid');
    }
    const logits = tf.add(tf.matMul(tf.reshape(h, [d.batch, 784]), fc.w), fc.b);
    return tf.losses.softmaxCrossEntropy(y, logits);
  };
  return {
    step: minimizeStep(tf, opt, lossFn),
    dispose: () => {
      tf.dispose([x, y, fc.w, fc.b, ...convs.flatMap((c) => [c.f, c.b])]);
      opt.dispose();
    },
  };
}

/** LSTM unrolled by hand from tf ops (what tf.layers.lstm does too), forward + backward. */
export function tfLstm(tf: TF, d: LstmData): { step: Step; dispose: () => void } {
  const H = d.hidden;
  const wIh = tf.variable(tf.tensor2d(transpose2d(d.weightIh, 4 * H, d.input), [d.input, 4 * H]));
  const wHh = tf.variable(tf.tensor2d(transpose2d(d.weightHh, 4 * H, H), [H, 4 * H]));
  const bias = tf.variable(tf.add(tf.tensor1d(d.biasIh), tf.tensor1d(d.biasHh)));
  const xs = tf.unstack(tf.tensor3d(d.x, [d.T, d.batch, d.input]));
  const lossFn = () => {
    let h = tf.zeros([d.batch, H]);
    let c = tf.zeros([d.batch, H]);
    const outputs = [];
    for (let t = 0; t < d.T; t++) {
      const gates = tf.add(tf.add(tf.matMul(xs[t], wIh), tf.matMul(h, wHh)), bias);
      const [i, f, g, o] = tf.split(gates, 4, 1); // PyTorch's gate order
      c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
      h = tf.mul(tf.sigmoid(o), tf.tanh(c));
      outputs.push(h);
    }
    return tf.mean(tf.stack(outputs));
  };
  return {
    step: () => {
      const { value, grads } = tf.variableGrads(lossFn, [wIh, wHh, bias]);
      const v = value.dataSync()[0];
      for (const k of Object.keys(grads)) grads[k].dataSync();
      tf.dispose([value, ...Object.values(grads)]);
      return v;
    },
    dispose: () => tf.dispose([wIh, wHh, bias, ...xs]),
  };
}
