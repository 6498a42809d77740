import { describe, expect, it } from 'vitest';
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { createKernel, seededRandom, type KernelEvent } from '../../src/notebook/worker/kernel.ts';
import { renderOutputsHtml, outputsText, type Output } from '../../src/notebook/outputs.ts';
import { sanitizeTree } from '../../src/notebook/sanitize.ts';
import { inspect, tensorToOutput, countNonFinite } from '../../src/notebook/worker/format.ts';

// A stand-in for the engine: the kernel only needs its exports to put them in scope.
class FakeTensor {
  shape: number[];
  dtype = 'float32';
  data: Float32Array;
  requiresGrad = false;
  constructor(values: number[], shape: number[]) {
    this.data = Float32Array.from(values);
    this.shape = shape;
  }
}
const seeds: number[] = [];
const engine = {
  tensor: (values: number[], shape = [values.length]) => new FakeTensor(values, shape),
  manualSeed: (s: number) => void seeds.push(s),
  boom: () => {
    const e = new Error('matmul: cannot multiply [2,2] by [3]');
    e.name = 'ShapeError';
    throw e;
  },
};
const events: KernelEvent[] = [];
const { document } = parseHTML('<!doctype html><html><body></body></html>');
const kernel = createKernel({
  engine,
  Plot,
  document: document as unknown as Document,
  emit: (e) => void events.push(e),
});

const kinds = (outputs: Output[]) => outputs.map((o) => o.kind);

