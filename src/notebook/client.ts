/**
 * The notebook on the page: wires every cell's buttons, keeps the reader's edits, runs cells
 * in the page's kernel (a Web Worker, see kernel-client.ts) and shows their outputs.
 *
 * Loaded on every chapter page, so it stays small: the editor (CodeMirror) is imported when a
 * reader starts editing, and the kernel (engine, Plot, transpiler) when a cell first runs or the
 * reader heads for one.
 */
import { KernelClient, type KernelStatus } from './kernel-client.ts';
import { renderOutputsHtml, type Output, type ErrorOutput } from './outputs.ts';
import { sanitizeFigureHtml } from './sanitize.ts';
import { EditStore, browserStorage } from './storage.ts';
import { decodeCode, encodeCode, parseShareFragment, shareFragment } from './share.ts';
import { hashCode } from './hash.ts';
import type { EditorHandle } from './editor.ts';
import type { KernelEvent, RunResult } from './worker/kernel.ts';

type State = 'idle' | 'queued' | 'running' | 'done' | 'error' | 'stale';

interface Cell {
  id: string;
  root: HTMLElement;
  original: string;
  hash: string;
  code: string;
  readonly: boolean;
  /** Marked `long`: runs only from its own Run button, never as another cell's predecessor. */
  long: boolean;
  timeout: number;
  codeBox: HTMLElement;
  output: HTMLElement;
  status: HTMLElement;
  notice: HTMLElement;
  badge: HTMLElement;
  buttons: Record<'run' | 'stop' | 'reset' | 'share', HTMLButtonElement>;
  editor: EditorHandle | null;
  editorLoading: Promise<void> | null;
  state: State;
  stateBeforeQueue: State;
  /** The kernel generation this cell last ran in (-1: never). */
  ranIn: number;
  runs: number;
  outputs: Output[];
  errorLine: number | null;
  saveTimer?: ReturnType<typeof setTimeout>;
  renderQueued: boolean;
}

const kernel = new KernelClient();
const store = new EditStore(browserStorage(), location.pathname);
const cells: Cell[] = [];
let loadEditor: Promise<typeof import('./editor.ts')> | null = null;
/** Incremented by Stop and Restart: queued runs of an older token are dropped. */
let token = 0;
let chain: Promise<void> = Promise.resolve();

function editorModule() {
  loadEditor ??= import('./editor.ts');
  return loadEditor;
}

function setState(cell: Cell, state: State): void {
  cell.state = state;
  cell.root.dataset.state = state;
  const busy = state === 'running' || state === 'queued';
  cell.buttons.stop.hidden = !busy;
  cell.root.setAttribute('aria-busy', String(state === 'running'));
}

function setStatus(cell: Cell, text: string): void {
  if (cell.status.textContent !== text) cell.status.textContent = text;
}

// ---------------------------------------------------------------------------------------------
// Code: static view, editor, edits

function renderStaticCode(cell: Cell): void {
  const pre = cell.codeBox.querySelector('pre');
  if (!pre) return;
  const code = document.createElement('code');
  cell.code.split('\n').forEach((line, i) => {
    if (i > 0) code.append('\n');
    const span = document.createElement('span');
    span.className = 'line';
    span.textContent = line;
    code.append(span);
  });
  pre.replaceChildren(code);
  markErrorLine(cell, cell.errorLine);
}

function markErrorLine(cell: Cell, line: number | null): void {
  cell.errorLine = line;
  if (cell.editor) {
    cell.editor.markError(line);
    return;
  }
  const lines = cell.codeBox.querySelectorAll('pre .line');
  lines.forEach((el, i) => el.classList.toggle('cell-error-line', line === i + 1));
}

/** Puts code into the cell (editor or static view) without treating it as the reader's edit. */
let settingCode = false;
function setCode(cell: Cell, code: string): void {
  cell.code = code;
  if (cell.editor) {
    settingCode = true;
    cell.editor.setCode(code);
    settingCode = false;
  } else {
    renderStaticCode(cell);
  }
  updateEditedUi(cell);
}

function updateEditedUi(cell: Cell): void {
  const edited = cell.code !== cell.original;
  cell.badge.hidden = !edited;
  cell.buttons.reset.hidden = !edited;
  cell.root.toggleAttribute('data-edited', edited);
}

