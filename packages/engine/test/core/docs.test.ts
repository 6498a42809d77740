/**
 * Executable documentation: every `@example` in the engine core's TSDoc is run here, and a
 * line ending in `// <literal>` must evaluate to that literal. Examples that nothing runs
 * rot; these cannot.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stripTypeScriptTypes } from 'node:module';
import * as engine from '@descent/engine';
import { Tensor } from '@descent/engine';

const src = fileURLToPath(new URL('../../src/', import.meta.url));
const files = [
  'tensor.ts',
  'shape.ts',
  'dtype.ts',
  'errors.ts',
  'autograd.ts',
  'creation.ts',
  'random.ts',
  ...readdirSync(src + 'ops').map((f) => 'ops/' + f),
];

interface Example {
  file: string;
  symbol: string;
  code: string;
}

/** Pulls the @example blocks (multi-line or inline) out of TSDoc comments. */
function examples(file: string): Example[] {
  const text = readFileSync(src + file, 'utf8');
  const out: Example[] = [];
  for (const m of text.matchAll(
    /\/\*\*([\s\S]*?)\*\/\s*(?:export\s+)?(?:function\s+|class\s+|const\s+)?(?:get\s+)?(\w+)?/g,
  )) {
    const body = m[1]
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, ''))
      .join('\n');
    const at = body.indexOf('@example');
    if (at < 0) continue;
    const rest = body.slice(at + '@example'.length);
    const end = rest.search(/\n\s*@\w+/);
    const code = (end < 0 ? rest : rest.slice(0, end)).trim();
    out.push({ file, symbol: m[2] ?? '?', code });
  }
  return out;
}

/** A comment that is a literal (evaluable without any engine names) is an expectation. */
function literal(comment: string): { ok: boolean; value?: unknown } {
  try {
    return { ok: true, value: new Function('Math', `return (${comment});`)(Math) };
  } catch {
    return { ok: false };
  }
}

function close(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isNaN(expected)) return Number.isNaN(actual);
    return (
      actual === expected || Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected))
    );
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return actual.length === expected.length && expected.every((e, i) => close(actual[i], e));
  }
  return Object.is(actual, expected);
}

function instrument(code: string): string {
  return code
    .split('\n')
    .map((line) => {
      const m = /^(.*?);\s*\/\/\s*(.+)$/.exec(line);
      if (!m) return line;
      const lit = literal(m[2]);
      if (!lit.ok || /^\s*(const|let|var)\s/.test(m[1])) return line;
      return `__check(() => (${m[1]}), ${JSON.stringify(m[2])}, ${JSON.stringify(line.trim())});`;
    })
    .join('\n');
}

const all = files.flatMap(examples);
const names = Object.keys(engine).filter((k) => k !== 'default');

describe('TSDoc examples run', () => {
  it('finds examples in every core file', () => {
    for (const f of files) {
      if (f !== 'ops/gradients.ts')
        expect(
          all.some((e) => e.file === f),
          f,
        ).toBe(true);
    }
    expect(all.length).toBeGreaterThan(100);
  });
  it('every exported function of the core has an example', () => {
    const documented = new Set(all.map((e) => e.symbol));
    const missing: string[] = [];
    for (const f of files) {
      const text = readFileSync(src + f, 'utf8');
      for (const m of text.matchAll(/^export function (\w+)/gm)) {
        if (names.includes(m[1]) && !documented.has(m[1])) missing.push(`${f}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
  for (const ex of all) {
    it(`${ex.file}: ${ex.symbol}`, () => {
      const checks: string[] = [];
      const __check = (f: () => unknown, expectedText: string, line: string) => {
        const value = f();
        const actual = value instanceof Tensor ? value.toArray() : value;
        const expected = literal(expectedText).value;
        checks.push(line);
        expect(close(actual, expected), `${line}\n  got ${JSON.stringify(actual)}`).toBe(true);
      };
      const js = stripTypeScriptTypes(instrument(ex.code));
      const run = new Function(...names, '__check', js);
      run(...names.map((n) => (engine as Record<string, unknown>)[n]), __check);
    });
  }
});
