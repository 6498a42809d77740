/**
 * A TypeScript language service over one page's cells: completions, hover documentation,
 * signature help and type errors for the cell being edited, seeing the engine's declarations,
 * the kernel's globals and everything the page's earlier cells declare. Environment-free: the
 * browser runs it in ./ts-worker.ts, the tests in Node, each handing it the `typescript` module.
 *
 * Cells are separate script files (not modules) in one program, so declarations flow from
 * earlier cells into later ones as they do in the kernel's shared scope.
 */
import type * as TS from 'typescript';

export interface CellSource {
  id: string;
  code: string;
}

export interface Completion {
  label: string;
  kind: string;
  /** Set when inserting differs from the label (e.g. bracket access). */
  apply?: string;
  /** Sorts the service's best matches first. */
  sortText: string;
}

export interface Diagnostic {
  from: number;
  to: number;
  message: string;
  code: number;
}

export interface QuickInfo {
  from: number;
  to: number;
  signature: string;
  documentation: string;
  tags: { name: string; text: string }[];
}

export interface SignatureHelp {
  /** The signature, split so the active parameter can be shown in bold. */
  before: string;
  parameter: string;
  after: string;
  documentation: string;
  /** e.g. "1/3" when the function has overloads. */
  overload: string;
}

/**
 * Errors that are not errors in a cell: the kernel runs every cell as a script in one shared
 * scope where top-level `await` works and a later cell may declare a name again.
 */
const IGNORED = new Set([
  1375, // 'await' expressions are only allowed at the top level of a file when it is a module
  1378, // top-level 'await' needs target/module settings
  1431, // 'for await' loops are only allowed at the top level of a module
  1432, // top-level 'for await' needs target/module settings
  2300, // duplicate identifier (another cell declares it too)
  2393, // duplicate function implementation
  2451, // cannot redeclare block-scoped variable
  6133, // declared but never read: a cell's name is often for a later cell
]);

const CURRENT = '/cells/current.ts';

export function createCellService(ts: typeof TS, files: Record<string, string>) {
  const options: TS.CompilerOptions = {
    target: ts.ScriptTarget.ES2023,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
    // cells are sketches: implicit any is fine, a wrong argument type is not
    noImplicitAny: false,
    skipLibCheck: true,
    types: [],
  };
  const cellFiles = new Map<string, { text: string; version: number }>();
  let version = 0;

  const host: TS.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => ['/cells.d.ts', ...cellFiles.keys()],
    getScriptVersion: (name) => String(cellFiles.get(name)?.version ?? 0),
    getScriptSnapshot: (name) => {
      const text = cellFiles.get(name)?.text ?? files[name];
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => '/cells',
    getDefaultLibFileName: () => '/lib/lib.es2023.d.ts',
    fileExists: (name) => cellFiles.has(name) || name in files,
    readFile: (name) => cellFiles.get(name)?.text ?? files[name],
    directoryExists: (dir) =>
      dir === '/cells' || Object.keys(files).some((f) => f.startsWith(dir.replace(/\/?$/, '/'))),
    getDirectories: () => [],
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());

  function setFile(name: string, text: string): void {
    const old = cellFiles.get(name);
    if (old?.text === text) return;
    cellFiles.set(name, { text, version: ++version });
  }

  /** The cells before the one being edited, then that one. */
  function update(earlier: CellSource[], code: string): void {
    const keep = new Set([CURRENT]);
    earlier.forEach((cell, i) => {
      const name = `/cells/${String(i).padStart(3, '0')}-${cell.id.replace(/[^\w-]/g, '_')}.ts`;
      keep.add(name);
      setFile(name, cell.code);
    });
    setFile(CURRENT, code);
    for (const name of [...cellFiles.keys()]) if (!keep.has(name)) cellFiles.delete(name);
  }

  function completions(pos: number): { from: number; items: Completion[] } | null {
    const info = service.getCompletionsAtPosition(CURRENT, pos, {
      includeCompletionsWithInsertText: true,
      includeCompletionsForModuleExports: false,
    });
    if (!info) return null;
    const from =
      info.optionalReplacementSpan?.start ?? wordStart(cellFiles.get(CURRENT)!.text, pos);
    return {
      from,
      items: info.entries.map((e) => ({
        label: e.name,
        kind: e.kind,
        sortText: e.sortText,
        ...(e.insertText && e.insertText !== e.name ? { apply: e.insertText } : {}),
      })),
    };
  }

  function completionDetail(
    pos: number,
    name: string,
  ): { detail: string; documentation: string } | null {
    const d = service.getCompletionEntryDetails(
      CURRENT,
      pos,
      name,
      undefined,
      undefined,
      undefined,
      undefined,
    );
    if (!d) return null;
    return {
      detail: ts.displayPartsToString(d.displayParts),
      documentation: ts.displayPartsToString(d.documentation),
    };
  }

  function quickInfo(pos: number): QuickInfo | null {
    const q = service.getQuickInfoAtPosition(CURRENT, pos);
    if (!q) return null;
    return {
      from: q.textSpan.start,
      to: q.textSpan.start + q.textSpan.length,
      signature: ts.displayPartsToString(q.displayParts),
      documentation: ts.displayPartsToString(q.documentation),
      tags: (q.tags ?? []).map((t) => ({ name: t.name, text: ts.displayPartsToString(t.text) })),
    };
  }

  function signatureHelp(pos: number): SignatureHelp | null {
    const help = service.getSignatureHelpItems(CURRENT, pos, undefined);
    if (!help) return null;
    const item = help.items[help.selectedItemIndex]!;
    const text = (parts: TS.SymbolDisplayPart[]) => ts.displayPartsToString(parts);
    const separator = text(item.separatorDisplayParts);
    const params = item.parameters.map((p) => text(p.displayParts));
    const active = Math.min(help.argumentIndex, params.length - 1);
    const join = (list: string[]) => list.join(separator);
    const prefix = text(item.prefixDisplayParts);
    return {
      before: prefix + join(params.slice(0, Math.max(active, 0))) + (active > 0 ? separator : ''),
      parameter: active >= 0 ? (params[active] ?? '') : '',
      after:
        (active >= 0 && active < params.length - 1 ? separator : '') +
        join(params.slice(active + 1)) +
        text(item.suffixDisplayParts),
      documentation:
        active >= 0
          ? text(item.parameters[active]?.documentation ?? []) || text(item.documentation)
          : text(item.documentation),
      overload: help.items.length > 1 ? `${help.selectedItemIndex + 1}/${help.items.length}` : '',
    };
  }

  function diagnostics(): Diagnostic[] {
    const all = [
      ...service.getSyntacticDiagnostics(CURRENT),
      ...service.getSemanticDiagnostics(CURRENT),
    ];
    return all
      .filter((d) => !IGNORED.has(d.code) && d.start !== undefined)
      .map((d) => ({
        from: d.start!,
        to: d.start! + (d.length ?? 0),
        message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
        code: d.code,
      }));
  }

  return { update, completions, completionDetail, quickInfo, signatureHelp, diagnostics };
}

function wordStart(text: string, pos: number): number {
  let i = pos;
  while (i > 0 && /[\w$]/.test(text[i - 1]!)) i--;
  return i;
}

export type CellService = ReturnType<typeof createCellService>;
