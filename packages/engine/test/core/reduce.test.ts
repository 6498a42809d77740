import { describe, expect, it } from 'vitest';
import * as E from '@descent/engine';
import { tensor } from '@descent/engine';
import { checkOp, expectClose, expectError } from '../helpers/check-op.ts';

describe('sum', () => {
  it('all elements, scalar and higher rank', () => {
    checkOp([[]], (x) => x.sum(), { reference: (a) => [a[0]] });
    checkOp([[2, 3, 4]], (x) => x.sum(), { reference: (a) => [a.reduce((p, q) => p + q, 0)] });
  });
  it('over one axis, negative axes, keepDims', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(x.sum(0).toArray()).toEqual([5, 7, 9]);
    expect(x.sum(-1).toArray()).toEqual([6, 15]);
    expect(x.sum(1, true).toArray()).toEqual([[6], [15]]);
    expect(x.sum([0, 1]).toArray()).toEqual(21);
    expect(x.sum(undefined, true).shape).toEqual([1, 1]);
  });
  it('over non-adjacent axes', () => {
    const x = E.arange(24).reshape(2, 3, 4);
    const s = x.sum([0, 2]);
    expect(s.toArray()).toEqual(
      [0, 1, 2].map((j) =>
        [0, 1].reduce(
          (acc, i) => acc + [0, 1, 2, 3].reduce((a, k) => a + i * 12 + j * 4 + k, 0),
          0,
        ),
      ),
    );
    checkOp([[2, 3, 4]], (v) => v.sum([0, 2]));
    checkOp([[2, 3, 4, 2]], (v) => v.sum([1, 2], true));
    checkOp([[2, 3, 4, 2]], (v) => v.sum([0, 1, 3]));
  });
  it('NaN propagates; empty sums are 0', () => {
    expect(Number.isNaN(tensor([1, NaN]).sum().item())).toBe(true);
    expect(E.zeros([0, 3]).sum(0).toArray()).toEqual([0, 0, 0]);
  });
  it('bad axes name the op and the range', () => {
    expectError(
      () => tensor([[1]]).sum(2),
      'sum: axis 2 is out of range for a 2-d tensor',
      '-2..1',
    );
    expectError(() => tensor([[1]]).sum([0, -2]), 'sum: axis 0 appears twice');
  });
});

describe('mean, var, std, logsumexp', () => {
  it('mean', () => {
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ])
        .mean(1)
        .toArray(),
    ).toEqual([1.5, 3.5]);
    checkOp([[3, 4]], (x) => x.mean(0));
    checkOp([[3, 4]], (x) => x.mean(), {
      reference: (a) => [a.reduce((p, q) => p + q) / a.length],
    });
  });
  it('var and std default to the unbiased estimate like torch', () => {
    expectClose(E.variance(tensor([1, 2, 3, 4], { dtype: 'float64' })).data, [5 / 3]);
    expectClose(tensor([2, 4, 4, 4, 5, 5, 7, 9]).std(undefined, { correction: 0 }).data, [2]);
    checkOp([[3, 4]], (x) => x.var(1));
    checkOp([[3, 4]], (x) => x.std(0, { keepDims: true }));
  });
  it('logsumexp is stable and differentiable', () => {
    expectClose(tensor([1000, 1000], { dtype: 'float64' }).logsumexp(0).data, [1000 + Math.log(2)]);
    expect(tensor([-Infinity, -Infinity]).logsumexp(0).item()).toBe(-Infinity);
    checkOp([[3, 4]], (x) => x.logsumexp(1), {
      reference: (a) =>
        [0, 1, 2].map((r) =>
          Math.log(a.slice(r * 4, r * 4 + 4).reduce((s, v) => s + Math.exp(v), 0)),
        ),
    });
  });
});

