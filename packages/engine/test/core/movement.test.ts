import { describe, expect, it } from 'vitest';
import * as E from '@descent/engine';
import { tensor, arange } from '@descent/engine';
import { checkOp, expectError } from '../helpers/check-op.ts';

describe('reshape family', () => {
  it('reshape with -1 shares storage, like a view', () => {
    const x = arange(6);
    const y = x.reshape(2, -1);
    expect(y.shape).toEqual([2, 3]);
    expect(y.data).toBe(x.data);
    expect(x.view([3, 2]).shape).toEqual([3, 2]);
    expect(E.reshape(tensor(5), [1, 1]).shape).toEqual([1, 1]);
    checkOp([[2, 3]], (v) => v.reshape([3, 2]), { reference: (a) => a });
  });
  it('reshape errors name the sizes', () => {
    expectError(() => arange(6).reshape(4), 'reshape: cannot reshape [6] (6 elements) into [4]');
    expectError(() => arange(6).reshape(4, -1), 'reshape: cannot reshape [6]');
    expectError(() => arange(6).reshape(-1, -1), 'reshape', 'invalid size -1');
  });
  it('flatten, squeeze, unsqueeze', () => {
    expect(E.zeros([2, 3, 4]).flatten().shape).toEqual([24]);
    expect(E.zeros([2, 3, 4]).flatten(1).shape).toEqual([2, 12]);
    expect(E.zeros([2, 3, 4]).flatten(0, 1).shape).toEqual([6, 4]);
    expect(E.zeros([2, 1, 3, 1]).squeeze().shape).toEqual([2, 3]);
    expect(E.zeros([2, 1, 3, 1]).squeeze(1).shape).toEqual([2, 3, 1]);
    expect(E.zeros([2, 1]).squeeze(0).shape).toEqual([2, 1]);
    expect(E.zeros([3]).unsqueeze(0).shape).toEqual([1, 3]);
    expect(E.zeros([3]).unsqueeze(-1).shape).toEqual([3, 1]);
    checkOp([[2, 1, 3]], (v) => v.squeeze().unsqueeze(0).flatten());
    expectError(() => E.zeros([3]).unsqueeze(3), 'unsqueeze: axis 3 is out of range');
  });
});

describe('expand and broadcastTo', () => {
  it('repeats size-1 dims and adds leading ones', () => {
    expect(
      tensor([[1], [2]])
        .expand(2, 3)
        .toArray(),
    ).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(tensor([1, 2]).expand([2, -1]).toArray()).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(E.broadcastTo(tensor([1, 2]), [3, 2]).shape).toEqual([3, 2]);
    checkOp([[3, 1]], (v) => v.expand([2, 3, 4]));
    checkOp([[1, 4]], (v) => E.broadcastTo(v, [3, 4]));
  });
  it('errors', () => {
    expectError(() => tensor([1, 2]).expand(3), 'expand: cannot expand [2] to [3]');
    expectError(
      () => E.broadcastTo(tensor([1, 2]), [3]),
      'broadcastTo: cannot broadcast [2] to [3]',
    );
  });
});

describe('permute and transpose', () => {
  it('moves dimensions', () => {
    const x = arange(24).reshape(2, 3, 4);
    const y = x.permute(2, 0, 1);
    expect(y.shape).toEqual([4, 2, 3]);
    // y[k][i][j] = x[i][j][k]
    expect((y.toArray() as number[][][])[3][1][2]).toBe(1 * 12 + 2 * 4 + 3);
    expect(x.transpose(0, 2).shape).toEqual([4, 3, 2]);
    expect(tensor([[1, 2, 3]]).T.toArray()).toEqual([[1], [2], [3]]);
    expect(tensor([[1, 2, 3]]).t().shape).toEqual([3, 1]);
    expect(tensor([1, 2]).t().shape).toEqual([2]);
    checkOp([[2, 3, 4]], (v) => v.permute([1, 2, 0]));
    checkOp([[3, 5]], (v) => v.T);
  });
  it('errors', () => {
    expectError(() => E.zeros([2, 3]).permute(0), 'permute: need 2 dims for shape [2,3]');
    expectError(() => E.zeros([2, 3]).permute(0, 0), 'permute', 'repeat');
    expectError(() => E.zeros([2, 3, 4]).t(), 't: expects a tensor with <= 2 dimensions');
  });
});

