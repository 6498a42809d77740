/**
 * PyTorch parity of the core: each case below has a twin of the same name in
 * torch/cases.py, whose output is stored in torch/expected.json. Values and gradients must
 * match to float64 round-off (float32 cases to one float32 ulp, since torch's vectorized
 * exp/tanh may round differently).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as E from '@descent/engine';
import { tensor } from '@descent/engine';
import type { DType, Tensor } from '@descent/engine';

const expected = JSON.parse(
  readFileSync(new URL('./torch/expected.json', import.meta.url), 'utf8'),
  (_k, v) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v),
) as Record<string, unknown>;

function g(f: (...t: Tensor[]) => Tensor, xs: unknown[], dtype: DType = 'float64') {
  const ts = xs.map((x) => tensor(x as number[], { dtype, requiresGrad: true }));
  const y = f(...ts);
  y.sum().backward();
  return { y: y.toArray(), g: ts.map((t) => (t.grad ? t.grad.toArray() : null)) };
}

const xs = [-20, -3.3, -0.7, 0.0, 0.1, 1.7, 5.5, 30];
const x5 = [0.3, -1.2, 0.7, 2.0, -0.4];
const W = () => E.arange(24, undefined, 1, { dtype: 'float64' }).sin().reshape(2, 3, 4).toArray();
const V = () => E.arange(20, undefined, 1, { dtype: 'float64' }).cos().reshape(4, 5).toArray();
const f64 = (v: number[]) => tensor(v, { dtype: 'float64' });
const hess = (f: (x: Tensor) => Tensor, x: number[]) => E.hessian(f)(f64(x)).toArray();

const cases: Record<string, () => unknown> = {
  clamp: () => g((x) => x.clamp(-1, 1), [[-2, -1, 0, 1, 2]]),
  clampMinGtMax: () => g((x) => x.clamp(6, 4), [[0, 5, 10]]),
  maxDimTies: () =>
    g(
      (x) => x.max(1),
      [
        [
          [3, 1, 3],
          [2, 2, 0],
        ],
      ],
    ),
  maxAllTies: () => g((x) => x.max(), [[3, 1, 3, 3]]),
  minAllTies: () => g((x) => x.min(), [[0, -1, 0]]),
  maximumTies: () =>
    g(
      (a, b) => E.maximum(a, b),
      [
        [1, 2, 3],
        [2, 2, 2],
      ],
    ),
  cumMaxMinTie: () =>
    g(
      (a, b) => E.minimum(a, b),
      [
        [1, 2, 3],
        [2, 2, 2],
      ],
    ),
  powZero: () =>
    g(
      (a, b) => a.pow(b),
      [
        [0, 2, 0, 0],
        [2, 3, 0, -1],
      ],
    ),
  powScalar0: () => g((a) => a.pow(0), [[0, 2]]),
  powHalfAt0: () => g((a) => a.pow(0.5), [[0, 4]]),
  sqrt0: () => g((a) => a.sqrt(), [[0, 4]]),
  abs0: () => g((a) => a.abs(), [[0, -2]]),
  relu0: () => g((a) => a.relu(), [[0, -2, 3]]),
  sign: () => E.sign(tensor([-3, 0, 2, NaN])).toArray(),
  linspace7: () => E.linspace(0, 1, 7).toArray(),
  linspace7_64: () => E.linspace(-3, 1.3, 7, { dtype: 'float64' }).toArray(),
  arange01: () => E.arange(0, 1, 0.1).toArray(),
  arange01_len: () => E.arange(0, 1, 0.1, { dtype: 'float64' }).size,
  var: () => tensor([1, 2, 3, 4]).var().item(),
  std0: () =>
    tensor([
      [1, 2],
      [3, 5],
    ])
      .std(0)
      .toArray(),
  lseInf: () => tensor([-Infinity, -Infinity]).logsumexp(0).item(),
  sigmoid32: () => tensor(xs).sigmoid().toArray(),
  tanh32: () => tensor(xs).tanh().toArray(),
  exp32: () => tensor(xs).exp().toArray(),
  sigmoidBack32: () => g((x) => x.sigmoid(), [xs], 'float32').g[0],
  tanhBack32: () => g((x) => x.tanh(), [xs], 'float32').g[0],
  where: () =>
    g(
      (a, b) => E.where(tensor([1, 0, 1]), a, b),
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ),
  divg: () =>
    g(
      (a, b) => a.div(b),
      [
        [1, -2],
        [3, 0.5],
      ],
    ),
  hessian: () =>
    hess(
      (x) =>
        x
          .pow(3)
          .sum()
          .add(x.select(0, 0).mul(x.select(0, 1))),
      [1, 2],
    ),
  jacobian: () => E.jacobian((x) => x.T.mul(2))(E.zeros([2, 3])).shape,
  maxNaN: () => tensor([1, NaN, 3]).max().item(),
  argmaxNaN: () => tensor([1, NaN, 3]).argmax().item(),
  maximumNaN: () => E.maximum(tensor([1, NaN]), tensor([NaN, 2])).toArray(),
  clampNaN: () => tensor([NaN]).clamp(0, 1).toArray(),
  reluNaN: () => tensor([NaN]).relu().toArray(),
  sum32: () => E.arange(1, 10001).mul(0.1).sum().item(),
  mean32: () => tensor([0.1, 0.2, 0.7]).mean().item(),
  matmulVec: () => E.matmul(E.ones([2, 3, 4]), E.ones([4])).shape,
  pad: () =>
    tensor([[1, 2]])
      .pad([1, 0, 0, 1], 9)
      .toArray(),
  padNeg: () => E.arange(5).pad([-1, -2]).toArray(),
  chunk: () =>
    E.arange(6)
      .chunk(4)
      .map((c) => c.toArray()),
  gatherG: () =>
    g(
      (x) =>
        x.gather(
          1,
          tensor([
            [0, 0],
            [1, 0],
          ]),
        ),
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ),
  normGrad0: () => g((x) => x.mul(x).sum().sqrt(), [[0, 0]]),
  log0: () => g((x) => x.log(), [[0, 1]]),
  divByZero: () => tensor([1, -1, 0]).div(0).toArray(),
  sumAxes: () => g((x) => x.sum([0, 2]).mul(f64([1, 2, 3])), [W()]),
  meanAxis: () => g((x) => x.mean(1, true).pow(2), [W()]),
  varGrad: () => g((x) => x.var(2), [W()]),
  stdGrad: () => g((x) => x.std(), [W()]),
  lseGrad: () => g((x) => x.logsumexp(1), [W()]),
  bmmBroadcast: () => g((a, b) => E.matmul(a, b).sin(), [W(), V()]),
  permuteExpand: () =>
    g(
      (x) =>
        x
          .permute(2, 0, 1)
          .unsqueeze(0)
          .expand(3, 4, 2, 3)
          .mul(E.arange(72, undefined, 1, { dtype: 'float64' }).reshape(3, 4, 2, 3)),
      [W()],
    ),
  sliceStep: () => g((x) => x.slice(1, 1).slice(2, 0, undefined, 2).mul(3), [W()]),
  indexSelect: () => g((x) => x.indexSelect(2, [3, 0, 3]).exp(), [W()]),
  catStack: () =>
    g(
      (a) =>
        E.concat([a, a.mul(2)], 1)
          .sum(0)
          .add(E.stack([a.select(0, 0), a.select(0, 1)], 2).sum()),
      [W()],
    ),
  where2: () => g((a) => E.where(a.gt(0), a.exp(), a.mul(a)), [W()]),
  hessTanhSig: () => hess((x) => x.tanh().mul(x.sigmoid()).div(x.pow(2).add(1)).sum(), x5),
  hessLse: () => hess((x) => x.logsumexp(0), x5),
  hessPowDiv: () => hess((x) => x.abs().add(1).pow(x.cos()).sum().div(x.mul(x).sum().sqrt()), x5),
  hessMatmul: () => hess((x) => E.outer(x, x).matmul(x.exp()).sum(), x5),
  // prod(y) written as exp(sum(log y)) (all factors are positive here).
  hessLog: () => hess((x) => x.mul(x).add(1).log().log().sum().exp(), x5),
  jacSoftmaxish: () => E.jacobian((x) => x.exp().div(x.exp().sum()))(f64(x5)).toArray(),
  f32matmul: () =>
    E.matmul(E.arange(12).sin().reshape(3, 4), E.arange(8).cos().reshape(4, 2)).toArray(),
  f32mixed: () =>
    tensor([0.1, 0.2])
      .add(tensor([0.3, 0.4], { dtype: 'float64' }))
      .toArray(),
  f32scalar: () => tensor([0.1, 0.2]).mul(0.3).toArray(),
  solveG: () =>
    g(
      (A, b) => E.solve(A, b).sin(),
      [
        [
          [4, 1, 0],
          [1, 3, 1],
          [0, 1, 2],
        ],
        [1, 2, 3],
      ],
    ),
  solveG2: () =>
    g(
      (A, b) => E.solve(A, b).exp(),
      [
        [
          [2, 1],
          [1, 3],
        ],
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ),
  normZero: () => g((x) => x.norm(), [[0, 0]]),
  normAxis: () =>
    g(
      (x) => x.norm(2, 1),
      [
        [
          [3, 4],
          [1, -2],
        ],
      ],
    ),
  norm1inf: () =>
    g(
      (x) => x.norm(1).add(x.norm(Infinity)),
      [
        [
          [3, -4],
          [1, -2],
        ],
      ],
    ),
};

/** Float32 cases computed with torch's own (vectorized) exp/tanh may differ by an ulp. */
const ulpCases = new Set([
  'sigmoid32',
  'sigmoidBack32',
  'tanhBack32',
  'tanh32',
  'exp32',
  'f32matmul',
  'sum32',
]);

