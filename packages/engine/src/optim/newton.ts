/**
 * Second-order steps and line searches for the Newton chapter: `Newton` (damped Newton with an
 * optional backtracking line search) and `lineSearch.exactQuadratic` / `lineSearch.backtracking`.
 *
 * Everything here runs in float64 on small problems: the Hessian of n parameters costs n backward
 * passes and an n×n solve, which is the point the chapter makes about second-order methods.
 */
import { Tensor } from '../tensor.ts';
import { DescentError } from '../errors.ts';
import { runBackward, enableGrad, noGrad } from '../autograd.ts';
import {
  Optimizer,
  withLr,
  type ParamGroup,
  type ParamsInput,
  type RecordOptions,
} from './optimizer.ts';

// ---------------------------------------------------------------------------------------------
// Small dense linear algebra on plain arrays.

function toMatrix(name: string, A: Tensor | number[][]): number[][] {
  if (A instanceof Tensor) {
    if (A.shape.length !== 2 || A.shape[0] !== A.shape[1]) {
      throw new DescentError(`${name}: A must be a square matrix, got shape [${A.shape}]`);
    }
    const n = A.shape[0];
    return Array.from({ length: n }, (_, i) => Array.from(A.data.subarray(i * n, (i + 1) * n)));
  }
  if (!Array.isArray(A) || A.some((row) => !Array.isArray(row) || row.length !== A.length)) {
    throw new DescentError(`${name}: A must be a square matrix (n×n nested array)`);
  }
  return A;
}

function toVector(name: string, v: Tensor | number[] | ArrayLike<number>, n?: number): number[] {
  const out = v instanceof Tensor ? Array.from(v.data) : Array.from(v as ArrayLike<number>);
  if (n !== undefined && out.length !== n) {
    throw new DescentError(`${name}: expected a vector of ${n} elements, got ${out.length}`);
  }
  return out;
}

/**
 * Solve A x = b by Gaussian elimination with partial pivoting. Throws on a singular matrix.
 *
 * @example
 * optim.solve([[2, 0], [0, 4]], [2, 2]); // [1, 0.5]
 */
