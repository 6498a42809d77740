/**
 * The editor's side of the cells' language service: CodeMirror extensions for completion
 * (with TSDoc beside each item), hover documentation, signature help while typing a call, and
 * type errors underlined as warnings (never blocking Run). The TypeScript worker
 * (./ts-worker.ts) starts on the reader's first edit, not before; until it answers, the editor
 * works as a plain editor and a quiet status line says types are loading.
 */
import type { Extension } from '@codemirror/state';
import { StateEffect, StateField } from '@codemirror/state';
import {
  autocompletion,
  type Completion as CmCompletion,
  type CompletionContext,
  type CompletionResult,
} from '@codemirror/autocomplete';
import { linter, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { EditorView, hoverTooltip, showTooltip, type Tooltip } from '@codemirror/view';
import type { CellSource, Completion, Diagnostic, QuickInfo, SignatureHelp } from './service.ts';

/** One worker per page: every cell's editor shares it. */
let worker: Worker | null = null;
let ready: Promise<void> | null = null;
let nextId = 1;
const waiting = new Map<number, (result: unknown) => void>();

function start(): Promise<void> {
  if (ready) return ready;
  ready = new Promise((resolve, reject) => {
    worker = new Worker(new URL('./ts-worker.ts', import.meta.url), {
      type: 'module',
      name: 'descent-types',
    });
    worker.addEventListener(
      'message',
      ({ data }: MessageEvent<{ id: number; result: unknown }>) => {
        if (data.id === 0) resolve();
        else {
          waiting.get(data.id)?.(data.result);
          waiting.delete(data.id);
        }
      },
    );
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      reject(new Error(event.message || 'the type checker failed to load'));
    });
  });
  return ready;
}

async function ask<T>(request: Record<string, unknown>): Promise<T | null> {
  await start();
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve as (result: unknown) => void);
    worker!.postMessage({ ...request, id });
  });
}

export interface TypesOptions {
  /** The page's cells before this one, with the reader's edits. */
  earlier: () => CellSource[];
  /** Told 'loading', then 'ready' or 'failed', for the quiet status line. */
  onStatus: (status: 'loading' | 'ready' | 'failed') => void;
}

const KINDS: Record<string, string> = {
  function: 'function',
  method: 'method',
  'local function': 'function',
  class: 'class',
  interface: 'interface',
  type: 'type',
  alias: 'variable',
  module: 'namespace',
  const: 'constant',
  let: 'variable',
  var: 'variable',
  'local var': 'variable',
  property: 'property',
  getter: 'property',
  setter: 'property',
  keyword: 'keyword',
  parameter: 'variable',
  enum: 'enum',
};

function docsNode(signature: string, documentation: string, extra = ''): HTMLElement {
  const dom = document.createElement('div');
  dom.className = 'cm-types-doc';
  const code = document.createElement('code');
  code.textContent = signature;
  dom.append(code);
  for (const text of [documentation, extra]) {
    if (!text) continue;
    const p = document.createElement('p');
    p.textContent = text;
    dom.append(p);
  }
  return dom;
}

const setSignature = StateEffect.define<Tooltip | null>();
const signatureField = StateField.define<Tooltip | null>({
  create: () => null,
  update(value, tr) {
    for (const effect of tr.effects) if (effect.is(setSignature)) return effect.value;
    return tr.docChanged && value ? { ...value, pos: tr.changes.mapPos(value.pos) } : value;
  },
  provide: (field) => showTooltip.from(field),
});

function signatureNode(help: SignatureHelp): HTMLElement {
  const dom = document.createElement('div');
  dom.className = 'cm-types-signature';
  const code = document.createElement('code');
  const active = document.createElement('strong');
  active.textContent = help.parameter;
  code.append(help.before, active, help.after);
  dom.append(code);
  if (help.overload) dom.append(` (${help.overload})`);
  if (help.documentation) {
    const p = document.createElement('p');
    p.textContent = help.documentation;
    dom.append(p);
  }
  return dom;
}

