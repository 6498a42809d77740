import { describe, expect, it } from 'vitest';
import * as E from '@descent/engine';
import { tensor, Tensor } from '@descent/engine';
import { checkOp, expectClose, expectError } from '../helpers/check-op.ts';

/** Reference matmul of row-major [m,k]·[k,n]. */
function mmRef(a: number[], b: number[], m: number, k: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      out.push(s);
    }
  return out;
}

describe('matmul', () => {
  it('2-D by 2-D', () => {
    checkOp(
      [
        [3, 4],
        [4, 2],
      ],
      E.matmul,
      { reference: (a, b) => mmRef(a, b, 3, 4, 2) },
    );
  });
  it('1-D cases follow torch.matmul', () => {
    expect(E.matmul(tensor([1, 2]), tensor([3, 4])).toArray()).toEqual(11);
    expect(E.matmul(tensor([1, 2]), tensor([3, 4])).shape).toEqual([]);
    expect(
      E.matmul(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        tensor([1, 1]),
      ).toArray(),
    ).toEqual([3, 7]);
    expect(
      E.matmul(
        tensor([1, 1]),
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ).toArray(),
    ).toEqual([4, 6]);
    checkOp([[4], [4]], E.matmul, { reference: (a, b) => mmRef(a, b, 1, 4, 1) });
    checkOp([[4], [4, 3]], E.matmul);
    checkOp([[3, 4], [4]], E.matmul);
    checkOp([[2, 3, 4], [4]], E.matmul);
    checkOp([[4], [2, 4, 3]], E.matmul);
  });
  it('batched with broadcasting', () => {
    checkOp(
      [
        [2, 3, 4],
        [4, 5],
      ],
      E.matmul,
    );
    checkOp(
      [
        [3, 4],
        [2, 4, 5],
      ],
      E.matmul,
    );
    checkOp(
      [
        [2, 1, 3, 4],
        [5, 4, 2],
      ],
      E.matmul,
    );
    const a = E.randn([2, 3, 4], { dtype: 'float64' });
    const b = E.randn([2, 4, 5], { dtype: 'float64' });
    const c = a.matmul(b);
    expect(c.shape).toEqual([2, 3, 5]);
    for (let i = 0; i < 2; i++) {
      expectClose(
        c.select(0, i).data,
        mmRef(Array.from(a.select(0, i).data), Array.from(b.select(0, i).data), 3, 4, 5),
        1e-12,
        1e-12,
      );
    }
  });
  it('promotes dtypes', () => {
    expect(E.matmul(tensor([[1]]), tensor([[2]], { dtype: 'float64' })).dtype).toBe('float64');
  });
  it('errors name both shapes and the inner sizes', () => {
    expectError(
      () =>
        E.matmul(
          tensor([
            [1, 2, 3],
            [4, 5, 6],
          ]),
          tensor([
            [1, 2, 3],
            [4, 5, 6],
          ]),
        ),
      'matmul: cannot multiply [2,3] by [2,3]: inner sizes 3 and 2 differ',
    );
    expectError(
      () => E.matmul(tensor([1, 2]), tensor([1, 2, 3])),
      'matmul: cannot multiply [2] by [3]',
    );
    expectError(
      () => E.matmul(tensor(1), tensor([1])),
      'matmul: both arguments need at least 1 dimension',
    );
    expectError(
      () => E.matmul(E.zeros([2, 2, 3]), E.zeros([3, 3, 1])),
      'matmul: cannot broadcast [2] with [3]',
    );
  });
});

describe('mm with transposed operands and linear', () => {
  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`mm(transA=${ta}, transB=${tb}) equals matmul of explicit transposes`, () => {
      const A = ta ? [4, 3] : [3, 4];
      const B = tb ? [2, 4] : [4, 2];
      checkOp([A, B], (a, b) => E.mm(a, b, ta, tb), {
        reference: (a, b) => {
          const at = ta
            ? tensor(a, { shape: A, dtype: 'float64' }).T
            : tensor(a, { shape: A, dtype: 'float64' });
          const bt = tb
            ? tensor(b, { shape: B, dtype: 'float64' }).T
            : tensor(b, { shape: B, dtype: 'float64' });
          return Array.from(E.matmul(at, bt).data);
        },
      });
      checkOp(
        [
          [2, ...A],
          [2, ...B],
        ],
        (a, b) => E.mm(a, b, ta, tb),
      );
    });
  }
  it('linear is x·wᵀ + b for any leading shape', () => {
    checkOp([[5, 3], [4, 3], [4]], (x, w, b) => E.linear(x, w, b));
    checkOp(
      [
        [2, 5, 3],
        [4, 3],
      ],
      (x, w) => E.linear(x, w),
    );
    const x = tensor([[1, 2]]);
    expect(
      E.linear(
        x,
        tensor([
          [1, 1],
          [1, -1],
        ]),
        tensor([0, 10]),
      ).toArray(),
    ).toEqual([[3, 9]]);
    expectError(
      () => E.linear(tensor([[1, 2, 3]]), tensor([[1, 1]])),
      'linear: input [1,3] must end in 2 features',
    );
  });
  it('mm rejects mixed ranks', () => {
    expectError(
      () => E.mm(E.zeros([2, 2]), E.zeros([1, 2, 2]) as Tensor),
      'mm: expected two 2-D matrices',
    );
  });
});

