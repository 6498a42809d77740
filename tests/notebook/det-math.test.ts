import { describe, expect, it } from 'vitest';
import * as det from '../../src/notebook/worker/det-math.ts';

/** Distance in units in the last place between two doubles (0 when identical). */
function ulps(a: number, b: number): number {
  if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const buf = new DataView(new ArrayBuffer(16));
  buf.setFloat64(0, a);
  buf.setFloat64(8, b);
  const ia = buf.getBigInt64(0);
  const ib = buf.getBigInt64(8);
  const ordered = (i: bigint) => (i < 0n ? -(i & 0x7fffffffffffffffn) : i);
  const d = ordered(ia) - ordered(ib);
  return Number(d < 0n ? -d : d);
}

/** Arguments spread over many magnitudes, deterministic. */
function samples(min: number, max: number, n = 20000): number[] {
  const out: number[] = [];
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out.push(min + ((max - min) * s) / 2 ** 32);
  }
  return out;
}

const cases: [keyof typeof det & keyof Math, number[]][] = [
  ['exp', [...samples(-745, 709), ...samples(-1, 1), ...samples(-1e-9, 1e-9)]],
  [
    'log',
    [...samples(1e-300, 1e-290), ...samples(0, 2), ...samples(0, 1e6), ...samples(1e300, 1.7e308)],
  ],
  ['sin', [...samples(-1e5, 1e5), ...samples(-4, 4), ...samples(-1e-6, 1e-6)]],
  ['cos', [...samples(-1e5, 1e5), ...samples(-4, 4), ...samples(-1e-6, 1e-6)]],
  ['tan', samples(-1.5, 1.5)],
  ['sinh', [...samples(-700, 700), ...samples(-0.3, 0.3)]],
  ['cosh', samples(-700, 700)],
  ['log2', samples(1e-10, 1e10)],
  ['log10', samples(1e-10, 1e10)],
];

describe('deterministic Math', () => {
  for (const [name, xs] of cases) {
    it(`${name} is within 2 ulp of the platform's`, () => {
      const f = det[name] as (x: number) => number;
      const g = Math[name] as (x: number) => number;
      let worst = 0;
      let at = 0;
      for (const x of xs) {
        const e = ulps(f(x), g(x));
        if (e > worst) [worst, at] = [e, x];
      }
      expect(worst, `worst at ${name}(${at})`).toBeLessThanOrEqual(
        name === 'tan' || name.startsWith('log1') ? 4 : 2,
      );
    });
  }

  it('handles special values', () => {
    expect(det.exp(0)).toBe(1);
    expect(det.exp(1)).toBe(Math.E);
    expect(det.exp(-Infinity)).toBe(0);
    expect(det.exp(Infinity)).toBe(Infinity);
    expect(det.exp(1000)).toBe(Infinity);
    expect(det.exp(NaN)).toBeNaN();
    expect(det.log(1)).toBe(0);
    expect(det.log(0)).toBe(-Infinity);
    expect(det.log(-1)).toBeNaN();
    expect(det.log(Math.E)).toBe(1);
    expect(det.log(Infinity)).toBe(Infinity);
    expect(det.sin(0)).toBe(0);
    expect(Object.is(det.sin(-0), -0)).toBe(true);
    expect(det.cos(0)).toBe(1);
    expect(det.sin(Infinity)).toBeNaN();
    expect(det.sin(1e300)).toBe(Math.sin(1e300)); // huge arguments fall back to the platform
    expect(det.log2(1024)).toBe(10);
    expect(det.log2(0.125)).toBe(-3);
    expect(det.log10(1000)).toBe(3);
    expect(det.log10(1e-3)).toBeCloseTo(-3, 15);
  });
});
