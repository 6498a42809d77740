/**
 * The linear and quadratic Taylor models of a loss inside a disk, and where each says to step
 * (chapter 3). The loss is the chapter's L(θ) = θ₁²/10 + sin θ₁ + θ₁θ₂/5 + θ₂²/2.
 */
import { contourLines, memoize } from '../../src/notebook/figures/contours.ts';
import { defineFigure } from '../../src/notebook/figures/define.ts';

type Vec = [number, number];

const X_DOMAIN = [-6, 4] as const;
const Y_DOMAIN = [-4, 4] as const;
/** Contour levels of the loss; the models use every other one, so a model line that lies on
 * a loss line of the same level means the model is right there. */
const LEVELS = Array.from({ length: 33 }, (_, k) => -4 + 0.5 * k);
const MODEL_LEVELS = LEVELS.filter((level) => Number.isInteger(level));

export function loss([p, q]: Vec): number {
  return (p * p) / 10 + Math.sin(p) + (p * q) / 5 + (q * q) / 2;
}

export function gradient([p, q]: Vec): Vec {
  return [p / 5 + Math.cos(p) + q / 5, p / 5 + q];
}

export function hessian([p]: Vec): [[number, number], [number, number]] {
  return [
    [0.2 - Math.sin(p), 0.2],
    [0.2, 1],
  ];
}

/** The first- and second-order Taylor models of the loss around `at`. */
export function models(at: Vec) {
  const s = loss(at);
  const [u, v] = gradient(at);
  const [[a, c], [, d]] = hessian(at);
  const linear = ([x, y]: Vec) => s + u * (x - at[0]) + v * (y - at[1]);
  const quadratic = ([x, y]: Vec) => {
    const [dx, dy] = [x - at[0], y - at[1]];
    return linear([x, y]) + 0.5 * (a * dx * dx + 2 * c * dx * dy + d * dy * dy);
  };
  return { linear, quadratic };
}

/** The lowest point of `fn` on the closed disk, by a polar grid (fine enough to draw). */
function lowestInDisk(fn: (point: Vec) => number, center: Vec, radius: number): Vec {
  let best: Vec = [center[0], center[1]];
  let bestValue = fn(best);
  const rings = 24;
  const spokes = 360;
  for (let i = 1; i <= rings; i++) {
    const r = (radius * i) / rings;
    for (let j = 0; j < spokes; j++) {
      const angle = (2 * Math.PI * j) / spokes;
      const point: Vec = [center[0] + r * Math.cos(angle), center[1] + r * Math.sin(angle)];
      const value = fn(point);
      if (value < bestValue) [best, bestValue] = [point, value];
    }
  }
  return best;
}

/** Where each view of the loss says the lowest point of the disk is. */
export function targets(at: Vec, radius: number) {
  const [u, v] = gradient(at);
  const norm = Math.hypot(u, v);
  // The linear model's minimizer on the disk: distance d against the gradient (the chapter's result).
  const linear: Vec =
    norm === 0 ? [at[0], at[1]] : [at[0] - (radius * u) / norm, at[1] - (radius * v) / norm];
  const { quadratic: quadraticModel } = models(at);
  const [[a, c], [, d]] = hessian(at);
  const det = a * d - c * c;
  let quadratic: Vec;
  const positiveDefinite = a > 0 && det > 0;
  const newtonStep: Vec = [-(d * u - c * v) / det, -(-c * u + a * v) / det];
  if (positiveDefinite && Math.hypot(...newtonStep) <= radius) {
    // NOTE: an interior minimizer of a quadratic must be its stationary point, so this is it
    quadratic = [at[0] + newtonStep[0], at[1] + newtonStep[1]];
  } else {
    quadratic = lowestInDisk(quadraticModel, at, radius);
  }
  const actual = lowestInDisk(loss, at, radius);
  return { linear, quadratic, actual, positiveDefinite };
}

const fmt = (point: Vec) => `(${point[0].toFixed(2)}, ${point[1].toFixed(2)})`;

/** Level lines of the loss: it never changes, so they are computed once. */
const LOSS_LINES = contourLines((x, y) => loss([x, y]), {
  x: X_DOMAIN,
  y: Y_DOMAIN,
  thresholds: LEVELS,
});

