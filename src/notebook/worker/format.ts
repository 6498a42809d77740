/**
 * Turns JavaScript values into readable text and tensor tables, and spots NaN and Infinity.
 * Runs inside the kernel, so the build and the browser format every value identically.
 */
import type { TableOutput, TensorOutput } from '../outputs.ts';

/** What we need of a tensor; anything with these fields is shown as one. */
export interface TensorLike {
  shape: readonly number[];
  dtype: string;
  data: ArrayLike<number> | ArrayLike<boolean>;
  requiresGrad?: boolean;
}

export function isTensorLike(value: unknown): value is TensorLike {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    Array.isArray(v.shape) &&
    typeof v.dtype === 'string' &&
    typeof v.data === 'object' &&
    v.data !== null &&
    typeof (v.data as ArrayLike<number>).length === 'number'
  );
}

const MAX_ROWS = 12;
const MAX_COLS = 10;
const MAX_SLICES = 4;

/** Indices to show of `n`: all if few, else the first and last few with a gap (-1). */
function pick(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const head = Math.ceil(max / 2);
  const tail = Math.floor(max / 2);
  return [
    ...Array.from({ length: head }, (_, i) => i),
    -1,
    ...Array.from({ length: tail }, (_, i) => n - tail + i),
  ];
}

/** Formats all numbers of a tensor alike, like PyTorch: 4 decimals, or exponents if needed. */
function numberFormatter(values: ArrayLike<number>, dtype: string): (x: number) => string {
  if (dtype === 'bool') return (x) => String(Boolean(x));
  if (dtype.startsWith('int') || dtype.startsWith('uint')) return (x) => String(x);
  let maxAbs = 0;
  let minAbs = Infinity;
  let allIntegers = true;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x)) continue;
    const a = Math.abs(x);
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < minAbs) minAbs = a;
    if (!Number.isInteger(x)) allIntegers = false;
  }
  const exponent = maxAbs >= 1e6 || (minAbs < 1e-4 && minAbs !== Infinity);
  return (x) => {
    if (Number.isNaN(x)) return 'NaN';
    if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
    if (exponent) return x.toExponential(4);
    if (allIntegers) return `${x}.`;
    return x.toFixed(4);
  };
}

export function tensorToOutput(t: TensorLike): TensorOutput {
  const shape = [...t.shape];
  const data = t.data as ArrayLike<number>;
  const format = numberFormatter(data, t.dtype);
  const rank = shape.length;
  const rowsN = rank >= 2 ? shape[rank - 2]! : 1;
  const colsN = rank >= 1 ? shape[rank - 1]! : 1;
  const sliceSize = rowsN * colsN;
  const leading = shape.slice(0, Math.max(0, rank - 2));
  const sliceCount = leading.reduce((a, b) => a * b, 1);
  const rowPick = pick(rowsN, MAX_ROWS);
  const colPick = pick(colsN, MAX_COLS);
  const slicePick = pick(sliceCount, MAX_SLICES);
  let truncated = rowPick.includes(-1) || colPick.includes(-1) || slicePick.includes(-1);
  const slices: TensorOutput['slices'] = [];
  for (const s of slicePick) {
    if (s === -1) {
      slices.push({ label: '…', rows: [] });
      continue;
    }
    const rows = rowPick.map((r) =>
      r === -1
        ? colPick.map(() => '⋮')
        : colPick.map((c) => (c === -1 ? '…' : format(data[s * sliceSize + r * colsN + c]!))),
    );
    slices.push({ label: rank > 2 ? sliceLabel(s, leading) : '', rows });
  }
  if (sliceSize === 0 || sliceCount === 0) {
    slices.length = 0;
    truncated = false;
  }
  return {
    kind: 'tensor',
    shape,
    dtype: t.dtype,
    requiresGrad: Boolean(t.requiresGrad),
    slices,
    truncated,
  };
}

