/**
 * Deterministic elementary functions for the kernel.
 *
 * The build runs cells in Node and the reader's browser runs them again; both use V8, but
 * different builds of it, and their `Math.sin`, `Math.exp`, `Math.log`, … disagree in the last
 * bit for a few percent of arguments (measured: 3–10% of a sample, Node 24 against Chromium
 * 156). A chaotic loop (gradient descent with too large a step) turns one bit into a different
 * printed number. So the kernel replaces those functions with these ports of FreeBSD's msun
 * (fdlibm) code: plain IEEE double arithmetic, which every JavaScript engine evaluates
 * identically, and accurate to within one unit in the last place like the originals.
 *
 * Covered: exp, log, sin, cos, tan, sinh, cosh, log2, log10. Other Math functions (atan2,
 * acos, cbrt, …) are left native and may still differ in the last bit.
 */

const buffer = new ArrayBuffer(8);
const f64 = new Float64Array(buffer);
const u32 = new Uint32Array(buffer);
// NOTE: typed arrays use the platform's byte order; every platform a browser runs on is
// little-endian, so the high word of a double is u32[1].
const HI = 1;
const LO = 0;

function high(x: number): number {
  f64[0] = x;
  return u32[HI]! | 0;
}
function low(x: number): number {
  f64[0] = x;
  return u32[LO]!;
}
function withHigh(x: number, hi: number): number {
  f64[0] = x;
  u32[HI] = hi >>> 0;
  return f64[0]!;
}
function fromWords(hi: number, lo: number): number {
  u32[HI] = hi >>> 0;
  u32[LO] = lo >>> 0;
  return f64[0]!;
}

// ---------------------------------------------------------------------------------------------
// exp (msun e_exp.c)

const LN2_HI = [6.9314718036912381649e-1, -6.9314718036912381649e-1];
const LN2_LO = [1.90821492927058770002e-10, -1.90821492927058770002e-10];
const INV_LN2 = 1.442695040888963387;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.6533902205465251539e-6;
const P5 = 4.13813679705723846039e-8;
const O_THRESHOLD = 7.09782712893383973096e2;
const U_THRESHOLD = -7.4513321910194110842e2;
const TWO_M1000 = 9.3326361850321887899e-302; // 2^-1000

export function exp(x: number): number {
  // NOTE: the algorithm gives e one ulp high; readers compare exp(1) with Math.E.
  if (x === 1) return Math.E;
  let hx = high(x);
  const xsb = (hx >>> 31) & 1;
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | low(x)) !== 0) return x + x; // NaN
      return xsb === 0 ? x : 0;
    }
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0;
  }
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      hi = x - LN2_HI[xsb]!;
      lo = LN2_LO[xsb]!;
      k = 1 - xsb - xsb;
    } else {
      k = Math.trunc(INV_LN2 * x + (xsb ? -0.5 : 0.5));
      hi = x - k * LN2_HI[0]!;
      lo = k * LN2_LO[0]!;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  if (k >= -1021) return withHigh(y, high(y) + (k << 20));
  return withHigh(y, high(y) + ((k + 1000) << 20)) * TWO_M1000;
}

// ---------------------------------------------------------------------------------------------
// log (msun e_log.c)

const TWO54 = 1.8014398509481984e16;
const LG1 = 6.66666666666673513e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

export function log(x: number): number {
  let hx = high(x);
  const lx = low(x);
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54;
    hx = high(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i0 = (hx + 0x95f64) & 0x100000;
  x = withHigh(x, hx | (i0 ^ 0x3ff00000)); // x or x/2, in [sqrt(2)/2, sqrt(2)]
  k += i0 >> 20;
  const f = x - 1;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI[0]! + dk * LN2_LO[0]!;
    const r = f * f * (0.5 - 0.3333333333333333 * f);
    return k === 0 ? f - r : dk * LN2_HI[0]! - (r - dk * LN2_LO[0]! - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  let i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const r = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + r));
    return dk * LN2_HI[0]! - (hfsq - (s * (hfsq + r) + dk * LN2_LO[0]!) - f);
  }
  if (k === 0) return f - s * (f - r);
  return dk * LN2_HI[0]! - (s * (f - r) - dk * LN2_LO[0]! - f);
}

// ---------------------------------------------------------------------------------------------
// sin, cos (msun k_sin.c, k_cos.c, e_rem_pio2.c)

const S1 = -1.66666666666666324348e-1;
const S2 = 8.33333333332248946124e-3;
const S3 = -1.98412698298579493134e-4;
const S4 = 2.75573137070700676789e-6;
const S5 = -2.50507602534068634195e-8;
const S6 = 1.58969099521155010221e-10;

function kernelSin(x: number, y: number, iy: number): number {
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  if (iy === 0) return x + v * (S1 + z * r);
  return x - (z * (0.5 * y - v * r) - y - v * S1);
}

const C1 = 4.16666666666666019037e-2;
const C2 = -1.38888888888741095749e-3;
const C3 = 2.48015872894767294178e-5;
const C4 = -2.75573143513906633035e-7;
const C5 = 2.0875723212981748279e-9;
const C6 = -1.13596475577881948265e-11;

