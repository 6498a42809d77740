/**
 * `F` activations and losses against torch.nn.functional (float64): values, gradients, the
 * derivatives at kinks, and second derivatives (gradient of a gradient) for the smooth ones.
 * Also the special functions (erf, erfc) against 40-digit mpmath values.
 */
import { describe, it } from 'vitest';
import { F, Tensor, grad } from '@descent/engine';
import {
  checkForwardBackward,
  expectClose,
  loadFixture,
  toTensor,
  type FixtureTensor,
  type OpCase,
} from './fixtures.ts';

type Args = Record<string, unknown>;
type Fn = (inputs: Tensor[], args: Args) => Tensor;

function tensorArg(args: Args, key: string): Tensor | undefined {
  const t = args[key] as FixtureTensor | undefined;
  return t ? toTensor(t) : undefined;
}

/** The options object F takes, from the fixture's camelCase args (tensors converted). */
function options(args: Args): Record<string, unknown> {
  const out: Record<string, unknown> = { ...args };
  for (const key of ['weight', 'posWeight']) if (key in args) out[key] = tensorArg(args, key);
  return out;
}

const activations: Record<string, Fn> = {
  sigmoid: ([x]) => F.sigmoid(x),
  tanh: ([x]) => F.tanh(x),
  relu: ([x]) => F.relu(x),
  leakyRelu: ([x], a) => F.leakyRelu(x, a.negativeSlope as number),
  elu: ([x], a) => F.elu(x, a.alpha as number),
  softplus: ([x], a) => F.softplus(x, a.beta as number, a.threshold as number),
  gelu: ([x], a) => F.gelu(x, { approximate: a.approximate as 'none' | 'tanh' }),
  softmax: ([x], a) => F.softmax(x, a.axis as number),
  logSoftmax: ([x], a) => F.logSoftmax(x, a.axis as number),
};

const losses: Record<string, Fn> = {
  mseLoss: ([p, t], a) => F.mseLoss(p, t, options(a)),
  l1Loss: ([p, t], a) => F.l1Loss(p, t, options(a)),
  huberLoss: ([p, t], a) => F.huberLoss(p, t, options(a)),
  smoothL1Loss: ([p, t], a) => F.smoothL1Loss(p, t, options(a)),
  bceLoss: ([p, t], a) => F.bceLoss(p, t, options(a)),
  bceWithLogitsLoss: ([p, t], a) => F.bceWithLogitsLoss(p, t, options(a)),
  crossEntropy: ([x, t], a) => F.crossEntropy(x, t, options(a)),
  nllLoss: ([x, t], a) => F.nllLoss(x, t, options(a)),
};

function checkSecondOrder(file: string, c: OpCase, fn: Fn): void {
  const label = `${file} › ${c.name}`;
  const x = toTensor(c.inputs[0]);
  const rest = c.inputs.slice(1).map((t) => toTensor(t));
  const g = toTensor(c.upstream!);
  const v = toTensor(c.direction!);
  const firstOrder = (z: Tensor) =>
    grad((y: Tensor) =>
      fn([y, ...rest], c.args)
        .mul(g)
        .sum(),
    )(z);
  expectClose(firstOrder(x), c.grad!, `${label} › gradient`);
  const second = grad((z: Tensor) => firstOrder(z).mul(v).sum())(x);
  expectClose(second, c.gradgrad!, `${label} › second derivative`);
}

function suite(file: string, table: Record<string, Fn>): void {
  const { cases } = loadFixture(file);
  for (const c of cases) {
    it(c.name, () => {
      const fn = table[c.op];
      if (!fn) throw new Error(`${file} › ${c.name}: the test has no mapping for '${c.op}'`);
      if (c.kind === 'gradgrad') checkSecondOrder(file, c, fn);
      else checkForwardBackward(file, c, (inputs) => fn(inputs, c.args));
    });
  }
}

describe('F activations match PyTorch (float64, 1e-10)', () => {
  suite('activations.json', activations);
});

describe('F losses match PyTorch (float64, 1e-10)', () => {
  suite('losses.json', losses);

  it('crossEntropy/indices as a plain number[] (same as the index tensor)', () => {
    const { cases } = loadFixture('losses.json');
    const c = cases.find((k) => k.name === 'crossEntropy/indices mean')!;
    const out = F.crossEntropy(toTensor(c.inputs[0]), c.inputs[1].data.map(Number));
    expectClose(out, c.out!, `losses.json › ${c.name} › with number[] target`);
  });
});

interface SpecialCase {
  name: string;
  x: number[];
  erf: number[];
  erfc: number[];
}

describe('erf and erfc match 40-digit references', () => {
  const { cases } = loadFixture<SpecialCase>('special.json');
  const c = cases[0];
  it('erf, relative error below 1e-15', () => {
    expectClose(
      c.x.map((v) => F.erf(v)),
      c.erf,
      `special.json › erf`,
      { atol: 1e-300, rtol: 1e-15 },
    );
  });
  it('erfc, relative error below 5e-15', () => {
    expectClose(
      c.x.map((v) => F.erfc(v)),
      c.erfc,
      `special.json › erfc`,
      {
        atol: 1e-300,
        rtol: 5e-15,
      },
    );
  });
});
