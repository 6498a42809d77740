import { describe, expect, it } from 'vitest';
import { cellKeys, type BuildCell } from '../../src/notebook/build-runner.ts';
import { parseCellMeta } from '../../src/notebook/remark-cells.ts';

describe('parseCellMeta', () => {
  it('reads the options of a cell fence', () => {
    expect(parseCellMeta('cell id="gd-table" hidden readonly long timeout=120')).toEqual({
      id: 'gd-table',
      hidden: true,
      readonly: true,
      long: true,
      timeout: 120,
    });
    expect(parseCellMeta("cell id='x'")).toEqual({
      id: 'x',
      hidden: false,
      readonly: false,
      long: false,
      timeout: 60,
    });
  });

  it('ignores fences that are not cells, and bad timeouts', () => {
    expect(parseCellMeta('title="example.ts"')).toBeNull();
    expect(parseCellMeta('cell timeout=abc')).toMatchObject({ id: null, timeout: 60 });
  });
});

describe('cellKeys', () => {
  const cells = (codes: string[]): BuildCell[] =>
    codes.map((code, i) => ({ id: `c${i}`, code, long: false, timeout: 60 }));

  it('changes a cell’s key and every later key when its code changes', () => {
    const a = cellKeys(cells(['1', '2', '3']), 'fp');
    const b = cellKeys(cells(['1', '20', '3']), 'fp');
    expect(b[0]).toBe(a[0]);
    expect(b[1]).not.toBe(a[1]);
    expect(b[2]).not.toBe(a[2]);
  });

  it('changes every key when the engine or runtime changes', () => {
    const a = cellKeys(cells(['1', '2']), 'fp1');
    const b = cellKeys(cells(['1', '2']), 'fp2');
    expect(a.every((k, i) => k !== b[i])).toBe(true);
  });
});
