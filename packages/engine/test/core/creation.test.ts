import { describe, expect, it } from 'vitest';
import * as E from '@descent/engine';
import { Generator, manualSeed, tensor } from '@descent/engine';
import { expectClose, expectError } from '../helpers/check-op.ts';

describe('tensor()', () => {
  it('nested arrays, numbers, typed arrays, tensors', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    expect(x.shape).toEqual([2, 2]);
    expect(x.dtype).toBe('float64');
    expect(x.requiresGrad).toBe(true);
    expect(x.data).toBeInstanceOf(Float64Array);
    expect(tensor([1, 2]).dtype).toBe('float32');
    expect(tensor(3).shape).toEqual([]);
    expect(tensor(3).toArray()).toBe(3);
    expect(tensor(3).item()).toBe(3);
    expect(tensor(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] }).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(tensor(new Float64Array([1, 2])).dtype).toBe('float64');
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('float32');
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
    expect(tensor([true, false]).toArray()).toEqual([1, 0]);
    const src = tensor([1, 2]);
    const copy = tensor(src);
    copy.data[0] = 7;
    expect(src.data[0]).toBe(1);
  });
  it('float32 storage rounds like torch.float32', () => {
    expect(tensor([0.1]).item()).toBe(Math.fround(0.1));
    expect(tensor([0.1], { dtype: 'float64' }).item()).toBe(0.1);
  });
  it('errors for ragged arrays, bad dtypes, wrong sizes', () => {
    expectError(
      () => tensor([[1, 2], [3]]),
      'tensor: ragged nested array: expected length 2 at [1], got length 1',
    );
    expectError(() => tensor([[1, 2], 3] as never), 'tensor: ragged nested array');
    expectError(
      () => tensor([1], { dtype: 'int32' as never }),
      "tensor: dtype must be 'float32' or 'float64', got int32",
    );
    expectError(
      () => tensor(new Float32Array(3), { shape: [2, 2] }),
      'tensor: 3 values do not fill shape [2,2]',
    );
    expectError(() => tensor('a' as never), 'tensor: expected nested arrays');
  });
  it('item() needs exactly one element', () => {
    expectError(() => tensor([1, 2]).item(), 'item: a Tensor with 2 elements cannot be converted');
  });
  it('toString looks like torch', () => {
    expect(
      String(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toBe('tensor([[1., 2.],\n        [3., 4.]])');
    expect(String(tensor([0.5, -1.25], { dtype: 'float64' }))).toBe(
      'tensor([ 0.5000, -1.2500], dtype=float64)',
    );
    expect(String(tensor(2, { requiresGrad: true }))).toBe('tensor(2., requiresGrad=true)');
    expect(String(tensor([1, 2], { requiresGrad: true }).mul(2))).toBe(
      'tensor([2., 4.], gradFn=mul)',
    );
    expect(String(E.zeros([0, 3]))).toBe('tensor([], size=[0,3])');
    expect(String(tensor([NaN, Infinity]))).toBe('tensor([nan, inf])');
    expect(String(E.arange(2000)).includes('...')).toBe(true);
  });
});

describe('filled tensors and ranges', () => {
  it('zeros/ones/full take a shape array or sizes, plus options', () => {
    expect(E.zeros([2, 3]).shape).toEqual([2, 3]);
    expect(E.zeros(2, 3).shape).toEqual([2, 3]);
    expect(E.ones(2, { dtype: 'float64' }).dtype).toBe('float64');
    expect(E.ones([2]).toArray()).toEqual([1, 1]);
    expect(E.zeros([]).shape).toEqual([]);
    expect(E.full([2], 7).toArray()).toEqual([7, 7]);
    expect(E.full(2, 7, { requiresGrad: true }).requiresGrad).toBe(true);
    expectError(() => E.zeros([2, -1]), 'zeros: shape must be non-negative integers, got [2,-1]');
  });
  it('*Like helpers copy shape and dtype', () => {
    const x = tensor([[1, 2]], { dtype: 'float64' });
    expect(E.zerosLike(x).toArray()).toEqual([[0, 0]]);
    expect(E.onesLike(x).dtype).toBe('float64');
    expect(E.fullLike(x, 3).toArray()).toEqual([[3, 3]]);
    expect(E.randLike(x).shape).toEqual([1, 2]);
    expect(E.randnLike(x).dtype).toBe('float64');
  });
  it('arange and linspace match torch', () => {
    expect(E.arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(E.arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(E.arange(5, 1, -2).toArray()).toEqual([5, 3]);
    expect(E.arange(0, 1, 0.1, { dtype: 'float64' }).size).toBe(10);
    expect(E.linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(E.linspace(-1, 1, 1).toArray()).toEqual([-1]);
    expect(E.linspace(0, 1, 3, { dtype: 'float64' }).toArray()).toEqual([0, 0.5, 1]);
    expectError(() => E.arange(0, 1, 0), 'arange: step must be a finite nonzero number');
  });
  it('eye', () => {
    expect(E.eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(E.eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });
});

describe('random', () => {
  it('is reproducible from a seed, globally and per generator', () => {
    manualSeed(42);
    const a = E.randn([5]);
    manualSeed(42);
    expect(E.randn([5]).toArray()).toEqual(a.toArray());
    const g1 = new Generator(7);
    const g2 = new Generator(7);
    expect(E.rand([4], { generator: g1 }).toArray()).toEqual(
      E.rand([4], { generator: g2 }).toArray(),
    );
    expect(new Generator(1).nextUint32()).not.toBe(new Generator(2).nextUint32());
  });
  it('pins the exact stream so Node and browsers agree (pure 32-bit integer math)', () => {
    const g = new Generator(0);
    const first = [g.nextUint32(), g.nextUint32(), g.nextUint32()];
    expect(first.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)).toBe(true);
    // Regression pin: changing the generator changes every seeded chapter.
    expect(first).toMatchInlineSnapshot(`
      [
        3809008728,
        1133695204,
        53579671,
      ]
    `);
  });
  it('rand is in [0, 1) with the right moments', () => {
    const u = E.rand([20000], { generator: new Generator(3), dtype: 'float64' });
    expect(u.min().item()).toBeGreaterThanOrEqual(0);
    expect(u.max().item()).toBeLessThan(1);
    expectClose([u.mean().item()], [0.5], 0.01);
  });
  it('randn has mean 0 and variance 1', () => {
    const z = E.randn([40000], { generator: new Generator(5), dtype: 'float64' });
    expectClose([z.mean().item(), z.var().item()], [0, 1], 0.03);
  });
  it('randint and randperm', () => {
    const r = E.randint(2, 5, [1000], { generator: new Generator(1) });
    expect(r.min().item()).toBe(2);
    expect(r.max().item()).toBe(4);
    expect(r.data.every(Number.isInteger)).toBe(true);
    const p = E.randperm(10, { generator: new Generator(1) });
    expect(Array.from(p.data).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expectError(() => E.randint(3, 3, [2]), 'randint: need integers low < high');
  });
});
