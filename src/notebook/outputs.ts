/**
 * What a cell run produces, as plain data, and how it becomes HTML.
 *
 * The kernel (worker or build) creates `Output` records; this module turns them into markup.
 * Cell.astro uses it at build time and the page uses it after a run in the browser, so a cell's
 * output looks the same either way. Every string from a cell is escaped here: a cell can never
 * inject HTML. Figures are the one exception: their SVG is sanitized first (see sanitize.ts).
 */

export type Output =
  | { kind: 'stream'; stream: 'log' | 'warn' | 'error'; text: string }
  | { kind: 'text'; text: string }
  | TensorOutput
  | TableOutput
  | { kind: 'figure'; html: string; alt?: string }
  | ProgressOutput
  | { kind: 'warning'; text: string }
  | ErrorOutput
  | { kind: 'live'; slot: string; output: Output | null };

export interface TensorOutput {
  kind: 'tensor';
  shape: number[];
  dtype: string;
  requiresGrad: boolean;
  /** Rank ≤ 2: one slice. Higher ranks: one 2-D slice per leading index, labelled `[0, 1]`. */
  slices: { label: string; rows: string[][] }[];
  /** Whether rows, columns or slices were left out (shown as …). */
  truncated: boolean;
}

/** `show(rows)` of an array of objects (one column per key) or of arrays (one per position). */
export interface TableOutput {
  kind: 'table';
  /** Column headings; empty for rows given as arrays. */
  columns: string[];
  /** Every cell already formatted as text. */
  rows: string[][];
  /** Which columns hold only numbers (right-aligned, like a spreadsheet). */
  numeric: boolean[];
  /** Rows left out at the end (the table shows the first ones). */
  omitted: number;
}

export interface ProgressOutput {
  kind: 'progress';
  value: number;
  total: number;
  label: string;
  /** Seconds; only while running (a finished bar shows no times, so outputs stay reproducible). */
  elapsed?: number;
  eta?: number;
}

