import { describe, expect, it } from 'vitest';
import * as E from '@descent/engine';
import { tensor, Tensor } from '@descent/engine';
import { checkOp, expectClose, expectError, flat } from '../helpers/check-op.ts';

const map1 = (f: (x: number) => number) => (a: number[]) => a.map(f);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

type Unary = {
  name: string;
  fn: (x: Tensor) => Tensor;
  ref: (x: number) => number;
  domain?: [number, number];
  avoid?: number[];
};
const unary: Unary[] = [
  { name: 'neg', fn: E.neg, ref: (x) => -x },
  { name: 'exp', fn: E.exp, ref: Math.exp },
  { name: 'log', fn: E.log, ref: Math.log, domain: [0.2, 3] },
  { name: 'sqrt', fn: E.sqrt, ref: Math.sqrt, domain: [0.2, 3] },
  { name: 'abs', fn: E.abs, ref: Math.abs, avoid: [0] },
  { name: 'sin', fn: E.sin, ref: Math.sin },
  { name: 'cos', fn: E.cos, ref: Math.cos },
  { name: 'tanh', fn: E.tanh, ref: Math.tanh },
  { name: 'sigmoid', fn: E.sigmoid, ref: sigmoid },
  { name: 'relu', fn: E.relu, ref: (x) => Math.max(x, 0), avoid: [0] },
  { name: 'square', fn: E.square, ref: (x) => x * x },
  { name: 'reciprocal', fn: E.reciprocal, ref: (x) => 1 / x, domain: [0.3, 3] },
];

describe('unary ops', () => {
  for (const op of unary) {
    describe(op.name, () => {
      const opts = { reference: map1(op.ref), domain: op.domain, avoid: op.avoid };
      it('scalar', () => checkOp([[]], op.fn, opts));
      it('higher rank', () => checkOp([[2, 3, 4]], op.fn, opts));
      it('method form equals free function', () => {
        const x = tensor([0.5, 1.5]);
        const method = (x as unknown as Record<string, () => Tensor>)[op.name].call(x);
        expect(method.toArray()).toEqual(op.fn(x).toArray());
      });
      it('propagates NaN', () => {
        expect(Number.isNaN(op.fn(tensor([NaN])).item())).toBe(true);
      });
      it('rejects a non-tensor', () => {
        expectError(() => op.fn([1, 2] as unknown as Tensor), op.name);
      });
    });
  }

  it("kinks follow torch: relu'(0) = 0, abs'(0) = 0, sqrt'(0) = inf", () => {
    for (const [fn, expected] of [
      [E.relu, 0],
      [E.abs, 0],
      [E.sqrt, Infinity],
    ] as const) {
      const x = tensor([0], { dtype: 'float64', requiresGrad: true });
      fn(x).sum().backward();
      expect(x.grad!.item()).toBe(expected);
    }
  });

  it('sigmoid saturates without NaN', () => {
    expect(E.sigmoid(tensor([-1000, 1000])).toArray()).toEqual([0, 1]);
  });

  it('sign is -1, 0, 1 and carries no gradient', () => {
    expect(E.sign(tensor([-3, 0, 2])).toArray()).toEqual([-1, 0, 1]);
    expect(E.sign(tensor([1], { requiresGrad: true })).requiresGrad).toBe(false);
  });
});

type Binary = {
  name: string;
  fn: (a: Tensor, b: Tensor) => Tensor;
  ref: (a: number, b: number) => number;
  domainB?: [number, number];
  domain?: [number, number];
};
const binary: Binary[] = [
  { name: 'add', fn: E.add, ref: (a, b) => a + b },
  { name: 'sub', fn: E.sub, ref: (a, b) => a - b },
  { name: 'mul', fn: E.mul, ref: (a, b) => a * b },
  { name: 'div', fn: E.div, ref: (a, b) => a / b, domain: [0.5, 2] },
  { name: 'pow', fn: E.pow, ref: (a, b) => a ** b, domain: [0.5, 2] },
  { name: 'maximum', fn: E.maximum, ref: Math.max },
  { name: 'minimum', fn: E.minimum, ref: Math.min },
];