function onEdit(cell: Cell, code: string): void {
  if (settingCode) return;
  cell.code = code;
  updateEditedUi(cell);
  if (cell.state === 'done' || cell.state === 'error' || cell.state === 'idle') {
    setState(cell, 'stale');
    setStatus(cell, 'Edited: press Run to update the output.');
  }
  clearTimeout(cell.saveTimer);
  cell.saveTimer = setTimeout(() => saveEdit(cell), 300);
}

function saveEdit(cell: Cell): void {
  clearTimeout(cell.saveTimer);
  if (cell.code === cell.original) {
    store.remove(cell.id);
    return;
  }
  const outcome = store.save(cell.id, cell.code, cell.hash);
  if (!outcome.ok && cell.root.dataset.unsaved === undefined) {
    // Said once per cell, and kept in view: the reader should know a reload loses the edit.
    cell.root.dataset.unsaved = '';
    const text =
      outcome.reason === 'full'
        ? 'Your edit could not be saved: this browser’s storage is full. It stays until you leave the page.'
        : 'Your edits are not saved: this browser does not allow it. They stay until you leave the page.';
    notice(cell, el('p', text));
  }
}

async function startEditing(cell: Cell, focus: boolean): Promise<void> {
  if (cell.readonly) return;
  if (cell.editor) {
    if (focus) cell.editor.focus();
    return;
  }
  if (cell.editorLoading) return cell.editorLoading;
  const started = performance.now();
  performance.mark(`descent:edit-start:${cell.id}`);
  cell.root.dataset.editor = 'loading';
  cell.editorLoading = (async () => {
    try {
      const { createEditor } = await editorModule();
      const host = document.createElement('div');
      host.className = 'cell-editor';
      cell.codeBox.querySelector('pre')?.replaceWith(host);
      cell.editor = createEditor({
        parent: host,
        code: cell.code,
        label: `Code of cell ${cell.id} (TypeScript). Shift+Enter runs it and moves on; Escape leaves the editor.`,
        onChange: (code) => onEdit(cell, code),
        onRun: () => runCell(cell),
        onRunAndNext: () => {
          runCell(cell);
          const next = cells[cells.indexOf(cell) + 1];
          if (next) focusCell(next);
        },
        onEscape: () => cell.buttons.run.focus(),
        types: {
          earlier: () =>
            cells.slice(0, cells.indexOf(cell)).map((c) => ({ id: c.id, code: c.code })),
          onStatus: (status) => {
            cell.root.dataset.types = status;
            if (status === 'loading') setStatus(cell, 'Loading types for completion…');
            else if (status === 'ready')
              setStatus(cell, 'Types ready: completion, docs on hover and type warnings.');
            else setStatus(cell, 'Types could not load; the editor works without them.');
          },
        },
      });
      if (cell.errorLine) cell.editor.markError(cell.errorLine);
      if (focus) cell.editor.focus();
      cell.root.dataset.editor = 'ready';
      cell.root.dataset.editorMs = (performance.now() - started).toFixed(1);
      performance.mark(`descent:editor-ready:${cell.id}`);
    } catch {
      cell.root.dataset.editor = 'failed';
      setStatus(cell, 'The editor failed to load; check your connection and try again.');
      cell.editorLoading = null;
    }
  })();
  return cell.editorLoading;
}

function focusCell(cell: Cell): void {
  const details = cell.codeBox.closest('details');
  if (details) details.open = true;
  cell.root.scrollIntoView({ block: 'nearest' });
  if (cell.readonly) cell.buttons.run.focus();
  else void startEditing(cell, true);
}

// ---------------------------------------------------------------------------------------------
// Outputs

