/**
 * Executable documentation for the layers, optimizers, schedules, data and training helpers:
 * every `@example` in their TSDoc runs here (async examples too), and a line ending in
 * `// <literal>` must evaluate to that literal. Every exported function must have an example.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stripTypeScriptTypes } from 'node:module';
import * as engine from '@descent/engine';
import { Tensor } from '@descent/engine';

const src = fileURLToPath(new URL('../../src/', import.meta.url));
const dirs = ['nn', 'optim', 'schedules', 'data', 'train'];
const files = [
  ...dirs.flatMap((d) => readdirSync(src + d).map((f) => `${d}/${f}`)),
  ...['conv', 'norm', 'dropout', 'penalties'].map((f) => `functional/${f}.ts`),
].filter((f) => f.endsWith('.ts'));

interface Example {
  file: string;
  symbol: string;
  code: string;
}

function examples(file: string): Example[] {
  const text = readFileSync(src + file, 'utf8');
  const out: Example[] = [];
  for (const m of text.matchAll(
    /\/\*\*([\s\S]*?)\*\/\s*(?:export\s+)?(?:async\s+)?(?:function\*?\s+|class\s+|const\s+)?(\w+)?/g,
  )) {
    const body = m[1]
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, ''))
      .join('\n');
    const at = body.indexOf('@example');
    if (at < 0) continue;
    const rest = body.slice(at + '@example'.length);
    const end = rest.search(/\n\s*@\w+/);
    out.push({ file, symbol: m[2] ?? '?', code: (end < 0 ? rest : rest.slice(0, end)).trim() });
  }
  return out;
}

function literal(comment: string): { ok: boolean; value?: unknown } {
  try {
    return { ok: true, value: new Function('Math', `return (${comment});`)(Math) };
  } catch {
    return { ok: false };
  }
}

function close(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') {
    return Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected));
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
      if (!literal(m[2]).ok || /^\s*(const|let|var)\s/.test(m[1])) return line;
      return `__check(() => (${m[1]}), ${JSON.stringify(m[2])}, ${JSON.stringify(line.trim())});`;
    })
    .join('\n');
}

const all = files.flatMap(examples);
const names = Object.keys(engine).filter((k) => k !== 'default');
const E = engine as unknown as Record<string, Record<string, unknown>>;
/** Names reachable from the public API: top level, F, nn, nn.init, optim and its namespaces. */
const publicNames = new Set([
  ...names,
  ...[E.F, E.nn, E.nn.init, E.optim, E.optim.lineSearch, E.optim.lrScheduler].flatMap((ns) =>
    Object.keys(ns as object),
  ),
]);
const AsyncFunction = (async () => {}).constructor as new (
  ...args: string[]
) => (...a: unknown[]) => Promise<unknown>;

describe('TSDoc examples of layers, optimizers, schedules, data and training run', () => {
  it('every exported function has an example', () => {
    const documented = new Set(all.map((e) => e.symbol));
    const missing: string[] = [];
    for (const f of files) {
      const text = readFileSync(src + f, 'utf8');
      for (const m of text.matchAll(/^export (?:async )?function\*? ?(\w+)/gm)) {
        if (publicNames.has(m[1]) && !documented.has(m[1])) missing.push(`${f}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
  for (const ex of all) {
    it(`${ex.file}: ${ex.symbol}`, async () => {
      const __check = (f: () => unknown, expectedText: string, line: string) => {
        const value = f();
        const actual = value instanceof Tensor ? value.toArray() : value;
        const expected = literal(expectedText).value;
        expect(close(actual, expected), `${line}\n  got ${JSON.stringify(actual)}`).toBe(true);
      };
      const js = stripTypeScriptTypes(instrument(ex.code));
      const run = new AsyncFunction(...names, '__check', js);
      await run(...names.map((n) => (engine as Record<string, unknown>)[n]), __check);
    });
  }
});
