/**
 * The kernel: the one place cell code runs. A page's cells run here in page order and share
 * one global scope. The build runs it in a Node worker thread, the browser in a module Web
 * Worker; the same functions format every value, so a page's outputs match in both.
 *
 * What a cell sees without imports: every export of @descent/engine, `Plot` (Observable Plot,
 * drawing into a DOM-less `document`), `show`, `live`, `progress`, a capturing `console`, and a
 * seeded `Math.random`.
 */
import type * as PlotModule from '@observablehq/plot';
import { CellSyntaxError, GLOBAL_ALIAS, cellPositionFromStack, compileCell } from '../transform.ts';
import { outputsText, type ErrorOutput, type Output, type ProgressOutput } from '../outputs.ts';
import { sanitizeTree } from '../sanitize.ts';
import { serializeNode } from '../ssr.ts';
import { installDeterministicMath } from './det-math.ts';
import {
  countNonFinite,
  inspect,
  isTensorLike,
  rowsToTable,
  tensorToOutput,
  toPlain,
} from './format.ts';

/** Messages the kernel sends while a cell runs (throttled to about 10 per second). */
export type KernelEvent =
  | { type: 'append'; outputs: Output[] }
  | { type: 'live'; slot: string; output: Output | null }
  | { type: 'progress'; progress: ProgressOutput };

export interface RunResult {
  ok: boolean;
  outputs: Output[];
  /** JSON-safe copy of the last expression's value. */
  value: unknown;
  /** Plain text of the outputs. */
  text: string;
  error: ErrorOutput | null;
  /** Milliseconds the cell's code took. */
  ms: number;
}

export interface KernelHost {
  engine: Record<string, unknown>;
  Plot: typeof PlotModule;
  /** A DOM document (linkedom) that Plot draws into. */
  document: Document;
  emit(event: KernelEvent): void;
}

/** The seed every page starts from, in the build and in the browser. */
export const PAGE_SEED = 0;
/** At most this many updates per second leave a running cell. */
const FRAME_MS = 100;
const MAX_STREAM_LINES = 2000;

/** mulberry32: a tiny seeded generator for `Math.random`, so cells are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ShowOptions {
  /** Replace this cell's live output instead of adding one; a string names a separate slot. */
  live?: boolean | string;
}

/** State of the cell that is running now. */
interface Run {
  outputs: Output[];
  pending: Output[];
  lastFlush: number;
  lines: number;
  nonFinite: { nan: number; inf: number };
  live: Map<string, { entry: Output & { kind: 'live' }; last: number; pending?: unknown }>;
  progress: { entry: ProgressOutput; start: number; last: number } | null;
}

export interface Kernel {
  /** Runs one cell; runs never overlap (the page waits for one before it sends the next). */
  run(cellId: string, code: string): Promise<RunResult>;
}

