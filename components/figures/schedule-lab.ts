/**
 * Shape a learning-rate schedule and watch a training run follow it (chapter 9,
 * fig-schedule-lab): mini-batch SGD on logistic regression over the Playground's overlapping
 * Gaussians (the chapter's `sch-blobs` problem), 400 updates under the schedule the reader sets,
 * against the same run at the constant rate η₀. Top panel: η(t); bottom panel: L − L*, where L*
 * is the exact minimum (Newton's method, computed once per worker).
 */
import { defineFigure, palette } from '../../src/notebook/figures/define.ts';
import {
  F,
  Generator,
  attachSchedule,
  concat,
  constantLr,
  exponentialDecay,
  gaussianData,
  grad,
  hessian,
  invSqrt,
  inverseTimeDecay,
  noGrad,
  ones,
  optim,
  permutation,
  piecewiseConstant,
  polynomialDecay,
  solve,
  stepDecay,
  zeros,
  type Schedule,
  type Tensor,
} from '@descent/engine';

const UPDATES = 400;
/** The loss gap is recorded every this many updates. */
const EVERY = 4;
const FLOOR = 1e-6;

const SCHEDULES = [
  { value: 'constant', label: 'Constant η₀' },
  { value: 'piecewise', label: 'Piecewise constant' },
  { value: 'step', label: 'Step decay' },
  { value: 'exponential', label: 'Exponential' },
  { value: 'inverse-time', label: 'Inverse time' },
  { value: 'polynomial', label: 'Polynomial' },
  { value: 'inv-sqrt', label: 'η₀/√(t+1)' },
] as const;

interface Problem {
  rows: Tensor;
  labels: Tensor;
  lossStar: number;
}

let problem: Problem | null = null;

/** The data set and its exact minimum, made once. */
function getProblem(): Problem {
  if (problem) return problem;
  const blobs = gaussianData({ n: 400, noise: 0.5, generator: new Generator(3) });
  const rows = concat([blobs.x.double(), ones([400, 1], { dtype: 'float64' })], 1);
  const labels = blobs.y.double();
  const loss = (w: Tensor) => F.bceWithLogitsLoss(rows.matmul(w), labels);
  let w = zeros([3], { dtype: 'float64' });
  for (let k = 0; k < 8; k++) w = w.sub(solve(hessian(loss)(w), grad(loss)(w)));
  problem = { rows, labels, lossStar: loss(w).item() };
  return problem;
}

export interface ScheduleState {
  schedule: string;
  lr0: number;
  gamma: number;
  period: number;
  power: number;
  cycle: boolean;
}

/** The engine schedule for a state of the controls. */
export function buildSchedule(s: ScheduleState): Schedule {
  const { lr0, gamma, period } = s;
  switch (s.schedule) {
    case 'piecewise':
      return piecewiseConstant({
        boundaries: [period, 2 * period],
        values: [lr0, gamma * lr0, gamma * gamma * lr0],
      });
    case 'step':
      return stepDecay({ lr0, stepSize: period, gamma });
    case 'exponential':
      return exponentialDecay({ lr0, decayRate: gamma, decaySteps: period });
    case 'inverse-time':
      return inverseTimeDecay({ lr0, decayRate: gamma, decaySteps: period });
    case 'polynomial':
      return polynomialDecay({
        lr0,
        lrEnd: lr0 / 100,
        decaySteps: period,
        power: s.power,
        cycle: s.cycle,
      });
    case 'inv-sqrt':
      return invSqrt({ lr0 });
    default:
      return constantLr(lr0);
  }
}

/** 400 updates of mini-batch SGD from w = 0 under `schedule`; the loss gap every 4 updates. */
export function trainUnder(schedule: Schedule, batch: number): { t: number; gap: number }[] {
  const { rows, labels, lossStar } = getProblem();
  const w = zeros([3], { dtype: 'float64', requiresGrad: true });
  const opt = new optim.SGD([w], { lr: schedule(0) });
  attachSchedule(opt, schedule);
  const shuffler = new Generator(5); // the same batches for every schedule
  const gapNow = () => noGrad(() => F.bceWithLogitsLoss(rows.matmul(w), labels).item()) - lossStar;
  const out = [{ t: 0, gap: gapNow() }];
  let order = permutation(400, shuffler);
  let at = 0;
  for (let t = 1; t <= UPDATES; t++) {
    if (at + batch > 400) {
      order = permutation(400, shuffler);
      at = 0;
    }
    const idx = order.slice(at, at + batch);
    at += batch;
    opt.zeroGrad();
    F.bceWithLogitsLoss(rows.indexSelect(0, idx).matmul(w), labels.indexSelect(0, idx)).backward();
    opt.step();
    if (t % EVERY === 0) {
      const gap = gapNow();
      out.push({ t, gap: Number.isFinite(gap) ? gap : Infinity });
    }
  }
  return out;
}

