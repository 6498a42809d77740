/**
 * Turns a cell's TypeScript into a script the kernel can evaluate. The same function runs at
 * build time (in Node) and in the browser's worker, so both produce the same outputs.
 *
 * How cells share one scope: every cell runs as a sloppy-mode global script (indirect `eval`).
 * In such a script `var` and `function` declarations become properties of the global object,
 * so later cells see them, a later cell may declare the same name again (re-running a cell is
 * normal in a notebook), and a function from cell 1 sees the value a later cell assigns.
 * `let`/`const`/`class` would stay local to one `eval`, so top-level ones are rewritten to `var`.
 *
 * Line numbers never move: sucrase keeps every line where it was, and each rewrite here stays
 * on its line. A runtime error's stack therefore names the cell's own line.
 */
import { transform } from 'sucrase';
import { parse } from 'acorn';
import type { Node, Statement, ModuleDeclaration } from 'acorn';

/** A syntax error with its position in the cell's own code (1-based line and column). */
export class CellSyntaxError extends Error {
  line: number;
  column: number;
  constructor(message: string, line: number, column: number) {
    super(message);
    this.name = 'SyntaxError';
    this.line = line;
    this.column = column;
  }
}

export interface CompiledCell {
  /** JavaScript to evaluate as a global script; ends with a `sourceURL` comment. */
  js: string;
  /** Whether the last statement is an expression, whose value the cell shows. */
  hasResult: boolean;
  /** Names the cell declares at top level (for documentation and tests). */
  declared: string[];
  /** Whether the cell uses top-level `await`: evaluating it gives a promise of the result. */
  isAsync: boolean;
}

/** The file name stack traces use for a cell, so positions map back to it. */
export function cellSourceName(id: string): string {
  return `cell-${id}.ts`;
}

const USE_STRICT = '"use strict";';

export function compileCell(code: string, id: string): CompiledCell {
  let js: string;
  try {
    js = transform(code, { transforms: ['typescript', 'imports'] }).code;
  } catch (error) {
    throw fromSucraseError(error);
  }
  // NOTE: sucrase's imports transform prefixes "use strict", but strict eval code keeps its
  // `var`s to itself, which would break the shared scope. Dropping it keeps line 1 in place.
  if (js.startsWith(USE_STRICT)) js = js.slice(USE_STRICT.length);

  let body: (Statement | ModuleDeclaration)[];
  let isAsync = false;
  try {
    body = parse(js, { ecmaVersion: 'latest', sourceType: 'script', locations: true }).body;
  } catch (error) {
    // A top-level `await` only parses inside an async function: such a cell is wrapped in one.
    try {
      body = parse(js, {
        ecmaVersion: 'latest',
        sourceType: 'script',
        allowAwaitOutsideFunction: true,
      }).body;
      isAsync = true;
    } catch {
      throw fromAcornError(error);
    }
  }
  return isAsync ? compileAsync(js, body, id) : compileSync(js, body, id);
}

interface Edit {
  at: number;
  remove: number;
  insert: string;
}

function applyEdits(js: string, edits: Edit[]): string {
  // Later positions first, so earlier offsets stay valid; stable for equal positions.
  const ordered = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.at - a.at || b.i - a.i);
  for (const edit of ordered) {
    js = js.slice(0, edit.at) + edit.insert + js.slice(edit.at + edit.remove);
  }
  return js;
}

/** The usual case: a global script whose top-level `let`/`const`/`class` become `var`. */
function compileSync(
  js: string,
  body: (Statement | ModuleDeclaration)[],
  id: string,
): CompiledCell {
  const edits: Edit[] = [];
  const declared: string[] = [];
  for (const statement of body) {
    if (statement.type === 'VariableDeclaration') {
      for (const d of statement.declarations) collectNames(d.id, declared);
      if (statement.kind !== 'var') {
        // `const` becomes `var  ` (padded), so columns after it stay where they were.
        const pad = ' '.repeat(statement.kind.length - 3);
        edits.push({ at: statement.start, remove: statement.kind.length, insert: 'var' + pad });
      }
    } else if (statement.type === 'FunctionDeclaration' && statement.id) {
      declared.push(statement.id.name);
    } else if (statement.type === 'ClassDeclaration' && statement.id) {
      const name = statement.id.name;
      declared.push(name);
      edits.push({ at: statement.start, remove: 0, insert: `var ${name} = ` });
      edits.push({ at: statement.end, remove: 0, insert: ';' });
    }
  }
  const last = body[body.length - 1];
  // The value of an eval is the value of its last statement when that is an expression.
  const hasResult = last !== undefined && last.type === 'ExpressionStatement';
  const out = applyEdits(js, edits);
  return { js: `${out}\n//# sourceURL=${cellSourceName(id)}`, hasResult, declared, isAsync: false };
}

