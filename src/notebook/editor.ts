/**
 * The code editor (CodeMirror 6), loaded only when a reader starts editing a cell, so a
 * chapter's first load stays small. Keys: Shift+Enter runs and moves on, Ctrl/Cmd+Enter runs,
 * Escape leaves the editor (Tab is never captured, so there is no keyboard trap).
 */
import { EditorView, minimalSetup } from 'codemirror';
import {
  Compartment,
  EditorState,
  StateEffect,
  StateField,
  type Extension,
} from '@codemirror/state';
import { Decoration, keymap, lineNumbers, type DecorationSet } from '@codemirror/view';
import {
  bracketMatching,
  HighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language';
import { closeBrackets } from '@codemirror/autocomplete';
import { javascript } from '@codemirror/lang-javascript';
import { tags as t } from '@lezer/highlight';
import { cellTypes, type TypesOptions } from './types/client.ts';

export interface EditorOptions {
  parent: HTMLElement;
  code: string;
  label: string;
  onChange: (code: string) => void;
  onRun: () => void;
  onRunAndNext: () => void;
  onEscape: () => void;
  /** Completion, docs and type errors from the cells' language service (see ./types/). */
  types?: TypesOptions;
}

export interface EditorHandle {
  getCode(): string;
  setCode(code: string): void;
  focus(): void;
  /** Marks a 1-based line as the error's line (null clears it). */
  markError(line: number | null): void;
  destroy(): void;
}

// Colours come from CSS variables (see the style at the end of this file), so one highlight
// style serves light and dark themes; the values are GitHub's high-contrast palettes.
const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.modifier, t.operatorKeyword, t.controlKeyword], color: 'var(--cm-keyword)' },
  { tag: [t.string, t.special(t.string), t.regexp], color: 'var(--cm-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--cm-number)' },
  {
    tag: [t.comment, t.lineComment, t.blockComment],
    color: 'var(--cm-comment)',
    fontStyle: 'italic',
  },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], color: 'var(--cm-function)' },
  { tag: [t.typeName, t.className, t.namespace], color: 'var(--cm-type)' },
  { tag: [t.definition(t.variableName), t.propertyName], color: 'var(--cm-property)' },
  { tag: [t.operator, t.punctuation, t.bracket], color: 'var(--cm-fg)' },
]);

const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--bg-code, #f6f8fa)', color: 'var(--cm-fg)' },
  '.cm-content': {
    fontFamily: 'var(--font-mono, monospace)',
    caretColor: 'var(--cm-fg)',
    padding: '0.75rem 0',
  },
  '.cm-gutters': {
    backgroundColor: 'var(--bg-code, #f6f8fa)',
    color: 'var(--cm-comment)',
    border: 'none',
  },
  '.cm-cursor': { borderLeftColor: 'var(--cm-fg)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--cm-selection) !important',
  },
  '.cm-matchingBracket': { outline: '1px solid var(--cm-fg)', backgroundColor: 'transparent' },
  '.cm-scroller': { lineHeight: '1.5' },
});

const setErrorLine = StateEffect.define<number | null>();
const errorLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(decorations, tr) {
    decorations = decorations.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setErrorLine)) continue;
      const line = effect.value;
      if (line === null || line < 1 || line > tr.state.doc.lines) decorations = Decoration.none;
      else {
        const from = tr.state.doc.line(line).from;
        decorations = Decoration.set([Decoration.line({ class: 'cm-error-line' }).range(from)]);
      }
    }
    // Editing clears the mark: it described code that no longer exists.
    return tr.docChanged ? Decoration.none : decorations;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export function createEditor(options: EditorOptions): EditorHandle {
  const readOnly = new Compartment();
  const keys = keymap.of([
    { key: 'Shift-Enter', run: () => (options.onRunAndNext(), true) },
    { key: 'Mod-Enter', run: () => (options.onRun(), true) },
    { key: 'Escape', run: () => (options.onEscape(), true) },
  ]);
  const extensions: Extension[] = [
    keys, // before the defaults, so Shift+Enter does not insert a line break
    minimalSetup,
    lineNumbers(),
    bracketMatching(),
    closeBrackets(),
    indentOnInput(),
    javascript({ typescript: true }),
    syntaxHighlighting(highlight),
    theme,
    errorLine,
    readOnly.of(EditorState.readOnly.of(false)),
    EditorView.contentAttributes.of({ 'aria-label': options.label }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) options.onChange(update.state.doc.toString());
    }),
    options.types ? cellTypes(options.types) : [],
  ];
  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({ doc: options.code, extensions }),
  });
  return {
    getCode: () => view.state.doc.toString(),
    setCode(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
    focus: () => view.focus(),
    markError(line) {
      view.dispatch({ effects: setErrorLine.of(line) });
    },
    destroy: () => view.destroy(),
  };
}