describe('max and min', () => {
  it('values over an axis, keepDims, several axes', () => {
    const x = tensor([
      [1, 5, 2],
      [7, 2, 7],
    ]);
    expect(x.max(1).toArray()).toEqual([5, 7]);
    expect(x.max(0, true).toArray()).toEqual([[7, 5, 7]]);
    expect(x.min(-1).toArray()).toEqual([1, 2]);
    expect(x.max().toArray()).toEqual(7);
    expect(x.max([0, 1]).toArray()).toEqual(7);
    expect(E.arange(24).reshape(2, 3, 4).max([0, 2]).toArray()).toEqual([15, 19, 23]);
  });
  it('gradients away from ties', () => {
    checkOp([[3, 4]], (x) => x.max(1));
    checkOp([[3, 4]], (x) => x.min(0, true));
    checkOp([[3, 4]], (x) => x.max());
    checkOp([[2, 3, 4]], (x) => x.max([0, 2]));
  });
  it('along an axis the gradient goes to the first maximum (torch.max(dim))', () => {
    const x = tensor(
      [
        [3, 1, 3],
        [2, 2, 0],
      ],
      { requiresGrad: true },
    );
    x.max(1).sum().backward();
    expect(x.grad!.toArray()).toEqual([
      [1, 0, 0],
      [1, 0, 0],
    ]);
  });
  it('over everything the gradient is shared among ties (torch.max())', () => {
    const x = tensor([3, 1, 3, 3], { requiresGrad: true });
    x.max().backward();
    expectClose(x.grad!.data, [1 / 3, 0, 1 / 3, 1 / 3]);
    const y = tensor([0, -1, 0], { requiresGrad: true });
    y.min().backward();
    expectClose(y.grad!.data, [0, 1, 0]);
  });
  it('NaN is the maximum, like torch', () => {
    expect(Number.isNaN(tensor([1, NaN, 3]).max().item())).toBe(true);
    expect(
      Number.isNaN(
        tensor([[1, NaN, 3]])
          .max(1)
          .item(),
      ),
    ).toBe(true);
    expect(
      tensor([[1, NaN, 3]])
        .argmax(1)
        .item(),
    ).toBe(1);
  });
  it('errors', () => {
    expectError(() => E.zeros([0]).max(), 'max', 'empty');
    expectError(() => tensor([1]).max(1), 'max: axis 1 is out of range');
  });
});

describe('argmax and argmin', () => {
  it('first index, flattened when no axis', () => {
    const x = tensor([
      [1, 5, 5],
      [7, 2, 7],
    ]);
    expect(x.argmax(1).toArray()).toEqual([1, 0]);
    expect(x.argmin(0).toArray()).toEqual([0, 1, 0]);
    expect(x.argmax().item()).toBe(3);
    expect(x.argmax(1, true).shape).toEqual([2, 1]);
    expect(x.argmax(1).requiresGrad).toBe(false);
  });
});

describe('options objects', () => {
  it('reductions accept { axis | dim, keepDims | keepdim }', () => {
    const x = tensor([
      [1, 5, 2],
      [7, 2, 7],
    ]);
    expect(x.sum({ axis: 1 }).toArray()).toEqual([8, 16]);
    expect(E.sum(x, { dim: 0, keepdim: true }).shape).toEqual([1, 3]);
    expect(x.mean({ dim: [0, 1] }).item()).toBe(4);
    expect(x.max({ axis: 1, keepDims: true }).toArray()).toEqual([[5], [7]]);
    expect(x.min({ dim: 0 }).toArray()).toEqual([1, 2, 2]);
    expect(x.argmax({ dim: 1 }).toArray()).toEqual([1, 0]);
    expect(x.argmin(null).item()).toBe(0);
    expect(x.logsumexp({ axis: 0 }).shape).toEqual([3]);
    expect(x.clamp({ min: 2, max: 6 }).toArray()).toEqual([
      [2, 5, 2],
      [6, 2, 6],
    ]);
    expectError(() => x.argmax({ dim: [0, 1] }), 'argmax: takes one axis');
  });
});
