/**
 * The whole setup of the optimizer lab as one plain object, and its round trip through a share
 * link. The link carries the surface, the start point, the run length, which optimizers race,
 * and every setting that differs from the surface's defaults:
 *
 *   #lab=p=rosenbrock&start=-1.5,2&steps=500&on=sgd,adam&adam.lr=0.02&sgd.schedule=cosine
 *
 * Decoding is forgiving: unknown keys and out-of-range numbers are ignored (a link never
 * breaks the page), and whatever the link leaves out takes its default.
 */
import { PROBLEMS, PROBLEM_IDS, type ProblemId } from './problems.ts';
import { OPTIMIZERS, OPTIMIZER_IDS, optimizerSpec, type OptimizerId } from './optimizers.ts';

export const SCHEDULES = [
  { value: 'constant', label: 'constant' },
  { value: 'step', label: 'halve every 100 steps' },
  { value: 'exponential', label: 'exponential, ×0.99 per step' },
  { value: 'invsqrt', label: 'η/√(t+1)' },
  { value: 'cosine', label: 'cosine to 0' },
] as const;
export type ScheduleKind = (typeof SCHEDULES)[number]['value'];

export const STEP_CHOICES = [100, 250, 500, 1000] as const;
export const SPEED_CHOICES = [50, 125, 250, 500] as const;

export interface OptimizerSetup {
  on: boolean;
  schedule: ScheduleKind;
  h: Record<string, number>;
}

export interface LabState {
  problem: ProblemId;
  start: [number, number];
  steps: number;
  /** Animation speed in steps per second. */
  speed: number;
  opts: Record<OptimizerId, OptimizerSetup>;
}

/** The optimizers racing when the lab opens. */
export const DEFAULT_ON: readonly OptimizerId[] = [
  'sgd',
  'momentum',
  'adagrad',
  'rmsprop',
  'adam',
  'newton',
];

/** Every optimizer's setup at the defaults for a surface. */
export function defaultOptimizers(problem: ProblemId, on: readonly OptimizerId[] = DEFAULT_ON) {
  const opts = {} as Record<OptimizerId, OptimizerSetup>;
  for (const spec of OPTIMIZERS) {
    opts[spec.id] = {
      on: on.includes(spec.id),
      schedule: 'constant',
      h: { ...spec.defaults[problem] },
    };
  }
  return opts;
}

export function defaultState(problem: ProblemId = 'rosenbrock'): LabState {
  const p = PROBLEMS[problem];
  return {
    problem,
    start: [p.start[0], p.start[1]],
    steps: 500,
    speed: 250,
    opts: defaultOptimizers(problem),
  };
}

/** A deep copy (states are small). */
export function cloneState(state: LabState): LabState {
  return structuredClone(state);
}

/** The query string of a state (without the leading `#lab=`), listing only what differs. */
export function encodeState(state: LabState): string {
  const out = new URLSearchParams();
  out.set('p', state.problem);
  out.set('start', `${state.start[0]},${state.start[1]}`);
  out.set('steps', String(state.steps));
  out.set('speed', String(state.speed));
  out.set('on', OPTIMIZER_IDS.filter((id) => state.opts[id].on).join(','));
  for (const spec of OPTIMIZERS) {
    const setup = state.opts[spec.id];
    if (setup.schedule !== 'constant') out.set(`${spec.id}.schedule`, setup.schedule);
    for (const param of spec.params) {
      const value = setup.h[param.key]!;
      if (value !== spec.defaults[state.problem][param.key])
        out.set(`${spec.id}.${param.key}`, String(value));
    }
  }
  return out.toString();
}

/** The fragment for a share link: `#lab=` and the encoded state. */
export function shareHash(state: LabState): string {
  return `#lab=${encodeURIComponent(encodeState(state))}`;
}

/** Reads a `#lab=…` fragment; null when the fragment is something else. */
export function parseHash(hash: string): LabState | null {
  if (!hash.startsWith('#lab=')) return null;
  try {
    return decodeState(decodeURIComponent(hash.slice('#lab='.length)));
  } catch {
    return null;
  }
}

function finitePair(text: string | null): [number, number] | null {
  const parts = (text ?? '').split(',').map(Number);
  return parts.length === 2 && parts.every(Number.isFinite) ? [parts[0]!, parts[1]!] : null;
}

/** A state from an encoded query string; anything missing or invalid takes its default. */
export function decodeState(query: string): LabState {
  const q = new URLSearchParams(query);
  const problemText = q.get('p') as ProblemId | null;
  const problem = problemText && PROBLEM_IDS.includes(problemText) ? problemText : 'rosenbrock';
  const state = defaultState(problem);
  const p = PROBLEMS[problem];
  const start = finitePair(q.get('start'));
  if (start) {
    state.start = [
      Math.min(p.x[1], Math.max(p.x[0], start[0])),
      Math.min(p.y[1], Math.max(p.y[0], start[1])),
    ];
  }
  const steps = Number(q.get('steps'));
  if ((STEP_CHOICES as readonly number[]).includes(steps)) state.steps = steps;
  const speed = Number(q.get('speed'));
  if ((SPEED_CHOICES as readonly number[]).includes(speed)) state.speed = speed;
  const on = q.get('on');
  if (on !== null) {
    const ids = on.split(',');
    for (const id of OPTIMIZER_IDS) state.opts[id].on = ids.includes(id);
  }
  for (const [key, value] of q) {
    const [id, field] = key.split('.') as [OptimizerId, string | undefined];
    if (!field || !OPTIMIZER_IDS.includes(id)) continue;
    const setup = state.opts[id];
    if (field === 'schedule') {
      if (SCHEDULES.some((s) => s.value === value)) setup.schedule = value as ScheduleKind;
      continue;
    }
    const param = optimizerSpec(id).params.find((h) => h.key === field);
    const number = Number(value);
    if (
      param &&
      value !== '' &&
      Number.isFinite(number) &&
      number >= param.min &&
      number <= param.max
    )
      setup.h[field] = number;
  }
  return state;
}
