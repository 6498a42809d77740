import { describe, expect, it } from 'vitest';
import { optim, tensor, Tensor } from '@descent/engine';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

/** Loss Σw² (gradient 2w) evaluated and backpropagated, as a closure would. */
function sumSquares(opt: { zeroGrad(): void }, w: Tensor): () => Tensor {
  return () => {
    opt.zeroGrad();
    const loss = w.mul(w).sum();
    loss.backward();
    return loss;
  };
}

function steps(opt: { step(c?: () => Tensor): unknown; zeroGrad(): void }, w: Tensor, n: number) {
  for (let i = 0; i < n; i++) opt.step(sumSquares(opt, w));
}

const near = (got: ArrayLike<number>, want: number[], digits = 12) =>
  want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, digits));

describe('SGD', () => {
  it('plain: w <- w - lr·g', () => {
    const w = tensor([1, 2], f64);
    const opt = new optim.SGD([w], { lr: 0.1 });
    steps(opt, w, 1);
    near(w.data, [0.8, 1.6]);
  });

  it('momentum: the buffer starts at the first gradient', () => {
    const w = tensor([1, 2], f64);
    const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
    steps(opt, w, 2);
    // b1 = [2, 4]; w1 = [0.8, 1.6]; g2 = [1.6, 3.2]; b2 = 0.9·b1 + g2 = [3.4, 6.8].
    near(w.data, [0.46, 0.92]);
  });

  it('nesterov: step g + μb', () => {
    const w = tensor([1, 2], f64);
    const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9, nesterov: true });
    steps(opt, w, 1);
    near(w.data, [0.62, 1.24]);
  });

  it('dampening scales new gradients after the first', () => {
    const w = tensor([1], f64);
    const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.5, dampening: 0.5 });
    steps(opt, w, 2);
    // b1 = 2, w1 = 0.8, g2 = 1.6, b2 = 0.5·2 + 0.5·1.6 = 1.8, w2 = 0.8 − 0.18.
    near(w.data, [0.62]);
  });

  it('weight decay adds λw to the gradient', () => {
    const w = tensor([1, 2], f64);
    const opt = new optim.SGD([w], { lr: 0.1, weightDecay: 0.1 });
    steps(opt, w, 1);
    near(w.data, [0.79, 1.58]);
  });

  it('requires lr and validates nesterov', () => {
    const w = tensor([1], f64);
    expect(() => new optim.SGD([w], {} as { lr: number })).toThrow(/lr is required/);
    expect(() => new optim.SGD([w], { lr: 0.1, nesterov: true })).toThrow(
      /Nesterov momentum requires a momentum > 0/,
    );
    expect(() => new optim.SGD([], { lr: 0.1 })).toThrow(/non-empty list/);
  });
});

