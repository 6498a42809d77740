/**
 * `checkOp`: forward check against a reference plus a float64 central finite-difference
 * check of first and second derivatives along random directions. Most op tests are one
 * call. Directional checks (like JAX's check_grads) cost two evaluations per input instead
 * of two per element.
 */
import { expect } from 'vitest';
import { Generator, Tensor, grad, noGrad, tensor } from '@descent/engine';
import type { NestedArray } from '@descent/engine';

export interface CheckOpOptions {
  /** Expected forward values, computed independently (e.g. with plain JS math). */
  reference?: (...inputs: number[][]) => number[];
  /** Range the random inputs are drawn from (default [-2, 2]). */
  domain?: [number, number];
  /** Keep inputs at least this far from these points (kinks, poles). */
  avoid?: number[];
  /** Absolute and relative tolerance of the gradient check. */
  atol?: number;
  rtol?: number;
  /** Also check second derivatives (default true). */
  secondOrder?: boolean;
  /** Which inputs are differentiated (default all). */
  wrt?: number[];
  seed?: number;
}

/** Flat values of a nested array or number. */
export function flat(x: NestedArray): number[] {
  return Array.isArray(x) ? x.flatMap((v) => flat(v)) : [x];
}

/** Random float64 tensor of `shape` with values in `domain`, avoiding `avoid` by 0.1. */
export function randomInput(
  shape: number[],
  g: Generator,
  domain: [number, number] = [-2, 2],
  avoid: number[] = [],
): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v: number;
    do v = domain[0] + (domain[1] - domain[0]) * g.uniform();
    while (avoid.some((p) => Math.abs(v - p) < 0.1));
    data[i] = v;
  }
  return tensor(data, { shape, dtype: 'float64' });
}

function dot(a: Tensor, b: Tensor): number {
  let s = 0;
  for (let i = 0; i < a.size; i++) s += a.data[i] * b.data[i];
  return s;
}

function perturbed(x: Tensor, u: Tensor, h: number): Tensor {
  const d = new Float64Array(x.size);
  for (let i = 0; i < x.size; i++) d[i] = x.data[i] + h * u.data[i];
  return tensor(d, { shape: x.shape, dtype: 'float64' });
}

export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol = 1e-6,
  rtol = 1e-6,
  label = '',
): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e)) {
      expect(Number.isNaN(a), `${label}[${i}] expected NaN, got ${a}`).toBe(true);
    } else if (!Number.isFinite(e)) {
      expect(a, `${label}[${i}]`).toBe(e);
    } else {
      const ok = Math.abs(a - e) <= atol + rtol * Math.abs(e);
      expect(ok, `${label}[${i}]: got ${a}, expected ${e}`).toBe(true);
    }
  }
}

/**
 * Checks `fn` on random float64 inputs of `shapes`: forward against `reference`, first
 * derivatives against central differences, and (unless disabled) second derivatives by
 * differentiating a random projection of the gradient, which exercises createGraph.
 */
export function checkOp(
  shapes: number[][],
  fn: (...xs: Tensor[]) => Tensor,
  options: CheckOpOptions = {},
): void {
  const g = new Generator(options.seed ?? 1234);
  const inputs = shapes.map((s) => randomInput(s, g, options.domain, options.avoid));
  const atol = options.atol ?? 1e-6;
  const rtol = options.rtol ?? 1e-5;
  const wrt = options.wrt ?? shapes.map((_, i) => i);

  const out = noGrad(() => fn(...inputs));
  if (options.reference) {
    const expected = options.reference(...inputs.map((x) => Array.from(x.data)));
    expectClose(out.data, expected, 1e-9, 1e-9, 'forward');
  }
  // float32 inputs give the same values to float32 precision.
  const out32 = noGrad(() => fn(...inputs.map((x) => x.to('float32'))));
  expect(out32.dtype).toBe('float32');
  expectClose(out32.data, out.data, 1e-4, 1e-4, 'float32 forward');

  // L(x) = <fn(x), v> for a fixed random v, so one backward covers every output.
  const v = randomInput(out.shape, g, [-1, 1]);
  const L = (...xs: Tensor[]) =>
    fn(...xs)
      .mul(v)
      .sum();
  const h = 1e-6;
  for (const i of wrt) {
    const gi = grad((xi: Tensor) => L(...inputs.map((x, k) => (k === i ? xi : x))))(inputs[i]);
    expect(gi.shape).toEqual(inputs[i].shape);
    const u = randomInput(inputs[i].shape, g, [-1, 1]);
    const Lp = noGrad(() => L(...inputs.map((x, k) => (k === i ? perturbed(x, u, h) : x)))).item();
    const Lm = noGrad(() => L(...inputs.map((x, k) => (k === i ? perturbed(x, u, -h) : x)))).item();
    expectClose([dot(gi, u)], [(Lp - Lm) / (2 * h)], atol, rtol, `d/dx${i}`);

    if (options.secondOrder ?? true) {
      // M(x) = <∇ᵢL(x), w>; its gradient by reverse-over-reverse vs central differences.
      const w = randomInput(inputs[i].shape, g, [-1, 1]);
      const M = (xi: Tensor) => {
        const gx = grad((z: Tensor) => L(...inputs.map((x, k) => (k === i ? z : x))), {
          createGraph: true,
        })(xi);
        return gx.mul(w).sum();
      };
      const hi = grad(M)(inputs[i]);
      const h2 = 1e-5;
      const Mp = M(perturbed(inputs[i], u, h2)).item();
      const Mm = M(perturbed(inputs[i], u, -h2)).item();
      expectClose([dot(hi, u)], [(Mp - Mm) / (2 * h2)], 10 * atol + 1e-5, 1e-4, `d²/dx${i}²`);
    }
  }
}

/** Runs `fn`, expecting it to throw an error whose message contains every fragment. */
export function expectError(fn: () => unknown, ...fragments: string[]): void {
  let error: unknown = null;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, `expected an error mentioning ${fragments.join(', ')}`).toBeInstanceOf(Error);
  const message = (error as Error).message;
  for (const f of fragments) expect(message).toContain(f);
}
