/**
 * The files the cells' language service reads (build time, in Node): TypeScript's standard
 * library declarations, the engine's declarations generated from `packages/engine/src` with the
 * compiler (so they can never drift from the code), and `cells.d.ts`, which puts everything the
 * kernel gives a cell into the global scope: every engine export, `show`, `live`, `progress`,
 * `Plot` and a console. See ./vite-plugin.ts for how they reach the browser.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Where the engine's declarations live in the virtual file system. */
export const ENGINE_DIR = '/node_modules/@descent/engine';
/** The standard library cells may use: the language, no DOM (cells run in a worker). */
const LIB = 'lib.es2023.d.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const engineSrc = join(root, 'packages/engine/src');

/** lib.es2023.d.ts and every lib it references, by file name. */
function standardLibrary(): Record<string, string> {
  const libDir = dirname(createRequire(import.meta.url).resolve('typescript/lib/lib.d.ts'));
  const files: Record<string, string> = {};
  const visit = (name: string) => {
    if (files[`/lib/${name}`]) return;
    const text = readFileSync(join(libDir, name), 'utf8');
    files[`/lib/${name}`] = text;
    for (const m of text.matchAll(/\/\/\/\s*<reference lib="([^"]+)"\s*\/>/g))
      visit(`lib.${m[1]}.d.ts`);
  };
  visit(LIB);
  return files;
}

/** The engine's public declarations, emitted by the compiler, plus its export list. */
function engineDeclarations(): { files: Record<string, string>; exports: ts.Symbol[] } {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2023,
    lib: [LIB],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    rewriteRelativeImportExtensions: false,
    declaration: true,
    emitDeclarationOnly: true,
    strict: true,
    skipLibCheck: true,
    types: [],
    rootDir: engineSrc,
    outDir: '/out',
  };
  const index = join(engineSrc, 'index.ts');
  const program = ts.createProgram([index], options);
  const files: Record<string, string> = {};
  program.emit(undefined, (fileName, text) => {
    const rel = relative('/out', fileName).split('\\').join('/');
    files[`${ENGINE_DIR}/${rel}`] = text;
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
  return { files, exports: checker.getExportsOfModule(module) };
}

/** `cells.d.ts`: the kernel's globals, each typed as the engine's export of the same name. */
function cellGlobals(exports: ts.Symbol[]): string {
  const lines: string[] = [];
  for (const symbol of exports) {
    const name = symbol.getName();
    // An import alias carries the export itself: its value and type meanings, the types
    // inside a namespace (`nn.Linear`), and its TSDoc for hover.
    if (name !== 'default') lines.push(`  export import ${name} = E.${name};`);
  }
  return `// What a cell has in scope without an import (src/notebook/worker/kernel.ts).
import * as E from '@descent/engine';
declare global {
${lines.join('\n')}
  /** Shows a value under the cell: text, a tensor as a table, rows as a table, a plot as a figure. */
  function show(value: unknown, options?: { live?: boolean | string }): void;
  /** A handle whose \`show\` replaces one output in place, e.g. to redraw a plot in a loop. */
  function live(name?: string): { show(value: unknown): void };
  /** Draws a progress bar with the time left: \`progress(fraction)\` or \`progress(done, total, label)\`. */
  function progress(value: number | { value: number; total?: number; label?: string }, total?: number, label?: string): void;
  /** Observable Plot (https://observablehq.com/plot/): a \`Plot.plot({ … })\` value becomes a figure. */
  const Plot: any;
  const console: {
    log(...values: unknown[]): void;
    info(...values: unknown[]): void;
    warn(...values: unknown[]): void;
    error(...values: unknown[]): void;
  };
  function setTimeout(handler: (...args: any[]) => void, ms?: number, ...args: any[]): number;
  function clearTimeout(id?: number): void;
  function setInterval(handler: (...args: any[]) => void, ms?: number, ...args: any[]): number;
  function clearInterval(id?: number): void;
  function queueMicrotask(callback: () => void): void;
  function structuredClone<T>(value: T): T;
  const performance: { now(): number };
}
export {};
`;
}

/**
 * Every file of the cells' virtual file system, by absolute path. Emitting the engine's
 * declarations type-checks the whole engine (seconds), so the result is cached on disk under a
 * hash of the engine's sources, this file and the compiler's version.
 */
export function cellTypeFiles(): Record<string, string> {
  const hash = createHash('sha256')
    .update(ts.version)
    .update(readFileSync(fileURLToPath(import.meta.url)));
  for (const file of readdirSync(engineSrc, { recursive: true, encoding: 'utf8' }).sort()) {
    if (file.endsWith('.ts')) hash.update(file).update(readFileSync(join(engineSrc, file)));
  }
  const cacheDir = join(root, 'node_modules/.cache/descent-types');
  const cached = join(cacheDir, `${hash.digest('hex').slice(0, 20)}.json`);
  try {
    return JSON.parse(readFileSync(cached, 'utf8')) as Record<string, string>;
  } catch {
    // not built yet for these sources
  }
  const files = buildFiles();
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cached, JSON.stringify(files));
  return files;
}

function buildFiles(): Record<string, string> {
  const engine = engineDeclarations();
  return {
    ...standardLibrary(),
    ...engine.files,
    [`${ENGINE_DIR}/package.json`]: JSON.stringify({
      name: '@descent/engine',
      types: 'index.d.ts',
    }),
    '/cells.d.ts': cellGlobals(engine.exports),
  };
}
