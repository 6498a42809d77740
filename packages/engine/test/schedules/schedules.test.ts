import { describe, expect, it } from 'vitest';
import {
  attachSchedule,
  constantLr,
  cosineAnnealing,
  exponentialDecay,
  invSqrt,
  inverseTimeDecay,
  linearWarmup,
  multiStepDecay,
  optim,
  piecewiseConstant,
  polynomialDecay,
  stepDecay,
  tensor,
} from '@descent/engine';

const close = (a: number, b: number) => expect(a).toBeCloseTo(b, 12);

describe('schedule functions', () => {
  it('stepDecay halves every stepSize steps (StepLR)', () => {
    const s = stepDecay({ lr0: 0.1, stepSize: 10, gamma: 0.5 });
    expect([0, 9, 10, 19, 20, 25].map(s)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
  });

  it('multiStepDecay multiplies at each milestone', () => {
    const s = multiStepDecay({ lr0: 1, milestones: [2, 5], gamma: 0.1 });
    [1, 1, 0.1, 0.1, 0.1, 0.01].forEach((v, t) => close(s(t), v));
  });

  it('piecewiseConstant follows TensorFlow: values[i] while t <= boundaries[i]', () => {
    const s = piecewiseConstant({ boundaries: [100, 200], values: [1, 0.5, 0.1] });
    expect([0, 100, 101, 200, 201, 1e6].map(s)).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1]);
    expect(() => piecewiseConstant({ boundaries: [1], values: [1] })).toThrow(/2 entries, got 1/);
    expect(() => piecewiseConstant({ boundaries: [2, 1], values: [1, 2, 3] })).toThrow(/increase/);
  });

  it('exponentialDecay, smooth and staircase', () => {
    close(exponentialDecay({ lr0: 1, decayRate: 0.5 })(3), 0.125);
    close(exponentialDecay({ lr0: 1, gamma: 0.9 })(2), 0.81);
    const smooth = exponentialDecay({ lr0: 2, decayRate: 0.5, decaySteps: 10 });
    close(smooth(5), 2 * 0.5 ** 0.5);
    const stairs = exponentialDecay({ lr0: 2, decayRate: 0.5, decaySteps: 10, staircase: true });
    expect([0, 9, 10, 25].map(stairs)).toEqual([2, 2, 1, 0.5]);
  });

  it('inverseTimeDecay', () => {
    close(inverseTimeDecay({ lr0: 1, decayRate: 1 })(3), 0.25);
    const s = inverseTimeDecay({ lr0: 1, decayRate: 0.5, decaySteps: 10, staircase: true });
    close(s(19), 1 / 1.5);
    close(s(20), 1 / 2);
  });

  it('polynomialDecay without and with cycle (TensorFlow)', () => {
    const s = polynomialDecay({ lr0: 1, decaySteps: 10, power: 2 });
    close(s(5), 0.25);
    close(s(10), 0);
    close(s(50), 0);
    const withEnd = polynomialDecay({ lr0: 0.1, lrEnd: 0.01, decaySteps: 10 });
    close(withEnd(5), 0.055);
    close(withEnd(20), 0.01);
    const cyc = polynomialDecay({ lr0: 1, decaySteps: 10, cycle: true });
    close(cyc(0), 1);
    close(cyc(10), 0);
    // t = 15: decaySteps grows to 20, so lr = 1 - 15/20.
    close(cyc(15), 0.25);
    // The rate jumps back up after each cycle.
    expect(cyc(11)).toBeGreaterThan(cyc(10));
  });

  it('cosineAnnealing matches the closed form of CosineAnnealingLR', () => {
    const s = cosineAnnealing({ lr0: 1, tMax: 10, etaMin: 0.1 });
    close(s(0), 1);
    close(s(5), 0.55);
    close(s(10), 0.1);
  });

  it('invSqrt is lr0 / sqrt(t + 1)', () => {
    const s = invSqrt({ lr0: 0.3 });
    close(s(0), 0.3);
    close(s(3), 0.15);
  });

  it('linearWarmup ramps up then hands over', () => {
    const s = linearWarmup({ schedule: constantLr(1), warmupSteps: 4 });
    expect([0, 1, 2, 4, 9].map(s)).toEqual([0, 0.25, 0.5, 1, 1]);
  });

  it('rejects negative steps and bad parameters', () => {
    expect(() => stepDecay({ lr0: 1, stepSize: 1 })(-1)).toThrow(
      /step must be a finite number >= 0, got -1/,
    );
    expect(() => stepDecay({ lr0: 1, stepSize: 0 })).toThrow(/stepSize must be > 0, got 0/);
    expect(() => cosineAnnealing({ lr0: 1, tMax: 0 })).toThrow(/tMax/);
  });
});

describe('attaching schedules to optimizers', () => {
  it('attachSchedule sets lr = schedule(t) for the t-th step', () => {
    const w = tensor([1], { dtype: 'float64', requiresGrad: true });
    const opt = new optim.SGD([w], { lr: 123 });
    const handle = attachSchedule(opt, stepDecay({ lr0: 1, stepSize: 1, gamma: 0.5 }));
    expect(opt.lr).toBe(1);
    const xs: number[] = [];
    for (let i = 0; i < 3; i++) {
      w.grad = tensor([1], { dtype: 'float64' });
      opt.step();
      xs.push(w.data[0]);
    }
    // Steps of 1, 0.5, 0.25 from 1.
    expect(xs).toEqual([0, -0.5, -0.75]);
    expect(handle.t).toBe(3);
    expect(opt.lr).toBe(0.125);
    handle.detach();
    w.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    expect(opt.lr).toBe(0.125);
  });

  it('optim.lrScheduler classes scale each group from its own initial lr', () => {
    const a = tensor([0], { requiresGrad: true });
    const b = tensor([0], { requiresGrad: true });
    const opt = new optim.SGD([{ params: [a], lr: 1 }, { params: [b] }], { lr: 0.1 });
    const s = new optim.lrScheduler.StepLR(opt, { stepSize: 2, gamma: 0.1 });
    s.step();
    s.step();
    expect(s.getLastLr()[0]).toBeCloseTo(0.1, 12);
    expect(s.getLastLr()[1]).toBeCloseTo(0.01, 12);
    const c = new optim.lrScheduler.ScheduleLR(opt, invSqrt({ lr0: 1 }));
    c.step();
    c.step();
    c.step();
    expect(c.getLastLr()).toEqual([0.5, 0.5]);
  });
});