describe('adaptive optimizers, first steps by hand', () => {
  it('Adam: the first bias-corrected step has size lr', () => {
    const w = tensor([1, -2], f64);
    const opt = new optim.Adam([w], { lr: 0.1 });
    expect(opt.paramGroups[0].betas).toEqual([0.9, 0.999]);
    expect(opt.paramGroups[0].eps).toBe(1e-8);
    steps(opt, w, 1);
    // g = [2, -4]: m̂ = g, v̂ = g², step = lr·g/(|g| + eps).
    near(w.data, [1 - 0.1 * (2 / (2 + 1e-8)), -2 + 0.1 * (4 / (4 + 1e-8))]);
  });

  it('Adam second step matches the formulas', () => {
    const w = tensor([1], f64);
    const opt = new optim.Adam([w], { lr: 0.1, betas: [0.8, 0.9], eps: 1e-3 });
    steps(opt, w, 2);
    let x = 1;
    let m = 0;
    let v = 0;
    for (let t = 1; t <= 2; t++) {
      const g = 2 * x;
      m = 0.8 * m + 0.2 * g;
      v = 0.9 * v + 0.1 * g * g;
      x -= ((0.1 / (1 - 0.8 ** t)) * m) / (Math.sqrt(v) / Math.sqrt(1 - 0.9 ** t) + 1e-3);
    }
    near(w.data, [x]);
  });

  it('AdamW decays the weight before the Adam step; Adam adds λw to the gradient', () => {
    const a = tensor([1], f64);
    const optW = new optim.AdamW([a], { lr: 0.1, weightDecay: 0.5 });
    steps(optW, a, 1);
    near(a.data, [1 * (1 - 0.05) - 0.1 * (2 / (2 + 1e-8))]);
    expect(new optim.AdamW([tensor([1], f64)]).paramGroups[0].weightDecay).toBe(0.01);

    const b = tensor([1], f64);
    const opt = new optim.Adam([b], { lr: 0.1, weightDecay: 0.5 });
    steps(opt, b, 1);
    near(b.data, [1 - 0.1 * (2.5 / (2.5 + 1e-8))]);
  });

  it('Adagrad accumulates squared gradients (eps outside the root)', () => {
    const w = tensor([1], f64);
    const opt = new optim.Adagrad([w], { lr: 0.5 });
    expect(opt.paramGroups[0].eps).toBe(1e-10);
    steps(opt, w, 2);
    const g1 = 2;
    const x1 = 1 - (0.5 * g1) / (Math.sqrt(g1 * g1) + 1e-10);
    const g2 = 2 * x1;
    const x2 = x1 - (0.5 * g2) / (Math.sqrt(g1 * g1 + g2 * g2) + 1e-10);
    near(w.data, [x2]);
  });

  it('RMSprop: v = αv + (1−α)g², step lr·g/(√v + eps)', () => {
    const w = tensor([1], f64);
    const opt = new optim.RMSprop([w], { lr: 0.01 });
    expect(opt.paramGroups[0].alpha).toBe(0.99);
    steps(opt, w, 1);
    near(w.data, [1 - (0.01 * 2) / (Math.sqrt(0.01 * 4) + 1e-8)]);
  });

  it('Adadelta: eps inside both roots', () => {
    const w = tensor([1], f64);
    const opt = new optim.Adadelta([w]);
    expect(opt.lr).toBe(1);
    steps(opt, w, 1);
    const delta = (Math.sqrt(1e-6) / Math.sqrt(0.1 * 4 + 1e-6)) * 2;
    near(w.data, [1 - delta]);
  });
});

describe('Optimizer base behaviour', () => {
  it('zeroGrad sets grads to null and params without grads are skipped', () => {
    const a = tensor([1], f64);
    const b = tensor([1], f64);
    const opt = new optim.SGD([a, b], { lr: 1 });
    a.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    expect(a.data[0]).toBe(0);
    expect(b.data[0]).toBe(1);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
  });

  it('param groups override the defaults, and lr is settable', () => {
    const a = tensor([1], f64);
    const b = tensor([1], f64);
    const opt = new optim.SGD([{ params: [a], lr: 1 }, { params: [b] }], { lr: 0.5, momentum: 0 });
    a.grad = tensor([1], { dtype: 'float64' });
    b.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    expect([a.data[0], b.data[0]]).toEqual([0, 0.5]);
    opt.lr = 0.25;
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.25, 0.25]);
    opt.setLr(0.1);
    expect(opt.lr).toBe(0.1);
  });

  it('record: true keeps the trajectory (initial point first) and closure losses', () => {
    const w = tensor([1, 2], f64);
    const opt = new optim.SGD([w], { lr: 0.1, record: true });
    steps(opt, w, 2);
    expect(opt.trajectory.length).toBe(3);
    expect(opt.trajectory[0]).toEqual([1, 2]);
    near(opt.trajectory[2], [0.64, 1.28]);
    near(opt.losses, [5, 0.64 * 5]);
  });

  it('rejects a parameter in two groups', () => {
    const a = tensor([1], f64);
    expect(() => new optim.SGD([{ params: [a] }, { params: [a] }], { lr: 1 })).toThrow(
      /more than one group/,
    );
  });
});

