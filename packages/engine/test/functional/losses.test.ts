/**
 * F losses: values against plain-JS formulas, gradients and second derivatives against finite
 * differences (checkOp), the identities between them (crossEntropy = nllLoss ∘ logSoftmax,
 * one-hot probabilities = indices), edge cases, and errors. The golden tests compare with
 * PyTorch itself.
 */
import { describe, expect, it } from 'vitest';
import { F, Tensor, grad, tensor, type NestedArray } from '@descent/engine';
import { checkOp, expectError } from '../helpers/check-op.ts';

const f64 = (values: NestedArray) => tensor(values, { dtype: 'float64' });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const T34 = f64([
  [0.3, -1.2, 0.8, 2.0],
  [-0.5, 0.1, 1.7, -2.2],
  [1.1, 0.4, -0.9, 0.6],
]);
const targets = T34.data;
/** A fixed tensor in x's dtype, so checkOp's float32 pass stays float32. */
const like = (t: Tensor, x: Tensor) => t.to(x.dtype);

describe('regression losses', () => {
  it('mseLoss', () =>
    checkOp(
      [
        [3, 4],
        [3, 4],
      ],
      (p, t) => F.mseLoss(p, t),
      {
        reference: (p, t) => [mean(p.map((v, i) => (v - t[i]) ** 2))],
      },
    ));
  it('l1Loss', () =>
    checkOp([[3, 4]], (p) => F.l1Loss(p, like(T34, p), { reduction: 'sum' }), {
      reference: (p) => [p.reduce((s, v, i) => s + Math.abs(v - targets[i]), 0)],
    }));
  it('huberLoss, quadratic inside delta and linear outside', () =>
    checkOp([[3, 4]], (p) => F.huberLoss(p, like(T34, p), { delta: 0.7, reduction: 'none' }), {
      reference: (p) =>
        p.map((v, i) => {
          const a = Math.abs(v - targets[i]);
          return a < 0.7 ? 0.5 * a * a : 0.7 * (a - 0.35);
        }),
      domain: [-3, 3],
    }));
  it('smoothL1Loss is huberLoss / beta, and beta = 0 is l1Loss', () => {
    const p = f64([[0.1, 2, -3, 0.45]]);
    const t = f64([[0, 0, 0, 0]]);
    const huber = F.huberLoss(p, t, { delta: 0.5 }).item();
    expect(F.smoothL1Loss(p, t, { beta: 0.5 }).item()).toBeCloseTo(huber / 0.5, 15);
    expect(F.smoothL1Loss(p, t, { beta: 0 }).item()).toBeCloseTo(F.l1Loss(p, t).item(), 15);
    checkOp([[3, 4]], (q) => F.smoothL1Loss(q, like(T34, q), { beta: 0.5 }), { domain: [-3, 3] });
  });
  it('l1Loss′ is 0 where pred equals target (sign(0) = 0, like PyTorch)', () => {
    const g = grad((p: Tensor) => F.l1Loss(p, f64([1, 2]), { reduction: 'sum' }))(f64([1, 3]));
    expect(Array.from(g.data)).toEqual([0, 1]);
  });
});

