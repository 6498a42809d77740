/**
 * Chapters 3 (taylor-view) and 4 (newton): every worked example's numbers, recomputed here with
 * the engine independently of the pages, plus the exercise answers the pages check against.
 * The cells themselves are run in part1-b-cells.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { grad, hessian, optim, tensor, type Tensor } from '@descent/engine';

const f64 = { dtype: 'float64' } as const;
const norm = (t: Tensor) => Math.sqrt(t.mul(t).sum().item());
const vec = (t: Tensor) => t.toArray() as number[];

/** Chapter 3's loss: L(θ) = θ₁²/10 + sin θ₁ + θ₁θ₂/5 + θ₂²/2. */
function L(theta: Tensor): Tensor {
  const [t1, t2] = [theta.select(0, 0), theta.select(0, 1)];
  return t1.square().div(10).add(t1.sin()).add(t1.mul(t2).div(5)).add(t2.square().div(2));
}

describe('chapter 3: the Taylor view', () => {
  const here = tensor([-3, 1], f64);
  const s = L(here).item();
  const [u, v] = vec(grad(L)(here));
  const g = Math.hypot(u, v);
  const h = hessian(L)(here).toArray() as number[][];

  /** The three predictions at the gradient step to the edge of the disk of radius d. */
  function atRadius(d: number) {
    const step = [(-d * u) / g, (-d * v) / g];
    const linear = s + u * step[0] + v * step[1];
    const curvature =
      h[0][0] * step[0] ** 2 + 2 * h[0][1] * step[0] * step[1] + h[1][1] * step[1] ** 2;
    const actual = L(tensor([-3 + step[0], 1 + step[1]], f64)).item();
    return { step, linear, quadratic: linear + 0.5 * curvature, actual };
  }

  it('expands L around (−3, 1): s, u, v and the gradient norm', () => {
    expect(s).toBeCloseTo(0.65888, 6);
    expect(u).toBeCloseTo(-1.389992, 6);
    expect(v).toBeCloseTo(0.4, 12);
    expect(g).toBeCloseTo(1.446402, 6);
    // the hand formulas quoted in the text
    expect(u).toBeCloseTo(-3 / 5 + Math.cos(-3) + 1 / 5, 12);
    expect(v).toBeCloseTo(-3 / 5 + 1, 12);
  });

  it('finds the lowest point of the small circle opposite the gradient (343.9°)', () => {
    let bestAngle = 0;
    let bestValue = Infinity;
    for (let i = 0; i < 3600; i++) {
      const angle = (i / 10) * (Math.PI / 180);
      const value = L(
        tensor([-3 + 0.05 * Math.cos(angle), 1 + 0.05 * Math.sin(angle)], f64),
      ).item();
      if (value < bestValue) [bestValue, bestAngle] = [value, i / 10];
    }
    const downhill = ((Math.atan2(-v, -u) * 180) / Math.PI + 360) % 360;
    expect(bestAngle.toFixed(1)).toBe('343.9');
    expect(downhill.toFixed(1)).toBe('343.9');
    expect(bestValue).toBeCloseTo(0.586935, 6);
  });

  it('reproduces the "how small is small" table', () => {
    const table: Record<number, [number, number, number]> = {
      0.05: [0.58656, 0.586916, 0.586935],
      0.2: [0.3696, 0.375304, 0.376465],
      0.5: [-0.064321, -0.02867, -0.010887],
      1: [-0.787522, -0.644919, -0.509961],
      2: [-2.233924, -1.663514, -0.761296],
      3: [-3.680326, -2.396903, -0.10484],
    };
    for (const [d, [linear, quadratic, actual]] of Object.entries(table)) {
      const row = atRadius(Number(d));
      expect(row.linear).toBeCloseTo(linear, 6);
      expect(row.quadratic).toBeCloseTo(quadratic, 6);
      expect(row.actual).toBeCloseTo(actual, 6);
    }
    // error growth: ×18 (≈ 4²) for the linear model and ×64 (≈ 4³) for the quadratic one
    const [a, b] = [atRadius(0.05), atRadius(0.2)];
    const linearRatio = Math.abs(b.actual - b.linear) / Math.abs(a.actual - a.linear);
    const quadraticRatio = Math.abs(b.actual - b.quadratic) / Math.abs(a.actual - a.quadratic);
    expect(Math.round(linearRatio)).toBe(18);
    expect(Math.round(quadraticRatio)).toBe(64);
  });

  it('computes the Newton point of the quadratic model and shows it overshooting', () => {
    expect(h[0][0]).toBeCloseTo(0.3411, 4);
    expect(h[0][1]).toBeCloseTo(0.2, 12);
    expect(h[1][1]).toBeCloseTo(1, 12);
    const p = optim.solve(h, [-u, -v]);
    const landing = [-3 + p[0], 1 + p[1]];
    expect(landing[0]).toBeCloseTo(1.8817, 4);
    expect(landing[1]).toBeCloseTo(-0.3763, 4);
    const model = s + 0.5 * (u * p[0] + v * p[1]); // at the model's minimum, s + ½gᵀp
    expect(model).toBeCloseTo(-3.0092, 4);
    expect(L(tensor(landing, f64)).item()).toBeCloseTo(1.2353, 4);
    expect(h[0][0] * h[1][1] - h[0][1] ** 2).toBeCloseTo(0.3011, 4);
  });

  it('lands optim.SGD with η = d/‖∇L‖ on the minimiser of the linear model on the circle', () => {
    const theta = tensor([-3, 1], { dtype: 'float64', requiresGrad: true });
    const opt = new optim.SGD([theta], { lr: 0.05 / g });
    opt.zeroGrad();
    L(theta).backward();
    opt.step();
    const [p1, p2] = vec(theta);
    expect(p1).toBeCloseTo(-2.95195, 6);
    expect(p2).toBeCloseTo(0.986173, 6);
    expect(Math.hypot(p1 + 3, p2 - 1)).toBeCloseTo(0.05, 12);
  });

  it('agrees with the exercise answers', () => {
    expect(atRadius(0.5).linear).toBeCloseTo(-0.064321, 5); // ex-tv-linear-drop
    expect(0.1 / Math.hypot(2, 6)).toBeCloseTo(0.0158114, 6); // ex-tv-eta
    const r = atRadius(0.2);
    expect(Math.abs(r.actual - r.quadratic)).toBeCloseTo(0.001161, 6); // ex-tv-quadratic-error
    // ex-tv-circle: the true best point of the radius-1 circle beats the check's threshold
    let best = Infinity;
    for (let i = 0; i < 3600; i++) {
      const a = (i / 10) * (Math.PI / 180);
      best = Math.min(best, L(tensor([-3 + Math.cos(a), 1 + Math.sin(a)], f64)).item());
    }
    expect(best).toBeCloseTo(-0.512906, 5);
    expect(best).toBeLessThan(-0.5128);
    expect(atRadius(1).actual).toBeGreaterThan(-0.5128); // the unchanged cell fails the check
  });
});