/** Rebuilds an output from the worker field by field: the page trusts nothing it receives. */
function clean(o: unknown): Output | null {
  if (!o || typeof o !== 'object') return null;
  const v = o as Record<string, unknown>;
  const str = (x: unknown) => String(x ?? '');
  const num = (x: unknown) => (x === undefined || x === null ? undefined : Number(x));
  switch (v.kind) {
    case 'stream': {
      const stream = v.stream === 'warn' || v.stream === 'error' ? v.stream : 'log';
      return { kind: 'stream', stream, text: str(v.text) };
    }
    case 'text':
    case 'warning':
      return { kind: v.kind, text: str(v.text) };
    case 'tensor':
      return {
        kind: 'tensor',
        shape: Array.isArray(v.shape) ? v.shape.map(Number) : [],
        dtype: str(v.dtype),
        requiresGrad: Boolean(v.requiresGrad),
        truncated: Boolean(v.truncated),
        slices: (Array.isArray(v.slices) ? v.slices : []).map(
          (s: { label?: unknown; rows?: unknown }) => ({
            label: str(s?.label),
            rows: (Array.isArray(s?.rows) ? s.rows : []).map((r: unknown) =>
              (Array.isArray(r) ? r : []).map(str),
            ),
          }),
        ),
      };
    case 'table': {
      const rows = (Array.isArray(v.rows) ? v.rows : []).map((r: unknown) =>
        (Array.isArray(r) ? r : []).map(str),
      );
      return {
        kind: 'table',
        columns: (Array.isArray(v.columns) ? v.columns : []).map(str),
        rows,
        numeric: (Array.isArray(v.numeric) ? v.numeric : []).map(Boolean),
        omitted: Number(v.omitted) || 0,
      };
    }
    case 'figure':
      return { kind: 'figure', html: sanitizeFigureHtml(str(v.html), document), alt: str(v.alt) };
    case 'progress':
      return {
        kind: 'progress',
        value: Number(v.value) || 0,
        total: Number(v.total) || 1,
        label: str(v.label),
        elapsed: num(v.elapsed),
        eta: num(v.eta),
      };
    case 'error': {
      const e: ErrorOutput = { kind: 'error', name: str(v.name), message: str(v.message) };
      if (v.line !== undefined) e.line = Number(v.line);
      if (v.column !== undefined) e.column = Number(v.column);
      if (v.cellId !== undefined) e.cellId = str(v.cellId);
      if (v.hint !== undefined) e.hint = str(v.hint);
      return e;
    }
    case 'live':
      return { kind: 'live', slot: str(v.slot), output: clean(v.output) };
  }
  return null;
}

function cleanAll(list: unknown): Output[] {
  return (Array.isArray(list) ? list : []).map(clean).filter((o): o is Output => o !== null);
}

function renderOutputs(cell: Cell): void {
  cell.output.innerHTML = renderOutputsHtml(cell.outputs, cell.id);
  syncScrollable(cell.output);
}

/**
 * Wide outputs (aligned tables, plots on a phone) scroll sideways rather than wrap or shrink.
 * Keyboard users must be able to scroll them too, so exactly the outputs that overflow become
 * focusable regions; the rest add no tab stops.
 */
function syncScrollable(output: HTMLElement): void {
  const scrolls = output.scrollWidth > output.clientWidth + 1;
  if (scrolls && !output.hasAttribute('tabindex')) {
    output.tabIndex = 0;
    output.setAttribute('role', 'region');
    output.setAttribute('aria-label', 'Cell output, scrolls sideways');
  } else if (!scrolls && output.hasAttribute('tabindex')) {
    output.removeAttribute('tabindex');
    output.removeAttribute('role');
    output.removeAttribute('aria-label');
  }
}

const outputResizes =
  typeof ResizeObserver === 'function'
    ? new ResizeObserver((entries) => {
        for (const entry of entries) syncScrollable(entry.target as HTMLElement);
      })
    : undefined;

/** Redraws at most once per animation frame, however fast updates arrive. */
function scheduleRender(cell: Cell): void {
  if (cell.renderQueued) return;
  cell.renderQueued = true;
  requestAnimationFrame(() => {
    cell.renderQueued = false;
    renderOutputs(cell);
  });
}

function onKernelEvent(cell: Cell, event: KernelEvent): void {
  if (event.type === 'append') {
    cell.outputs.push(...cleanAll(event.outputs));
  } else if (event.type === 'live') {
    const entry = cell.outputs.find((o) => o.kind === 'live' && o.slot === String(event.slot));
    if (entry && entry.kind === 'live') entry.output = clean(event.output);
  } else if (event.type === 'progress') {
    const index = cell.outputs.findIndex((o) => o.kind === 'progress');
    const progress = clean(event.progress);
    if (index >= 0 && progress) cell.outputs[index] = progress;
  }
  scheduleRender(cell);
}

// ---------------------------------------------------------------------------------------------
// Running

function dispatchRun(
  cell: Cell,
  ok: boolean,
  value: unknown,
  text: string,
  error: ErrorOutput | null,
): void {
  const detail = {
    id: cell.id,
    ok,
    value,
    text,
    error: error ? `${error.name}: ${error.message}` : null,
  };
  document.dispatchEvent(new CustomEvent('descent:cell-run', { detail }));
}

