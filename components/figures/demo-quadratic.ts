/**
 * Demo figure (the how-to page's showcase and the figures e2e tests): gradient descent on a
 * quadratic bowl f(x, y) = ½ (x, y) A (x, y)ᵀ, with every control type.
 * Plain math on purpose: the figure runtime is tested without depending on the engine.
 */
import { defineFigure, palette } from '../../src/notebook/figures/define.ts';

const STEPS = 30;
const X_DOMAIN: [number, number] = [-5, 5];
const Y_DOMAIN: [number, number] = [-4, 4];

/** The Hessian A of each surface, as [a, b, c] for A = [[a, b], [b, c]]. */
const SURFACES = {
  round: [1, 0, 1],
  valley: [1, 0, 10],
  tilted: [5.5, 4.5, 5.5],
} as const;

type Surface = keyof typeof SURFACES;

function loss(surface: Surface, x: number, y: number): number {
  const [a, b, c] = SURFACES[surface];
  return 0.5 * (a * x * x + 2 * b * x * y + c * y * y);
}

/** Runs gradient descent (optionally heavy-ball momentum, β = 0.8) from the start point. */
export function descend(
  surface: Surface,
  lr: number,
  momentum: boolean,
  start: readonly [number, number],
): { x: number; y: number; step: number; loss: number }[] {
  const [a, b, c] = SURFACES[surface];
  const beta = momentum ? 0.8 : 0;
  let [x, y] = start;
  let vx = 0;
  let vy = 0;
  const path = [{ x, y, step: 0, loss: loss(surface, x, y) }];
  for (let step = 1; step <= STEPS; step++) {
    const gx = a * x + b * y;
    const gy = b * x + c * y;
    vx = beta * vx + gx;
    vy = beta * vy + gy;
    x -= lr * vx;
    y -= lr * vy;
    // NOTE: stop once the iterate leaves the plot far behind; a diverging run would otherwise
    // reach Infinity and NaN, which Plot cannot place.
    if (!Number.isFinite(x) || !Number.isFinite(y) || Math.hypot(x, y) > 1e3) break;
    path.push({ x, y, step, loss: loss(surface, x, y) });
  }
  return path;
}

type LevelPoint = { x: number; y: number; level: number };
const levelSetCache = new Map<Surface, LevelPoint[]>();

/** Level sets f = level of the quadratic, as closed polylines (ellipses); cached per surface. */
function levelSets(surface: Surface): LevelPoint[] {
  const cached = levelSetCache.get(surface);
  if (cached) return cached;
  const [a, b, c] = SURFACES[surface];
  // Eigen-decomposition of the symmetric 2×2 Hessian: ellipse axes along the eigenvectors.
  const mean = (a + c) / 2;
  const radius = Math.hypot((a - c) / 2, b);
  const l1 = mean + radius;
  const l2 = mean - radius;
  const angle = 0.5 * Math.atan2(2 * b, a - c);
  const points: LevelPoint[] = [];
  for (const level of [0.5, 2, 5, 10, 20, 40, 80]) {
    for (let i = 0; i <= 72; i++) {
      const t = (i / 72) * 2 * Math.PI;
      const u = Math.sqrt((2 * level) / l1) * Math.cos(t);
      const v = Math.sqrt((2 * level) / l2) * Math.sin(t);
      points.push({
        x: u * Math.cos(angle) - v * Math.sin(angle),
        y: u * Math.sin(angle) + v * Math.cos(angle),
        level,
      });
    }
  }
  levelSetCache.set(surface, points);
  return points;
}

export default defineFigure({
  controls: {
    lr: { type: 'range', label: 'Learning rate η', min: 0.01, max: 1.2, step: 0.01, value: 0.15 },
    surface: {
      type: 'select',
      label: 'Surface',
      options: [
        { value: 'round', label: 'Round bowl' },
        { value: 'valley', label: 'Narrow valley' },
        { value: 'tilted', label: 'Tilted valley' },
      ],
      value: 'valley',
    },
    momentum: { type: 'toggle', label: 'Momentum (β = 0.8)', value: false },
    start: { type: 'point', label: 'Start point', value: [-4, 3], x: X_DOMAIN, y: Y_DOMAIN },
  },
  compute(state) {
    return descend(state.surface, state.lr, state.momentum, state.start);
  },
  // 30 steps would be cheap on the main thread; the demo runs them in the worker so that the
  // e2e tests exercise that path too (chapter figures use the default, 'main').
  computeIn: 'worker',
  render(state, { Plot, width, height, data: path }) {
    return Plot.plot({
      width,
      height,
      aspectRatio: 1,
      x: { domain: X_DOMAIN, label: 'x' },
      y: { domain: Y_DOMAIN, label: 'y' },
      clip: true,
      marks: [
        Plot.line(levelSets(state.surface), {
          x: 'x',
          y: 'y',
          z: 'level',
          stroke: 'currentColor',
          strokeOpacity: 0.3,
        }),
        Plot.dot([[0, 0]], { symbol: 'plus', r: 5, stroke: 'currentColor' }),
        Plot.line(path, { x: 'x', y: 'y', stroke: palette.orange, strokeWidth: 1.5 }),
        Plot.dot(path, { x: 'x', y: 'y', r: 2.5, fill: palette.orange }),
      ],
    });
  },
  describe(state, path) {
    const last = path[path.length - 1]!;
    const surface = { round: 'a round bowl', valley: 'a narrow valley', tilted: 'a tilted valley' }[
      state.surface
    ];
    const diverged = path.length <= STEPS || last.loss > path[0]!.loss;
    const outcome = diverged
      ? `diverges: the loss grows from ${path[0]!.loss.toFixed(2)} instead of shrinking`
      : `reaches (${last.x.toFixed(2)}, ${last.y.toFixed(2)}) with loss ${last.loss.toFixed(3)}`;
    return (
      `Gradient descent${state.momentum ? ' with momentum' : ''} on ${surface}, ` +
      `learning rate ${state.lr.toFixed(2)}, starting at (${state.start[0].toFixed(2)}, ` +
      `${state.start[1].toFixed(2)}); after ${last.step} steps it ${outcome}.`
    );
  },
});
