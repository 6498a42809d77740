/**
 * Layers against torch.nn (float64): Linear, conv2d with stride/padding, max/avg pooling,
 * BatchNorm1d/2d (training steps with running statistics, then eval), and RNN/LSTM/GRU with
 * PyTorch's parameter layouts (gate order i,f,g,o for LSTM and r,z,n for GRU, two biases).
 * Forward values and the gradients of every input and parameter.
 *
 * The layer API is the engine contract's; it is typed locally below so this file states
 * exactly what it relies on.
 */
import { describe, it } from 'vitest';
import { F, Tensor, nn } from '@descent/engine';
import {
  checkForwardBackward,
  expectClose,
  loadFixture,
  toNested,
  toTensor,
  type FixtureTensor,
  type OpCase,
} from './fixtures.ts';

const FILE = 'layers.json';

// ---- The contract's layer API, as this test uses it.
interface Module {
  forward(...args: unknown[]): unknown;
  loadStateDict(state: Record<string, unknown>): void;
  train(): void;
  eval(): void;
  zeroGrad(): void;
}
interface Linear extends Module {
  weight: Tensor;
  bias: Tensor;
  forward(x: Tensor): Tensor;
}
interface BatchNorm extends Module {
  weight: Tensor;
  bias: Tensor;
  runningMean: Tensor;
  runningVar: Tensor;
  forward(x: Tensor): Tensor;
}
interface Recurrent extends Module {
  weightIh: Tensor;
  weightHh: Tensor;
  biasIh: Tensor;
  biasHh: Tensor;
}
type Opts = { dtype?: string; eps?: number; momentum?: number; batchFirst?: boolean };
interface Conv2dModule extends Module {
  weight: Tensor;
  bias: Tensor;
  forward(x: Tensor): Tensor;
}
type Pair = number | [number, number];
interface LayersApi {
  Conv2d: new (
    inChannels: number,
    outChannels: number,
    kernelSize: Pair,
    opts?: Opts & { stride?: Pair; padding?: Pair },
  ) => Conv2dModule;
  MaxPool2d: new (kernelSize: Pair, opts?: { stride?: Pair; padding?: Pair }) => Module;
  AvgPool2d: new (kernelSize: Pair, opts?: { stride?: Pair; padding?: Pair }) => Module;
  RNNCell: new (inputSize: number, hiddenSize: number, opts?: Opts) => Recurrent;
  LSTMCell: new (inputSize: number, hiddenSize: number, opts?: Opts) => Recurrent;
  GRUCell: new (inputSize: number, hiddenSize: number, opts?: Opts) => Recurrent;
  Linear: new (inFeatures: number, outFeatures: number, opts?: Opts) => Linear;
  BatchNorm1d: new (numFeatures: number, opts?: Opts) => BatchNorm;
  BatchNorm2d: new (numFeatures: number, opts?: Opts) => BatchNorm;
  RNN: new (inputSize: number, hiddenSize: number, opts?: Opts) => Recurrent;
  LSTM: new (inputSize: number, hiddenSize: number, opts?: Opts) => Recurrent;
  GRU: new (inputSize: number, hiddenSize: number, opts?: Opts) => Recurrent;
}
interface LayersF {
  conv2d(
    x: Tensor,
    weight: Tensor,
    bias: Tensor | null | undefined,
    opts: { stride?: number | number[]; padding?: number | number[] },
  ): Tensor;
  maxPool2d(x: Tensor, opts: Record<string, unknown>): Tensor;
  avgPool2d(x: Tensor, opts: Record<string, unknown>): Tensor;
}
const NN = new Proxy(nn as unknown as LayersApi, {
  // A missing layer fails with its name rather than "is not a constructor".
  get(target, name: string) {
    const value = (target as unknown as Record<string, unknown>)[name];
    if (typeof value !== 'function') throw new Error(`nn.${name} does not exist (yet)`);
    return value;
  },
});
const FL = F as unknown as LayersF;

interface LayerCase {
  name: string;
  op: string;
  args: Record<string, number & [number, number]>;
  state: Record<string, FixtureTensor>;
  x: FixtureTensor;
  out: FixtureTensor;
  upstream: FixtureTensor & Record<string, FixtureTensor>;
  grads: Record<string, FixtureTensor>;
  // Recurrent.
  h0?: FixtureTensor;
  c0?: FixtureTensor;
  h?: FixtureTensor;
  c?: FixtureTensor;
  // BatchNorm.
  train?: {
    x: FixtureTensor;
    out: FixtureTensor;
    upstream: FixtureTensor;
    grads: Record<string, FixtureTensor>;
    runningMean: FixtureTensor;
    runningVar: FixtureTensor;
  }[];
  eval?: { x: FixtureTensor; out: FixtureTensor };
}

const { cases } = loadFixture<LayerCase>(FILE);
const opCases = cases as unknown as OpCase[];
const F64 = { dtype: 'float64' };

