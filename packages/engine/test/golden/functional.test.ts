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
  type OpCase,
} from './fixtures.ts';
import { activationOps, lossOps, type OpFn } from './ops-table.ts';

function checkSecondOrder(file: string, c: OpCase, fn: OpFn): void {
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

function suite(file: string, table: Record<string, OpFn>): void {
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
  suite('activations.json', activationOps);
});

describe('F losses match PyTorch (float64, 1e-10)', () => {
  suite('losses.json', lossOps);

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