describe('binary cross-entropy', () => {
  const y = f64([
    [1, 0, 1, 0],
    [0, 0, 1, 1],
    [1, 1, 0, 0],
  ]);
  const yd = y.data;
  it('bceLoss on probabilities', () =>
    checkOp([[3, 4]], (p) => F.bceLoss(p, like(y, p)), {
      reference: (p) => [
        mean(p.map((v, i) => -(yd[i] * Math.log(v) + (1 - yd[i]) * Math.log(1 - v)))),
      ],
      domain: [0.05, 0.95],
    }));
  it('bceLoss clamps log at −100, so p = 0 or 1 gives a finite loss', () => {
    const loss = F.bceLoss(f64([0, 1, 0]), f64([1, 0, 0]), { reduction: 'none' });
    expect(Array.from(loss.data, (v) => v + 0)).toEqual([100, 100, 0]); // + 0 turns −0 into 0
    const g = grad((p: Tensor) => F.bceLoss(p, f64([1, 0, 0])))(f64([0, 1, 0]));
    expect(Array.from(g.data).every(Number.isFinite)).toBe(true);
  });
  it('bceWithLogitsLoss equals bceLoss(sigmoid(x)) and is differentiable twice', () => {
    checkOp([[3, 4]], (x) => F.bceWithLogitsLoss(x, like(y, x)), { domain: [-4, 4] });
    const x = T34;
    expect(F.bceWithLogitsLoss(x, y).item()).toBeCloseTo(F.bceLoss(x.sigmoid(), y).item(), 14);
  });
  it('bceWithLogitsLoss with weight and posWeight', () =>
    checkOp([[3, 4]], (x) =>
      F.bceWithLogitsLoss(x, like(y, x), {
        posWeight: like(f64([1, 2, 3, 0.5]), x),
        weight: like(f64([2, 1, 1, 1]), x),
      }),
    ));
  it('bceWithLogitsLoss′(0) = σ(0) − y = ½ − y', () => {
    const g = grad((x: Tensor) => F.bceWithLogitsLoss(x, f64([1, 0]), { reduction: 'sum' }))(
      f64([0, 0]),
    );
    expect(Array.from(g.data)).toEqual([-0.5, 0.5]);
  });
  it('bceWithLogitsLoss is finite and exact for huge logits', () => {
    const loss = F.bceWithLogitsLoss(f64([1000, -1000, 1000]), f64([0, 1, 1]), {
      reduction: 'none',
    });
    expect(Array.from(loss.data)).toEqual([1000, 1000, 0]);
  });
});

describe('cross-entropy and NLL', () => {
  const idx = [2, 0, 3];
  it('crossEntropy with class indices', () =>
    checkOp([[3, 4]], (x) => F.crossEntropy(x, idx), {
      reference: (x) => {
        const rows = [0, 1, 2].map((r) => {
          const row = x.slice(4 * r, 4 * r + 4);
          const lse = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
          return lse - row[idx[r]];
        });
        return [mean(rows)];
      },
    }));
  it('crossEntropy = nllLoss(logSoftmax(x)), also with weight, ignoreIndex and sum', () => {
    const opts = { weight: f64([1, 2, 0.5, 1]), ignoreIndex: 0 };
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const a = F.crossEntropy(T34, idx, { ...opts, reduction });
      const b = F.nllLoss(F.logSoftmax(T34, 1), idx, { ...opts, reduction });
      expect(Array.from(a.data)).toEqual(Array.from(b.data));
    }
  });
  it('one-hot probability targets give the same loss and gradient as indices', () => {
    const onehot = f64(idx.map((k) => [0, 1, 2, 3].map((c) => (c === k ? 1 : 0))));
    const gi = grad((x: Tensor) => F.crossEntropy(x, idx))(T34);
    const gp = grad((x: Tensor) => F.crossEntropy(x, onehot))(T34);
    expect(F.crossEntropy(T34, onehot).item()).toBeCloseTo(F.crossEntropy(T34, idx).item(), 15);
    Array.from(gp.data).forEach((v, i) => expect(v).toBeCloseTo(gi.data[i], 15));
  });
  it('crossEntropy with probabilities and label smoothing, gradient and Hessian', () => {
    const probs = F.softmax(
      f64([
        [1, 0, 0, 2],
        [0, 0, 0, 0],
        [3, 1, 0, 1],
      ]),
    );
    checkOp([[3, 4]], (x) => F.crossEntropy(x, like(probs, x), { labelSmoothing: 0.1 }));
    checkOp([[3, 4]], (x) =>
      F.crossEntropy(x, idx, { labelSmoothing: 0.2, weight: f64([1, 2, 3, 4]) }),
    );
  });
  it('index targets may be a tensor, an array or (for [C] logits) a number', () => {
    const a = F.crossEntropy(T34, f64(idx)).item();
    expect(F.crossEntropy(T34, idx).item()).toBe(a);
    const row = F.crossEntropy(f64([0.3, -1.2, 0.8, 2.0]), 2).item();
    expect(row).toBeCloseTo(F.crossEntropy(T34, idx, { reduction: 'none' }).data[0], 15);
  });
  it('[N, C, d] logits with [N, d] targets equal the flattened [N·d, C] case', () => {
    const x = f64([
      [
        [1, 2],
        [0, -1],
        [3, 0.5],
      ],
    ]); // [1, 3, 2]: N=1, C=3, d=2
    const flat = f64([
      [1, 0, 3],
      [2, -1, 0.5],
    ]);
    expect(F.crossEntropy(x, [[2, 1]]).item()).toBeCloseTo(F.crossEntropy(flat, [2, 1]).item(), 15);
  });
  it('when every target is ignored the mean is NaN (0/0), as in PyTorch', () => {
    expect(Number.isNaN(F.crossEntropy(T34, [-100, -100, -100]).item())).toBe(true);
  });
  it('huge logits stay finite', () => {
    const loss = F.crossEntropy(f64([[1000, 0, -1000]]), [2]).item();
    expect(loss).toBe(2000);
  });
});

