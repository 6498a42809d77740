/**
 * Optimizers and learning-rate schedules against torch.optim (float64): 20-step trajectories
 * on an ill-conditioned quadratic and on Rosenbrock, the loss before every step and the
 * parameters after it; and the lr sequences of torch.optim.lr_scheduler.
 */
import { describe, it } from 'vitest';
import {
  F,
  Tensor,
  constantLr,
  cosineAnnealing,
  exponentialDecay,
  linearWarmup,
  multiStepDecay,
  optim,
  polynomialDecay,
  stepDecay,
  type Schedule,
} from '@descent/engine';
import { expectClose, loadFixture, toTensor, type FixtureTensor } from './fixtures.ts';

interface OptimCase {
  name: string;
  op: string;
  options: Record<string, unknown>;
  problem: 'quadratic' | 'rosenbrock';
  x0: number[];
  losses: number[];
  params: number[][];
}

/** Least squares with two parameters W [2,3] and b [2]: loss = sign · mse(X Wᵀ + b, Y). */
interface RegressionCase {
  name: string;
  op: string;
  options: Record<string, unknown>;
  groups: Record<string, unknown>[] | null;
  problem: 'regression';
  sign: number;
  data: { X: FixtureTensor; Y: FixtureTensor; W0: FixtureTensor; b0: FixtureTensor };
  losses: number[];
  params: { W: number[]; b: number[] }[];
}

interface OptimFixture {
  cases: (OptimCase | RegressionCase)[];
}

/** The problems of scripts/golden/generate.py, written with the same ops in the same order. */
function problem(name: OptimCase['problem'], A?: Tensor, b?: Tensor): (x: Tensor) => Tensor {
  if (name === 'quadratic') {
    return (x) => x.mul(A!.matmul(x)).sum().mul(0.5).sub(b!.mul(x).sum());
  }
  const e0 = new Tensor(Float64Array.from([1, 0]), [2], 'float64');
  const e1 = new Tensor(Float64Array.from([0, 1]), [2], 'float64');
  return (x) => {
    const a = x.mul(e0).sum();
    const y = x.mul(e1).sum();
    return a
      .neg()
      .add(1)
      .pow(2)
      .add(y.sub(a.pow(2)).pow(2).mul(100));
  };
}

type OptimizerLike = { zeroGrad(): void; step(): unknown };
type ParamGroupInput = { params: Tensor[] } & Record<string, unknown>;
type OptimizerClass = new (
  params: Tensor[] | ParamGroupInput[],
  options: Record<string, unknown>,
) => OptimizerLike;

function optimizerClass(name: string, label: string): OptimizerClass {
  const Ctor = (optim as unknown as Record<string, OptimizerClass>)[name];
  if (typeof Ctor !== 'function') throw new Error(`${label}: optim.${name} does not exist`);
  return Ctor;
}

function leaf(t: FixtureTensor): Tensor {
  return toTensor(t, true);
}

function regressionCase(c: RegressionCase): void {
  const label = `optim.json › ${c.name}`;
  const Ctor = optimizerClass(c.op, label);
  const X = toTensor(c.data.X);
  const Y = toTensor(c.data.Y);
  const W = leaf(c.data.W0);
  const b = leaf(c.data.b0);
  const params = c.groups
    ? [
        { params: [W], ...c.groups[0] },
        { params: [b], ...c.groups[1] },
      ]
    : [W, b];
  const opt = new Ctor(params, { ...c.options });
  c.params.forEach((expected, step) => {
    opt.zeroGrad();
    const loss = F.mseLoss(X.matmul(W.t()).add(b), Y).mul(c.sign);
    expectClose(loss, c.losses[step], `${label} › loss before step ${step + 1}`);
    loss.backward();
    opt.step();
    expectClose(Array.from(W.data), expected.W, `${label} › W after step ${step + 1}`);
    expectClose(Array.from(b.data), expected.b, `${label} › b after step ${step + 1}`);
  });
}