describe('slicing and indexing', () => {
  const x = arange(12).reshape(3, 4);
  it('slice with Python rules', () => {
    expect(x.slice(1, 1, 3).toArray()).toEqual([
      [1, 2],
      [5, 6],
      [9, 10],
    ]);
    expect(x.slice(0, -1).toArray()).toEqual([[8, 9, 10, 11]]);
    expect(x.slice(1, 0, undefined, 2).toArray()).toEqual([
      [0, 2],
      [4, 6],
      [8, 10],
    ]);
    expect(x.slice(0, 5, 9).shape).toEqual([0, 4]);
    expect(arange(10).slice(0, 2, 8, 3).toArray()).toEqual([2, 5]);
    checkOp([[4, 5]], (v) => v.slice(1, 1, 5, 2));
    checkOp([[4, 5]], (v) => v.slice(0, -3, -1));
  });
  it('select and narrow', () => {
    expect(x.select(0, 1).toArray()).toEqual([4, 5, 6, 7]);
    expect(x.select(1, -1).toArray()).toEqual([3, 7, 11]);
    expect(x.narrow(1, 1, 2).toArray()).toEqual([
      [1, 2],
      [5, 6],
      [9, 10],
    ]);
    checkOp([[3, 4]], (v) => v.select(1, 2));
    checkOp([[3, 4]], (v) => v.narrow(0, 1, 2));
  });
  it('slice errors', () => {
    expectError(() => x.slice(0, 0, 2, 0), 'slice: step must be a positive integer, got 0');
    expectError(() => x.select(0, 3), 'select: index 3 is out of range for axis 0 of size 3');
    expectError(
      () => x.narrow(1, 3, 2),
      'narrow: start 3 and length 2 do not fit axis 1 of size 4',
    );
  });
  it('indexSelect and its gradient (repeated indices add up)', () => {
    expect(x.indexSelect(0, [2, 0]).toArray()).toEqual([
      [8, 9, 10, 11],
      [0, 1, 2, 3],
    ]);
    expect(x.indexSelect(1, tensor([3, 3])).toArray()).toEqual([
      [3, 3],
      [7, 7],
      [11, 11],
    ]);
    const w = tensor([1, 2, 3], { requiresGrad: true });
    w.indexSelect(0, [0, 0, 2]).sum().backward();
    expect(w.grad!.toArray()).toEqual([2, 0, 1]);
    checkOp([[4, 3]], (v) => v.indexSelect(0, [3, 1, 1]));
    expectError(() => x.indexSelect(0, [3]), 'indexSelect: index 3 is out of range');
  });
  it('indexAdd', () => {
    expect(E.indexAdd(E.zeros([3]), 0, [0, 0, 2], tensor([1, 2, 3])).toArray()).toEqual([3, 0, 3]);
    checkOp(
      [
        [3, 2],
        [4, 2],
      ],
      (a, s) => E.indexAdd(a, 0, [0, 2, 2, 1], s),
    );
    expectError(
      () => E.indexAdd(E.zeros([3]), 0, [0], tensor([1, 2])),
      'indexAdd: source has shape [2], expected [1]',
    );
  });
  it('gather and scatterAdd', () => {
    const m = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(
      m
        .gather(
          1,
          tensor([
            [0, 0],
            [1, 0],
          ]),
        )
        .toArray(),
    ).toEqual([
      [1, 1],
      [4, 3],
    ]);
    expect(m.gather(0, tensor([[1, 0]])).toArray()).toEqual([[3, 2]]);
    const idx = tensor([
      [2, 0],
      [1, 1],
      [0, 2],
    ]);
    checkOp([[3, 3]], (v) => v.gather(1, idx));
    expect(E.scatterAdd(E.zeros([3]), 0, tensor([0, 2, 0]), tensor([1, 2, 3])).toArray()).toEqual([
      4, 0, 2,
    ]);
    checkOp(
      [
        [3, 3],
        [3, 2],
      ],
      (a, s) =>
        E.scatterAdd(
          a,
          1,
          tensor([
            [2, 0],
            [1, 1],
            [0, 2],
          ]),
          s,
        ),
    );
    expectError(
      () => m.gather(1, tensor([[2]])),
      'gather: index 2 is out of bounds for axis 1 with size 2',
    );
    expectError(() => m.gather(1, tensor([1])), 'gather: index must have as many dimensions');
  });
});