describe('losses: PyTorch-style positional forms', () => {
  const p = f64([
    [0.2, 0.7],
    [0.9, 0.4],
  ]);
  const y = f64([
    [0, 1],
    [1, 1],
  ]);
  const same = (a: Tensor, b: Tensor) => expect(Array.from(a.data)).toEqual(Array.from(b.data));
  it("a reduction name instead of options: F.mseLoss(p, t, 'sum')", () => {
    same(F.mseLoss(p, y, 'sum'), F.mseLoss(p, y, { reduction: 'sum' }));
    same(F.l1Loss(p, y, 'none'), F.l1Loss(p, y, { reduction: 'none' }));
    same(F.bceLoss(p, y, 'sum'), F.bceLoss(p, y, { reduction: 'sum' }));
  });
  it("huberLoss(p, t, 'mean', delta) like torch's huber_loss(input, target, reduction, delta)", () =>
    same(F.huberLoss(p, y, 'mean', 0.3), F.huberLoss(p, y, { delta: 0.3 })));
  it('a weight tensor instead of options: F.crossEntropy(x, t, weight)', () => {
    const w = f64([0.5, 2]);
    same(F.crossEntropy(p, [1, 0], w), F.crossEntropy(p, [1, 0], { weight: w }));
    same(F.nllLoss(p, [1, 0], w), F.nllLoss(p, [1, 0], { weight: w }));
    same(F.bceWithLogitsLoss(p, y, w), F.bceWithLogitsLoss(p, y, { weight: w }));
  });
});

describe('losses: reductions and errors', () => {
  it('reduction none keeps the shape, sum adds up, mean averages', () => {
    const p = f64([
      [1, 2],
      [3, 4],
    ]);
    const t = f64([
      [0, 0],
      [0, 0],
    ]);
    expect(F.mseLoss(p, t, { reduction: 'none' }).toArray()).toEqual([
      [1, 4],
      [9, 16],
    ]);
    expect(F.mseLoss(p, t, { reduction: 'sum' }).item()).toBe(30);
    expect(F.mseLoss(p, t).item()).toBe(7.5);
  });
  it('pred and target must have the same shape (no silent broadcasting)', () =>
    expectError(
      () => F.mseLoss(tensor([[1], [2], [3]]), tensor([1, 2, 3])),
      'mseLoss',
      '[3,1]',
      '[3]',
      'same shape',
    ));
  it('an unknown reduction', () =>
    expectError(
      () => F.l1Loss(tensor([1]), tensor([1]), { reduction: 'avg' as 'mean' }),
      'l1Loss',
      'reduction',
      'avg',
    ));
  it('bceLoss rejects values outside [0, 1]', () =>
    expectError(
      () => F.bceLoss(tensor([0.5, 1.5]), tensor([1, 0])),
      'bceLoss',
      '1.5',
      'bceWithLogitsLoss',
    ));
  it('crossEntropy rejects an out-of-range class', () =>
    expectError(
      () => F.crossEntropy(tensor([[1, 2, 3]]), [3]),
      'crossEntropy',
      'target 3',
      '0..2',
    ));
  it('crossEntropy rejects a target of the wrong shape', () =>
    expectError(() => F.crossEntropy(tensor([[1, 2, 3]]), [0, 1]), 'crossEntropy', '[1,3]', '[2]'));
  it('crossEntropy rejects a weight that is not [C]', () =>
    expectError(
      () => F.crossEntropy(tensor([[1, 2, 3]]), [0], { weight: tensor([1, 2]) }),
      'crossEntropy',
      'weight',
      '[3]',
      '[2]',
    ));
  it('nllLoss of a 0-d tensor', () => expectError(() => F.nllLoss(tensor(1), 0), 'nllLoss', '0-d'));
  it('huberLoss needs delta > 0', () =>
    expectError(() => F.huberLoss(tensor([1]), tensor([1]), { delta: 0 }), 'huberLoss', 'delta'));
});