/** The constant-rate reference depends only on η₀ and N: remember the last few. */
const references = new Map<string, { t: number; gap: number }[]>();
function referenceRun(lr0: number, batch: number) {
  const key = `${lr0}|${batch}`;
  let run = references.get(key);
  if (!run) {
    run = trainUnder(constantLr(lr0), batch);
    if (references.size > 32) references.clear();
    references.set(key, run);
  }
  return run;
}

const clampGap = (g: number) => (Number.isFinite(g) ? Math.max(FLOOR, g) : 10);
const fmt = (v: number) => (Number.isFinite(v) ? Math.max(0, v).toExponential(1) : 'infinite');

export default defineFigure({
  controls: {
    schedule: { type: 'select', label: 'Schedule', options: SCHEDULES, value: 'step' },
    lr0: {
      type: 'range',
      label: 'Initial rate η₀',
      min: 0.1,
      max: 6,
      step: 0.1,
      value: 3,
    },
    gamma: {
      type: 'range',
      label: 'Factor γ (step, exponential, inverse time, piecewise)',
      min: 0.05,
      max: 0.95,
      step: 0.05,
      value: 0.5,
    },
    period: {
      type: 'range',
      label: 'Period T in updates',
      min: 10,
      max: 400,
      step: 10,
      value: 100,
    },
    power: {
      type: 'range',
      label: 'Power p (polynomial)',
      min: 0.5,
      max: 4,
      step: 0.5,
      value: 2,
    },
    cycle: { type: 'toggle', label: 'Cycle (polynomial)', value: false },
    batch: {
      type: 'select',
      label: 'Batch size N',
      options: ['1', '4', '16', '64'],
      value: '4',
    },
  },
  computeIn: 'worker',
  compute(state) {
    const schedule = buildSchedule(state);
    const batch = Number(state.batch);
    const run = trainUnder(schedule, batch);
    const reference = referenceRun(state.lr0, batch);
    const rates = Array.from({ length: UPDATES + 1 }, (_, t) => ({ t, lr: schedule(t) }));
    const tail = (r: { gap: number }[]) => r.slice(-10).reduce((a, p) => a + p.gap, 0) / 10;
    return { run, reference, rates, finalGap: tail(run), referenceGap: tail(reference) };
  },
  render(state, { Plot, width, data }) {
    const rate = 'learning rate η(t)';
    const gap = 'loss gap L − L*';
    // The run under the schedule (blue) and the constant-rate reference (grey), in two panels.
    const scheduled = [
      ...data.rates.map((p) => ({ t: p.t, y: Math.max(FLOOR, p.lr), panel: rate })),
      ...data.run.map((p) => ({ t: p.t, y: clampGap(p.gap), panel: gap })),
    ];
    const reference = [
      { t: 0, y: state.lr0, panel: rate },
      { t: UPDATES, y: state.lr0, panel: rate },
      ...data.reference.map((p) => ({ t: p.t, y: clampGap(p.gap), panel: gap })),
    ];
    return Plot.plot({
      width,
      height: 420,
      marginLeft: 56,
      fy: { axis: null, domain: [rate, gap] },
      x: { domain: [0, UPDATES], label: 'update t' },
      y: { type: 'log', domain: [FLOOR, 10], label: 'log scale', tickFormat: '.0e', ticks: 4 },
      marks: [
        Plot.frame({ strokeOpacity: 0.2 }),
        Plot.text([rate, gap], {
          fy: (d: string) => d,
          text: (d: string) => d,
          frameAnchor: 'top-right',
          dx: -6,
          dy: 6,
          fill: 'currentColor',
        }),
        Plot.line(reference, {
          x: 't',
          y: 'y',
          fy: 'panel',
          stroke: 'currentColor',
          strokeOpacity: 0.4,
          strokeWidth: 1.5,
        }),
        Plot.line(scheduled, { x: 't', y: 'y', fy: 'panel', stroke: palette.blue, strokeWidth: 2 }),
      ],
    });
  },
  describe(state, data) {
    const name = SCHEDULES.find((s) => s.value === state.schedule)?.label ?? state.schedule;
    const last = data.rates[data.rates.length - 1].lr;
    return (
      `${name} schedule from η₀ = ${state.lr0}, batches of ${state.batch}: ` +
      `the rate ends at η(400) = ${last.toPrecision(3)}, and over the last 40 updates L − L* averages ` +
      `${fmt(data.finalGap)}, against ${fmt(data.referenceGap)} at the constant rate η₀.`
    );
  },
});
