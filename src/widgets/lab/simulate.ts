/**
 * Runs the race: every switched-on optimizer of the engine from the common start, for the
 * state's number of steps, on the state's surface. Each path is the engine optimizer's own
 * recorded trajectory (`record: true`), so the lab shows exactly what `optim` does.
 */
import {
  tensor,
  attachSchedule,
  constantLr,
  stepDecay,
  exponentialDecay,
  invSqrt,
  cosineAnnealing,
  type Schedule,
} from '@descent/engine';
import { PROBLEMS } from './problems.ts';
import { OPTIMIZERS, type OptimizerId } from './optimizers.ts';
import type { LabState, ScheduleKind } from './state.ts';

export interface Run {
  id: OptimizerId;
  /** x0, y0, x1, y1, …: the start, then the point after every step. */
  path: Float64Array;
  /** The noise-free loss at every point of the path. */
  loss: Float64Array;
  /** Why the path ended early, if it did (divergence, a singular Hessian). */
  stopped: string | null;
}

/** Paths leaving this box (the plotted region grown 50 times) count as diverged. */
const ESCAPE = 50;

export function schedule(kind: ScheduleKind, lr0: number, steps: number): Schedule {
  switch (kind) {
    case 'constant':
      return constantLr(lr0);
    case 'step':
      return stepDecay({ lr0, stepSize: 100, gamma: 0.5 });
    case 'exponential':
      return exponentialDecay({ lr0, decayRate: 0.99 });
    case 'invsqrt':
      return invSqrt({ lr0 });
    case 'cosine':
      return cosineAnnealing({ lr0, tMax: steps });
  }
}

/** One optimizer's run. */
export function runOne(state: LabState, id: OptimizerId): Run {
  const problem = PROBLEMS[state.problem];
  const spec = OPTIMIZERS.find((o) => o.id === id)!;
  const setup = state.opts[id];
  const p = tensor(state.start, { dtype: 'float64', requiresGrad: true });
  const opt = spec.make(p, setup.h);
  if (spec.schedulable && setup.schedule !== 'constant')
    attachSchedule(opt, schedule(setup.schedule, setup.h.lr!, state.steps));
  let stopped: string | null = null;
  const span = Math.max(problem.x[1] - problem.x[0], problem.y[1] - problem.y[0]) * ESCAPE;
  for (let k = 0; k < state.steps; k++) {
    const closure = () => {
      opt.zeroGrad();
      const loss = problem.loss(p, k);
      // Newton differentiates the returned loss itself; the others read p.grad.
      if (id !== 'newton') loss.backward();
      return loss;
    };
    try {
      opt.step(closure);
    } catch (error) {
      stopped = error instanceof Error ? error.message : String(error);
      opt.trajectory.pop(); // the failed step wrote nothing worth drawing
      break;
    }
    const [x, y] = [p.data[0]!, p.data[1]!];
    if (!Number.isFinite(x + y) || Math.abs(x) > span || Math.abs(y) > span) {
      stopped = 'diverged';
      break;
    }
  }
  const points = opt.trajectory;
  const path = new Float64Array(points.length * 2);
  const loss = new Float64Array(points.length);
  points.forEach(([x, y], i) => {
    path[2 * i] = x!;
    path[2 * i + 1] = y!;
    loss[i] = problem.at(x!, y!);
  });
  return { id, path, loss, stopped };
}

/** Every switched-on optimizer's run, in the lab's fixed order. */
export function simulate(state: LabState): Run[] {
  return OPTIMIZERS.filter((o) => state.opts[o.id].on).map((o) => runOne(state, o.id));
}
