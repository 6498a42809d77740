/**
 * Pure helpers behind `components/Exercise.astro`: reading a reader's number, comparing it with
 * the expected answer, and remembering progress. No DOM here, so vitest can run them in Node.
 */

/**
 * Parses what a reader typed as a number. Accepts what people naturally type for the book's
 * answers: `-7.915548`, `−7.9` (Unicode minus, as KaTeX and copy-paste produce), `1e-5`,
 * `1,000` (thousands separators), a fraction `1/3`, and surrounding spaces.
 * Returns `null` when the text is not a number, so the caller can say so instead of comparing NaN.
 */
export function parseNumber(text: string): number | null {
  const cleaned = text
    .trim()
    .replace(/[\u2212\u2012\u2013\u2014]/g, '-') // minus sign and dashes
    .replace(/\s+/g, '')
    .replace(/,(?=\d{3}(\D|$))/g, ''); // thousands separators only, never a decimal comma
  if (cleaned === '') return null;
  const fraction = /^([-+]?[\d.]+(?:e[-+]?\d+)?)\/([-+]?[\d.]+(?:e[-+]?\d+)?)$/i.exec(cleaned);
  if (fraction) {
    const value = Number(fraction[1]) / Number(fraction[2]);
    return Number.isFinite(value) ? value : null;
  }
  // Number('') and Number('0x10') are too lenient for answers; insist on a decimal literal.
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}

/**
 * Whether `given` is within `tolerance` of `expected`. The tolerance is absolute, because the
 * book states answers to a printed precision ("to 6 decimals" means tolerance 5e-7 or 1e-6).
 */
export function isClose(given: number, expected: number, tolerance: number): boolean {
  // NOTE: a tiny relative slack absorbs binary rounding of the decimal the reader typed, so
  // an answer exactly at the edge of the tolerance (e.g. 0.1 + 0.2 vs 0.3 with tol 0) passes.
  const slack = 4 * Number.EPSILON * Math.max(1, Math.abs(expected));
  return Math.abs(given - expected) <= tolerance + slack;
}

/** What the page remembers about one exercise. */
export interface ExerciseProgress {
  /** 'correct' once the reader has answered right; 'attempted' after a wrong answer. */
  status: 'correct' | 'attempted';
  /** The last answer typed (number form only). */
  answer?: string;
  /** Whether the reader opened the solution. */
  revealedSolution?: boolean;
}

/** The minimal part of the Web Storage API the exercises use (so tests can pass a fake). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The localStorage key of an exercise. Exercise ids are unique across the whole book. */
export function storageKey(id: string): string {
  return `descent:exercise:${id}`;
}

/**
 * Reads saved progress. Storage may be missing (privacy modes, sandboxed iframes) or hold
 * garbage from an older version of the page; both give `null` rather than an exception.
 */
export function loadProgress(storage: StorageLike | null, id: string): ExerciseProgress | null {
  if (!storage) return null;
  try {
    const raw = storage.getItem(storageKey(id));
    if (!raw) return null;
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const status = (parsed as { status?: unknown }).status;
    if (status !== 'correct' && status !== 'attempted') return null;
    return parsed as ExerciseProgress;
  } catch {
    return null;
  }
}

/** Saves progress; returns false when storage is unavailable or full (the page carries on). */
export function saveProgress(
  storage: StorageLike | null,
  id: string,
  progress: ExerciseProgress,
): boolean {
  if (!storage) return false;
  try {
    storage.setItem(storageKey(id), JSON.stringify(progress));
    return true;
  } catch {
    return false;
  }
}

/** Formats a number for a status message without drowning the reader in digits. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  // toExponential pads with zeros (5e-7 → "5.000e-7"); drop them.
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e6)) return value.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(10)));
}

/** The outcome of checking a typed number, as the status line phrases it. */
export interface NumberVerdict {
  correct: boolean;
  message: string;
}

/** Checks a typed answer against the expected number and phrases the result for the reader. */
export function checkNumber(text: string, expected: number, tolerance: number): NumberVerdict {
  const given = parseNumber(text);
  if (given === null) {
    return {
      correct: false,
      message: text.trim() === '' ? 'Type a number first.' : `“${text.trim()}” is not a number.`,
    };
  }
  if (isClose(given, expected, tolerance)) {
    return { correct: true, message: `Correct: ${formatNumber(given)}.` };
  }
  return {
    correct: false,
    message: `Not quite: ${formatNumber(given)} is not within ${formatNumber(tolerance)} of the answer. Try again, or show a hint.`,
  };
}

/** The outcome of a code exercise, from the `descent:cell-run` event of its cell. */
export function checkCellRun(detail: {
  ok: boolean;
  value?: unknown;
  error?: unknown;
}): NumberVerdict {
  if (!detail.ok) {
    const error = describeError(detail.error);
    return {
      correct: false,
      message: `The cell stopped with an error (${error}). Fix it and run it again.`,
    };
  }
  if (detail.value === true) return { correct: true, message: 'Correct: the check passed.' };
  return {
    correct: false,
    message: `Not yet: the check gave ${JSON.stringify(detail.value) ?? 'nothing'}, not true. Edit the cell and run it again.`,
  };
}

function describeError(error: unknown): string {
  if (typeof error === 'string' && error) return error;
  if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string' && message) return message;
  }
  return 'no message';
}
