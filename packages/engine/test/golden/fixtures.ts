/**
 * Loading PyTorch golden fixtures (written by scripts/golden/generate.py) and comparing the
 * engine's answers with them. Every comparison names the fixture case, so a failure reads
 * like `core.json › div/[3,4]&[4] › grad 1: element 5 expected 0.25 got 0.2500001`.
 */
import { readFileSync } from 'node:fs';
import { Tensor, grad } from '@descent/engine';

/** A tensor as stored in the fixtures: flat row-major data plus shape. */
export interface FixtureTensor {
  shape: number[];
  /** NaN and ±Infinity are stored as the strings "NaN", "Infinity", "-Infinity". */
  data: (number | string)[];
}

/** The usual case: inputs → out, and the gradients of sum(out · upstream). */
export interface OpCase {
  name: string;
  op: string;
  kind?: string;
  args: Record<string, unknown>;
  inputs: FixtureTensor[];
  out?: FixtureTensor;
  upstream?: FixtureTensor;
  grads?: (FixtureTensor | null)[];
  // Gradients of gradients (core.json): for random directions v_i, the gradient with
  // respect to every input of Σ_i <∂L/∂x_i, v_i>, L = sum(out · upstream).
  directions?: (FixtureTensor | null)[];
  gradgrads?: (FixtureTensor | null)[];
  // Second-order cases (kind 'gradgrad').
  direction?: FixtureTensor;
  grad?: FixtureTensor;
  gradgrad?: FixtureTensor;
}

/** Absolute and relative tolerance: |got − expected| ≤ ATOL + RTOL·|expected|. */
export const ATOL = 1e-10;
export const RTOL = 1e-10;