export function createKernel(host: KernelHost, seed = PAGE_SEED): Kernel {
  const { engine, Plot, document } = host;
  const g = globalThis as unknown as Record<string, unknown>;
  const now = () => performance.now();
  let current: Run | null = null;
  let currentCell = '';
  let figureCount = 0;

  // Every random thing is seeded: the engine's generator and Math.random. And Math's
  // elementary functions are our own, so the build and every browser compute the same bits.
  (engine.manualSeed as ((s: number) => void) | undefined)?.(seed);
  Math.random = seededRandom(seed);
  installDeterministicMath(Math);

  // Plot needs a document; give it ours, also for `mark.plot()`.
  const plot = (options: PlotModule.PlotOptions = {}) => Plot.plot({ document, ...options });
  const legend = (options: PlotModule.LegendOptions = {}) =>
    Plot.legend({ document, ...options } as PlotModule.LegendOptions);
  Plot.Mark.prototype.plot = function (this: PlotModule.Mark, { marks = [], ...options } = {}) {
    return plot({
      ...options,
      marks: [...(marks as PlotModule.Markish[]), this as PlotModule.Markish],
    });
  };
  const PlotForCells = Object.freeze({ ...Plot, plot, legend });

  const isElement = (v: unknown): v is Element =>
    typeof v === 'object' &&
    v !== null &&
    (v as Node).nodeType === 1 &&
    typeof (v as Element).outerHTML === 'string';

  /** Turns a value into an output record (or null for undefined). */
  function toOutput(value: unknown): Output | null {
    if (value === undefined) return null;
    if (isElement(value)) {
      const copy = value.cloneNode(true) as Element;
      sanitizeTree(copy);
      // The output's wrapper is the figure's text alternative (role="img"); Plot's own
      // aria-labels on <g> elements are hidden with it (axe rejects aria-label on a bare <g>).
      const alt = figureAlt(copy);
      copy.setAttribute('aria-hidden', 'true');
      // Plot numbers clip-path ids per process; renumber them per figure so the build and the
      // browser agree and two figures on a page never share an id.
      const html = serializeNode(copy, { idPrefix: `${currentCell}-${++figureCount}` });
      return { kind: 'figure', html, alt };
    }
    if (isTensorLike(value)) {
      if (value.shape.length === 0) {
        return { kind: 'text', text: `tensor(${tensorToOutput(value).slices[0]?.rows[0]?.[0]})` };
      }
      return tensorToOutput(value);
    }
    return { kind: 'text', text: inspect(value) };
  }

  function noteNonFinite(value: unknown): void {
    if (!current || isElement(value)) return;
    const c = countNonFinite(value);
    current.nonFinite.nan += c.nan;
    current.nonFinite.inf += c.inf;
  }

  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  function flush(force: boolean): void {
    if (!current) return;
    const t = now();
    if (!force && t - current.lastFlush < FRAME_MS) {
      // Lines not sent yet go out with the next update, or from this timer once the code
      // yields (an async cell awaiting); a synchronous cell's end sends everything anyway.
      flushTimer ??= setTimeout(() => {
        flushTimer = undefined;
        flush(true);
      }, FRAME_MS);
      return;
    }
    current.lastFlush = t;
    if (current.pending.length) {
      host.emit({ type: 'append', outputs: current.pending });
      current.pending = [];
    }
  }

  function add(output: Output): void {
    if (!current) return;
    current.outputs.push(output);
    current.pending.push(output);
    flush(false);
  }

  function write(stream: 'log' | 'warn' | 'error', args: unknown[]): void {
    if (!current) return;
    for (const a of args) noteNonFinite(a);
    if (current.lines >= MAX_STREAM_LINES) {
      if (current.lines++ === MAX_STREAM_LINES) {
        add({
          kind: 'stream',
          stream: 'warn',
          text: `(more output was cut: over ${MAX_STREAM_LINES} lines)`,
        });
      }
      return;
    }
    const text = args.map((a) => (typeof a === 'string' ? a : inspect(a, false))).join(' ');
    current.lines += text.split('\n').length;
    const last = current.outputs[current.outputs.length - 1];
    // Consecutive lines of one stream share one block, as in a terminal.
    if (
      last &&
      last.kind === 'stream' &&
      last.stream === stream &&
      current.pending.includes(last)
    ) {
      last.text += '\n' + text;
      flush(false);
    } else {
      add({ kind: 'stream', stream, text });
    }
  }

  function show(value: unknown, options: ShowOptions = {}): void {
    if (!current) return;
    if (options.live) {
      const slot = typeof options.live === 'string' ? options.live : 'live';
      let state = current.live.get(slot);
      if (!state) {
        const entry = { kind: 'live' as const, slot, output: null };
        add(entry);
        state = { entry, last: -Infinity };
        current.live.set(slot, state);
      }
      const t = now();
      if (t - state.last >= FRAME_MS) {
        state.last = t;
        state.pending = undefined;
        updateLive(slot, state.entry, value);
      } else {
        state.pending = value; // drawn when the next frame is due, or when the cell ends
      }
      return;
    }
    const resolved = typeof value === 'function' ? (value as () => unknown)() : value;
    noteNonFinite(resolved);
    // An explicit show() of rows is a table; as a cell's last value, rows stay text.
    const output = rowsToTable(resolved) ?? toOutput(resolved);
    if (output) add(output);
  }

  function updateLive(slot: string, entry: Output & { kind: 'live' }, value: unknown): void {
    // A function is only called when a frame is due: the costly drawing happens ≤10×/s.
    const resolved = typeof value === 'function' ? (value as () => unknown)() : value;
    noteNonFinite(resolved);
    entry.output = toOutput(resolved);
    flush(true); // the page must have the slot before it can fill it
    host.emit({ type: 'live', slot, output: entry.output });
  }

  /** `live()` gives a handle whose `show` replaces one output in place. */
  let liveCount = 0;
  function live(name?: string) {
    const slot = name ?? `live-${++liveCount}`;
    return { show: (value: unknown) => show(value, { live: slot }) };
  }

  function progress(
    arg: number | { value: number; total?: number; label?: string },
    total?: number,
    label?: string,
  ): void {
    if (!current) return;
    const p =
      typeof arg === 'number'
        ? { value: arg, total: total ?? 1, label: label ?? '' }
        : { value: arg.value, total: arg.total ?? 1, label: arg.label ?? '' };
    const t = now();
    if (!current.progress) {
      const entry: ProgressOutput = { kind: 'progress', ...p };
      add(entry);
      current.progress = { entry, start: t, last: -Infinity };
    }
    const state = current.progress;
    Object.assign(state.entry, p);
    const done = p.value >= p.total;
    if (!done && t - state.last < FRAME_MS) return;
    state.last = t;
    const elapsed = (t - state.start) / 1000;
    const fraction = p.total > 0 ? p.value / p.total : 0;
    const eta = fraction > 0 ? (elapsed * (1 - fraction)) / fraction : undefined;
    flush(true);
    host.emit({ type: 'progress', progress: { ...state.entry, elapsed, eta } });
  }

  const capturedConsole = {
    log: (...a: unknown[]) => write('log', a),
    info: (...a: unknown[]) => write('log', a),
    debug: (...a: unknown[]) => write('log', a),
    warn: (...a: unknown[]) => write('warn', a),
    error: (...a: unknown[]) => write('error', a),
    table: (v: unknown) => write('log', [v]),
    dir: (v: unknown) => write('log', [v]),
  };

  const modules: Record<string, unknown> = {
    '@descent/engine': engine,
    '@observablehq/plot': PlotForCells,
  };
  function require(name: string): unknown {
    if (name in modules) return modules[name];
    throw new Error(`Cells can import only ${Object.keys(modules).join(' and ')}, not '${name}'`);
  }

  // Names a browser worker defines that a cell might reasonably reuse (`const origin = …`).
  // As plain writable globals they behave the same in the browser and in the build.
  for (const name of ['name', 'origin', 'location', 'navigator', 'status']) {
    try {
      Object.defineProperty(g, name, { value: undefined, writable: true, configurable: true });
    } catch {
      // not configurable here; leave it
    }
  }
  for (const [key, value] of Object.entries(engine)) {
    if (key !== 'default') g[key] = value;
  }
  Object.assign(g, {
    Plot: PlotForCells,
    show,
    live,
    progress,
    console: capturedConsole,
    require,
    exports: {},
    [GLOBAL_ALIAS]: g,
  });

  async function run(cellId: string, code: string): Promise<RunResult> {
    const run: Run = {
      outputs: [],
      pending: [],
      lastFlush: now(),
      lines: 0,
      nonFinite: { nan: 0, inf: 0 },
      live: new Map(),
      progress: null,
    };
    current = run;
    currentCell = cellId;
    figureCount = 0;
    liveCount = 0;
    let value: unknown;
    let error: ErrorOutput | null = null;
    const start = now();
    try {
      const compiled = compileCell(code, cellId);
      let result = (0, eval)(compiled.js);
      if (compiled.isAsync) result = await result;
      if (compiled.hasResult) value = result;
      // Pending live frames get their final state.
      for (const [slot, state] of run.live) {
        if (state.pending !== undefined) updateLive(slot, state.entry, state.pending);
      }
      if (value !== undefined) {
        noteNonFinite(value);
        const output = toOutput(value);
        if (output) run.outputs.push(output);
      }
    } catch (thrown) {
      error = errorOutput(thrown, cellId);
      run.outputs.push(error);
    }
    const ms = now() - start;
    if (run.progress) {
      delete run.progress.entry.elapsed;
      delete run.progress.entry.eta;
    }
    const { nan, inf } = run.nonFinite;
    if (nan + inf > 0) {
      const what = [nan ? `NaN (${nan}×)` : '', inf ? `Infinity (${inf}×)` : '']
        .filter(Boolean)
        .join(' and ');
      run.outputs.push({
        kind: 'warning',
        text: `${what} appeared in this cell's output. A NaN or infinite value usually means a step size that is too large, or a log or division that met 0.`,
      });
    }
    current = null;
    run.outputs = mergeStreams(run.outputs);
    let plain: unknown;
    try {
      plain = toPlain(value);
    } catch {
      plain = undefined;
    }
    return {
      ok: !error,
      outputs: run.outputs,
      value: plain,
      text: outputsText(run.outputs),
      error,
      ms,
    };
  }

  return { run };
}