/** Reference for broadcasting: index each operand by NumPy rules. */
function broadcastRef(f: (a: number, b: number) => number, sa: number[], sb: number[]) {
  return (a: number[], b: number[]) => {
    const out = E.broadcastShapes(sa, sb);
    const n = out.reduce((p, q) => p * q, 1);
    const at = (shape: number[], idx: number[]) => {
      let off = 0;
      const lead = out.length - shape.length;
      for (let d = 0; d < shape.length; d++)
        off = off * shape[d] + (shape[d] === 1 ? 0 : idx[d + lead]);
      return off;
    };
    const res: number[] = [];
    for (let i = 0; i < n; i++) {
      const idx: number[] = [];
      let r = i;
      for (let d = out.length - 1; d >= 0; d--) {
        idx[d] = r % out[d];
        r = Math.floor(r / out[d]);
      }
      res.push(f(a[at(sa, idx)], b[at(sb, idx)]));
    }
    return res;
  };
}

const shapePairs: [number[], number[]][] = [
  [[], []],
  [[3], [3]],
  [[2, 3], []],
  [[], [2, 3]],
  [[4, 3], [3]],
  [[3], [4, 3]],
  [
    [4, 1],
    [1, 3],
  ],
  [
    [2, 1, 4],
    [3, 1],
  ],
  [
    [2, 3, 4],
    [2, 1, 4],
  ],
  [
    [5, 1, 1],
    [1, 2, 3],
  ],
];

describe('binary ops', () => {
  for (const op of binary) {
    describe(op.name, () => {
      for (const [sa, sb] of shapePairs) {
        it(`${JSON.stringify(sa)} with ${JSON.stringify(sb)}`, () => {
          checkOp([sa, sb], op.fn, {
            reference: broadcastRef(op.ref, sa, sb),
            domain: op.domain,
            // maximum/minimum are not differentiable where a == b; random draws never tie.
          });
        });
      }
      it('numbers broadcast as scalars and keep the tensor dtype', () => {
        const x = tensor([1, 2], { dtype: 'float64' });
        expect(op.fn(x, 2 as unknown as Tensor).dtype).toBe('float64');
        expect(op.fn(2 as unknown as Tensor, x).dtype).toBe('float64');
        expectClose(op.fn(x, 2 as unknown as Tensor).data, [op.ref(1, 2), op.ref(2, 2)]);
      });
      it('promotes float32 with float64 to float64', () => {
        const a = tensor([1, 2]);
        const b = tensor([3, 4], { dtype: 'float64' });
        expect(op.fn(a, b).dtype).toBe('float64');
        expect(op.fn(b, a).dtype).toBe('float64');
      });
      it('gradient of a float32 input stays float32 when mixed with float64', () => {
        const a = tensor([1, 2], { requiresGrad: true });
        const b = tensor([3, 4], { dtype: 'float64', requiresGrad: true });
        op.fn(a, b).sum().backward();
        expect(a.grad!.dtype).toBe('float32');
        expect(b.grad!.dtype).toBe('float64');
      });
      it('propagates NaN', () => {
        expect(Number.isNaN(op.fn(tensor([NaN]), tensor([1])).item())).toBe(true);
        expect(Number.isNaN(op.fn(tensor([1]), tensor([NaN])).item())).toBe(true);
      });
      it('names itself and both shapes when broadcasting fails', () => {
        expectError(
          () =>
            op.fn(
              tensor([
                [1, 2, 3],
                [4, 5, 6],
              ]),
              tensor([1, 2, 3, 4]),
            ),
          `${op.name}: cannot broadcast [2,3] with [4]`,
        );
      });
      it('method form equals free function', () => {
        const a = tensor([1, 2]);
        const b = tensor([3, 0.5]);
        const method = (a as unknown as Record<string, (b: Tensor) => Tensor>)[op.name].call(a, b);
        expect(method.toArray()).toEqual(op.fn(a, b).toArray());
      });
    });
  }

  it('a 100-element bias row broadcasts down a batch (the fast path) correctly', () => {
    const x = E.randn([7, 100], { dtype: 'float64' });
    const b = E.randn([100], { dtype: 'float64' });
    const y = x.add(b);
    for (let i = 0; i < 7; i++)
      for (let j = 0; j < 100; j++)
        expect(y.data[i * 100 + j]).toBe(x.data[i * 100 + j] + b.data[j]);
  });

  it('maximum/minimum split the gradient evenly on ties, like torch', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([2, 2, 2], { requiresGrad: true });
    E.maximum(a, b).sum().backward();
    expect(a.grad!.toArray()).toEqual([0, 0.5, 1]);
    expect(b.grad!.toArray()).toEqual([1, 0.5, 0]);
    const c = tensor([1, 2, 3], { requiresGrad: true });
    E.minimum(c, 2).sum().backward();
    expect(c.grad!.toArray()).toEqual([1, 0.5, 0]);
  });

  it("pow: gradient wrt exponent, and torch's conventions at zero", () => {
    const x = tensor([0, 2], { dtype: 'float64', requiresGrad: true });
    const e = tensor([2, 3], { dtype: 'float64', requiresGrad: true });
    E.pow(x, e).sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 12]);
    expectClose(e.grad!.data, [0, 8 * Math.log(2)]);
    // d/dx x^0 at x = 0 is 0 (torch masks exponent == 0).
    const z = tensor([0], { dtype: 'float64', requiresGrad: true });
    E.pow(z, 0).sum().backward();
    expect(z.grad!.item()).toBe(0);
    // Number exponents: x ** 0.5 at positive x.
    checkOp([[3]], (x) => x.pow(0.5), { domain: [0.5, 2], reference: map1(Math.sqrt) });
    checkOp([[3]], (x) => x.pow(3), { reference: map1((v) => v ** 3) });
    checkOp([[3]], (x) => E.pow(2 as unknown as Tensor, x), { reference: map1((v) => 2 ** v) });
  });

  it('rejects arrays with a hint to wrap them', () => {
    expectError(() => E.add(tensor([1]), [1, 2] as unknown as Tensor), 'add', 'tensor(...)');
  });
});