describe('dot and outer', () => {
  it('match their definitions', () => {
    checkOp([[4], [4]], E.dot, { reference: (a, b) => [a.reduce((s, v, i) => s + v * b[i], 0)] });
    checkOp([[3], [2]], E.outer, { reference: (a, b) => a.flatMap((u) => b.map((v) => u * v)) });
    expect(
      tensor([1, 2])
        .dot(tensor([3, 4]))
        .item(),
    ).toBe(11);
    expectError(() => E.dot(tensor([1, 2]), tensor([1])), 'dot: lengths 2 and 1 differ');
    expectError(
      () => E.outer(tensor([[1]]), tensor([1])),
      'outer: expects two 1-D tensors, got [1,1]',
    );
  });
});

describe('F re-exports', () => {
  it('F.linear and F.pad are the core ops', () => {
    expect(E.F.linear).toBe(E.linear);
    expect(E.F.pad).toBe(E.pad);
  });
});

describe('solve and norm', () => {
  it('solve matches A⁻¹b and is differentiable in A and b (to second order)', () => {
    const A0 = tensor(
      [
        [4, 1, 0],
        [1, 3, 1],
        [0, 1, 2],
      ],
      { dtype: 'float64' },
    );
    // A = A0 + small perturbation keeps the random test matrices well conditioned.
    checkOp([[3, 3], [3]], (dA, b) => E.solve(A0.to(dA.dtype).add(dA.mul(0.3)), b), {
      domain: [-1, 1],
    });
    checkOp(
      [
        [3, 3],
        [3, 2],
      ],
      (dA, b) => E.solve(A0.to(dA.dtype).add(dA.mul(0.3)), b),
      { domain: [-1, 1] },
    );
    const x = E.solve(A0, tensor([1, 2, 3], { dtype: 'float64' }));
    expectClose(A0.matmul(x).data, [1, 2, 3], 1e-12);
    expect(
      E.solve(
        tensor([
          [0, 1],
          [1, 0],
        ]),
        tensor([2, 3]),
      ).toArray(),
    ).toEqual([3, 2]);
  });
  it('solve errors', () => {
    expectError(
      () =>
        E.solve(
          tensor([
            [1, 2],
            [2, 4],
          ]),
          tensor([1, 1]),
        ),
      'solve: A is singular',
    );
    expectError(
      () => E.solve(tensor([[1, 2, 3]]), tensor([1])),
      'solve: A must be a square matrix [n, n], got [1,3]',
    );
    expectError(() => E.solve(E.eye(2), tensor([1, 2, 3])), 'solve: b must be [2] or [2, k]');
  });
  it('a Newton step on a quadratic lands on the minimum', () => {
    const A = tensor(
      [
        [3, 1],
        [1, 2],
      ],
      { dtype: 'float64' },
    );
    const f = (v: Tensor) => v.matmul(A.matmul(v)).mul(0.5).sub(v.sum());
    let x = tensor([5, -3], { dtype: 'float64' });
    x = x.sub(E.solve(E.hessian(f)(x), E.grad(f)(x)));
    expectClose(x.data, E.solve(A, E.ones([2], { dtype: 'float64' })).data, 1e-12);
  });
  it('norm: p = 2, 1, inf, over axes; gradient 0 at the origin like torch', () => {
    expect(tensor([3, 4]).norm().item()).toBe(5);
    expect(
      E.norm(
        tensor([
          [3, -4],
          [1, 1],
        ]),
        1,
        1,
      ).toArray(),
    ).toEqual([7, 2]);
    expect(
      E.norm(
        tensor([
          [3, -4],
          [1, 1],
        ]),
        Infinity,
      ).item(),
    ).toBe(4);
    checkOp([[3, 4]], (v) => v.norm(2, 1));
    checkOp([[5]], (v) => v.norm());
    const z = E.zeros([3], { requiresGrad: true });
    z.norm().backward();
    expect(z.grad!.toArray()).toEqual([0, 0, 0]);
    expectError(() => tensor([1]).norm(3), 'norm: p must be 1, 2 or Infinity, got 3');
  });
});