/** Reads test/golden/<file>.json. */
export function loadFixture<C = OpCase>(file: string): { torch: string; cases: C[] } {
  const url = new URL(`./${file}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as { torch: string; cases: C[] };
}

/** A float64 tensor from a fixture tensor (a fresh copy, so tests cannot disturb each other). */
export function toTensor(
  t: FixtureTensor,
  requiresGrad = false,
  dtype: 'float32' | 'float64' = 'float64',
): Tensor {
  const data =
    dtype === 'float32' ? Float32Array.from(t.data, Number) : Float64Array.from(t.data, Number);
  const x = new Tensor(data, t.shape.slice(), dtype);
  if (requiresGrad) x.requiresGrad = true;
  return x;
}

/** Nested arrays from a fixture tensor, for APIs that take plain arrays (loadStateDict). */
export function toNested(t: FixtureTensor): unknown {
  return toTensor(t).toArray();
}

/** The first values of an array for a message (NaN and infinities spelled out). */
function show(values: ArrayLike<number>): string {
  return Array.from(values).slice(0, 24).map(String).join(', ');
}

function describeShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/**
 * Throws (with the case name, the quantity and the worst element) unless `got` matches
 * `expected` in shape and, elementwise, within ATOL + RTOL·|expected|.
 */
export function expectClose(
  got: Tensor | number[] | number | null | undefined,
  expected: FixtureTensor | number[] | number,
  label: string,
  tolerance: { atol?: number; rtol?: number } = {},
): void {
  const atol = tolerance.atol ?? ATOL;
  const rtol = tolerance.rtol ?? RTOL;
  const exp =
    typeof expected === 'number'
      ? { shape: [], data: [expected] }
      : Array.isArray(expected)
        ? { shape: [expected.length], data: expected }
        : { shape: expected.shape, data: expected.data.map(Number) };
  if (got === null || got === undefined) {
    throw new Error(`${label}: expected a tensor of shape ${describeShape(exp.shape)}, got ${got}`);
  }
  let data: ArrayLike<number>;
  let shape: number[] | null;
  if (got instanceof Tensor) {
    data = got.data;
    shape = got.shape;
  } else if (typeof got === 'number') {
    data = [got];
    shape = null;
  } else {
    data = got;
    shape = null;
  }
  if (shape !== null && describeShape(shape) !== describeShape(exp.shape)) {
    throw new Error(
      `${label}: shape ${describeShape(shape)} but PyTorch has ${describeShape(exp.shape)}`,
    );
  }
  if (data.length !== exp.data.length) {
    throw new Error(`${label}: ${data.length} elements but PyTorch has ${exp.data.length}`);
  }
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < data.length; i++) {
    const a = data[i];
    const b = exp.data[i];
    // NaN must meet NaN and an infinity the same infinity; finite values the tolerance.
    const excess = Number.isFinite(b)
      ? Math.abs(a - b) - (atol + rtol * Math.abs(b))
      : Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))
        ? 0
        : Infinity;
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    const a = data[worst];
    const b = exp.data[worst];
    throw new Error(
      `${label}: element ${worst} of ${describeShape(exp.shape)} expected ${b} got ${a} (diff ${Math.abs(a - b)})\n` +
        `  expected [${show(exp.data)}]\n` +
        `  got      [${show(Array.from(data))}]`,
    );
  }
}

/**
 * Runs `fn` on the case's inputs (differentiable ones require grad), backpropagates
 * sum(out · upstream) and compares out and every gradient with PyTorch's.
 */
export function checkForwardBackward(
  file: string,
  c: OpCase,
  fn: (inputs: Tensor[]) => Tensor,
  options: { dtype?: 'float32' | 'float64'; atol?: number; rtol?: number } = {},
): void {
  const label = `${file} › ${c.name}`;
  const dtype = options.dtype ?? 'float64';
  const grads = c.grads ?? [];
  const inputs = c.inputs.map((t, i) =>
    toTensor(t, grads[i] !== null && grads[i] !== undefined, dtype),
  );
  const out = fn(inputs);
  if (out.dtype !== dtype) throw new Error(`${label}: output is ${out.dtype}, expected ${dtype}`);
  expectClose(out, c.out!, `${label} › output`, options);
  if (!c.upstream) return;
  out
    .mul(toTensor(c.upstream, false, dtype))
    .sum()
    .backward();
  grads.forEach((g, i) => {
    if (g !== null) expectClose(inputs[i].grad, g, `${label} › grad of input ${i}`, options);
  });
  if (c.gradgrads) checkSecondOrder(label, c, fn);
}

/** Gradients of gradients: reverse-over-reverse through every backward rule `fn` uses. */
function checkSecondOrder(label: string, c: OpCase, fn: (inputs: Tensor[]) => Tensor): void {
  const wrt = (c.grads ?? []).flatMap((g, i) => (g === null ? [] : [i]));
  const upstream = toTensor(c.upstream!);
  const directions = wrt.map((i) => toTensor(c.directions![i]!));
  const withInputs = (xs: Tensor[]) => {
    const all = c.inputs.map((t) => toTensor(t));
    wrt.forEach((i, k) => (all[i] = xs[k]));
    return all;
  };
  type Many = [Tensor, ...Tensor[]];
  const argnums = wrt.map((_, k) => k);
  const loss = (...ys: Many) => fn(withInputs(ys)).mul(upstream).sum();
  const projected = (...xs: Many) =>
    (grad(loss, { argnums })(...xs) as unknown as Tensor[])
      .map((g, k) => g.mul(directions[k]).sum())
      .reduce((a, b) => a.add(b));
  const x0 = wrt.map((i) => toTensor(c.inputs[i])) as Many;
  const seconds = grad(projected, { argnums })(...x0) as unknown as Tensor[];
  wrt.forEach((i, k) =>
    expectClose(seconds[k], c.gradgrads![i]!, `${label} › second derivative wrt input ${i}`),
  );
}

/** Cases whose name starts with `prefix/`, for describe blocks. */
export function casesFor<C extends { name: string }>(cases: C[], prefix: string): C[] {
  return cases.filter((c) => c.name.startsWith(`${prefix}/`));
}