describe("chapter 4: Newton's method", () => {
  const A = tensor(
    [
      [3, 2],
      [2, 3],
    ],
    f64,
  );
  const b = tensor([7, 8], f64);
  const f = (x: Tensor) => x.mul(A.matmul(x)).sum().mul(0.5).sub(b.mul(x).sum());
  const saddle = (p: Tensor) => {
    const [x, y] = [p.select(0, 0), p.select(0, 1)];
    return x.square().sub(y.square().mul(0.5)).add(y.pow(4).mul(0.25));
  };
  const f1 = (x: Tensor) => x.square().div(10).add(x.sin()).sum();
  const bowl = (x: Tensor) => x.square().add(1).sqrt().sum();
  const newtonStep = (fn: (x: Tensor) => Tensor, x: Tensor) =>
    x.add(tensor(optim.solve(hessian(fn)(x).toArray() as number[][], vec(grad(fn)(x).neg())), f64));

  it('has Hessian eigenvalues 5 and 1 (κ = 5) and minimum −11.5 at (1, 2)', () => {
    const H = hessian(f)(tensor([0.3, -0.7], f64)).toArray() as number[][];
    expect(H).toEqual([
      [3, 2],
      [2, 3],
    ]);
    const [mean, radius] = [3, Math.hypot(0, 2)];
    expect([mean + radius, mean - radius]).toEqual([5, 1]);
    expect(f(tensor([1, 2], f64)).item()).toBeCloseTo(-11.5, 12);
    expect(norm(grad(f)(tensor([1, 2], f64)))).toBeLessThan(1e-12);
  });

  it('zig-zags under exact line search: orthogonal gradients, ratio 2/3, 39 steps', () => {
    let x = tensor([4, 0], f64);
    let previous: Tensor | null = null;
    const norms: number[] = [];
    const iterates: number[][] = [];
    let steps = 0;
    for (; steps < 1000; steps++) {
      const g = grad(f)(x);
      norms.push(norm(g));
      iterates.push(vec(x));
      if (previous) expect(Math.abs(g.mul(previous).sum().item())).toBeLessThan(1e-12);
      if (norm(g) < 1e-6) break;
      const alpha = optim.lineSearch.exactQuadratic(A, g);
      if (steps === 0) expect(alpha).toBeCloseTo(1 / 3, 12);
      x = x.sub(g.mul(alpha));
      previous = g;
    }
    expect(steps).toBe(39);
    expect(iterates[1][0]).toBeCloseTo(2.333333, 6);
    expect(iterates[1][1]).toBeCloseTo(0, 12);
    expect(iterates[2]).toEqual([expect.closeTo(2.333333, 6), expect.closeTo(1.111111, 6)]);
    expect(norms.slice(0, 3)).toEqual([
      5,
      expect.closeTo(3.333333, 6),
      expect.closeTo(2.222222, 6),
    ]);
    for (let k = 1; k < norms.length; k++) expect(norms[k] / norms[k - 1]).toBeCloseTo(2 / 3, 8);
    expect(f(tensor(iterates[2], f64)).item()).toBeCloseTo(-10.018519, 6);
  });

  it('solves the quadratic in one Newton step, at 33.69° from −g', () => {
    const x0 = tensor([4, 0], f64);
    const x1 = vec(newtonStep(f, x0));
    expect(x1[0]).toBeCloseTo(1, 12);
    expect(x1[1]).toBeCloseTo(2, 12);
    const g = vec(grad(f)(x0));
    const p = optim.solve(
      hessian(f)(x0).toArray() as number[][],
      g.map((c) => -c),
    );
    expect(p[0]).toBeCloseTo(-3, 12);
    expect(p[1]).toBeCloseTo(2, 12);
    const cosine = (-g[0] * p[0] - g[1] * p[1]) / (Math.hypot(...g) * Math.hypot(...p));
    expect((Math.acos(cosine) * 180) / Math.PI).toBeCloseTo(33.690068, 5);
  });

  it('runs the 1-D tangent construction on x²/10 + sin x', () => {
    const run = (x0: number, steps: number) => {
      let x = tensor([x0], f64);
      const xs: number[] = [];
      for (let k = 0; k < steps; k++) {
        x = x.sub(grad(f1)(x).item() / hessian(f1)(x).item());
        xs.push(x.item());
      }
      return xs;
    };
    const fromMinus2 = run(-2, 4);
    expect(fromMinus2.map((x) => x.toFixed(6))).toEqual([
      '-1.264267',
      '-1.306662',
      '-1.306440',
      '-1.306440',
    ]);
    const fromPlus2 = run(2, 4);
    expect(fromPlus2[3].toFixed(6)).toBe('1.977383');
    expect(0.2 - Math.sin(fromPlus2[3])).toBeCloseTo(-0.7185, 4); // a maximum
    expect(run(-1, 1)[0]).toBeCloseTo(-1.326752, 6); // ex-newton-1d
    // gradient descent from −2 with η = 0.4 needs 37 steps to get |f′| < 1e-10
    let x = -2;
    let k = 0;
    while (Math.abs(x / 5 + Math.cos(x)) >= 1e-10) {
      x -= 0.4 * (x / 5 + Math.cos(x));
      k++;
    }
    expect(k).toBe(37);
  });

  it('sends Newton into the saddle while gradient descent reaches a minimum', () => {
    let pn = tensor([1, 0.1], f64);
    pn = newtonStep(saddle, pn);
    expect(vec(pn)[0]).toBeCloseTo(0, 12);
    expect(vec(pn)[1]).toBeCloseTo(-0.002062, 6);
    pn = newtonStep(saddle, pn);
    expect(vec(pn)[1]).toBeCloseTo(1.753e-8, 10);
    expect(Math.abs(saddle(pn).item())).toBeLessThan(1e-12);

    let pg = tensor([1, 0.1], f64);
    let steps = 0;
    for (; steps < 1000; steps++) {
      const g = grad(saddle)(pg);
      if (norm(g) < 1e-6) break;
      pg = pg.sub(g.mul(0.1));
    }
    expect(steps).toBe(87);
    expect(vec(pg)[1]).toBeCloseTo(1, 5);
    expect(saddle(pg).item()).toBeCloseTo(-0.25, 9);

    // x² − y²: Newton lands on (0, 0) at once; 20 gradient steps with η = 0.1 escape (exercise)
    const hyperbolic = (p: Tensor) => p.select(0, 0).square().sub(p.select(0, 1).square());
    expect(vec(newtonStep(hyperbolic, tensor([1, 0.01], f64)))).toEqual([0, 0]);
    let p = tensor([1, 0.01], f64);
    for (let i = 0; i < 20; i++) p = p.sub(grad(hyperbolic)(p).mul(0.1));
    expect(vec(p)[0]).toBeCloseTo(0.0115, 4);
    expect(vec(p)[1]).toBeCloseTo(0.3834, 4);
    expect(hyperbolic(p).item()).toBeCloseTo(-0.1468, 4);
  });

  it('stops the tolerance algorithm after 1 and 4 steps', () => {
    const newton = (fn: (x: Tensor) => Tensor, x0: number[]) => {
      let x = tensor(x0, f64);
      for (let k = 0; k < 50; k++) {
        if (norm(grad(fn)(x)) < 1e-10) return k;
        x = newtonStep(fn, x);
      }
      return 50;
    };
    expect(newton(f, [4, 0])).toBe(1);
    expect(newton(f1, [-2])).toBe(4);
  });

  it('diverges with pure Newton on √(1 + x²) and converges with backtracking', () => {
    const pure = [1.5];
    for (let k = 0; k < 3; k++) pure.push(-(pure[k] ** 3));
    expect(pure[1]).toBe(-3.375);
    expect(pure[2]).toBeCloseTo(38.443359, 6);
    expect(pure[3]).toBeCloseTo(-56815.13, 2);

    const x = tensor([1.5], { dtype: 'float64', requiresGrad: true });
    const opt = new optim.Newton([x], { lineSearch: 'backtracking', record: true });
    const alphas: number[] = [];
    for (let k = 0; k < 7; k++) {
      opt.step(() => bowl(x));
      alphas.push(opt.alpha);
    }
    expect(alphas).toEqual([0.5, 1, 1, 1, 1, 1, 1]);
    const path = opt.trajectory.map(([v]) => v);
    expect(path[1]).toBeCloseTo(-0.9375, 12);
    expect(path[2]).toBeCloseTo(0.8239746, 6);
    expect(path[6]).toBeCloseTo(1.545326e-7, 12);
    expect(Math.abs(path[7])).toBeLessThan(1e-20);

    // a fixed damping factor t = 0.5: −0.001766 after seven steps
    let y = 1.5;
    for (let k = 0; k < 7; k++) y -= 0.5 * y * (1 + y * y);
    expect(y).toBeCloseTo(-0.001766, 6);
  });

  it('solves the quadratic in one step of optim.Newton', () => {
    const x = tensor([4, 0], { dtype: 'float64', requiresGrad: true });
    new optim.Newton([x], { lr: 1 }).step(() => f(x));
    expect(vec(x)[0]).toBeCloseTo(1, 12);
    expect(vec(x)[1]).toBeCloseTo(2, 12);
  });

  it('converges with a fixed step only below 2/λmax = 0.4', () => {
    const fixedStep = (eta: number) => {
      let x = tensor([4, 0], f64);
      for (let k = 0; k < 1000; k++) {
        const g = grad(f)(x);
        if (norm(g) < 1e-6) return k;
        if (!(norm(g) < 1e12)) return -1;
        x = x.sub(g.mul(eta));
      }
      return 1000;
    };
    expect(fixedStep(0.1)).toBe(144);
    expect(fixedStep(1 / 3)).toBe(39);
    expect(fixedStep(0.39)).toBe(294);
    expect(fixedStep(0.41)).toBe(-1);
  });
});
