/** Laws that must hold for every shape, checked with fast-check. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as E from '@descent/engine';
import { Generator, Tensor, grad } from '@descent/engine';
import { expectClose } from '../helpers/check-op.ts';

const dim = fc.integer({ min: 1, max: 4 });
const shapeArb = fc.array(dim, { minLength: 0, maxLength: 4 });

/** A shape and a second shape that broadcasts with it (some dims dropped or set to 1). */
const broadcastPair = shapeArb.chain((s) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: s.length }),
      fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
    )
    .map(([drop, ones]) => {
      const t = s.map((d, i) => (ones[i] ? 1 : d)).slice(drop);
      return [s, t] as [number[], number[]];
    }),
);

function rnd(shape: number[], seed: number): Tensor {
  return E.randn(shape, { generator: new Generator(seed), dtype: 'float64' });
}

describe('broadcasting laws', () => {
  it('broadcastShapes is symmetric and matches the result shape of add', () => {
    fc.assert(
      fc.property(broadcastPair, fc.boolean(), ([s, t], swap) => {
        const [a, b] = swap ? [t, s] : [s, t];
        const out = E.broadcastShapes(a, b);
        expect(E.broadcastShapes(b, a)).toEqual(out);
        expect(E.add(E.zeros(a), E.zeros(b)).shape).toEqual(out);
      }),
    );
  });
  it('a op b equals expand(a) op expand(b)', () => {
    fc.assert(
      fc.property(broadcastPair, fc.integer(), ([s, t], seed) => {
        const a = rnd(s, seed);
        const b = rnd(t, seed + 1);
        const out = E.broadcastShapes(s, t);
        for (const op of [E.add, E.sub, E.mul, E.maximum]) {
          expect(op(a, b).data).toEqual(op(a.broadcastTo(out), b.broadcastTo(out)).data);
        }
      }),
    );
  });
  it('gradient of a broadcast operand is the output gradient summed back to its shape', () => {
    fc.assert(
      fc.property(broadcastPair, ([s, t]) => {
        const a = E.zeros(s, { requiresGrad: true, dtype: 'float64' });
        const b = E.zeros(t, { requiresGrad: true, dtype: 'float64' });
        a.add(b).sum().backward();
        const n = E.broadcastShapes(s, t).reduce((p, q) => p * q, 1);
        const perA = n / a.size;
        const perB = n / b.size;
        expect(Array.from(a.grad!.data)).toEqual(new Array(a.size).fill(perA));
        expect(Array.from(b.grad!.data)).toEqual(new Array(b.size).fill(perB));
      }),
    );
  });
});

describe('shape round trips', () => {
  it('reshape to flat and back is the identity', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer(), (s, seed) => {
        const x = rnd(s, seed);
        expect(x.reshape(-1).reshape(s).toArray()).toEqual(x.toArray());
      }),
    );
  });
  it('permute then the inverse permutation is the identity', () => {
    fc.assert(
      fc.property(
        shapeArb.chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.shuffledSubarray(
              s.map((_, i) => i),
              { minLength: s.length, maxLength: s.length },
            ),
          ),
        ),
        fc.integer(),
        ([s, perm], seed) => {
          const x = rnd(s, seed);
          const inverse = new Array<number>(perm.length);
          perm.forEach((p, i) => (inverse[p] = i));
          expect(x.permute(perm).permute(inverse).toArray()).toEqual(x.toArray());
          expect(x.permute(perm).shape).toEqual(perm.map((p) => s[p]));
        },
      ),
    );
  });
  it('concat of slices along an axis rebuilds the tensor', () => {
    fc.assert(
      fc.property(
        shapeArb.filter((s) => s.length > 0),
        fc.nat(),
        fc.integer(),
        (s, k, seed) => {
          const x = rnd(s, seed);
          const axis = k % s.length;
          const cut = k % (s[axis] + 1);
          const parts = [x.slice(axis, 0, cut), x.slice(axis, cut)];
          expect(E.concat(parts, axis).toArray()).toEqual(x.toArray());
        },
      ),
    );
  });
});

describe('gradient laws', () => {
  it('the gradient of sum is ones', () => {
    fc.assert(
      fc.property(shapeArb, (s) => {
        const g = grad((x: Tensor) => x.sum())(E.zeros(s));
        expect(Array.from(g.data)).toEqual(new Array(g.size).fill(1));
      }),
    );
  });
  it('the gradient of x ↦ <Ax, v> is Aᵀv (linear ops: the VJP is the transpose)', () => {
    fc.assert(
      fc.property(dim, dim, fc.integer(), (m, n, seed) => {
        const A = rnd([m, n], seed);
        const v = rnd([m], seed + 1);
        const g = grad((x: Tensor) => A.matmul(x).mul(v).sum())(rnd([n], seed + 2));
        expectClose(g.data, A.T.matmul(v).data, 1e-12, 1e-12);
      }),
    );
  });
  it('the gradient of mean over an axis is 1/n', () => {
    fc.assert(
      fc.property(
        shapeArb.filter((s) => s.length > 0),
        fc.nat(),
        (s, k) => {
          const axis = k % s.length;
          const g = grad((x: Tensor) => x.mean(axis).sum())(E.zeros(s, { dtype: 'float64' }));
          expectClose(g.data, new Array(g.size).fill(1 / s[axis]), 1e-15);
        },
      ),
    );
  });
});