describe('comparisons', () => {
  const cases: [string, (a: Tensor, b: Tensor) => Tensor, number[]][] = [
    ['gt', E.gt, [0, 0, 1]],
    ['lt', E.lt, [1, 0, 0]],
    ['ge', E.ge, [0, 1, 1]],
    ['le', E.le, [1, 1, 0]],
    ['eq', E.eq, [0, 1, 0]],
    ['ne', E.ne, [1, 0, 1]],
  ];
  for (const [name, fn, expected] of cases) {
    it(`${name} gives float 0/1 without gradient, broadcasting`, () => {
      const x = tensor([1, 2, 3], { requiresGrad: true });
      const y = fn(x, 2 as unknown as Tensor);
      expect(y.toArray()).toEqual(expected);
      expect(y.dtype).toBe('float32');
      expect(y.requiresGrad).toBe(false);
      expect(fn(tensor([[1], [2]]), tensor([1, 2])).shape).toEqual([2, 2]);
      expectError(
        () => fn(tensor([1, 2]), tensor([1, 2, 3])),
        `${name}: cannot broadcast [2] with [3]`,
      );
    });
  }
  it('NaN compares unequal to everything', () => {
    expect(E.eq(tensor([NaN]), tensor([NaN])).item()).toBe(0);
    expect(E.ne(tensor([NaN]), tensor([NaN])).item()).toBe(1);
  });
});

describe('clamp', () => {
  it('forward and gradient away from the bounds', () => {
    checkOp([[3, 4]], (x) => x.clamp(-1, 1), {
      avoid: [-1, 1],
      reference: map1((v) => Math.min(Math.max(v, -1), 1)),
    });
    checkOp([[5]], (x) => E.clamp(x, 0), { avoid: [0], reference: map1((v) => Math.max(v, 0)) });
    checkOp([[5]], (x) => E.clamp(x, null, 0.5), {
      avoid: [0.5],
      reference: map1((v) => Math.min(v, 0.5)),
    });
  });
  it('passes the gradient at the boundary, inclusive, like torch', () => {
    const x = tensor([-2, -1, 0, 1, 2], { requiresGrad: true });
    x.clamp(-1, 1).sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 1, 1, 1, 0]);
  });
  it('propagates NaN and rejects missing bounds', () => {
    expect(Number.isNaN(E.clamp(tensor([NaN]), 0, 1).item())).toBe(true);
    expectError(() => E.clamp(tensor([1])), 'clamp', 'neither');
  });
  it('min > max gives max everywhere, like torch', () => {
    expect(E.clamp(tensor([0, 5, 10]), 6, 4).toArray()).toEqual([4, 4, 4]);
  });
});