/** Copies PyTorch's values into a parameter in place (keeps the module's own tensor). */
function setParam(p: Tensor, t: FixtureTensor, label: string): void {
  if (!(p instanceof Tensor)) throw new Error(`${label}: the module has no such parameter`);
  if (p.shape.join(',') !== t.shape.join(',')) {
    throw new Error(
      `${label}: shape [${p.shape.join(',')}] but PyTorch's is [${t.shape.join(',')}]`,
    );
  }
  p.data.set(t.data.map(Number));
}

function linearCase(c: LayerCase): void {
  const label = `${FILE} › ${c.name}`;
  const m = new NN.Linear(c.args.inFeatures, c.args.outFeatures, F64);
  setParam(m.weight, c.state.weight, `${label} › weight`);
  setParam(m.bias, c.state.bias, `${label} › bias`);
  const x = toTensor(c.x, true);
  const y = m.forward(x);
  expectClose(y, c.out, `${label} › output`);
  y.mul(toTensor(c.upstream)).sum().backward();
  expectClose(x.grad, c.grads.x, `${label} › grad x`);
  expectClose(m.weight.grad, c.grads.weight, `${label} › grad weight`);
  expectClose(m.bias.grad, c.grads.bias, `${label} › grad bias`);
}

function batchNormCase(c: LayerCase): void {
  const label = `${FILE} › ${c.name}`;
  const Ctor = c.op === 'BatchNorm2d' ? NN.BatchNorm2d : NN.BatchNorm1d;
  const m = new Ctor(c.args.numFeatures, { eps: c.args.eps, momentum: c.args.momentum, ...F64 });
  setParam(m.weight, c.state.weight, `${label} › weight`);
  setParam(m.bias, c.state.bias, `${label} › bias`);
  m.train();
  c.train!.forEach((s, i) => {
    const at = `${label} › training step ${i + 1}`;
    m.zeroGrad();
    const x = toTensor(s.x, true);
    const y = m.forward(x);
    expectClose(y, s.out, `${at} › output`);
    y.mul(toTensor(s.upstream)).sum().backward();
    expectClose(x.grad, s.grads.x, `${at} › grad x`);
    expectClose(m.weight.grad, s.grads.weight, `${at} › grad weight`);
    expectClose(m.bias.grad, s.grads.bias, `${at} › grad bias`);
    expectClose(m.runningMean, s.runningMean, `${at} › runningMean`);
    expectClose(m.runningVar, s.runningVar, `${at} › runningVar (unbiased, like torch)`);
  });
  m.eval();
  expectClose(m.forward(toTensor(c.eval!.x)), c.eval!.out, `${label} › eval output`);
}

function conv2dModuleCase(c: LayerCase): void {
  const label = `${FILE} › ${c.name}`;
  const { inChannels, outChannels, kernelSize, stride, padding } = c.args;
  const m = new NN.Conv2d(inChannels, outChannels, kernelSize, { stride, padding, ...F64 });
  setParam(m.weight, c.state.weight, `${label} › weight`);
  setParam(m.bias, c.state.bias, `${label} › bias`);
  const x = toTensor(c.x, true);
  const y = m.forward(x);
  expectClose(y, c.out, `${label} › output`);
  y.mul(toTensor(c.upstream)).sum().backward();
  expectClose(x.grad, c.grads.x, `${label} › grad x`);
  expectClose(m.weight.grad, c.grads.weight, `${label} › grad weight`);
  expectClose(m.bias.grad, c.grads.bias, `${label} › grad bias`);
}

function poolModuleCase(c: LayerCase): void {
  const label = `${FILE} › ${c.name}`;
  const Ctor = c.op === 'MaxPool2dModule' ? NN.MaxPool2d : NN.AvgPool2d;
  const m = new Ctor(c.args.kernelSize, { stride: c.args.stride, padding: c.args.padding });
  const x = toTensor(c.x, true);
  const y = m.forward(x) as Tensor;
  expectClose(y, c.out, `${label} › output`);
  y.mul(toTensor(c.upstream)).sum().backward();
  expectClose(x.grad, c.grads.x, `${label} › grad x`);
}

function loadRecurrent(m: Recurrent, c: LayerCase): void {
  m.loadStateDict({
    weightIh: toNested(c.state.weightIh),
    weightHh: toNested(c.state.weightHh),
    biasIh: toNested(c.state.biasIh),
    biasHh: toNested(c.state.biasHh),
  });
}

function checkRecurrentGrads(m: Recurrent, c: LayerCase, label: string): void {
  for (const p of ['weightIh', 'weightHh', 'biasIh', 'biasHh'] as const) {
    expectClose(m[p]?.grad, c.grads[p], `${label} › grad ${p}`);
  }
}

