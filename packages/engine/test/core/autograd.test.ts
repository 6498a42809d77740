import { describe, expect, it } from 'vitest';
import * as E from '@descent/engine';
import { grad, hessian, jacobian, noGrad, tensor, Tensor, valueAndGrad } from '@descent/engine';
import { expectClose, expectError } from '../helpers/check-op.ts';

describe('backward', () => {
  it('computes and accumulates leaf gradients until zeroed', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    x.mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([
      [2, 4],
      [6, 8],
    ]);
    x.mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([
      [4, 8],
      [12, 16],
    ]);
    x.zeroGrad();
    expect(x.grad).toBe(null);
    x.sum().backward();
    expect(x.grad!.toArray()).toEqual([
      [1, 1],
      [1, 1],
    ]);
    x.grad = null;
    x.sum().backward();
    expect(x.grad!.toArray()).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });
  it('gives each leaf its own gradient storage (add hands the same tensor to both)', () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([2], { requiresGrad: true });
    a.add(b).sum().backward();
    expect(a.grad!.data).not.toBe(b.grad!.data);
    a.grad!.data[0] = 5;
    expect(b.grad!.item()).toBe(1);
  });
  it('handles a tensor used many times (diamond graph)', () => {
    const x = tensor([3], { dtype: 'float64', requiresGrad: true });
    const y = x.mul(2);
    const z = y.mul(y).add(y.exp()).add(x);
    z.sum().backward();
    expectClose(x.grad!.data, [2 * 2 * 6 + 2 * Math.exp(6) + 1]);
  });
  it('non-scalar outputs need an explicit gradient, like torch', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expectError(
      () => x.mul(2).backward(),
      'grad can be implicitly created only for scalar outputs',
    );
    x.mul(2).backward(tensor([1, 10]));
    expect(x.grad!.toArray()).toEqual([2, 20]);
    expectError(
      () => x.mul(2).backward(tensor([1])),
      'backward: gradient has shape [1] but the output has shape [2]',
    );
  });
  it('frees the graph after backward like torch, unless retainGraph', () => {
    const x = tensor([2], { requiresGrad: true });
    const h = x.mul(x);
    const y = h.mul(3).sum();
    y.backward();
    expect(x.grad!.item()).toBe(12);
    expectError(() => y.backward(), 'backward through the graph a second time', 'retainGraph');
    // Reusing a freed intermediate in a new graph fails the same way when gradients reach it.
    expectError(() => h.add(1).sum().backward(), 'second time');
    const z = tensor([2], { requiresGrad: true });
    const w = z.mul(z).sum();
    w.backward({ retainGraph: true });
    w.backward();
    expect(z.grad!.item()).toBe(8);
  });
  it('refuses outputs that do not require grad', () => {
    expectError(() => tensor([1]).sum().backward(), 'does not require grad');
  });
  it('only leaves get .grad unless retainGrad is called', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(3);
    const z = x.mul(3).retainGrad();
    y.add(z).sum().backward();
    expect(y.grad).toBe(null);
    expect(z.grad!.toArray()).toEqual([1, 1]);
  });
  it('backprops a chain of 100,000 ops without overflowing the stack', () => {
    const x = tensor([1], { dtype: 'float64', requiresGrad: true });
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.mul(1.00001).add(0);
    y.sum().backward();
    expectClose(x.grad!.data, [1.00001 ** 100_000], 0, 1e-9);
  });
  it('a wide graph (one node, 100,000 consumers) also works', () => {
    const x = tensor([2], { requiresGrad: true });
    const parts: Tensor[] = [];
    for (let i = 0; i < 100_000; i++) parts.push(x.mul(1));
    E.concat(parts).sum().backward();
    expect(x.grad!.item()).toBe(100_000);
  });
});