/**
 * Joins neighbouring lines of the same stream into one block. While a cell runs, lines go out
 * in batches whose edges depend on timing; the final outputs must not, so that the build and
 * the browser agree.
 */
function mergeStreams(outputs: Output[]): Output[] {
  const merged: Output[] = [];
  for (const o of outputs) {
    const last = merged[merged.length - 1];
    if (o.kind === 'stream' && last?.kind === 'stream' && last.stream === o.stream) {
      merged[merged.length - 1] = { ...last, text: `${last.text}\n${o.text}` };
    } else {
      merged.push(o);
    }
  }
  return merged;
}

/** A short text alternative: the plot's aria-label or title, else a generic one. */
function figureAlt(root: Element): string {
  const label =
    root.getAttribute('aria-label') ?? root.querySelector('svg')?.getAttribute('aria-label');
  const title = root.querySelector('h2, h3, figcaption')?.textContent;
  const description = root.getAttribute('aria-description');
  return [label || title || 'Plot drawn by this cell', description].filter(Boolean).join('. ');
}

/** Describes a thrown value, with the cell line it came from. */
export function errorOutput(thrown: unknown, cellId: string): ErrorOutput {
  if (thrown instanceof CellSyntaxError) {
    return {
      kind: 'error',
      name: 'SyntaxError',
      message: thrown.message,
      line: thrown.line,
      column: thrown.column,
    };
  }
  if (thrown && typeof thrown === 'object' && 'message' in thrown) {
    const e = thrown as Error;
    const out: ErrorOutput = { kind: 'error', name: e.name || 'Error', message: String(e.message) };
    // The browser's Content-Security-Policy refuses a script from elsewhere with a bare "Failed
    // to fetch dynamically imported module"; say why.
    if (/dynamically imported module|Content Security Policy|Refused to/i.test(out.message)) {
      out.hint =
        "Cells are sealed off from the network: they cannot load code or data from other addresses, only the book's own data files.";
    }
    const pos = cellPositionFromStack(e.stack);
    if (pos) {
      out.line = pos.line;
      if (pos.cellId !== cellId) out.cellId = pos.cellId;
    }
    return out;
  }
  return { kind: 'error', name: 'Uncaught', message: inspect(thrown, false) };
}