function cellCase(c: LayerCase): void {
  const label = `${FILE} › ${c.name}`;
  const Ctor = NN[c.op as 'RNNCell' | 'LSTMCell' | 'GRUCell'];
  const m = new Ctor(c.args.inputSize, c.args.hiddenSize, F64);
  loadRecurrent(m, c);
  const x = toTensor(c.x, true);
  const h0 = toTensor(c.h0!, true);
  const c0 = c.c0 ? toTensor(c.c0, true) : null;
  let h: Tensor;
  let loss: Tensor;
  if (c0) {
    const next = m.forward(x, { h: h0, c: c0 }) as { h: Tensor; c: Tensor };
    h = next.h;
    expectClose(next.c, c.c!, `${label} › c'`);
    loss = h
      .mul(toTensor(c.upstream.h))
      .sum()
      .add(next.c.mul(toTensor(c.upstream.c)).sum());
  } else {
    h = m.forward(x, h0) as Tensor;
    loss = h.mul(toTensor(c.upstream.h)).sum();
  }
  expectClose(h, c.h!, `${label} › h'`);
  loss.backward();
  expectClose(x.grad, c.grads.x, `${label} › grad x`);
  expectClose(h0.grad, c.grads.h0, `${label} › grad h`);
  if (c0) expectClose(c0.grad, c.grads.c0, `${label} › grad c`);
  checkRecurrentGrads(m, c, label);
}

function lstmNoStateCase(c: LayerCase): void {
  const label = `${FILE} › ${c.name}`;
  const m = new NN.LSTM(c.args.inputSize, c.args.hiddenSize, {
    batchFirst: Boolean(c.args.batchFirst),
    ...F64,
  });
  loadRecurrent(m, c);
  const x = toTensor(c.x, true);
  const r = m.forward(x) as { output: Tensor; h: Tensor; c: Tensor };
  expectClose(r.output, c.out, `${label} › output [B,T,H]`);
  expectClose(r.h, c.h!, `${label} › final h`);
  expectClose(r.c, c.c!, `${label} › final c`);
  r.output.mul(toTensor(c.upstream.out)).sum().backward();
  expectClose(x.grad, c.grads.x, `${label} › grad x`);
  checkRecurrentGrads(m, c, label);
}

function recurrentCase(c: LayerCase): void {
  const label = `${FILE} › ${c.name}`;
  const Ctor = NN[c.op as 'RNN' | 'LSTM' | 'GRU'];
  const m = new Ctor(c.args.inputSize, c.args.hiddenSize, F64);
  loadRecurrent(m, c);
  const x = toTensor(c.x, true);
  const h0 = toTensor(c.h0!, true);
  const c0 = c.c0 ? toTensor(c.c0, true) : null;
  const result = (c0 ? m.forward(x, { h: h0, c: c0 }) : m.forward(x, h0)) as {
    output: Tensor;
    h: Tensor;
    c?: Tensor;
  };
  expectClose(result.output, c.out, `${label} › output [T,B,H]`);
  expectClose(result.h, c.h!, `${label} › final h [B,H]`);
  if (c0) expectClose(result.c, c.c!, `${label} › final c [B,H]`);
  let loss = result.output
    .mul(toTensor(c.upstream.out))
    .sum()
    .add(result.h.mul(toTensor(c.upstream.h)).sum());
  if (c0) loss = loss.add(result.c!.mul(toTensor(c.upstream.c)).sum());
  loss.backward();
  expectClose(x.grad, c.grads.x, `${label} › grad x`);
  expectClose(h0.grad, c.grads.h0, `${label} › grad h0`);
  if (c0) expectClose(c0.grad, c.grads.c0, `${label} › grad c0`);
  checkRecurrentGrads(m, c, label);
}

describe('layers match torch.nn (float64, 1e-10)', () => {
  cases.forEach((c, i) => {
    it(c.name, () => {
      switch (c.op) {
        case 'Linear':
          return linearCase(c);
        case 'BatchNorm1d':
        case 'BatchNorm2d':
          return batchNormCase(c);
        case 'RNN':
        case 'LSTM':
        case 'GRU':
          return recurrentCase(c);
        case 'Conv2dModule':
          return conv2dModuleCase(c);
        case 'MaxPool2dModule':
        case 'AvgPool2dModule':
          return poolModuleCase(c);
        case 'RNNCell':
        case 'LSTMCell':
        case 'GRUCell':
          return cellCase(c);
        case 'LSTMNoState':
          return lstmNoStateCase(c);
        case 'conv2d':
          return checkForwardBackward(FILE, opCases[i], ([x, w, b]) =>
            FL.conv2d(x, w, b ?? null, opCases[i].args),
          );
        case 'maxPool2d':
        case 'avgPool2d':
          return checkForwardBackward(FILE, opCases[i], ([x]) =>
            FL[c.op as 'maxPool2d' | 'avgPool2d'](x, opCases[i].args),
          );
        default:
          throw new Error(`${FILE} › ${c.name}: the test has no mapping for '${c.op}'`);
      }
    });
  });
});