describe('where', () => {
  it('selects and routes gradients, broadcasting all three', () => {
    const cond = tensor([[1], [0]]);
    checkOp([[2, 3], [3]], (a, b) => E.where(cond, a, b), {
      reference: (a, b) => [a[0], a[1], a[2], b[0], b[1], b[2]],
    });
  });
  it('accepts numbers and the method form', () => {
    const x = tensor([-1, 2, -3]);
    expect(E.where(x.gt(0), x, 0).toArray()).toEqual([0, 2, 0]);
    expect(x.where(x.gt(0), 10).toArray()).toEqual([10, 2, 10]);
  });
  it('names the shapes that do not broadcast', () => {
    expectError(
      () => E.where(tensor([1, 0, 1]), tensor([1, 2]), 0),
      'where: cannot broadcast [3] with [2]',
    );
  });
});

describe('cast, clone, finiteness', () => {
  it('cast is differentiable and converts dtype', () => {
    const x = tensor([1.5], { requiresGrad: true });
    const y = x.to('float64');
    expect(y.dtype).toBe('float64');
    y.mul(2).sum().backward();
    expect(x.grad!.dtype).toBe('float32');
    expect(x.grad!.toArray()).toEqual([2]);
  });
  it('clone copies storage', () => {
    const x = tensor([1, 2]);
    const y = x.clone();
    y.data[0] = 9;
    expect(x.data[0]).toBe(1);
  });
  it('isFiniteAll and assertFinite', () => {
    expect(E.isFiniteAll(tensor([1, 2]))).toBe(true);
    expect(E.isFiniteAll(tensor([1, NaN]))).toBe(false);
    expectError(
      () => E.assertFinite(tensor([1, Infinity]), 'loss'),
      'loss',
      'element 1',
      'Infinity',
    );
    expect(flat(E.assertFinite(tensor([3]), 'ok').toArray())).toEqual([3]);
  });
});

describe('isclose and allclose', () => {
  it('follow torch: |a - b| <= atol + rtol·|b|, NaN and inf rules, broadcasting', () => {
    expect(
      E.isclose(
        tensor([1, 2, NaN, Infinity, -Infinity]),
        tensor([1 + 1e-6, 2.1, NaN, Infinity, Infinity]),
      ).toArray(),
    ).toEqual([1, 0, 0, 1, 0]);
    expect(E.isclose(tensor([NaN]), tensor([NaN]), { equalNan: true }).item()).toBe(1);
    expect(
      E.allclose(
        tensor([
          [1, 2],
          [1, 2],
        ]),
        tensor([1, 2]),
      ),
    ).toBe(true);
    expect(E.allclose(tensor([1]), tensor([1.1]), { rtol: 0.2 })).toBe(true);
    expect(tensor([1, 2]).allclose(tensor([1, 2.001]))).toBe(false);
    expect(tensor([1, 2]).isclose(2).toArray()).toEqual([0, 1]);
    expectError(
      () => E.allclose(tensor([1, 2]), tensor([1, 2, 3])),
      'isclose: cannot broadcast [2] with [3]',
    );
  });
});

describe('signed zeros like torch', () => {
  const signs = (t: Tensor) => Array.from(t.data).map((v) => (Object.is(v, -0) ? '-0' : String(v)));
  it('relu keeps -0; maximum/minimum return the first operand on ties', () => {
    const x = tensor([-0, 0]);
    expect(signs(E.relu(x))).toEqual(['-0', '0']);
    expect(signs(E.maximum(x, tensor([0, -0])))).toEqual(['-0', '0']);
    expect(signs(E.minimum(x, tensor([0, -0])))).toEqual(['-0', '0']);
    expect(signs(E.maximum(x, 0))).toEqual(['-0', '0']);
  });
});