function sliceLabel(index: number, leading: number[]): string {
  const idx: number[] = [];
  for (let d = leading.length - 1; d >= 0; d--) {
    idx.unshift(index % leading[d]!);
    index = Math.floor(index / leading[d]!);
  }
  return `[${idx.join(', ')}, :, :]`;
}

/** Counts NaN and ±Infinity in a value (numbers, tensors, arrays, plain objects). */
export function countNonFinite(value: unknown, depth = 0): { nan: number; inf: number } {
  const counts = { nan: 0, inf: 0 };
  const visit = (v: unknown, d: number): void => {
    if (typeof v === 'number') {
      if (Number.isNaN(v)) counts.nan++;
      else if (!Number.isFinite(v)) counts.inf++;
    } else if (typeof v === 'string') {
      counts.nan += (v.match(/\bNaN\b/g) ?? []).length;
      counts.inf += (v.match(/\bInfinity\b/g) ?? []).length;
    } else if (isTensorLike(v)) {
      if (v.dtype.startsWith('float')) {
        const data = v.data as ArrayLike<number>;
        for (let i = 0; i < data.length; i++) visit(data[i], d + 1);
      }
    } else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const data = v as unknown as ArrayLike<number>;
      for (let i = 0; i < data.length && i < 1e6; i++) visit(data[i], d + 1);
    } else if (Array.isArray(v) && d < 4) {
      for (const item of v.slice(0, 10000)) visit(item, d + 1);
    } else if (
      v &&
      typeof v === 'object' &&
      d < 2 &&
      Object.getPrototypeOf(v) === Object.prototype
    ) {
      for (const item of Object.values(v)) visit(item, d + 1);
    }
  };
  visit(value, depth);
  return counts;
}

const INDENT = '  ';

/**
 * A readable, single- or multi-line description of a value, in the spirit of Node's
 * `util.inspect`. Strings at the top level are shown as they are (no quotes).
 */
