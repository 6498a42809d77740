import { describe, expect, it } from 'vitest';
import {
  checkCellRun,
  checkNumber,
  isClose,
  loadProgress,
  parseNumber,
  saveProgress,
  storageKey,
  type StorageLike,
} from '../../src/notebook/exercise/check.ts';

describe('parseNumber', () => {
  it('reads the ways readers type numbers', () => {
    expect(parseNumber('-7.915548')).toBe(-7.915548);
    expect(parseNumber(' \u22127.9 ')).toBe(-7.9); // Unicode minus from copied math
    expect(parseNumber('1e-5')).toBe(1e-5);
    expect(parseNumber('1,000')).toBe(1000);
    expect(parseNumber('1/4')).toBe(0.25);
    expect(parseNumber('.5')).toBe(0.5);
  });
  it('rejects what is not a plain number', () => {
    for (const text of ['', '  ', 'abc', '0x10', '1/0', '1.2.3', 'Infinity', '--1']) {
      expect(parseNumber(text), text).toBeNull();
    }
  });
});

describe('checkNumber', () => {
  it('accepts an answer within the tolerance and rejects one outside', () => {
    expect(checkNumber('-7.915548', -7.915547895, 1e-6).correct).toBe(true);
    expect(checkNumber('-7.915547', -7.915547895, 1e-6).correct).toBe(true);
    expect(checkNumber('-7.9155', -7.915547895, 1e-6).correct).toBe(false);
    expect(checkNumber('0.3', 0.1 + 0.2, 0).correct).toBe(true);
  });
  it('says why an answer is refused', () => {
    expect(checkNumber('', 1, 0).message).toMatch(/Type a number/);
    expect(checkNumber('four', 4, 0).message).toMatch(/not a number/);
    expect(checkNumber('5', 4, 0.1).message).toMatch(/Not quite/);
    // Small tolerances read as the book writes them, without padding zeros.
    expect(checkNumber('-7.915547', -7.9155479, 5e-7).message).toContain('within 5e-7 of');
    expect(checkNumber('1', 0, 1.25e-7).message).toContain('within 1.25e-7 of');
  });
  it('uses an absolute tolerance', () => {
    expect(isClose(1000.5, 1000, 1)).toBe(true);
    expect(isClose(1002, 1000, 1)).toBe(false);
  });
});

describe('checkCellRun', () => {
  it('is correct only when the cell ran and its value is exactly true', () => {
    expect(checkCellRun({ ok: true, value: true }).correct).toBe(true);
    expect(checkCellRun({ ok: true, value: 'true' }).correct).toBe(false);
    expect(checkCellRun({ ok: true, value: false }).message).toMatch(/false/);
    expect(checkCellRun({ ok: false, error: 'ReferenceError: x' }).message).toMatch(
      /ReferenceError/,
    );
    expect(checkCellRun({ ok: false, error: { message: 'boom' } }).message).toMatch(/boom/);
  });
});

describe('progress storage', () => {
  const memory = (): StorageLike & { data: Map<string, string> } => {
    const data = new Map<string, string>();
    return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
  };
  it('round-trips progress', () => {
    const storage = memory();
    expect(saveProgress(storage, 'ex-1', { status: 'correct', answer: '4' })).toBe(true);
    expect(loadProgress(storage, 'ex-1')).toEqual({ status: 'correct', answer: '4' });
    expect(storage.data.has(storageKey('ex-1'))).toBe(true);
  });
  it('degrades gracefully without storage or with garbage', () => {
    expect(loadProgress(null, 'ex-1')).toBeNull();
    expect(saveProgress(null, 'ex-1', { status: 'attempted' })).toBe(false);
    const broken: StorageLike = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(loadProgress(broken, 'ex-1')).toBeNull();
    expect(saveProgress(broken, 'ex-1', { status: 'attempted' })).toBe(false);
    const storage = memory();
    storage.setItem(storageKey('ex-2'), '{not json');
    expect(loadProgress(storage, 'ex-2')).toBeNull();
    storage.setItem(storageKey('ex-3'), '{"status":"bogus"}');
    expect(loadProgress(storage, 'ex-3')).toBeNull();
  });
});