describe('kernel', () => {
  it('seeds the engine and Math.random', () => {
    expect(seeds).toEqual([0]);
    const a = seededRandom(0);
    const b = seededRandom(0);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(seededRandom(1)()).not.toBe(seededRandom(0)());
  });

  it('shows rows as a table: objects by key, arrays by position, numbers right-aligned', async () => {
    const result = await kernel.run(
      'table',
      "show([{ step: 0, x: 1.5, note: 'start' }, { step: 1, x: -0.25 }]);\nshow([[1, 'a'], [22, 'bb']]);\n[{ a: 1 }]",
    );
    expect(result.ok).toBe(true);
    const [byKey, byPosition, last] = result.outputs;
    expect(byKey).toEqual({
      kind: 'table',
      columns: ['step', 'x', 'note'],
      rows: [
        ['0', '1.5', 'start'],
        ['1', '-0.25', ''],
      ],
      numeric: [true, true, false],
      omitted: 0,
    });
    expect(byPosition).toMatchObject({
      kind: 'table',
      columns: [],
      rows: [
        ['1', 'a'],
        ['22', 'bb'],
      ],
    });
    // a last value of rows stays text, as before tables existed
    expect(last).toEqual({ kind: 'text', text: '[{ a: 1 }]' });
    const html = renderOutputsHtml(result.outputs);
    expect(html).toContain('<th scope="col" class="num">step</th>');
    expect(html).toContain('<td>start</td>');
    expect(outputsText([byKey!])).toBe(
      'step      x   note\n   0    1.5  start\n   1  -0.25       ',
    );
  });

  it('caps a long table and says how many rows it left out', async () => {
    const result = await kernel.run(
      'long-table',
      'show(Array.from({ length: 250 }, (_, i) => ({ i })))',
    );
    const table = result.outputs[0] as Extract<Output, { kind: 'table' }>;
    expect(table.rows).toHaveLength(200);
    expect(table.omitted).toBe(50);
    expect(renderOutputsHtml([table])).toContain('50 more rows not shown');
  });

  it('escapes table cells', async () => {
    const result = await kernel.run('table-html', "show([{ '<b>': '<i>x</i>' }])");
    const html = renderOutputsHtml(result.outputs);
    expect(html).not.toContain('<i>');
    expect(html).toContain('&lt;i&gt;x&lt;/i&gt;');
  });

  it('shows the last value and captures console.log', async () => {
    const result = await kernel.run(
      'a',
      "const xs = [1, 2, 3];\nconsole.log('sum', xs.reduce((p, q) => p + q));\nxs.length",
    );
    expect(result.ok).toBe(true);
    expect(result.value).toBe(3);
    expect(result.outputs).toEqual([
      { kind: 'stream', stream: 'log', text: 'sum 6' },
      { kind: 'text', text: '3' },
    ]);
    expect(result.text).toBe('sum 6\n3');
  });

  it('shares one scope between cells', async () => {
    await kernel.run('b1', 'let k = 2;\nfunction twice(v: number) { return k * v }');
    await kernel.run('b2', 'k = 5;');
    expect((await kernel.run('b3', 'twice(3)')).value).toBe(15);
  });

  it('gives the same random numbers after a fresh seed', async () => {
    const first = (await kernel.run('r', 'Math.random()')).value as number;
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(1);
  });

  it('shows tensors as tables with shape and dtype', async () => {
    const result = await kernel.run('t', 'show(tensor([1, 2.5, 3, 4], [2, 2]));');
    expect(result.outputs[0]).toMatchObject({
      kind: 'tensor',
      shape: [2, 2],
      dtype: 'float32',
      slices: [
        {
          label: '',
          rows: [
            ['1.0000', '2.5000'],
            ['3.0000', '4.0000'],
          ],
        },
      ],
    });
    expect(result.value).toBeUndefined();
  });

  it('renders a Plot figure to sanitized SVG', async () => {
    const result = await kernel.run('p', 'Plot.plot({ marks: [Plot.lineY([1, 3, 2])] })');
    const figure = result.outputs[0]!;
    expect(figure.kind).toBe('figure');
    if (figure.kind !== 'figure') return;
    expect(figure.html.startsWith('<svg')).toBe(true);
    expect(figure.html).toContain('aria-hidden="true"');
    expect(figure.html).not.toMatch(/<script|onload=/i);
    // mark.plot() works too, with the same document
    expect((await kernel.run('p2', 'Plot.dot([[1, 2]]).plot()')).outputs[0]?.kind).toBe('figure');
  });

  it('reports syntax errors with line and column', async () => {
    const result = await kernel.run('s', 'const a = 1;\nconst b = (a + ;');
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ name: 'SyntaxError', line: 2 });
  });

  it('reports runtime errors with the cell line and keeps engine messages', async () => {
    const r1 = await kernel.run('e1', 'const o: any = null;\n\no.x');
    expect(r1.error).toMatchObject({ name: 'TypeError', line: 3 });
    const r2 = await kernel.run('e2', '\nboom()');
    expect(r2.error).toMatchObject({
      name: 'ShapeError',
      message: 'matmul: cannot multiply [2,2] by [3]',
      line: 2,
    });
    const r3 = await kernel.run('e3', 'throw 42');
    expect(r3.error).toMatchObject({ name: 'Uncaught', message: '42' });
  });

  it('warns about NaN and Infinity in values and logs', async () => {
    const r = await kernel.run('n', "console.log('loss', 0 / 0);\n1 / 0");
    expect(kinds(r.outputs)).toEqual(['stream', 'text', 'warning']);
    expect(outputsText(r.outputs)).toContain('NaN (1×) and Infinity (1×)');
    const fine = await kernel.run('n2', '1 + 1');
    expect(kinds(fine.outputs)).toEqual(['text']);
  });

  it('replaces live outputs in place and ends with the last frame', async () => {
    events.length = 0;
    const r = await kernel.run(
      'l',
      'for (let i = 1; i <= 1000; i++) show(() => i, { live: true });',
    );
    expect(r.outputs).toEqual([
      { kind: 'live', slot: 'live', output: { kind: 'text', text: '1000' } },
    ]);
    const frames = events.filter((e) => e.type === 'live');
    expect(frames.length).toBeGreaterThanOrEqual(1);
    expect(frames.length).toBeLessThan(20); // throttled, not one per iteration
  });

  it('reports progress, and a finished bar carries no times', async () => {
    events.length = 0;
    const r = await kernel.run(
      'pr',
      "for (let i = 0; i <= 50; i++) progress({ value: i, total: 50, label: 'Epochs' });",
    );
    expect(r.outputs).toEqual([{ kind: 'progress', value: 50, total: 50, label: 'Epochs' }]);
    expect(events.some((e) => e.type === 'progress')).toBe(true);
  });

  it('supports top-level await', async () => {
    const r = await kernel.run('aw', 'const v = await Promise.resolve(20);\nv + 1');
    expect(r.value).toBe(21);
    expect((await kernel.run('aw2', 'v')).value).toBe(20);
  });

  it('refuses imports other than the engine and Plot', async () => {
    const ok = await kernel.run(
      'i1',
      "import { tensor as t2 } from '@descent/engine';\nt2([1]).shape",
    );
    expect(ok.value).toEqual([1]);
    const bad = await kernel.run('i2', "import fs from 'node:fs';\nfs");
    expect(bad.error?.message).toContain("not 'node:fs'");
  });
});