export function cellTypes(options: TypesOptions): Extension {
  let started = false;
  let failed = false;
  const current = (view: EditorView) => ({
    earlier: options.earlier(),
    code: view.state.doc.toString(),
  });

  function begin(): void {
    if (started) return;
    started = true;
    options.onStatus('loading');
    start().then(
      () => options.onStatus('ready'),
      () => {
        failed = true;
        options.onStatus('failed');
      },
    );
  }

  async function complete(context: CompletionContext): Promise<CompletionResult | null> {
    if (!started || failed) return null;
    const word = context.matchBefore(/[\w$]*/);
    const afterDot = /\.\s*$/.test(
      context.state.sliceDoc(Math.max(0, context.pos - 2), context.pos),
    );
    if (!context.explicit && !afterDot && (!word || word.from === word.to)) return null;
    const pos = context.pos;
    const request = { ...current(context.view!), pos };
    const result = await ask<{ from: number; items: Completion[] }>({
      type: 'completions',
      ...request,
    });
    if (!result || context.aborted) return null;
    return {
      from: result.from,
      validFor: /^[\w$]*$/,
      options: result.items.map((item): CmCompletion => ({
        label: item.label,
        type: KINDS[item.kind] ?? 'variable',
        apply: item.apply,
        // The service's ranking: lower sortText first ("11" local, "15" global, …).
        boost: -Math.min(99, Number.parseInt(item.sortText, 10) || 0),
        info: async () => {
          const detail = await ask<{ detail: string; documentation: string }>({
            type: 'detail',
            ...request,
            name: item.label,
          });
          return detail ? docsNode(detail.detail, detail.documentation) : null;
        },
      })),
    };
  }

  const hover = hoverTooltip(async (view, pos) => {
    if (!started || failed) return null;
    const info = await ask<QuickInfo>({ type: 'quickInfo', ...current(view), pos });
    if (!info) return null;
    const tags = info.tags
      .filter((t) => t.name !== 'example')
      .map((t) => `@${t.name} ${t.text}`)
      .join('\n');
    return {
      pos: info.from,
      end: info.to,
      above: true,
      create: () => ({ dom: docsNode(info.signature, info.documentation, tags) }),
    };
  });

  const diagnostics = linter(
    async (view) => {
      if (!started || failed) return [];
      const found = await ask<Diagnostic[]>({ type: 'diagnostics', ...current(view) });
      const length = view.state.doc.length;
      return (found ?? []).map((d): CmDiagnostic => ({
        from: Math.min(d.from, length),
        to: Math.min(Math.max(d.to, d.from + 1), length),
        severity: 'warning',
        source: 'TypeScript',
        message: d.message,
      }));
    },
    { delay: 400, needsRefresh: () => false },
  );

  let signatureTimer: ReturnType<typeof setTimeout> | undefined;
  const signatures = EditorView.updateListener.of((update) => {
    if (update.docChanged) begin();
    if (!started || failed || !(update.docChanged || update.selectionSet)) return;
    clearTimeout(signatureTimer);
    signatureTimer = setTimeout(async () => {
      const view = update.view;
      const pos = view.state.selection.main.head;
      const help = await ask<SignatureHelp>({ type: 'signatureHelp', ...current(view), pos });
      if (view.state.selection.main.head !== pos) return;
      view.dispatch({
        effects: setSignature.of(
          help ? { pos, above: true, create: () => ({ dom: signatureNode(help) }) } : null,
        ),
      });
    }, 120);
  });

  return [
    autocompletion({ override: [complete], activateOnTyping: true }),
    hover,
    diagnostics,
    signatureField,
    signatures,
    EditorView.theme({
      '.cm-tooltip': {
        backgroundColor: 'var(--bg, #fff)',
        color: 'var(--fg, #111)',
        border: '1px solid var(--border, #d5dae2)',
        maxWidth: 'min(36rem, 90vw)',
      },
      '.cm-types-doc, .cm-types-signature': {
        padding: '0.3rem 0.5rem',
        fontSize: '0.8125rem',
        whiteSpace: 'pre-wrap',
      },
      '.cm-types-doc p, .cm-types-signature p': { margin: '0.3rem 0 0' },
      '.cm-types-doc code, .cm-types-signature code': { fontFamily: 'var(--font-mono, monospace)' },
    }),
  ];
}