/** The global through which an async cell publishes its functions (set by the kernel). */
export const GLOBAL_ALIAS = '__descentGlobal';

/**
 * A cell with top-level `await` runs inside an async arrow function. Its top-level names are
 * declared as globals first (`var a, b;` on line 1), declarations become assignments, and the
 * last expression is returned. Everything stays on its line.
 */
function compileAsync(
  js: string,
  body: (Statement | ModuleDeclaration)[],
  id: string,
): CompiledCell {
  const edits: Edit[] = [];
  const declared: string[] = [];
  const functions: string[] = [];
  for (const statement of body) {
    if (statement.type === 'VariableDeclaration') {
      for (const d of statement.declarations) {
        collectNames(d.id, declared);
        if (!d.init) edits.push({ at: d.end, remove: 0, insert: ' = undefined' });
      }
      const pad = ' '.repeat(statement.kind.length - 1);
      edits.push({ at: statement.start, remove: statement.kind.length, insert: '(' + pad });
      const end = js[statement.end - 1] === ';' ? statement.end - 1 : statement.end;
      edits.push({ at: end, remove: 0, insert: ')' });
    } else if (statement.type === 'FunctionDeclaration' && statement.id) {
      declared.push(statement.id.name);
      functions.push(statement.id.name);
    } else if (statement.type === 'ClassDeclaration' && statement.id) {
      const name = statement.id.name;
      declared.push(name);
      edits.push({ at: statement.start, remove: 0, insert: `${name} = ` });
      edits.push({ at: statement.end, remove: 0, insert: ';' });
    }
  }
  const last = body[body.length - 1];
  const hasResult = last !== undefined && last.type === 'ExpressionStatement';
  if (last && hasResult) {
    const end = js[last.end - 1] === ';' ? last.end - 1 : last.end;
    edits.push({ at: last.start, remove: 0, insert: 'return (' });
    edits.push({ at: end, remove: 0, insert: ')' });
  }
  const vars = declared.filter((n) => !functions.includes(n));
  const head =
    (vars.length ? `var ${vars.join(', ')}; ` : '') +
    '(async () => { ' +
    functions.map((f) => `${GLOBAL_ALIAS}.${f} = ${f}; `).join('');
  const out = head + applyEdits(js, edits);
  return {
    js: `${out}\n})()\n//# sourceURL=${cellSourceName(id)}`,
    hasResult,
    declared,
    isAsync: true,
  };
}

function collectNames(pattern: Node | null, out: string[]): void {
  if (!pattern) return;
  const p = pattern as Node & Record<string, unknown>;
  switch (p.type) {
    case 'Identifier':
      out.push(p.name as string);
      break;
    case 'ObjectPattern':
      for (const prop of p.properties as (Node & { value?: Node; argument?: Node })[]) {
        collectNames(prop.type === 'RestElement' ? prop.argument! : prop.value!, out);
      }
      break;
    case 'ArrayPattern':
      for (const el of p.elements as (Node | null)[]) collectNames(el, out);
      break;
    case 'RestElement':
      collectNames(p.argument as Node, out);
      break;
    case 'AssignmentPattern':
      collectNames(p.left as Node, out);
      break;
  }
}

function fromSucraseError(error: unknown): CellSyntaxError {
  const e = error as { message?: string; loc?: { line: number; column: number } };
  const message = String(e.message ?? error).replace(/\s*\(\d+:\d+\)\s*$/, '');
  // sucrase reports a 1-based line and a 1-based column.
  return new CellSyntaxError(message, e.loc?.line ?? 1, e.loc?.column ?? 1);
}

function fromAcornError(error: unknown): CellSyntaxError {
  const e = error as { message?: string; loc?: { line: number; column: number } };
  const message = String(e.message ?? error).replace(/\s*\(\d+:\d+\)\s*$/, '');
  // acorn sees the transpiled code: the line is exact, the column close (types were removed).
  return new CellSyntaxError(message, e.loc?.line ?? 1, (e.loc?.column ?? 0) + 1);
}

/** Where in a cell a runtime error happened, read from its stack trace. */
export interface StackPosition {
  cellId: string;
  line: number;
  column: number;
}

/**
 * Finds the first stack frame that belongs to a cell. V8 prints frames of evaluated code with
 * the `sourceURL` name, e.g. `at f (cell-gd.ts:3:9)` or `at eval (cell-gd.ts:3:9)`.
 */
export function cellPositionFromStack(stack: string | undefined): StackPosition | null {
  if (!stack) return null;
  const match = /cell-([\w.:-]+?)\.ts:(\d+):(\d+)/.exec(stack);
  if (!match) return null;
  return { cellId: match[1]!, line: Number(match[2]), column: Number(match[3]) };
}