describe('outputs', () => {
  it('escape every string', () => {
    const html = renderOutputsHtml([
      { kind: 'text', text: '<b>x</b>' },
      { kind: 'stream', stream: 'log', text: '<img src=x onerror=alert(1)>' },
      { kind: 'error', name: '<i>E</i>', message: '"quoted" & <tag>', line: 2 },
      {
        kind: 'tensor',
        shape: [1],
        dtype: '<d>',
        requiresGrad: false,
        slices: [{ label: '', rows: [['<1>']] }],
        truncated: false,
      },
    ]);
    expect(html).not.toMatch(/<(b|img|i|tag|d|1)>/);
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).toContain('at line 2');
  });
});

describe('format', () => {
  it('inspects values readably', () => {
    expect(inspect('plain')).toBe('plain');
    expect(inspect({ a: 1, b: 'x', c: [1, 2] })).toBe("{ a: 1, b: 'x', c: [1, 2] }");
    expect(inspect(new Map([[1, 'one']]))).toBe("Map(1) { 1 => 'one' }");
    expect(inspect(Float32Array.from([1, 2]))).toBe('Float32Array(2) [1, 2]');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(inspect(cyclic)).toBe('{ self: [Circular] }');
    expect(inspect(-0)).toBe('-0');
  });

  it('truncates big tensors', () => {
    const t = { shape: [100, 100], dtype: 'float32', data: new Float32Array(10000) };
    const out = tensorToOutput(t);
    expect(out.truncated).toBe(true);
    expect(out.slices[0]!.rows.length).toBe(13); // 12 rows and the ⋮ row
  });

  it('labels slices of higher-rank tensors', () => {
    const t = { shape: [2, 1, 2], dtype: 'int32', data: Int32Array.from([1, 2, 3, 4]) };
    expect(tensorToOutput(t).slices.map((s) => s.label)).toEqual(['[0, :, :]', '[1, :, :]']);
  });

  it('counts non-finite numbers', () => {
    expect(countNonFinite([1, NaN, [Infinity], 'loss NaN'])).toEqual({ nan: 2, inf: 1 });
  });
});

describe('sanitizeTree', () => {
  it('removes scripts, event handlers, foreign objects and remote URLs', () => {
    const { document: doc } = parseHTML(
      '<div id="root"><svg onload="x()"><script>x()</script><foreignObject><p>hi</p></foreignObject>' +
        '<a href="javascript:x()"><text>t</text></a><image href="https://evil.example/x.png"/>' +
        '<use href="#ok"/><style>@import url(https://evil.example/a.css); .a { fill: red }</style></svg></div>',
    );
    const root = doc.getElementById('root') as unknown as Element;
    sanitizeTree(root);
    const html = root.outerHTML;
    expect(html).not.toMatch(/script|foreignObject|onload|javascript:|evil\.example/i);
    expect(html).toContain('href="#ok"');
    expect(html).toContain('fill: red');
  });
});

describe('kernel output is independent of timing', () => {
  it('joins log lines into one block however they were batched', async () => {
    const r = await kernel.run(
      'm',
      "console.log('a');\nconst until = performance.now() + 150;\nwhile (performance.now() < until) {}\nconsole.log('b');\nconsole.warn('c');",
    );
    expect(r.outputs).toEqual([
      { kind: 'stream', stream: 'log', text: 'a\nb' },
      { kind: 'stream', stream: 'warn', text: 'c' },
    ]);
  });
});