describe('optimizers match torch.optim over 20 steps (float64, 1e-10)', () => {
  const { cases } = loadFixture<OptimCase>('optim.json') as OptimFixture;
  const { quadraticA, quadraticB } = loadProblemData();
  for (const c of cases) {
    it(c.name, () => {
      if (c.problem === 'regression') return regressionCase(c);
      const label = `optim.json › ${c.name}`;
      const Ctor = optimizerClass(c.op, label);
      const f = problem(c.problem, quadraticA, quadraticB);
      const x = new Tensor(Float64Array.from(c.x0), [c.x0.length], 'float64');
      x.requiresGrad = true;
      const opt = new Ctor([x], { ...c.options });
      c.params.forEach((expected, step) => {
        opt.zeroGrad();
        const loss = f(x);
        expectClose(loss, c.losses[step], `${label} › loss before step ${step + 1}`);
        loss.backward();
        opt.step();
        expectClose(Array.from(x.data), expected, `${label} › params after step ${step + 1}`);
      });
    });
  }
});

/** A and b of the quadratic, from the fixture file's generator metadata. */
function loadProblemData(): { quadraticA: Tensor; quadraticB: Tensor } {
  const { problems } = loadFixture('optim.json') as unknown as {
    problems: { quadratic: { A: FixtureTensor; b: FixtureTensor } };
  };
  return { quadraticA: toTensor(problems.quadratic.A), quadraticB: toTensor(problems.quadratic.b) };
}

interface ScheduleCase {
  name: string;
  op: string;
  options: Record<string, number & number[]>;
  baseLr: number;
  lrs: number[];
}

/** The pure schedule function that corresponds to each torch scheduler. */
function scheduleFor(c: ScheduleCase): Schedule {
  const o = c.options;
  const lr0 = c.baseLr;
  switch (c.op) {
    case 'StepLR':
      return stepDecay({ lr0, stepSize: o.stepSize, gamma: o.gamma });
    case 'MultiStepLR':
      return multiStepDecay({ lr0, milestones: o.milestones, gamma: o.gamma });
    case 'ExponentialLR':
      return exponentialDecay({ lr0, gamma: o.gamma });
    case 'CosineAnnealingLR':
      return cosineAnnealing({ lr0, tMax: o.tMax, etaMin: o.etaMin });
    case 'PolynomialLR':
      return polynomialDecay({ lr0, decaySteps: o.totalIters, power: o.power });
    case 'LinearLR':
      return linearWarmup({
        schedule: constantLr(lr0),
        warmupSteps: o.totalIters,
        startFactor: o.startFactor,
      });
    default:
      throw new Error(`schedules.json › ${c.name}: no schedule function for ${c.op}`);
  }
}

type SchedulerClass = new (
  opt: OptimizerLike,
  options: Record<string, unknown>,
) => { step(): void; getLastLr(): number[] };

describe('learning-rate schedules match torch.optim.lr_scheduler (1e-10)', () => {
  const { cases } = loadFixture<ScheduleCase>('schedules.json');
  for (const c of cases) {
    it(`${c.name} (optim.lrScheduler)`, () => {
      const label = `schedules.json › ${c.name} › optim.lrScheduler.${c.op}`;
      const Ctor = (optim.lrScheduler as unknown as Record<string, SchedulerClass>)[c.op];
      if (typeof Ctor !== 'function') throw new Error(`${label}: does not exist`);
      const p = new Tensor(Float64Array.from([0]), [1], 'float64');
      p.requiresGrad = true;
      const opt = new optim.SGD([p], { lr: c.baseLr });
      const s = new Ctor(opt, { ...c.options });
      const got = [s.getLastLr()[0]];
      for (let t = 1; t < c.lrs.length; t++) {
        p.grad = new Tensor(Float64Array.from([0]), [1], 'float64');
        opt.step();
        s.step();
        got.push(s.getLastLr()[0]);
      }
      expectClose(got, c.lrs, label);
    });
    it(`${c.name} (schedule function)`, () => {
      const s = scheduleFor(c);
      const got = c.lrs.map((_, t) => s(t));
      expectClose(got, c.lrs, `schedules.json › ${c.name} › schedule function`);
    });
  }
});