function stopMessage(
  kind: 'stopped' | 'timeout' | 'crashed',
  seconds: number,
  extra = '',
): ErrorOutput {
  if (kind === 'timeout') {
    return {
      kind: 'error',
      name: 'Stopped',
      message: `This cell ran longer than its time limit of ${seconds} s, so it was stopped.`,
      hint: 'An endless loop? Check the loop’s condition. The kernel restarted: cells above run again first.',
    };
  }
  if (kind === 'crashed') {
    return { kind: 'error', name: 'Error', message: `The kernel stopped unexpectedly: ${extra}` };
  }
  return {
    kind: 'error',
    name: 'Stopped',
    message: `You stopped this run after ${seconds.toFixed(1)} s.`,
    hint: 'The kernel restarted: cells above run again first.',
  };
}

/** Runs one cell in the kernel; resolves to whether it succeeded. */
async function execute(cell: Cell): Promise<boolean> {
  setState(cell, 'running');
  setStatus(cell, 'Running…');
  markErrorLine(cell, null);
  cell.outputs = [];
  const started = performance.now();
  performance.mark(`descent:run-start:${cell.id}`);
  const code = cell.code;
  const outcome = await kernel.run(cell.id, code, cell.timeout, (event) =>
    onKernelEvent(cell, event),
  );
  const seconds = (performance.now() - started) / 1000;
  cell.runs++;
  cell.root.dataset.runs = String(cell.runs);
  if (outcome.kind === 'done') {
    const result: RunResult = outcome.result;
    cell.outputs = cleanAll(result.outputs);
    renderOutputs(cell);
    cell.ranIn = kernel.generation;
    const error = result.error ? clean(result.error) : null;
    const ok = Boolean(result.ok) && !error;
    setState(cell, ok ? 'done' : 'error');
    const ms = Math.round(performance.now() - started);
    cell.root.dataset.lastRunMs = String(ms);
    setStatus(cell, ok ? `Ran in ${ms} ms.` : 'Failed: see the error below.');
    if (error && error.kind === 'error' && error.line !== undefined && !error.cellId) {
      markErrorLine(cell, error.line);
    }
    performance.mark(`descent:run-end:${cell.id}`);
    dispatchRun(cell, ok, result.value, String(result.text ?? ''), error as ErrorOutput | null);
    return ok;
  }
  const error = stopMessage(
    outcome.kind,
    outcome.kind === 'timeout' ? outcome.seconds : seconds,
    outcome.kind === 'crashed' ? outcome.message : '',
  );
  cell.outputs = cell.outputs.filter((o) => o.kind !== 'progress').concat(error);
  renderOutputs(cell);
  setState(cell, 'error');
  setStatus(cell, outcome.kind === 'timeout' ? 'Stopped: time limit reached.' : 'Stopped.');
  afterKernelLoss(cell);
  dispatchRun(cell, false, undefined, '', error);
  return false;
}

/** After the kernel was replaced: what ran in it must run again. */
function afterKernelLoss(except: Cell | null): void {
  token++;
  for (const c of cells) {
    if (c === except) continue;
    if (c.state === 'queued' || c.state === 'running') {
      setState(c, c.stateBeforeQueue);
      setStatus(c, '');
    }
    if (
      c.ranIn >= 0 &&
      c.ranIn !== kernel.generation &&
      (c.state === 'done' || c.state === 'error')
    ) {
      setState(c, 'stale');
      setStatus(c, 'The kernel restarted: run again to refresh.');
    }
  }
}

function enqueue(targets: Cell[]): void {
  const mine = token;
  for (const c of targets) {
    if (c.state !== 'queued') c.stateBeforeQueue = c.state;
    setState(c, 'queued');
    setStatus(c, 'Waiting to run…');
  }
  // A failing cell does not stop the ones after it (a page may show an error on purpose);
  // Stop and Restart drop everything still queued.
  chain = chain.then(async () => {
    for (const cell of targets) {
      if (mine !== token) return;
      await execute(cell);
    }
  });
}

const waiting = (c: Cell) => c.state === 'queued' || c.state === 'running';

/**
 * Runs a cell, first running earlier cells that have not run in this kernel. Long cells are
 * left out: they run only when the reader presses their own Run (they may take minutes).
 */
function runCell(cell: Cell): void {
  if (waiting(cell)) return;
  const before = cells
    .slice(0, cells.indexOf(cell))
    .filter((c) => c.ranIn !== kernel.generation && !c.long && !waiting(c));
  enqueue([...before, cell]);
}