describe('Newton and line searches', () => {
  const A = [
    [3, 1],
    [1, 2],
  ];
  const quad = (x: Tensor) => {
    const Ax = tensor(A, { dtype: 'float64' }).matmul(x);
    return x.mul(Ax).sum().mul(0.5).sub(x.sum());
  };

  it('solves a positive-definite quadratic in one step and exposes g, H, p', () => {
    const w = tensor([5, -3], f64);
    const opt = new optim.Newton([w], { record: true });
    opt.step(() => quad(w));
    // Minimiser A⁻¹b with b = [1, 1]: [1/5, 2/5].
    near(w.data, [0.2, 0.4]);
    near(opt.hessian.flat(), [3, 1, 1, 2]);
    expect(opt.trajectory.length).toBe(2);
    expect(opt.losses.length).toBe(1);
  });

  it('damping lr scales the step', () => {
    const w = tensor([5, -3], f64);
    const opt = new optim.Newton([w], { lr: 0.5 });
    opt.step(() => quad(w));
    near(w.data, [(5 + 0.2) / 2, (-3 + 0.4) / 2]);
  });

  it('Newton with backtracking decreases the Rosenbrock function every step', () => {
    const w = tensor([-1.2, 1], f64);
    const rosen = () => {
      const x = w.select(0, 0);
      const y = w.select(0, 1);
      return x
        .neg()
        .add(1)
        .pow(2)
        .add(y.sub(x.mul(x)).pow(2).mul(100));
    };
    const opt = new optim.Newton([w], { lineSearch: 'backtracking', record: true });
    for (let i = 0; i < 30; i++) opt.step(rosen);
    for (let i = 1; i < opt.losses.length; i++)
      expect(opt.losses[i]).toBeLessThanOrEqual(opt.losses[i - 1]);
    near(w.data, [1, 1], 5);
  });

  it('works across several parameter tensors', () => {
    const a = tensor([2], f64);
    const b = tensor([[1, -1]], f64);
    const opt = new optim.Newton([a, b]);
    opt.step(() => a.sub(1).pow(2).sum().add(b.add(3).pow(2).sum().mul(2)));
    near(a.data, [1]);
    near(b.data, [-3, -3]);
    expect(opt.hessian.length).toBe(3);
  });

  it('requires a closure', () => {
    const w = tensor([1], f64);
    expect(() => new optim.Newton([w]).step()).toThrow(/closure/);
  });

  it('exactQuadratic: gᵀg / gᵀAg', () => {
    expect(
      optim.lineSearch.exactQuadratic(
        [
          [1, 0],
          [0, 5],
        ],
        [1, 1],
      ),
    ).toBeCloseTo(2 / 6, 14);
    expect(() => optim.lineSearch.exactQuadratic([[-1]], [1])).toThrow(/positive definite/);
  });

  it('backtracking halves until the Armijo condition holds', () => {
    const f = (x: Tensor) => x.mul(x).sum();
    expect(optim.lineSearch.backtracking(f, tensor([1, 1]), tensor([-2, -2]))).toBe(0.5);
    expect(optim.lineSearch.backtracking(f, [1, 1], [-1, -1], { alpha0: 1 })).toBe(1);
  });
});

describe('beyond torch.optim', () => {
  it('ExponentiatedGradient multiplies by exp(−η g) and can stay on the simplex', () => {
    const w = tensor([0.5, 0.5], f64);
    const opt = new optim.ExponentiatedGradient([w], { lr: 0.1 });
    w.grad = tensor([1, 0], { dtype: 'float64' });
    opt.step();
    near(w.data, [0.5 * Math.exp(-0.1), 0.5]);
    const p = tensor([0.5, 0.5], f64);
    const eg = new optim.ExponentiatedGradient([p], { lr: 0.1, normalize: true });
    p.grad = tensor([1, 0], { dtype: 'float64' });
    eg.step();
    expect(p.data[0] + p.data[1]).toBeCloseTo(1, 14);
    expect(p.data[0]).toBeLessThan(0.5);
  });

  it('HypergradientSGD: α_t = α_{t−1} + β ∇f(θ_{t−1})·∇f(θ_{t−2})', () => {
    const w = tensor([1], f64);
    const opt = new optim.HypergradientSGD([w], { lr: 0.1, hyperLr: 0.01 });
    // f = ½w², gradient w.
    const closure = () => {
      opt.zeroGrad();
      const l = w.mul(w).sum().mul(0.5);
      l.backward();
      return l;
    };
    opt.step(closure);
    near(w.data, [0.9]);
    opt.step(closure);
    const a1 = 0.1 + 0.01 * 0.9 * 1;
    near(w.data, [0.9 - a1 * 0.9]);
    near(opt.lrHistory, [0.1, a1]);
  });

  it('EGStepSize grows step sizes while gradients agree and shrinks them when they flip', () => {
    const w = tensor([1, -1], f64);
    const opt = new optim.EGStepSize([w], { lr: 0.01, beta: 1 });
    steps(opt, w, 5);
    expect(opt.meanStepSize()).toBeGreaterThan(0.01);
    const v = tensor([1], f64);
    const osc = new optim.EGStepSize([v], { lr: 0.9, beta: 1, granularity: 'layer' });
    // lr 0.9 on Σv² overshoots: v flips sign every step, so the step size shrinks.
    steps(osc, v, 3);
    expect(osc.meanStepSize()).toBeLessThan(0.9);
  });
});
