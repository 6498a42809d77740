/**
 * The workloads written against the engine's public API, as a reader of the book would write
 * them. Each builder returns a step function (returning the step's loss) or throws
 * {@link Unavailable} when a module it needs has not landed yet, so the bench always runs.
 */
import * as E from '../src/index.ts';
import { gemm } from '../src/kernels/gemm.ts';
import type {
  CnnData,
  DenseInit,
  LstmData,
  MatmulData,
  Mlp784Data,
  MlpSmallData,
} from './workloads.ts';

type Tensor = E.Tensor;
type Step = () => number;

/** Thrown when the engine lacks something a workload needs. */
export class Unavailable extends Error {}

/** Looks up `path` (like 'nn.Linear') on the engine's exports, or throws Unavailable. */
function need<T>(path: string): T {
  let v: unknown = E;
  for (const key of path.split('.')) {
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  }
  if (typeof v !== 'function') throw new Unavailable(`engine: not available yet (${path})`);
  return v as T;
}

interface Module {
  forward(x: Tensor): unknown;
  parameters(): Tensor[];
  namedParameters?(): [string, Tensor][];
  zeroGrad?(): void;
}
type LinearCtor = new (
  inF: number,
  outF: number,
) => Module & { weight: Tensor; bias: Tensor | null };
type Conv2dCtor = new (
  inC: number,
  outC: number,
  k: number,
  options: { padding: number },
) => Module & { weight: Tensor; bias: Tensor | null };
type LstmCtor = new (input: number, hidden: number) => Module;
type OptimizerCtor = new (
  params: Tensor[],
  options: { lr: number },
) => {
  zeroGrad(): void;
  step(): void;
};

function linearFrom(d: DenseInit): Module & { weight: Tensor; bias: Tensor | null } {
  const Linear = need<LinearCtor>('nn.Linear');
  const layer = new Linear(d.inF, d.outF);
  layer.weight.data.set(d.weight);
  layer.bias!.data.set(d.bias);
  return layer;
}

function forward(m: Module, x: Tensor): Tensor {
  return m.forward(x) as Tensor;
}

/** C = A·B through the engine's tensor op (allocation and autograd bookkeeping included). */
export function engineMatmul(d: MatmulData): Step {
  const a = new E.Tensor(d.A.slice(), [d.n, d.n]);
  const b = new E.Tensor(d.B.slice(), [d.n, d.n]);
  return () => E.matmul(a, b).data[0];
}

/** The bare gemm kernel on preallocated buffers: the ceiling for engineMatmul. */
export function engineGemmKernel(d: MatmulData): Step {
  const C = new Float32Array(d.n * d.n);
  return () => {
    gemm(false, false, d.n, d.n, d.n, d.A, d.B, C);
    return C[0];
  };
}

/** 2-16-16-1 tanh MLP, BCE with logits, one SGD step. */
export function engineMlpSmall(d: MlpSmallData): Step {
  const SGD = need<OptimizerCtor>('optim.SGD');
  const bce = need<(logits: Tensor, target: Tensor) => Tensor>('F.bceWithLogitsLoss');
  const [l1, l2, l3] = d.layers.map(linearFrom);
  const opt = new SGD(
    [l1, l2, l3].flatMap((l) => l.parameters()),
    { lr: d.lr },
  );
  const x = new E.Tensor(d.x.slice(), [d.batch, 2]);
  const y = new E.Tensor(d.y.slice(), [d.batch, 1]);
  return () => {
    opt.zeroGrad();
    const h1 = E.tanh(forward(l1, x));
    const h2 = E.tanh(forward(l2, h1));
    const loss = bce(forward(l3, h2), y);
    loss.backward();
    opt.step();
    return loss.item();
  };
}

/** 784-128-10 relu MLP, softmax cross-entropy, one Adam step. */
export function engineMlp784(d: Mlp784Data): Step {
  const Adam = need<OptimizerCtor>('optim.Adam');
  const crossEntropy = need<(logits: Tensor, target: number[]) => Tensor>('F.crossEntropy');
  const [l1, l2] = d.layers.map(linearFrom);
  const opt = new Adam(
    [l1, l2].flatMap((l) => l.parameters()),
    { lr: d.lr },
  );
  const x = new E.Tensor(d.x.slice(), [d.batch, 784]);
  const labels = Array.from(d.labels);
  return () => {
    opt.zeroGrad();
    const loss = crossEntropy(forward(l2, E.relu(forward(l1, x))), labels);
    loss.backward();
    opt.step();
    return loss.item();
  };
}

/** conv 8@3×3 → relu → pool 2 → conv 16@3×3 → relu → pool 2 → dense 10, CE, one Adam step. */
export function engineCnn(d: CnnData): Step {
  const Conv2d = need<Conv2dCtor>('nn.Conv2d');
  const maxPool2d = need<(x: Tensor, o: { kernelSize: number }) => Tensor>('F.maxPool2d');
  const Adam = need<OptimizerCtor>('optim.Adam');
  const crossEntropy = need<(logits: Tensor, target: number[]) => Tensor>('F.crossEntropy');
  const convs = [d.conv1, d.conv2].map((c) => {
    const layer = new Conv2d(c.inC, c.outC, c.k, { padding: 1 });
    layer.weight.data.set(c.weight);
    layer.bias!.data.set(c.bias);
    return layer;
  });
  const fc = linearFrom(d.fc);
  const opt = new Adam(
    [...convs, fc].flatMap((l) => l.parameters()),
    { lr: d.lr },
  );
  const x = new E.Tensor(d.x.slice(), [d.batch, 1, 28, 28]);
  const labels = Array.from(d.labels);
  return () => {
    opt.zeroGrad();
    let h = x;
    for (const conv of convs) h = maxPool2d(E.relu(forward(conv, h)), { kernelSize: 2 });
    const loss = crossEntropy(forward(fc, E.reshape(h, [d.batch, 16 * 7 * 7])), labels);
    loss.backward();
    opt.step();
    return loss.item();
  };
}

/** nn.LSTM over T steps, loss = mean of the outputs, forward + backward (no optimizer). */
export function engineLstm(d: LstmData): Step {
  const LSTM = need<LstmCtor>('nn.LSTM');
  const lstm = new LSTM(d.input, d.hidden);
  syncLstmWeights(lstm, d);
  const x = new E.Tensor(d.x.slice(), [d.T, d.batch, d.input]);
  return () => {
    for (const p of lstm.parameters()) p.grad = null;
    const out = lstm.forward(x);
    // PyTorch returns (output, (h, c)); accept a tuple, an { output } record or a bare tensor.
    const output = (
      out instanceof E.Tensor
        ? out
        : Array.isArray(out)
          ? out[0]
          : (out as { output: Tensor }).output
    ) as Tensor;
    const loss = E.mean(output);
    loss.backward();
    return loss.item();
  };
}

/** Copies the seeded weights into the LSTM by shape (PyTorch order: ih weight, hh weight, biases). */
function syncLstmWeights(lstm: Module, d: LstmData): void {
  const H4 = 4 * d.hidden;
  const biases = [d.biasIh, d.biasHh];
  for (const p of lstm.parameters()) {
    const [r, c] = p.shape;
    if (p.ndim === 2 && r === H4 && c === d.input) p.data.set(d.weightIh);
    else if (p.ndim === 2 && r === H4 && c === d.hidden) p.data.set(d.weightHh);
    else if (p.ndim === 1 && r === H4 && biases.length > 0) p.data.set(biases.shift()!);
  }
}
