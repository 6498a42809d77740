/**
 * Executable documentation: runs every `@example` in the TSDoc of some engine source files. A
 * line of an example ending in `// <literal>` must evaluate to that literal (tensors compare by
 * `toArray()`, numbers to 1e-6 relative). Examples that nothing runs rot; these cannot.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stripTypeScriptTypes } from 'node:module';
import * as engine from '@descent/engine';
import { Tensor } from '@descent/engine';

/** The engine's src/ folder; file names given to the helpers below are relative to it. */
export const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every top-level export of the engine: the names an example sees without imports. */
export const engineNames = Object.keys(engine).filter((k) => k !== 'default');

interface Example {
  file: string;
  symbol: string;
  code: string;
}

/**
 * Pulls the @example blocks (multi-line or inline) out of a file's TSDoc comments, each with
 * the name declared after its comment (function, generator, class, const or getter).
 */
function examples(file: string): Example[] {
  const text = readFileSync(srcDir + file, 'utf8');
  const out: Example[] = [];
  for (const m of text.matchAll(
    /\/\*\*([\s\S]*?)\*\/\s*(?:export\s+)?(?:async\s+)?(?:function\*?\s+|class\s+|const\s+)?(?:get\s+)?(\w+)?/g,
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

/** Turns each `expression; // literal` line into a checked call; other lines run as written. */
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

const AsyncFunction = (async () => {}).constructor as new (
  ...args: string[]
) => (...a: unknown[]) => Promise<unknown>;

export interface DocExampleOptions {
  /**
   * Names an exported function may be reached by; each exported function of `files` with one
   * of these names must have an example. Default: the engine's top-level exports.
   */
  publicNames?: ReadonlySet<string>;
  /** Also require an example in every file (but `except`) and `atLeast` examples in all. */
  everyFile?: { except: string[]; atLeast: number };
}

/**
 * Declares a `describe(title)` block with one test per example in `files` (paths relative to
 * src/; examples may be async), plus a test that every public exported function has one.
 */
export function describeDocExamples(
  title: string,
  files: string[],
  { publicNames = new Set(engineNames), everyFile }: DocExampleOptions = {},
): void {
  const all = files.flatMap(examples);
  describe(title, () => {
    if (everyFile) {
      it('finds examples in every file', () => {
        for (const f of files) {
          if (!everyFile.except.includes(f))
            expect(
              all.some((e) => e.file === f),
              f,
            ).toBe(true);
        }
        expect(all.length).toBeGreaterThan(everyFile.atLeast);
      });
    }
    it('every exported function has an example', () => {
      const documented = new Set(all.map((e) => e.symbol));
      const missing: string[] = [];
      for (const f of files) {
        const text = readFileSync(srcDir + f, 'utf8');
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
        const run = new AsyncFunction(...engineNames, '__check', js);
        await run(...engineNames.map((n) => (engine as Record<string, unknown>)[n]), __check);
      });
    }
  });
}