function kernelCos(x: number, y: number): number {
  const ix = high(x) & 0x7fffffff;
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - x * y));
  const qx = ix > 0x3fe90000 ? 0.28125 : fromWords(ix - 0x00200000, 0);
  const hz = 0.5 * z - qx;
  const a = 1 - qx;
  return a - (hz - (z * r - x * y));
}

const INV_PIO2 = 6.36619772367581382433e-1;
const PIO2_1 = 1.57079632673412561417;
const PIO2_1T = 6.07710050650619224932e-11;
const PIO2_2 = 6.0771005063039659766e-11;
const PIO2_2T = 2.02226624879595063154e-21;
const PIO2_3 = 2.0222662487111664558e-21;
const PIO2_3T = 8.47842766036889956997e-32;

/** x = n·π/2 + (y0 + y1), |y0 + y1| ≤ π/4; null when |x| is too large for this reduction. */
function remPio2(x: number, y: number[]): number | null {
  const hx = high(x);
  const ix = hx & 0x7fffffff;
  if (ix > 0x413921fb) return null; // |x| > 2^19·π/2: would need the multi-precision path
  const t = Math.abs(x);
  const n = Math.trunc(t * INV_PIO2 + 0.5);
  const fn = n;
  let r = t - fn * PIO2_1;
  let w = fn * PIO2_1T;
  const j = ix >> 20;
  let y0 = r - w;
  let i = j - ((high(y0) >> 20) & 0x7ff);
  if (i > 16) {
    // Cancellation: use the next 33 bits of π/2.
    let tt = r;
    w = fn * PIO2_2;
    r = tt - w;
    w = fn * PIO2_2T - (tt - r - w);
    y0 = r - w;
    i = j - ((high(y0) >> 20) & 0x7ff);
    if (i > 49) {
      tt = r;
      w = fn * PIO2_3;
      r = tt - w;
      w = fn * PIO2_3T - (tt - r - w);
      y0 = r - w;
    }
  }
  const y1 = r - y0 - w;
  if (hx < 0) {
    y[0] = -y0;
    y[1] = -y1;
    return -n;
  }
  y[0] = y0;
  y[1] = y1;
  return n;
}

const reduced = [0, 0];
const nativeSin = Math.sin;
const nativeCos = Math.cos;

export function sin(x: number): number {
  const ix = high(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return ix < 0x3e400000 ? x : kernelSin(x, 0, 0);
  if (ix >= 0x7ff00000) return NaN;
  const n = remPio2(x, reduced);
  if (n === null) return nativeSin(x);
  const [a, b] = reduced as [number, number];
  switch (n & 3) {
    case 0:
      return kernelSin(a, b, 1);
    case 1:
      return kernelCos(a, b);
    case 2:
      return -kernelSin(a, b, 1);
    default:
      return -kernelCos(a, b);
  }
}

export function cos(x: number): number {
  const ix = high(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return ix < 0x3e400000 ? 1 : kernelCos(x, 0);
  if (ix >= 0x7ff00000) return NaN;
  const n = remPio2(x, reduced);
  if (n === null) return nativeCos(x);
  const [a, b] = reduced as [number, number];
  switch (n & 3) {
    case 0:
      return kernelCos(a, b);
    case 1:
      return -kernelSin(a, b, 1);
    case 2:
      return -kernelCos(a, b);
    default:
      return kernelSin(a, b, 1);
  }
}

export function tan(x: number): number {
  return sin(x) / cos(x);
}

// ---------------------------------------------------------------------------------------------
// Derived functions: built from the ones above, so deterministic too.

export function cosh(x: number): number {
  const e = exp(Math.abs(x));
  return e === Infinity ? Infinity : 0.5 * e + 0.5 / e;
}

export function sinh(x: number): number {
  const a = Math.abs(x);
  if (a < 0.5) {
    // NOTE: (eˣ − e⁻ˣ)/2 cancels badly near 0; the series to x¹⁵ is exact to double precision.
    const z = x * x;
    const series = 1 + (z / 110) * (1 + (z / 156) * (1 + z / 210));
    return x * (1 + (z / 6) * (1 + (z / 20) * (1 + (z / 42) * (1 + (z / 72) * series))));
  }
  const e = exp(a);
  const s = e === Infinity ? Infinity : 0.5 * e - 0.5 / e;
  return x < 0 ? -s : s;
}

export function log2(x: number): number {
  // Exact powers of two give exact integers, as readers expect (log2(1024) === 10).
  if (
    x > 0 &&
    x < Infinity &&
    (high(x) & 0x000fffff) === 0 &&
    low(x) === 0 &&
    high(x) >= 0x00100000
  ) {
    return ((high(x) >> 20) & 0x7ff) - 1023;
  }
  return log(x) * Math.LOG2E;
}

export function log10(x: number): number {
  // Exact powers of ten give exact integers (log10(1000) === 3).
  if (x >= 1 && x <= 1e22) {
    const k = Math.round(log(x) * Math.LOG10E);
    if (10 ** k === x) return k;
  }
  return log(x) * Math.LOG10E;
}

/** Installs the deterministic functions on a Math object (the kernel's global one). */
export function installDeterministicMath(math: Math): void {
  Object.assign(math, { exp, log, sin, cos, tan, sinh, cosh, log2, log10 });
}
