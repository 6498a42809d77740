/**
 * Second order against PyTorch: `hessian` vs torch.autograd.functional.hessian and `jacobian`
 * vs torch.autograd.functional.jacobian, on functions written once here and once in
 * scripts/golden/generate.py.
 */
import { describe, it } from 'vitest';
import { F, Tensor, hessian, jacobian, valueAndGrad } from '@descent/engine';
import { expectClose, loadFixture, toTensor, type FixtureTensor } from './fixtures.ts';

const FILE = 'higher.json';

interface HigherCase {
  name: string;
  op: 'hessian' | 'jacobian';
  args: { fn: string; W: FixtureTensor };
  inputs: FixtureTensor[];
  value?: number;
  grad?: FixtureTensor;
  out: FixtureTensor;
}

const { cases } = loadFixture<HigherCase>(FILE);

function scalarFn(name: string, W: Tensor): (x: Tensor) => Tensor {
  const e0 = new Tensor(Float64Array.from([1, 0]), [2], 'float64');
  const e1 = new Tensor(Float64Array.from([0, 1]), [2], 'float64');
  switch (name) {
    case 'sum(x^3)':
      return (x) => x.pow(3).sum();
    case 'sum(exp(x)*sin(x))':
      return (x) => x.exp().mul(x.sin()).sum();
    case 'log(sum(exp(x)))':
      return (x) => x.exp().sum().log();
    case 'sum(tanh(W@x)^2)':
      return (x) => W.matmul(x).tanh().pow(2).sum();
    case 'sum(x*x)^2':
      return (x) => x.mul(x).sum().pow(2);
    case 'sum(sigmoid(x)*x^2)':
      return (x) => x.sigmoid().mul(x).mul(x).sum();
    case 'sum(tanh(X@Xt))':
      return (x) => x.matmul(x.t()).tanh().sum();
    case 'crossEntropy(X, [2,0])':
      return (x) => F.crossEntropy(x, [2, 0]);
    case 'sum(gelu(X)^2)':
      return (x) => F.gelu(x).pow(2).sum();
    case 'sum(softplus(X)*X)':
      return (x) => F.softplus(x).mul(x).sum();
    case 'rosenbrock':
      return (x) => {
        const a = x.mul(e0).sum();
        const b = x.mul(e1).sum();
        return a
          .neg()
          .add(1)
          .pow(2)
          .add(b.sub(a.pow(2)).pow(2).mul(100));
      };
    default:
      throw new Error(`${FILE}: no scalar function '${name}'`);
  }
}

function vectorFn(name: string, W: Tensor): (x: Tensor) => Tensor {
  switch (name) {
    case 'softmax(x)':
      return (x) => F.softmax(x, -1);
    case 'tanh(W@x)':
      return (x) => W.matmul(x).tanh();
    case 'x*sum(x)':
      return (x) => x.mul(x.sum());
    case 'exp(x)/(1+x*x)':
      return (x) => x.exp().div(x.mul(x).add(1));
    case 'X@X (matrix in, matrix out)':
      return (x) => x.matmul(x);
    case 'logSoftmax(X, 1)':
      return (x) => F.logSoftmax(x, 1);
    default:
      throw new Error(`${FILE}: no vector function '${name}'`);
  }
}

describe('hessian and jacobian match PyTorch (float64, 1e-10)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const label = `${FILE} › ${c.name}`;
      const W = toTensor(c.args.W);
      const x = toTensor(c.inputs[0]);
      if (c.op === 'hessian') {
        const f = scalarFn(c.args.fn, W);
        const [value, g] = valueAndGrad(f)(x);
        expectClose(value, c.value!, `${label} › value`);
        expectClose(g, c.grad!, `${label} › gradient`);
        expectClose(hessian(f)(x), c.out, `${label} › hessian`);
      } else {
        expectClose(jacobian(vectorFn(c.args.fn, W))(x), c.out, `${label} › jacobian`);
      }
    });
  }
});
