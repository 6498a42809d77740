/**
 * Special functions: the error function and the standard normal CDF, for numbers and for
 * tensors. GELU (`x·Φ(x)`) is built on {@link normalCdf}.
 *
 * The scalar functions are accurate to about one unit in the last place in float64 (checked
 * against 40-digit mpmath values in `test/golden/special.json`):
 * - |x| < 1.5: the power series erf(x) = 2/√π · x·e^(−x²) · Σₙ (2x²)ⁿ / (1·3·5···(2n+1)),
 *   whose terms are all positive, so nothing cancels;
 * - |x| ≥ 1.5: the continued fraction erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))),
 *   evaluated with Lentz's method. It converges faster the larger x is.
 */
import { allocate, type FloatArray } from '../dtype.ts';
import { Tensor } from '../tensor.ts';

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2/√π
const ONE_OVER_SQRT_PI = 0.5641895835477563; // 1/√π
const ONE_OVER_SQRT_2PI = 0.3989422804014327; // 1/√(2π)
const SERIES_CUTOFF = 1.5;

/**
 * e^(−x²) without the rounding error of x·x, which matters for large x: e^(−x²) has relative
 * error ≈ x²·ε when x² is rounded. x is split as hi + lo with hi on a 1/4096 grid, so hi² is
 * exact and only the small (x − hi)(x + hi) is rounded.
 */
function expMinusSquare(x: number): number {
  const hi = Math.round(x * 4096) / 4096;
  return Math.exp(-hi * hi) * Math.exp(-(x - hi) * (x + hi));
}

/** Σ series for |x| < 1.5 (see the module comment). */
function erfSeries(x: number): number {
  const x2 = 2 * x * x;
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 100; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * x * expMinusSquare(x) * sum;
}

/** erfc for x ≥ 1.5 by the continued fraction (modified Lentz). */
function erfcContinuedFraction(x: number): number {
  // erfc(x) < 1e-323 beyond this: the answer underflows to 0 anyway.
  if (x > 27.3) return 0;
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 5000; k++) {
    const a = k / 2;
    d = x + a * d;
    if (d === 0) d = tiny;
    c = x + a / c;
    if (c === 0) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (ONE_OVER_SQRT_PI * expMinusSquare(x)) / f;
}

function erfNumber(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < SERIES_CUTOFF) return erfSeries(x);
  const r = 1 - erfcContinuedFraction(ax);
  return x < 0 ? -r : r;
}

function erfcNumber(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= SERIES_CUTOFF) return erfcContinuedFraction(x);
  if (x > -SERIES_CUTOFF) return 1 - erfSeries(x);
  return 2 - erfcContinuedFraction(-x);
}

/** Φ(x) = P(Z ≤ x) for a standard normal Z, as ½·erfc(−x/√2), accurate in both tails. */
function normalCdfNumber(x: number): number {
  return 0.5 * erfcNumber(-x * Math.SQRT1_2);
}

/** φ(x), the standard normal density. */
function normalPdfNumber(x: number): number {
  return ONE_OVER_SQRT_2PI * expMinusSquare(x * Math.SQRT1_2);
}

/** Elementwise scalar function on a tensor's data, as a new (untracked) tensor. */
function mapData(x: Tensor, f: (v: number) => number): Tensor {
  const out = allocate(x.dtype, x.size);
  const src = x.data;
  for (let i = 0; i < src.length; i++) out[i] = f(src[i]);
  return new Tensor(out, x.shape.slice(), x.dtype);
}

/**
 * The ingredients of {@link taylorOp} for f ∈ {erf, erfc, Φ}: the value, the first derivative
 * f′, and polynomials p₂, p₃ with f″ = p₂·f′ and f‴ = p₃·f′.
 */
interface Smooth {
  value: (v: number) => number;
  slope: (v: number) => number;
  p2: (v: number) => number;
  p3: (v: number) => number;
}

/**
 * A differentiable elementwise f from its value and first three derivatives at x:
 *
 *   y = f(x₀) + δ·(f′(x₀) + δ·(f″(x₀)/2 + δ·f‴(x₀)/6)),  x₀ = x.detach(), δ = x − x₀.
 *
 * δ is exactly 0, so the value is f(x) and the first, second and third derivatives that
 * autograd finds are exactly f′, f″ and f‴ (the fourth comes out as 0).
 */