describe('concat, stack, pad', () => {
  it('concat along any axis, promoting dtypes', () => {
    const a = tensor([[1, 2]]);
    const b = tensor(
      [
        [3, 4],
        [5, 6],
      ],
      { dtype: 'float64' },
    );
    const c = E.concat([a, b], 0);
    expect(c.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(c.dtype).toBe('float64');
    expect(E.cat([tensor([[1], [2]]), tensor([[3], [4]])], -1).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    checkOp(
      [
        [2, 3],
        [2, 1],
        [2, 2],
      ],
      (p, q, r) => E.concat([p, q, r], 1),
    );
    expectError(
      () => E.concat([tensor([[1, 2]]), tensor([[1, 2, 3]])], 0),
      'concat: tensor 1 has shape [1,3] but tensor 0 has [1,2]',
    );
    expectError(() => E.concat([], 0), 'concat');
  });
  it('stack adds an axis', () => {
    expect(E.stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(E.stack([tensor(1), tensor(2)]).toArray()).toEqual([1, 2]);
    checkOp(
      [
        [2, 3],
        [2, 3],
      ],
      (p, q) => E.stack([p, q], -1),
    );
    expectError(() => E.stack([tensor([1]), tensor([1, 2])]), 'stack: tensor 1 has shape [2]');
  });
  it('pad like torch.nn.functional.pad (last dimension first), crop with negatives', () => {
    expect(tensor([1, 2]).pad([1, 2]).toArray()).toEqual([0, 1, 2, 0, 0]);
    expect(
      tensor([[1]])
        .pad([1, 0, 0, 1], 9)
        .toArray(),
    ).toEqual([
      [9, 1],
      [9, 9],
    ]);
    expect(arange(5).pad([-1, -2]).toArray()).toEqual([1, 2]);
    checkOp([[2, 3]], (v) => v.pad([1, 2, 2, 0]));
    checkOp([[2, 3]], (v) => E.pad(v, [-1, 1], 3));
    expectError(() => tensor([1]).pad([1]), 'pad: widths must be an even number');
  });
});

describe('split and chunk', () => {
  it('split by size or sizes, chunk by count, gradients flow', () => {
    expect(E.split(arange(5), 2).map((p) => p.toArray())).toEqual([[0, 1], [2, 3], [4]]);
    expect(
      arange(6)
        .reshape(2, 3)
        .split([1, 2], 1)
        .map((p) => p.shape),
    ).toEqual([
      [2, 1],
      [2, 2],
    ]);
    expect(
      arange(5)
        .chunk(2)
        .map((p) => p.toArray()),
    ).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
    expect(arange(6).chunk(4).length).toBe(3);
    checkOp([[5, 2]], (v) => {
      const [a, b] = v.split([2, 3]);
      return a.sum().mul(b.sum());
    });
    expectError(
      () => arange(5).split([1, 2]),
      'split: sizes [1,2] must be non-negative integers summing to 5',
    );
    expectError(() => arange(5).chunk(0), 'chunk: chunks must be a positive integer');
  });
});
