import { describe, expect, it } from 'vitest';
import {
  CellSyntaxError,
  GLOBAL_ALIAS,
  cellPositionFromStack,
  compileCell,
} from '../../src/notebook/transform.ts';

/** Evaluates compiled cells as the kernel does: sloppy global scripts, one after another. */
async function run(code: string, id = 'test'): Promise<unknown> {
  const compiled = compileCell(code, id);
  let value = (0, eval)(compiled.js);
  if (compiled.isAsync) value = await value;
  return compiled.hasResult ? value : undefined;
}

const g = globalThis as unknown as Record<string, unknown>;
g[GLOBAL_ALIAS] = globalThis;

describe('compileCell: one shared scope', () => {
  it('makes top-level let, const and class visible to later cells', async () => {
    await run(
      'const a1: number = 2;\nlet b1 = 3;\nclass C1 { k = 7 }\nfunction f1() { return a1 * b1 }',
    );
    expect(await run('f1() + new C1().k')).toBe(13);
  });

  it('lets a cell run again (redeclaring its names)', async () => {
    await run('const again = 1;');
    await run('const again = 2;');
    expect(await run('again')).toBe(2);
  });

  it('gives functions from earlier cells the values later cells assign', async () => {
    await run('let lr2 = 0.1;\nconst step2 = (x: number) => x - lr2 * x;');
    await run('lr2 = 0.5;');
    expect(await run('step2(10)')).toBe(5);
  });

  it('collects destructured names', () => {
    const c = compileCell('const { p, q: [r], ...rest } = obj; let [s = 1] = arr;', 'x');
    expect(c.declared).toEqual(['p', 'r', 'rest', 's']);
  });

  it('keeps every line where it was', () => {
    const code = 'const x: number = 1;\ninterface P { a: number }\ntype Q = string;\nlet y = x;\ny';
    const js = compileCell(code, 'lines').js;
    expect(js.split('\n').slice(0, 5)[4]).toBe('y');
    expect(js).toMatch(/\/\/# sourceURL=cell-lines\.ts$/);
  });
});

describe('compileCell: the last expression', () => {
  it('is the value of a trailing expression statement', async () => {
    expect(await run('const v = [1, 2];\nv.map((x) => x * 10)')).toEqual([10, 20]);
  });

  it('is nothing after a declaration or a loop', async () => {
    expect(compileCell('let z = 5;', 'a').hasResult).toBe(false);
    expect(compileCell('for (let i = 0; i < 3; i++) {}', 'a').hasResult).toBe(false);
    expect(await run('let z3 = 5;')).toBeUndefined();
  });

  it('works with top-level await, and names still reach later cells', async () => {
    const c = compileCell(
      'const w = await Promise.resolve(4);\nfunction sq(n: number) { return n * n }\nsq(w)',
      'aw',
    );
    expect(c.isAsync).toBe(true);
    expect(
      await run(
        'const w = await Promise.resolve(4);\nfunction sq(n: number) { return n * n }\nsq(w)',
      ),
    ).toBe(16);
    expect(await run('sq(w) + 1')).toBe(17);
  });
});

describe('compileCell: errors', () => {
  it('reports syntax errors at the line and column of the cell', () => {
    let error: unknown;
    try {
      compileCell('const a = 1;\nconst b = (a + ;\n', 'bad');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CellSyntaxError);
    expect((error as CellSyntaxError).line).toBe(2);
    expect((error as CellSyntaxError).column).toBeGreaterThan(10);
  });

  it('maps runtime errors to the cell line through the sourceURL', async () => {
    let stack = '';
    try {
      await run('const n1 = 1;\n\nconst o1: any = null;\no1.boom', 'rt');
    } catch (e) {
      stack = (e as Error).stack ?? '';
    }
    expect(cellPositionFromStack(stack)).toMatchObject({ cellId: 'rt', line: 4 });
  });

  it('names the cell that defined a failing function', async () => {
    await run('function fails() {\n  throw new Error("x");\n}', 'def');
    let stack = '';
    try {
      await run('fails()', 'use');
    } catch (e) {
      stack = (e as Error).stack ?? '';
    }
    expect(cellPositionFromStack(stack)).toMatchObject({ cellId: 'def', line: 2 });
  });

  it('finds nothing in a stack without cells', () => {
    expect(cellPositionFromStack('Error\n    at foo (file.js:1:1)')).toBeNull();
    expect(cellPositionFromStack(undefined)).toBeNull();
  });
});