export function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(M[r][col]) > Math.abs(M[pivot][col])) pivot = r;
    if (Math.abs(M[pivot][col]) < 1e-300) {
      throw new DescentError(`solve: the matrix is singular (no pivot in column ${col})`);
    }
    [M[col], M[pivot]] = [M[pivot], M[col]];
    for (let r = col + 1; r < n; r++) {
      const f = M[r][col] / M[col][col];
      if (f === 0) continue;
      for (let k = col; k <= n; k++) M[r][k] -= f * M[col][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

// ---------------------------------------------------------------------------------------------

/** Options of {@link backtracking}. */
export interface BacktrackingOptions {
  /** First step size tried. Default 1. */
  alpha0?: number;
  /** Factor the step shrinks by after each failed try. Default 0.5. */
  rho?: number;
  /** Armijo constant: the loss must drop by at least c·α·(∇f·d). Default 1e-4. */
  c?: number;
  /** ∇f(x), if already known (otherwise computed with autograd). */
  grad?: Tensor | number[];
  /** Give up after this many halvings and return the last α. Default 50. */
  maxIter?: number;
}

function evalScalar(f: (x: Tensor) => Tensor | number, x: Tensor): number {
  const v = f(x);
  return typeof v === 'number' ? v : v.item();
}

/**
 * The exact line-search step for a quadratic f(x) = ½xᵀAx − bᵀx along −g:
 * α = gᵀg / gᵀAg, the α that minimises f(x − αg).
 *
 * @example
 * optim.lineSearch.exactQuadratic([[1, 0], [0, 5]], [1, 1]); // 2 / 6 = 0.333…
 */
export function exactQuadratic(A: Tensor | number[][], g: Tensor | number[]): number {
  const M = toMatrix('exactQuadratic', A);
  const v = toVector('exactQuadratic', g, M.length);
  const Ag = M.map((row) => dot(row, v));
  const curvature = dot(v, Ag);
  if (!(curvature > 0)) {
    throw new DescentError(
      `exactQuadratic: gᵀAg must be > 0 (A positive definite along g), got ${curvature}`,
    );
  }
  return dot(v, v) / curvature;
}

/**
 * Backtracking (Armijo) line search: start at α = alpha0 and multiply by `rho` until
 * f(x + α d) ≤ f(x) + c α ∇f(x)·d. Returns the accepted α. `d` should be a descent direction
 * (∇f·d < 0), e.g. −∇f or Newton's −H⁻¹∇f.
 *
 * @example
 * const f = (x: Tensor) => x.pow(2).sum();
 * optim.lineSearch.backtracking(f, tensor([1, 1]), tensor([-2, -2])); // 0.5
 */
export function backtracking(
  f: (x: Tensor) => Tensor | number,
  x: Tensor | number[],
  direction: Tensor | number[],
  opts: BacktrackingOptions = {},
): number {
  const { alpha0 = 1, rho = 0.5, c = 1e-4, maxIter = 50 } = opts;
  if (!(rho > 0 && rho < 1))
    throw new DescentError(`backtracking: rho must be in (0, 1), got ${rho}`);
  const x0 =
    x instanceof Tensor ? x.detach().to('float64') : new Tensor(Float64Array.from(x), [x.length]);
  const d = toVector('backtracking', direction, x0.size);
  let g: number[];
  if (opts.grad !== undefined) {
    g = toVector('backtracking', opts.grad, x0.size);
  } else {
    const xg = new Tensor(Float64Array.from(x0.data), x0.shape);
    xg.requiresGrad = true;
    const y = enableGrad(() => f(xg));
    if (typeof y === 'number' || !y.requiresGrad) {
      throw new DescentError(
        'backtracking: f must return a Tensor computed from x (or pass opts.grad)',
      );
    }
    const seed = new Tensor(
      y.dtype === 'float64' ? Float64Array.of(1) : Float32Array.of(1),
      y.shape,
    );
    const [gx] = runBackward([y], [seed], { targets: [xg] });
    g = gx ? toVector('backtracking', gx) : new Array<number>(x0.size).fill(0);
  }
  const slope = dot(g, d);
  const f0 = noGrad(() => evalScalar(f, x0));
  let alpha = alpha0;
  for (let i = 0; i < maxIter; i++) {
    const trial = new Tensor(
      Float64Array.from(x0.data, (v, k) => v + alpha * d[k]),
      x0.shape,
    );
    const ft = noGrad(() => evalScalar(f, trial));
    if (ft <= f0 + c * alpha * slope) return alpha;
    alpha *= rho;
  }
  return alpha;
}

/** The line searches, as `optim.lineSearch.exactQuadratic` and `optim.lineSearch.backtracking`. */
export const lineSearch = { exactQuadratic, backtracking };

// ---------------------------------------------------------------------------------------------

/** Hyperparameters of {@link Newton}. */
export interface NewtonOptions {
  /** Damping factor: θ ← θ + lr·α·p with p = −H⁻¹g. Default 1 (the full Newton step). */
  lr: number;
  /** `'backtracking'` picks α by an Armijo line search along p; false uses α = 1. */
  lineSearch: false | 'backtracking';
  /**
   * Add this multiple of the identity to H before solving (Levenberg damping; 0 = pure Newton).
   * Default 0.
   */
  ridge: number;
}

/**
 * Newton's method on the flattened parameters: at each `step(closure)`, the closure returns the
 * loss tensor (it need not call `backward`); the optimizer computes the gradient g and the
 * Hessian H of the loss with respect to every parameter by autograd (reverse over reverse, one
 * backward pass per parameter element), solves H p = −g, and moves θ ← θ + lr·α·p.
 *
 * After each step, `gradient`, `hessian` and `direction` hold the last g, H and p for display.
 * A non-positive-definite H gives a direction that may point uphill (towards a saddle or a
 * maximum): that is Newton's known failure, which the chapter shows; `ridge` or a line search
 * tame it.
 *
 * @example
 * const w = tensor([1.5, -0.5], { dtype: 'float64', requiresGrad: true });
 * const opt = new optim.Newton([w], { record: true });
 * opt.step(() => w.sub(1).pow(2).sum());
 * w.toArray(); // [1, 1]
 */
export class Newton extends Optimizer<NewtonOptions> {
  /** The gradient at the last step's starting point. */
  gradient: number[] = [];
  /** The Hessian at the last step's starting point (n×n). */
  hessian: number[][] = [];
  /** The last Newton direction p = −H⁻¹g (before damping and line search). */
  direction: number[] = [];
  /** The last line-search step α (1 without line search). */
  alpha = 1;

  constructor(
    params: ParamsInput<NewtonOptions>,
    opts: (Partial<NewtonOptions> & RecordOptions) | number = {},
  ) {
    const options = withLr(opts);
    super('Newton', params, { lr: 1, lineSearch: false, ridge: 0, ...options });
    if (this.paramGroups.length !== 1) {
      throw new DescentError(
        `Newton: expects one group of parameters, got ${this.paramGroups.length}`,
      );
    }
  }

  override step(closure?: () => Tensor | number): number {
    if (!closure) {
      throw new DescentError('Newton.step: a closure returning the loss tensor is required');
    }
    const group = this.paramGroups[0] as ParamGroup<NewtonOptions>;
    const params = group.params;
    const loss = enableGrad(closure);
    if (!(loss instanceof Tensor) || !loss.requiresGrad || loss.size !== 1) {
      throw new DescentError(
        'Newton.step: the closure must return a scalar loss tensor computed from the parameters',
      );
    }
    const seed = new Tensor(
      loss.dtype === 'float64' ? Float64Array.of(1) : Float32Array.of(1),
      loss.shape,
    );
    const grads = runBackward([loss], [seed], { createGraph: true, targets: params });
    const g: number[] = [];
    grads.forEach((gk, k) => {
      if (gk === null) for (let j = 0; j < params[k].size; j++) g.push(0);
      else for (let j = 0; j < gk.size; j++) g.push(gk.data[j]);
    });
    const n = g.length;
    const H: number[][] = [];
    for (let k = 0; k < params.length; k++) {
      const gk = grads[k];
      for (let j = 0; j < params[k].size; j++) {
        const row: number[] = [];
        if (gk === null || !gk.requiresGrad) {
          for (let i = 0; i < n; i++) row.push(0);
        } else {
          const e = new Tensor(
            gk.dtype === 'float64' ? new Float64Array(gk.size) : new Float32Array(gk.size),
            gk.shape,
          );
          e.data[j] = 1;
          const second = runBackward([gk], [e], { targets: params });
          second.forEach((s, m) => {
            if (s === null) for (let i = 0; i < params[m].size; i++) row.push(0);
            else for (let i = 0; i < s.size; i++) row.push(s.data[i]);
          });
        }
        H.push(row);
      }
    }
    // NOTE: autograd gives H up to rounding; symmetrise so the solve sees an exactly symmetric H.
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const avg = (H[i][j] + H[j][i]) / 2;
        H[i][j] = avg;
        H[j][i] = avg;
      }
    }
    const Hr = H.map((row, i) => row.map((v, j) => (i === j ? v + group.ridge : v)));
    const p = solve(
      Hr,
      g.map((v) => -v),
    );
    const x0 = params.flatMap((q) => Array.from(q.data));
    const f0 = loss.item();
    let alpha = 1;
    if (group.lineSearch === 'backtracking') {
      const slope = dot(g, p);
      const c = 1e-4;
      for (let i = 0; i < 50; i++) {
        this.writeParams(x0, p, group.lr * alpha);
        const v = enableGrad(closure);
        const ft = typeof v === 'number' ? v : v.item();
        if (ft <= f0 + c * group.lr * alpha * slope) break;
        alpha *= 0.5;
      }
    } else if (group.lineSearch !== false) {
      throw new DescentError(
        `Newton: lineSearch must be false or 'backtracking', got ${String(group.lineSearch)}`,
      );
    }
    this.writeParams(x0, p, group.lr * alpha);
    this.gradient = g;
    this.hessian = H;
    this.direction = p;
    this.alpha = alpha;
    this.stepCount += 1;
    this.afterStep(f0);
    return f0;
  }

  private writeParams(x0: number[], p: number[], scale: number): void {
    let offset = 0;
    for (const q of this.paramGroups[0].params) {
      for (let i = 0; i < q.data.length; i++) q.data[i] = x0[offset + i] + scale * p[offset + i];
      offset += q.data.length;
    }
  }
}
