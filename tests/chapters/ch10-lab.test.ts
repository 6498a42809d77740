/**
 * The optimizer lab's logic (src/widgets/lab/): every optimizer produces a path on every
 * surface, a path is the engine optimizer's own trajectory, changing a hyperparameter or a
 * schedule changes that path and no other, the noisy bowl is seeded, and a setup survives the
 * round trip through a share link. Also the prerendered markup.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { optim, tensor } from '@descent/engine';
import { PROBLEMS, PROBLEM_IDS } from '../../src/widgets/lab/problems.ts';
import { OPTIMIZERS, OPTIMIZER_IDS } from '../../src/widgets/lab/optimizers.ts';
import { runOne, simulate } from '../../src/widgets/lab/simulate.ts';
import {
  SCHEDULES,
  SPEED_CHOICES,
  STEP_CHOICES,
  decodeState,
  defaultState,
  encodeState,
  parseHash,
  shareHash,
  type LabState,
} from '../../src/widgets/lab/state.ts';
import { labHTML } from '../../src/widgets/lab/markup.ts';

const short = (problem: (typeof PROBLEM_IDS)[number], steps = 60): LabState => {
  const s = defaultState(problem);
  s.steps = steps;
  for (const id of OPTIMIZER_IDS) s.opts[id].on = true;
  return s;
};

describe('optimizer lab: the race', () => {
  it('has every optimizer of the engine', () => {
    expect(OPTIMIZER_IDS).toEqual([
      'sgd',
      'momentum',
      'nesterov',
      'adagrad',
      'rmsprop',
      'adadelta',
      'adam',
      'adamw',
      'newton',
      'eg',
      'hypergradient',
    ]);
  });

  for (const problem of PROBLEM_IDS) {
    it(`every optimizer produces a path on ${problem}`, () => {
      const runs = simulate(short(problem));
      expect(runs.map((r) => r.id)).toEqual(OPTIMIZER_IDS);
      for (const run of runs) {
        expect(run.path.length, run.id).toBe(run.loss.length * 2);
        expect(run.path.slice(0, 2)).toEqual(Float64Array.from(PROBLEMS[problem].start));
        if (run.stopped === null) expect(run.loss.length, run.id).toBe(61);
        else expect(run.loss.length, run.id).toBeGreaterThan(1); // it moved before it stopped
        expect([...run.path].every(Number.isFinite), run.id).toBe(true);
      }
    });
  }

  it('the default race on Rosenbrock: Newton reaches the minimum, SGD gets close', () => {
    const runs = simulate(defaultState('rosenbrock'));
    const end = (id: string) => {
      const r = runs.find((x) => x.id === id)!;
      return [r.path[r.path.length - 2]!, r.path[r.path.length - 1]!, r.loss[r.loss.length - 1]!];
    };
    expect(end('newton')[0]).toBeCloseTo(1, 6);
    expect(end('newton')[1]).toBeCloseTo(1, 6);
    expect(end('sgd')[2]).toBeLessThan(1e-3);
  });

  it("a path is the engine optimizer's own trajectory", () => {
    const state = defaultState('quadratic');
    state.steps = 40;
    const run = runOne(state, 'adam');
    const p = tensor(state.start, { dtype: 'float64', requiresGrad: true });
    const h = state.opts.adam.h;
    const opt = new optim.Adam([p], { lr: h.lr!, betas: [h.beta1!, h.beta2!], eps: h.eps! });
    for (let k = 0; k < 40; k++) {
      opt.zeroGrad();
      PROBLEMS.quadratic.loss(p, k).backward();
      opt.step();
    }
    expect(run.path[80]).toBe(p.data[0]);
    expect(run.path[81]).toBe(p.data[1]);
  });

  it('changing a hyperparameter changes that path and no other', () => {
    for (const spec of OPTIMIZERS) {
      const base = short('rosenbrock', 30);
      const before = simulate(base);
      const param = spec.params[0]!;
      const changed = structuredClone(base);
      changed.opts[spec.id].h[param.key] = base.opts[spec.id].h[param.key]! * 0.5;
      const after = simulate(changed);
      after.forEach((run, i) => {
        const same =
          run.path.length === before[i]!.path.length &&
          run.path.every((v, j) => v === before[i]!.path[j]);
        expect(same, `${spec.id}.${param.key} → ${run.id}`).toBe(run.id !== spec.id);
      });
    }
  });

  it('a schedule changes the path of a schedulable optimizer', () => {
    const base = short('quadratic', 120);
    for (const kind of SCHEDULES.map((s) => s.value).filter((k) => k !== 'constant')) {
      const s = structuredClone(base);
      s.opts.sgd.schedule = kind;
      const a = runOne(base, 'sgd').path;
      const b = runOne(s, 'sgd').path;
      expect(
        a.some((v, j) => v !== b[j]),
        kind,
      ).toBe(true);
    }
  });

  it('the noisy bowl is seeded: the same race twice gives the same paths', () => {
    const a = simulate(short('noisy', 50));
    const b = simulate(short('noisy', 50));
    a.forEach((run, i) => expect([...run.path]).toEqual([...b[i]!.path]));
  });
});

describe('optimizer lab: share links', () => {
  it('the defaults round-trip', () => {
    for (const problem of PROBLEM_IDS) {
      const s = defaultState(problem);
      expect(decodeState(encodeState(s))).toEqual(s);
      expect(parseHash(shareHash(s))).toEqual(s);
    }
  });

  it('any setup round-trips through its link', () => {
    const arbitrary = fc
      .record({
        problem: fc.constantFrom(...PROBLEM_IDS),
        fx: fc.double({ min: 0, max: 1, noNaN: true }),
        fy: fc.double({ min: 0, max: 1, noNaN: true }),
        steps: fc.constantFrom(...STEP_CHOICES),
        speed: fc.constantFrom(...SPEED_CHOICES),
        on: fc.array(fc.boolean(), { minLength: 11, maxLength: 11 }),
        schedules: fc.array(fc.constantFrom(...SCHEDULES.map((s) => s.value)), {
          minLength: 11,
          maxLength: 11,
        }),
        scale: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
          minLength: 11,
          maxLength: 11,
        }),
      })
      .map(({ problem, fx, fy, steps, speed, on, schedules, scale }) => {
        const s = defaultState(problem);
        const p = PROBLEMS[problem];
        s.start = [p.x[0] + fx * (p.x[1] - p.x[0]), p.y[0] + fy * (p.y[1] - p.y[0])];
        s.steps = steps;
        s.speed = speed;
        OPTIMIZERS.forEach((spec, i) => {
          s.opts[spec.id].on = on[i]!;
          s.opts[spec.id].schedule = spec.schedulable ? schedules[i]! : 'constant';
          const h = spec.params[i % spec.params.length]!;
          s.opts[spec.id].h[h.key] = h.min + scale[i]! * (h.max - h.min);
        });
        return s;
      });
    fc.assert(
      fc.property(arbitrary, (s) => {
        expect(parseHash(shareHash(s))).toEqual(s);
      }),
      { numRuns: 200 },
    );
  });

  it('a link lists only what differs from the defaults, and bad values fall back', () => {
    const s = defaultState('rosenbrock');
    s.opts.adam.h.lr = 0.02;
    const text = encodeState(s);
    expect(text).toContain('adam.lr=0.02');
    expect(text).not.toContain('sgd.lr');
    const bad = decodeState(
      'p=nowhere&start=a,b&steps=7&adam.lr=-3&sgd.schedule=sometimes&zzz.lr=1',
    );
    expect(bad).toEqual(defaultState('rosenbrock'));
    expect(parseHash('#cell=x&code=y')).toBeNull();
  });
});

describe('optimizer lab: the prerendered markup', () => {
  const state = defaultState('rosenbrock');
  const html = labHTML('fig-lab', state, simulate(state));

  it('has labelled controls for every setting', () => {
    for (const spec of OPTIMIZERS) {
      expect(html).toContain(`name="${spec.id}.on"`);
      for (const h of spec.params) expect(html).toContain(`for="fig-lab-${spec.id}-${h.key}"`);
    }
    for (const name of ['problem', 'startX', 'startY', 'steps', 'speed'])
      expect(html).toContain(`for="fig-lab-${name}"`);
  });

  it('draws the switched-on paths and tabulates them', () => {
    expect(html.match(/data-path="/g)?.length).toBe(6);
    expect(html.match(/data-row="/g)?.length).toBe(6);
    expect(html).toContain('Closest to the minimum: Newton');
  });
});