function close(a: unknown, b: unknown, rtol: number, atol: number, path: string): string | null {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(b)) return Number.isNaN(a) ? null : `${path}: got ${a}, torch NaN`;
    if (!Number.isFinite(b)) return a === b ? null : `${path}: got ${a}, torch ${b}`;
    return Math.abs(a - b) <= atol + rtol * Math.abs(b) ? null : `${path}: got ${a}, torch ${b}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const e = close(a[i], b[i], rtol, atol, `${path}[${i}]`);
      if (e) return e;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of Object.keys(b)) {
      const e = close(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        rtol,
        atol,
        `${path}.${k}`,
      );
      if (e) return e;
    }
    return null;
  }
  return a === b ? null : `${path}: got ${String(a)}, torch ${String(b)}`;
}

describe('matches PyTorch 1.13', () => {
  it('every torch case has a twin here', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(expected).sort());
  });
  for (const [name, run] of Object.entries(cases)) {
    it(name, () => {
      // float64 cases: round-off only. float32 ulp cases: two float32 ulps, plus an absolute
      // floor for gradients like 1 - tanh² where an ulp of the forward value is amplified.
      const ulp = ulpCases.has(name);
      const error = close(run(), expected[name], ulp ? 2.5e-7 : 1e-12, ulp ? 1.2e-7 : 1e-300, name);
      expect(error).toBe(null);
    });
  }
});