/** Level lines of a Taylor model, cached per model and point (they change only when it moves). */
const modelLines = memoize((key: string) => {
  const [kind, x0, y0] = key.split(' ') as ['linear' | 'quadratic', string, string];
  const model = models([Number(x0), Number(y0)])[kind];
  return contourLines((x, y) => model([x, y]), {
    x: X_DOMAIN,
    y: Y_DOMAIN,
    thresholds: MODEL_LEVELS,
  });
});

export default defineFigure({
  controls: {
    at: {
      type: 'point',
      label: 'Current point',
      value: [-3, 1],
      step: 0.05,
      x: X_DOMAIN,
      y: Y_DOMAIN,
    },
    radius: { type: 'range', label: 'Radius d', min: 0.1, max: 3, step: 0.05, value: 2 },
    model: {
      type: 'select',
      label: 'Model contours',
      options: [
        { value: 'none', label: 'None (loss only)' },
        { value: 'linear', label: 'Linear model' },
        { value: 'quadratic', label: 'Quadratic model' },
      ],
      value: 'linear',
    },
  },
  compute(state) {
    return targets(state.at, state.radius);
  },
  render(state, { Plot, width, data }) {
    const { at, radius } = state;
    const circle = Array.from({ length: 121 }, (_, i) => {
      const angle = (2 * Math.PI * i) / 120;
      return [at[0] + radius * Math.cos(angle), at[1] + radius * Math.sin(angle)] as Vec;
    });
    const marks = [
      Plot.line(LOSS_LINES, {
        x: 'x',
        y: 'y',
        z: 'level',
        stroke: 'currentColor',
        strokeOpacity: 0.3,
      }),
    ];
    if (state.model !== 'none') {
      marks.push(
        Plot.line(modelLines(`${state.model} ${at[0]} ${at[1]}`), {
          x: 'x',
          y: 'y',
          z: 'level',
          stroke: state.model === 'linear' ? '#1f77b4' : '#9467bd',
          strokeOpacity: 0.55,
          strokeDasharray: '4,3',
        }),
      );
    }
    const arrows = [
      { to: data.linear, name: 'linear (gradient step)', color: '#1f77b4' },
      { to: data.quadratic, name: 'quadratic', color: '#9467bd' },
      { to: data.actual, name: 'true loss', color: '#d62728' },
    ];
    marks.push(
      Plot.line(circle, { stroke: 'currentColor', strokeWidth: 1.5 }),
      Plot.arrow(arrows, {
        x1: () => at[0],
        y1: () => at[1],
        x2: (a) => a.to[0],
        y2: (a) => a.to[1],
        stroke: (a) => a.color,
        strokeWidth: 2,
        headLength: 10,
      }),
      Plot.dot(arrows, { x: (a) => a.to[0], y: (a) => a.to[1], fill: (a) => a.color, r: 3.5 }),
      // A legend in the corner: labels at the arrow tips would overlap when the targets agree.
      ...arrows.map((a, i) =>
        Plot.text([a], {
          frameAnchor: 'top-right',
          text: () => `→ ${a.name}`,
          fill: a.color,
          dx: -8,
          dy: 10 + 16 * i,
          textAnchor: 'end',
          fontSize: 12,
          stroke: 'var(--plot-background)',
          strokeWidth: 4,
          paintOrder: 'stroke',
        }),
      ),
      Plot.dot([at], { fill: 'currentColor', r: 4 }),
    );
    return Plot.plot({
      width,
      aspectRatio: 1,
      x: { domain: X_DOMAIN, label: 'θ₁' },
      y: { domain: Y_DOMAIN, label: 'θ₂' },
      color: { type: 'identity' },
      clip: true,
      marks,
    });
  },
  describe(state, data) {
    const { at, radius } = state;
    const curvature = data.positiveDefinite
      ? 'The Hessian here is positive definite, so the quadratic model is a bowl.'
      : 'The Hessian here is not positive definite, so the quadratic model has no bottom.';
    return (
      `Around ${fmt(at)} with radius ${radius.toFixed(2)}: ` +
      `the linear model (gradient step) points to ${fmt(data.linear)}, where L = ${loss(data.linear).toFixed(3)}; ` +
      `the quadratic model's lowest point in the disk is ${fmt(data.quadratic)}, where L = ${loss(data.quadratic).toFixed(3)}; ` +
      `the true lowest point in the disk is ${fmt(data.actual)}, where L = ${loss(data.actual).toFixed(3)}. ${curvature}`
    );
  },
});