/** Runs every cell from the top, except long ones. */
function runAll(): void {
  enqueue(cells.filter((c) => !c.long && !waiting(c)));
}

function stopKernel(): void {
  kernel.stop();
  afterKernelLoss(null);
}

// ---------------------------------------------------------------------------------------------
// Notices: saved edits that conflict with the author's new code, shared links, copied links

function notice(cell: Cell, ...children: (Node | string)[]): void {
  cell.notice.replaceChildren(...children);
  cell.notice.hidden = children.length === 0;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attrs: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function restoreEdit(cell: Cell): void {
  const saved = store.load(cell.id);
  if (!saved || saved.code === cell.original) return;
  if (saved.original === cell.hash) {
    setCode(cell, saved.code);
    setState(cell, 'stale');
    setStatus(cell, 'Your edit, saved in this browser. Press Run to see its output.');
    return;
  }
  // The author changed the cell after the reader's edit: show the new code, offer both.
  cell.root.dataset.conflict = '';
  const mine = el('button', 'Use my edit', { type: 'button', class: 'cell-btn' });
  const theirs = el('button', 'Keep the new version', { type: 'button', class: 'cell-btn' });
  const details = el('details');
  details.append(el('summary', 'Your edit'), el('pre', saved.code));
  mine.addEventListener('click', () => {
    delete cell.root.dataset.conflict;
    setCode(cell, saved.code);
    store.save(cell.id, saved.code, cell.hash);
    setState(cell, 'stale');
    notice(cell);
    setStatus(cell, 'Using your edit. Press Run to see its output.');
  });
  theirs.addEventListener('click', () => {
    delete cell.root.dataset.conflict;
    store.remove(cell.id);
    notice(cell);
    setStatus(cell, 'Your old edit was discarded.');
  });
  notice(
    cell,
    el(
      'p',
      'The author has changed this cell since you edited it. It shows the new version now; your edit is kept below.',
    ),
    details,
    mine,
    ' ',
    theirs,
  );
}

async function openSharedLink(): Promise<void> {
  const shared = parseShareFragment(location.hash);
  if (!shared) return;
  const cell = cells.find((c) => c.id === shared.cellId);
  if (!cell) return;
  let code: string;
  try {
    code = await decodeCode(shared.payload);
  } catch {
    notice(cell, el('p', 'This link’s code could not be read (the link may be cut off).'));
    return;
  }
  setCode(cell, code);
  cell.root.dataset.shared = '';
  setState(cell, 'stale');
  notice(
    cell,
    el(
      'p',
      'This cell shows code from a shared link. It has not been run: read it, then press Run. Reset brings back the book’s code.',
    ),
  );
  setStatus(cell, 'Code from a shared link: not run yet.');
  cell.root.scrollIntoView({ block: 'center' });
}

async function copyLink(cell: Cell): Promise<void> {
  const payload = await encodeCode(cell.code);
  const url = `${location.origin}${location.pathname}${shareFragment(cell.id, payload)}`;
  cell.root.dataset.shareUrl = url;
  let copied = false;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch {
    // clipboard refused (permissions, insecure context): the reader copies from the field
  }
  const field = el('input', undefined, {
    type: 'text',
    readonly: '',
    'aria-label': 'Link to this cell’s code',
  });
  field.value = url;
  notice(
    cell,
    el(
      'p',
      copied
        ? 'Link copied. Whoever opens it sees this code in the cell; it runs only when they press Run.'
        : 'Copy this link; whoever opens it sees this code in the cell (not run until they press Run):',
    ),
    field,
  );
  setStatus(cell, copied ? 'Link copied.' : 'Link ready to copy.');
  if (!copied) field.select();
}

// ---------------------------------------------------------------------------------------------
// Setup

function setUpCell(root: HTMLElement): Cell {
  const q = <T extends Element>(selector: string) => root.querySelector<T>(selector)!;
  const source = JSON.parse(q<HTMLScriptElement>('script[data-source]').textContent || '{}') as {
    code?: string;
  };
  const original = source.code ?? '';
  const button = (action: string) => q<HTMLButtonElement>(`button[data-action="${action}"]`);
  const cell: Cell = {
    id: root.dataset.cell!,
    root,
    original,
    // Hashed here from the code itself (not trusted from markup), so any change shows.
    hash: hashCode(original),
    code: original,
    readonly: root.hasAttribute('data-readonly'),
    long: root.hasAttribute('data-long'),
    timeout: Number(root.dataset.timeout) || 60,
    codeBox: q('[data-code]'),
    output: q('[data-output]'),
    status: q('.cell-status'),
    notice: q('[data-notice]'),
    badge: q('[data-edited]'),
    buttons: {
      run: button('run'),
      stop: button('stop'),
      reset: button('reset'),
      share: button('share'),
    },
    editor: null,
    editorLoading: null,
    state: (root.dataset.state as State) || 'idle',
    stateBeforeQueue: 'idle',
    ranIn: -1,
    runs: 0,
    outputs: [],
    errorLine: null,
    renderQueued: false,
  };
  const prerenderedError = root.querySelector('.cell-error-line');
  if (prerenderedError) {
    cell.errorLine =
      [...cell.codeBox.querySelectorAll('pre .line')].indexOf(prerenderedError) + 1 || null;
  }

  cell.buttons.run.addEventListener('click', () => runCell(cell));
  cell.buttons.stop.addEventListener('click', () => {
    stopKernel();
    cell.buttons.run.focus();
  });
  cell.buttons.reset.addEventListener('click', () => {
    store.remove(cell.id);
    delete cell.root.dataset.shared;
    setCode(cell, cell.original);
    notice(cell);
    if (cell.state === 'stale')
      setState(cell, cell.runs ? 'stale' : cell.root.dataset.long !== undefined ? 'idle' : 'done');
    setStatus(cell, 'Reset to the book’s code.');
    (cell.editor ? cell.editor : cell.buttons.run).focus();
  });
  cell.buttons.share.addEventListener('click', () => void copyLink(cell));

  const box = cell.codeBox;
  box.addEventListener('focusin', () => void startEditing(cell, true));
  box.addEventListener('click', () => void startEditing(cell, true));
  box.addEventListener('keydown', (event) => {
    if (cell.editor) return; // the editor's own keymap handles keys
    if (event.key === 'Enter' && (event.shiftKey || event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      runCell(cell);
      if (event.shiftKey) {
        const next = cells[cells.indexOf(cell) + 1];
        if (next) focusCell(next);
      }
    }
  });
  // Heading for a cell is a good moment to start the kernel and fetch the editor (both load
  // after the reader interacts, so the page's first load stays small).
  // The editor goes first: a reader who clicks into the code waits for it, while the kernel is
  // only needed at the first Run (which starts it anyway).
  const prepare = () => {
    if (cell.readonly) kernel.warm();
    else void editorModule().finally(() => kernel.warm());
  };
  root.addEventListener('pointerenter', prepare, { once: true });
  root.addEventListener('focusin', prepare, { once: true });

  root.dataset.enhanced = '';
  return cell;
}

function setUpToolbar(): void {
  const toolbar = document.querySelector<HTMLElement>('[data-notebook-toolbar]');
  if (!toolbar || toolbar.dataset.enhanced !== undefined) return;
  toolbar.dataset.enhanced = '';
  if (cells.length === 0) return;
  toolbar.hidden = false;
  const status = toolbar.querySelector<HTMLElement>('[data-kernel-status]');
  const texts: Record<KernelStatus, string> = {
    off: 'Code cells run in your browser. Edit any cell and press Run.',
    starting: 'Starting the kernel…',
    ready: 'Kernel ready.',
    busy: 'Running…',
  };
  kernel.onStatus = (s) => {
    toolbar.dataset.kernel = s;
    if (status) status.textContent = texts[s];
  };
  toolbar.querySelector('[data-action="run-all"]')?.addEventListener('click', runAll);
  toolbar.querySelector('[data-action="restart"]')?.addEventListener('click', () => {
    stopKernel();
    if (status) status.textContent = 'Kernel restarted. Cells run from the top again.';
  });
  toolbar.addEventListener('pointerenter', () => kernel.warm(), { once: true });
}

function init(): void {
  for (const root of document.querySelectorAll<HTMLElement>('[data-cell]')) {
    if (root.dataset.enhanced !== undefined) continue;
    const cell = setUpCell(root);
    cells.push(cell);
    restoreEdit(cell);
    syncScrollable(cell.output);
    outputResizes?.observe(cell.output);
  }
  setUpToolbar();
  void openSharedLink();
  window.addEventListener('hashchange', () => void openSharedLink());
  // Edits are saved shortly after typing stops; also save when the reader leaves.
  window.addEventListener('pagehide', () => cells.forEach((c) => c.saveTimer && saveEdit(c)));
}

init();
