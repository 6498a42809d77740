/**
 * Runs the `@example` lines in the TSDoc of the F activations, losses and special functions,
 * so the documentation cannot drift from the code. A line reads `expression; // expected`,
 * where `expected` is JSON (numbers may end in `…`, meaning "these leading digits"), optionally
 * followed by a remark in parentheses.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as engine from '@descent/engine';

const FILES = ['activations.ts', 'losses.ts', 'special.ts'];

interface Example {
  file: string;
  line: number;
  code: string;
  expected: string;
}

function examplesOf(file: string): Example[] {
  const url = new URL(`../../src/functional/${file}`, import.meta.url);
  const lines = readFileSync(url, 'utf8').split('\n');
  const out: Example[] = [];
  let inExample = false;
  lines.forEach((raw, i) => {
    const text = raw.replace(/^\s*\*\s?/, '');
    if (/^\s*\*\//.test(raw) || (inExample && text.startsWith('@'))) inExample = false;
    if (text.startsWith('@example')) {
      inExample = true;
      return;
    }
    if (!inExample) return;
    const match = /^(.*);\s*\/\/\s*(.+)$/.exec(text);
    if (match) out.push({ file, line: i + 1, code: match[1], expected: match[2] });
  });
  return out;
}

/** Parses `[-0.693…, 1] (a remark)` into values and per-value tolerances. */
function parseExpected(text: string): { value: unknown; tolerance: Map<number, number> } {
  const tolerance = new Map<number, number>();
  const body = text.replace(/\s*\(.*\)\s*$/, '');
  let k = 0;
  const json = body.replace(/(-?\d+(?:\.(\d+))?)…/g, (_, num: string, decimals?: string) => {
    // A truncated number stands for itself ± one unit in its last digit.
    const key = 1e9 + k++;
    tolerance.set(key, 10 ** -(decimals?.length ?? 0));
    return `{"truncated":${num},"key":${key}}`;
  });
  return { value: JSON.parse(json), tolerance };
}

function compare(got: unknown, expected: unknown, tol: Map<number, number>, where: string): void {
  if (expected !== null && typeof expected === 'object' && 'truncated' in expected) {
    const { truncated, key } = expected as { truncated: number; key: number };
    expect(typeof got, where).toBe('number');
    expect(Math.abs((got as number) - truncated), where).toBeLessThan(tol.get(key)!);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(got), where).toBe(true);
    expect((got as unknown[]).length, where).toBe(expected.length);
    expected.forEach((e, i) => compare((got as unknown[])[i], e, tol, `${where}[${i}]`));
  } else if (typeof expected === 'number') {
    // Examples use float32 tensors (the default), so allow float32 rounding.
    expect(Math.abs((got as number) - expected), where).toBeLessThanOrEqual(
      1e-7 * Math.max(1, Math.abs(expected)),
    );
  } else {
    expect(got, where).toEqual(expected);
  }
}

describe('TSDoc examples of F activations, losses and special functions run as documented', () => {
  const scope = { ...engine } as Record<string, unknown>;
  const names = Object.keys(scope);
  for (const file of FILES) {
    for (const ex of examplesOf(file)) {
      it(`${file}:${ex.line} ${ex.code}`, () => {
        const run = new Function(...names, `return (${ex.code});`) as (...a: unknown[]) => unknown;
        const got = run(...names.map((n) => scope[n]));
        const { value, tolerance } = parseExpected(ex.expected);
        compare(got, value, tolerance, `${file}:${ex.line}`);
      });
    }
  }
  it('found the examples', () => {
    expect(FILES.flatMap(examplesOf).length).toBeGreaterThanOrEqual(20);
  });
});