describe('noGrad, detach, requiresGrad', () => {
  it('noGrad records nothing and restores the mode even on throw', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => w.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(E.isGradEnabled()).toBe(true);
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(E.isGradEnabled()).toBe(true);
  });
  it('detach shares data and cuts the graph', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const d = w.mul(2).detach();
    expect(d.requiresGrad).toBe(false);
    const v = w.mul(d).sum();
    v.backward();
    expect(w.grad!.toArray()).toEqual([2, 4]);
  });
  it('requiresGrad_ and the settable flag', () => {
    const x = tensor([1]).requiresGrad_();
    expect(x.requiresGrad).toBe(true);
    const y = tensor([1]);
    y.requiresGrad = true;
    y.mul(3).sum().backward();
    expect(y.grad!.item()).toBe(3);
    expectError(() => x.mul(2).requiresGrad_(false), 'requiresGrad_', 'leaf');
    expect(x.isLeaf).toBe(true);
    expect(x.mul(2).isLeaf).toBe(false);
  });
});

describe('functional transforms', () => {
  it('grad and valueAndGrad leave x.grad alone', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const f = (v: Tensor) => v.pow(3).sum();
    expect(grad(f)(x).toArray()).toEqual([3, 12, 27]);
    const [value, g] = valueAndGrad(f)(x);
    expect(value.item()).toBe(36);
    expect(g.toArray()).toEqual([3, 12, 27]);
    const both = valueAndGrad(f)(tensor([2]));
    expect(both.value.item()).toBe(8);
    expect(both.grad.toArray()).toEqual([12]);
    expect(x.grad).toBe(null);
  });
  it('argnums picks which argument, extra arguments pass through', () => {
    const f = (a: Tensor, b: Tensor) => a.mul(b).sum();
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    expect(grad(f, { argnums: 1 })(a, b).toArray()).toEqual([1, 2]);
    const [ga, gb] = grad(f, { argnums: [0, 1] })(a, b);
    expect(ga.toArray()).toEqual([3, 4]);
    expect(gb.toArray()).toEqual([1, 2]);
    expect(grad((x: Tensor, k: number) => x.mul(k).sum())(a, 5).toArray()).toEqual([5, 5]);
  });
  it('gradient of a function that ignores its input is zeros', () => {
    expect(grad((_x: Tensor) => tensor(1))(tensor([1, 2])).toArray()).toEqual([0, 0]);
  });
  it('grad rejects vector outputs', () => {
    expectError(
      () => grad((x: Tensor) => x.mul(2))(tensor([1, 2])),
      'grad: the function must return a scalar',
      '[2]',
    );
  });
  it('hessian of a quadratic ½xᵀAx + bᵀx is (A + Aᵀ)/2', () => {
    const A = tensor(
      [
        [3, 1, 0],
        [2, 4, 1],
        [0, 1, 5],
      ],
      { dtype: 'float64' },
    );
    const b = tensor([1, -1, 2], { dtype: 'float64' });
    const f = (x: Tensor) => x.matmul(A.matmul(x)).mul(0.5).add(b.matmul(x));
    const H = hessian(f)(tensor([0.3, -0.2, 1], { dtype: 'float64' }));
    expect(H.shape).toEqual([3, 3]);
    expectClose(H.data, A.add(A.T).mul(0.5).data, 1e-12);
  });
  it('hessian of a non-quadratic and of a matrix input', () => {
    const H = hessian((x: Tensor) => x.pow(3).sum())(tensor([1, 2]));
    expect(H.toArray()).toEqual([
      [6, 0],
      [0, 12],
    ]);
    const H2 = hessian((x: Tensor) => x.mul(x).sum())(E.zeros([2, 2]));
    expect(H2.shape).toEqual([2, 2, 2, 2]);
    expect(H2.reshape(4, 4).toArray()).toEqual(E.eye(4).mul(2).toArray());
    const Hs = hessian((x: Tensor) => x.sin().sum())(tensor([0.5], { dtype: 'float64' }));
    expectClose(Hs.data, [-Math.sin(0.5)]);
  });
  it('a Newton step is two lines', () => {
    const g = (x: Tensor) =>
      x
        .sub(tensor([1, 2], { dtype: 'float64' }))
        .pow(2)
        .sum();
    let x = tensor([5, -3], { dtype: 'float64' });
    const H = hessian(g)(x);
    // For a diagonal Hessian, divide; a quadratic is solved in one step.
    x = x.sub(grad(g)(x).div(H.sum(1)));
    expectClose(x.data, [1, 2], 1e-12);
  });
  it('jacobian follows torch.autograd.functional shapes', () => {
    const J = jacobian((x: Tensor) => x.mul(x))(tensor([1, 2]));
    expect(J.toArray()).toEqual([
      [2, 0],
      [0, 4],
    ]);
    const W = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const J2 = jacobian((x: Tensor) => W.matmul(x))(tensor([1, 1, 1]));
    expect(J2.toArray()).toEqual(W.toArray());
    const J3 = jacobian((x: Tensor) => x.sum())(E.zeros([2, 2]));
    expect(J3.shape).toEqual([2, 2]);
    const J4 = jacobian((x: Tensor) => x.T)(E.zeros([2, 3]));
    expect(J4.shape).toEqual([3, 2, 2, 3]);
  });
  it('higher order: d³/dx³ of x⁴ is 24x, d⁴ is 24', () => {
    const f = (x: Tensor) => x.pow(4).sum();
    const d1 = (x: Tensor) => grad(f)(x).sum();
    const d2 = (x: Tensor) => grad(d1)(x).sum();
    const d3 = (x: Tensor) => grad(d2)(x).sum();
    const x = tensor([2], { dtype: 'float64' });
    expect(grad(f)(x).item()).toBe(32);
    expect(grad(d1)(x).item()).toBe(48);
    expect(grad(d2)(x).item()).toBe(48);
    expect(grad(d3)(x).item()).toBe(24);
  });
  it('third derivatives of tanh and sigmoid (through their fused backward passes)', () => {
    const x0 = 0.4;
    const d3 = (f: (x: Tensor) => Tensor) => {
      const d1 = (x: Tensor) => grad((z: Tensor) => f(z).sum())(x).sum();
      const d2 = (x: Tensor) => grad(d1)(x).sum();
      return grad(d2)(tensor([x0], { dtype: 'float64' })).item();
    };
    const t = Math.tanh(x0);
    const s = 1 / (1 + Math.exp(-x0));
    expectClose([d3((x) => x.tanh())], [-2 * (1 - t * t) * (1 - 3 * t * t)], 1e-12);
    expectClose([d3((x) => x.sigmoid())], [s * (1 - s) * (1 - 6 * s + 6 * s * s)], 1e-12);
  });
  it('backward accepts options first, numbers and arrays as gradients', () => {
    const x = tensor([3], { dtype: 'float64', requiresGrad: true });
    x.pow(2).sum().backward({ createGraph: true });
    expect(x.grad!.requiresGrad).toBe(true);
    x.grad = null;
    x.mul(2).backward([5]);
    expect(x.grad!.item()).toBe(10);
    x.grad = null;
    x.mul(2).sum().backward(3);
    expect(x.grad!.item()).toBe(6);
    x.grad = null;
    x.mul(2).backward({ gradient: tensor([1], { dtype: 'float64' }) });
    expect(x.grad!.item()).toBe(2);
  });
  it('backward({ createGraph: true }) makes x.grad differentiable', () => {
    const x = tensor([3], { dtype: 'float64', requiresGrad: true });
    x.pow(3).sum().backward(null, { createGraph: true });
    const g = x.grad!;
    expect(g.item()).toBe(27);
    expect(g.requiresGrad).toBe(true);
    x.grad = null;
    g.sum().backward();
    expect(x.grad!.item()).toBe(18);
  });
  it('gradients of tanh/sigmoid/exp compositions to second order match closed forms', () => {
    const x0 = 0.7;
    const d2 = grad((x: Tensor) => grad((z: Tensor) => z.tanh().sum())(x).sum())(
      tensor([x0], { dtype: 'float64' }),
    );
    const t = Math.tanh(x0);
    expectClose(d2.data, [-2 * t * (1 - t * t)]);
  });
});