export function inspect(value: unknown, topLevel = true): string {
  if (typeof value === 'string') return topLevel ? value : quote(value);
  return inspectInner(value, 0, new Set());
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function formatNumber(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

function inspectInner(v: unknown, depth: number, seen: Set<unknown>): string {
  switch (typeof v) {
    case 'string':
      return quote(v.length > 2000 ? v.slice(0, 2000) + '…' : v);
    case 'number':
      return formatNumber(v);
    case 'bigint':
      return `${v}n`;
    case 'boolean':
    case 'undefined':
      return String(v);
    case 'symbol':
      return v.toString();
    case 'function':
      return v.name ? `[Function ${v.name}]` : '[Function]';
  }
  if (v === null) return 'null';
  const obj = v as object;
  if (seen.has(obj)) return '[Circular]';
  if (isTensorLike(obj)) {
    return `tensor(shape [${obj.shape.join(', ')}], ${obj.dtype}${obj.requiresGrad ? ', requiresGrad' : ''})`;
  }
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
  if (obj instanceof RegExp) return String(obj);
  if (obj instanceof Error) return `${obj.name}: ${obj.message}`;
  if (depth > 3) return Array.isArray(obj) ? '[Array]' : '[Object]';
  seen.add(obj);
  try {
    if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
      const arr = obj as unknown as ArrayLike<number | bigint>;
      const items = Array.from({ length: Math.min(arr.length, 100) }, (_, i) =>
        typeof arr[i] === 'bigint' ? `${arr[i]}n` : formatNumber(arr[i] as number),
      );
      if (arr.length > 100) items.push(`… ${arr.length - 100} more`);
      return `${obj.constructor.name}(${arr.length}) ${wrap('[', items, ']', depth)}`;
    }
    if (Array.isArray(obj)) {
      const items = obj.slice(0, 100).map((x) => inspectInner(x, depth + 1, seen));
      if (obj.length > 100) items.push(`… ${obj.length - 100} more`);
      return wrap('[', items, ']', depth);
    }
    if (obj instanceof Map) {
      const items = [...obj].slice(0, 100).map(([k, x]) => {
        return `${inspectInner(k, depth + 1, seen)} => ${inspectInner(x, depth + 1, seen)}`;
      });
      return `Map(${obj.size}) ${wrap('{', items, '}', depth)}`;
    }
    if (obj instanceof Set) {
      const items = [...obj].slice(0, 100).map((x) => inspectInner(x, depth + 1, seen));
      return `Set(${obj.size}) ${wrap('{', items, '}', depth)}`;
    }
    const proto = Object.getPrototypeOf(obj);
    const name = proto && proto !== Object.prototype ? proto.constructor?.name : '';
    const keys = Object.keys(obj);
    const items = keys.slice(0, 100).map((k) => {
      const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
      return `${key}: ${inspectInner((obj as Record<string, unknown>)[k], depth + 1, seen)}`;
    });
    if (keys.length > 100) items.push(`… ${keys.length - 100} more`);
    const body = items.length ? wrap('{', items, '}', depth) : '{}';
    return name ? `${name} ${body}` : body;
  } finally {
    seen.delete(obj);
  }
}

function wrap(open: string, items: string[], close: string, depth: number): string {
  if (items.length === 0) return open + close;
  const oneLine = `${open} ${items.join(', ')} ${close}`;
  const inline = open === '[' ? `[${items.join(', ')}]` : oneLine;
  if (inline.length <= 72 && !inline.includes('\n')) return inline;
  const pad = INDENT.repeat(depth + 1);
  return `${open}\n${items.map((i) => pad + i).join(',\n')}\n${INDENT.repeat(depth)}${close}`;
}

/** A JSON-safe copy of a value for the `descent:cell-run` event (tensors become arrays). */
export function toPlain(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return String(value);
  if (typeof value !== 'object' || depth > 6) return undefined;
  if (isTensorLike(value)) {
    const t = value as TensorLike & { toArray?: () => unknown };
    if (typeof t.toArray === 'function') return t.toArray();
    return Array.from(t.data as ArrayLike<number>);
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>).slice(0, 100000);
  }
  if (Array.isArray(value)) return value.slice(0, 100000).map((x) => toPlain(x, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(value)) {
    const plain = toPlain(x, depth + 1);
    if (plain !== undefined) out[k] = plain;
  }
  return out;
}

const MAX_TABLE_ROWS = 200;
const MAX_TABLE_COLUMNS = 30;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  !isTensorLike(v) &&
  [Object.prototype, null].includes(Object.getPrototypeOf(v));

/**
 * `show(rows)` as a table when `rows` is a non-empty array whose every entry is a plain object
 * (columns: the union of keys, in order of first appearance) or an array (columns by position);
 * otherwise null, and the value is shown as text.
 */
export function rowsToTable(value: unknown): TableOutput | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const byKey = value.every(isPlainObject);
  if (!byKey && !value.every((row) => Array.isArray(row))) return null;
  const shown = value.slice(0, MAX_TABLE_ROWS) as unknown[];
  let columns: string[];
  let cells: unknown[][];
  if (byKey) {
    const keys = new Set<string>();
    for (const row of shown) for (const key of Object.keys(row as object)) keys.add(key);
    columns = [...keys];
    cells = shown.map((row) => columns.map((key) => (row as Record<string, unknown>)[key]));
  } else {
    const width = Math.max(...shown.map((row) => (row as unknown[]).length));
    columns = [];
    cells = shown.map((row) => Array.from({ length: width }, (_, j) => (row as unknown[])[j]));
  }
  if (Math.max(columns.length, cells[0]?.length ?? 0) > MAX_TABLE_COLUMNS) return null;
  const width = cells[0]?.length ?? 0;
  const numeric = Array.from({ length: width }, (_, j) =>
    cells.every((row) => typeof row[j] === 'number' || row[j] === undefined),
  );
  const text = (x: unknown) => (x === undefined ? '' : inspect(x));
  return {
    kind: 'table',
    columns,
    rows: cells.map((row) => row.map(text)),
    numeric,
    omitted: value.length - shown.length,
  };
}