// NOTE: the engine's primitive ops (ops/gradients.ts) have no erf, and only primitives carry
// hand-written derivative rules. This surrogate gets erf and Φ onto the tape with correct
// first, second and third derivatives (enough for gradients, Hessians and one more) using
// only existing ops. A primitive `erf` with the rule g·(2/√π)·e^(−x²) would make it exact to
// every order.
function taylorOp(x: Tensor, f: Smooth): Tensor {
  if (!x.requiresGrad) return mapData(x, f.value);
  const n = x.size;
  const c0 = allocate(x.dtype, n);
  const c1 = allocate(x.dtype, n);
  const c2 = allocate(x.dtype, n);
  const c3 = allocate(x.dtype, n);
  const x0 = allocate(x.dtype, n);
  let allFinite = true;
  for (let i = 0; i < n; i++) {
    const v = x.data[i];
    c0[i] = f.value(v);
    if (!Number.isFinite(v)) {
      // At ±∞ and NaN, x − x₀ would be NaN and spoil the value: δ is pinned to 0 there
      // (erf and Φ are flat at ±∞, so the derivatives are 0 anyway).
      allFinite = false;
      continue;
    }
    const slope = f.slope(v);
    x0[i] = v;
    c1[i] = slope;
    c2[i] = (f.p2(v) * slope) / 2;
    c3[i] = (f.p3(v) * slope) / 6;
  }
  const shape = x.shape;
  const constant = (data: FloatArray) => new Tensor(data, shape.slice(), x.dtype);
  let finiteX = x;
  if (!allFinite) {
    finiteX = x.where(
      mapData(x, (v) => (Number.isFinite(v) ? 1 : 0)),
      0,
    );
  }
  const delta = finiteX.sub(constant(x0));
  const inner = delta.mul(constant(c3)).add(constant(c2)).mul(delta).add(constant(c1));
  return delta.mul(inner).add(constant(c0));
}

const ERF: Smooth = {
  value: (v) => erfNumber(v),
  slope: (v) => TWO_OVER_SQRT_PI * expMinusSquare(v),
  p2: (v) => -2 * v,
  p3: (v) => 4 * v * v - 2,
};

const ERFC: Smooth = {
  value: (v) => erfcNumber(v),
  slope: (v) => -TWO_OVER_SQRT_PI * expMinusSquare(v),
  p2: (v) => -2 * v,
  p3: (v) => 4 * v * v - 2,
};

const NORMAL_CDF: Smooth = {
  value: (v) => normalCdfNumber(v),
  slope: (v) => normalPdfNumber(v),
  p2: (v) => -v,
  p3: (v) => v * v - 1,
};

/**
 * The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, for a number or elementwise for a tensor.
 *
 * @example
 * F.erf(0.5); // 0.5204998778130465
 */
export function erf(x: number): number;
export function erf(x: Tensor): Tensor;
export function erf(x: number | Tensor): number | Tensor {
  return typeof x === 'number' ? erfNumber(x) : taylorOp(x, ERF);
}

/**
 * The complementary error function 1 − erf(x), without the cancellation for large x.
 *
 * @example
 * F.erfc(3); // 0.00002209049699858544
 */
export function erfc(x: number): number;
export function erfc(x: Tensor): Tensor;
export function erfc(x: number | Tensor): number | Tensor {
  return typeof x === 'number' ? erfcNumber(x) : taylorOp(x, ERFC);
}

/**
 * The standard normal CDF Φ(x) = ½(1 + erf(x/√2)), for a number or elementwise for a tensor.
 *
 * @example
 * F.normalCdf(1.96); // 0.9750021048517795
 */
export function normalCdf(x: number): number;
export function normalCdf(x: Tensor): Tensor;
export function normalCdf(x: number | Tensor): number | Tensor {
  return typeof x === 'number' ? normalCdfNumber(x) : taylorOp(x, NORMAL_CDF);
}