export interface ErrorOutput {
  kind: 'error';
  name: string;
  message: string;
  /** 1-based line (and column) in the cell named by `cellId` (this cell when absent). */
  line?: number;
  column?: number;
  cellId?: string;
  /** Extra advice, e.g. for time limits. */
  hint?: string;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Renders outputs to HTML. `figure` HTML must already be sanitized. */
export function renderOutputsHtml(outputs: readonly Output[], cellId?: string): string {
  return outputs.map((o) => renderOutput(o, cellId)).join('');
}

function renderOutput(output: Output, cellId?: string): string {
  switch (output.kind) {
    case 'stream':
      return `<pre class="out out-stream out-${output.stream}">${escapeHtml(output.text)}</pre>`;
    case 'text':
      return `<pre class="out out-text">${escapeHtml(output.text)}</pre>`;
    case 'tensor':
      return renderTensor(output);
    case 'table':
      return renderTable(output);
    case 'figure':
      return `<div class="out out-figure" role="img" aria-label="${escapeHtml(output.alt || 'Plot')}">${output.html}</div>`;
    case 'progress':
      return renderProgress(output);
    case 'warning':
      return `<p class="out out-warning" role="note"><strong>Warning:</strong> ${escapeHtml(output.text)}</p>`;
    case 'error':
      return renderError(output, cellId);
    case 'live':
      return `<div class="out out-live" data-slot="${escapeHtml(output.slot)}">${
        output.output ? renderOutput(output.output, cellId) : ''
      }</div>`;
  }
}

function renderTensor(t: TensorOutput): string {
  const caption = `tensor · shape [${t.shape.join(', ')}] · ${t.dtype}${t.requiresGrad ? ' · requires grad' : ''}${t.truncated ? ' · partly shown' : ''}`;
  const tables = t.slices
    .map((slice) => {
      const label = slice.label ? `<caption>${escapeHtml(slice.label)}</caption>` : '';
      const rows = slice.rows
        .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
        .join('');
      return `<table class="out-tensor-table">${label}<tbody>${rows}</tbody></table>`;
    })
    .join('');
  return `<figure class="out out-tensor">${tables}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

function renderTable(t: TableOutput): string {
  const align = (j: number) => (t.numeric[j] ? ' class="num"' : '');
  const head = t.columns.length
    ? `<thead><tr>${t.columns.map((c, j) => `<th scope="col"${align(j)}>${escapeHtml(c)}</th>`).join('')}</tr></thead>`
    : '';
  const body = t.rows
    .map((row) => `<tr>${row.map((c, j) => `<td${align(j)}>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('');
  const more = t.omitted
    ? `<figcaption>${t.omitted} more row${t.omitted === 1 ? '' : 's'} not shown</figcaption>`
    : '';
  // The wrapper scrolls a wide table on a phone; it is focusable so keyboards can scroll it too.
  return `<figure class="out out-table"><div class="out-table-scroll" tabindex="0" role="region" aria-label="Table output"><table>${head}<tbody>${body}</tbody></table></div>${more}</figure>`;
}

/**
 * A table as aligned plain text, one line per row (the text tests and the `descent:cell-run`
 * event see): every column padded to its widest entry, two spaces apart.
 */
export function tableText(t: TableOutput): string {
  const lines = t.columns.length ? [t.columns, ...t.rows] : t.rows;
  const widths = lines[0]?.map((_, j) => Math.max(...lines.map((line) => line[j]?.length ?? 0)));
  const text = lines
    .map((line) => line.map((cell, j) => cell.padStart(widths?.[j] ?? 0)).join('  '))
    .join('\n');
  return t.omitted ? `${text}\n(${t.omitted} more rows)` : text;
}

/** Formats seconds as "42 s" or "3 min 5 s". */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function renderProgress(p: ProgressOutput): string {
  const total = p.total > 0 ? p.total : 1;
  const fraction = Math.min(1, Math.max(0, p.value / total));
  const percent = Math.round(fraction * 100);
  const count = p.total === 1 ? `${percent}%` : `${p.value} / ${p.total}`;
  let times = '';
  if (p.elapsed !== undefined && fraction < 1) {
    times = ` · ${formatSeconds(p.elapsed)} elapsed`;
    if (p.eta !== undefined && Number.isFinite(p.eta))
      times += `, about ${formatSeconds(p.eta)} left`;
  }
  const label = p.label || 'Progress';
  return `<div class="out out-progress"><label><span>${escapeHtml(label)}</span> <progress max="${total}" value="${Math.min(p.value, total)}">${percent}%</progress> <span class="out-progress-text">${escapeHtml(count + times)}</span></label></div>`;
}

/** A one-line description of where an error happened, e.g. "line 3" or "line 2 of cell ‘setup’". */
export function errorWhere(e: ErrorOutput, cellId?: string): string {
  if (e.line === undefined) return '';
  const col = e.column !== undefined ? `, column ${e.column}` : '';
  const other = e.cellId && e.cellId !== cellId ? ` of cell ‘${e.cellId}’` : '';
  return `line ${e.line}${col}${other}`;
}

function renderError(e: ErrorOutput, cellId?: string): string {
  const where = errorWhere(e, cellId);
  const hint = e.hint ? `<span class="out-error-hint">${escapeHtml(e.hint)}</span>` : '';
  return `<div class="out out-error" role="alert"><pre><strong>${escapeHtml(e.name)}</strong>: ${escapeHtml(e.message)}${
    where ? `\n<span class="out-error-where">at ${escapeHtml(where)}</span>` : ''
  }</pre>${hint}</div>`;
}

/** The plain text of outputs, for the `descent:cell-run` event and for tests. */
export function outputsText(outputs: readonly Output[]): string {
  const parts: string[] = [];
  for (const o of outputs) {
    if (o.kind === 'stream' || o.kind === 'text' || o.kind === 'warning') parts.push(o.text);
    else if (o.kind === 'error') parts.push(`${o.name}: ${o.message}`);
    else if (o.kind === 'live' && o.output) parts.push(outputsText([o.output]));
    else if (o.kind === 'table') parts.push(tableText(o));
    else if (o.kind === 'tensor')
      parts.push(o.slices.map((s) => s.rows.map((r) => r.join(' ')).join('\n')).join('\n'));
  }
  return parts.filter(Boolean).join('\n');
}
