import { describe, expect, it } from 'vitest';
import { optim, ReduceLROnPlateau, tensor } from '@descent/engine';

const sgd = (lr = 1) => new optim.SGD([tensor([0], { requiresGrad: true })], { lr });

describe('ReduceLROnPlateau (torch.optim.lr_scheduler semantics)', () => {
  it('drops the rate on the first bad epoch beyond the patience', () => {
    const opt = sgd();
    const s = new optim.lrScheduler.ReduceLROnPlateau(opt, { factor: 0.5, patience: 2 });
    const lrs = [3, 2, 2, 2, 2, 2].map((loss) => (s.step(loss), opt.lr));
    expect(lrs).toEqual([1, 1, 1, 1, 0.5, 0.5]);
    expect(s.reductions).toEqual([5]);
    expect(s.best).toBe(2);
  });

  it('uses a relative threshold, a cooldown and a floor', () => {
    const opt = sgd();
    const s = new ReduceLROnPlateau(opt, { factor: 0.1, patience: 1, cooldown: 1, minLr: 0.005 });
    const losses = [5, 4, 4, 4, 4, 4, 3.9999, 4, 4, 4, 4, 4];
    const lrs = losses.map((loss) => (s.step(loss), opt.lr));
    // 3.9999 is not below 4 · (1 − 1e-4), so it does not count as an improvement.
    const expected = [1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.005, 0.005, 0.005];
    lrs.forEach((lr, i) => expect(lr).toBeCloseTo(expected[i], 15));
  });

  it('maximises with mode "max" and an absolute threshold', () => {
    const opt = sgd();
    const s = new ReduceLROnPlateau(opt, {
      mode: 'max',
      factor: 0.5,
      patience: 0,
      threshold: 0.1,
      thresholdMode: 'abs',
    });
    const lrs = [0.5, 0.55, 0.7, 0.75, 0.9].map((acc) => (s.step(acc), opt.lr));
    expect(lrs).toEqual([1, 0.5, 0.5, 0.25, 0.25]);
  });

  it('rejects bad options', () => {
    expect(() => new ReduceLROnPlateau(sgd(), { factor: 1 })).toThrow(
      /factor must be in \(0, 1\), got 1/,
    );
    expect(() => new ReduceLROnPlateau({} as never)).toThrow(/paramGroups/);
  });
});
