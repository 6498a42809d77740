/**
 * The cells' language service on the real engine declarations: what a reader editing a cell
 * is offered and warned about (src/notebook/types/).
 */
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { cellTypeFiles } from '../../src/notebook/types/bundle.ts';
import { createCellService, type CellService } from '../../src/notebook/types/service.ts';

let service: CellService;
beforeAll(() => {
  service = createCellService(ts, cellTypeFiles());
}, 120_000);

/** Completions at the end of `code` (after earlier cells). */
function complete(code: string, earlier: { id: string; code: string }[] = []) {
  service.update(earlier, code);
  return service.completions(code.length)?.items.map((c) => c.label) ?? [];
}

describe('the cells’ language service', () => {
  it('completes the engine’s globals, namespaces and an earlier cell’s declarations', () => {
    expect(complete('tens')).toContain('tensor');
    expect(complete('optim.')).toContain('Adam');
    expect(complete('const model = new nn.')).toContain('Linear');
    expect(complete('lear', [{ id: 'setup', code: 'const learningRate = 0.1;' }])).toContain(
      'learningRate',
    );
    expect(complete('tensor([1, 2]).')).toEqual(
      expect.arrayContaining(['matmul', 'sum', 'backward']),
    );
  });

  it('shows the TSDoc of an engine export on hover', () => {
    const code = 'const t = tensor([1, 2, 3]);';
    service.update([], code);
    const info = service.quickInfo(code.indexOf('tensor') + 2)!;
    expect(info.signature).toContain('tensor(');
    expect(info.documentation.length).toBeGreaterThan(10);
  });

  it('helps with the signature of a call, with the active parameter', () => {
    const code = 'const opt = new optim.SGD(';
    service.update([], code);
    const help = service.signatureHelp(code.length)!;
    expect(help.parameter).toMatch(/params/);
  });

  it('flags a wrong argument type, but not what is normal in cells', () => {
    service.update(
      [{ id: 'a', code: 'const x = 1;' }],
      "const y = tensor([1, 2]).add('two');\nconst x = 2;\nawait Promise.resolve(1);",
    );
    const found = service.diagnostics();
    expect(found.map((d) => d.code)).toContain(2345); // argument of type 'string' is not assignable
    expect(found.some((d) => /string/.test(d.message))).toBe(true);
    // redeclaring an earlier cell's name and top-level await are fine in the kernel
    expect(found).toHaveLength(1);
  });

  it('finds nothing wrong in correct code', () => {
    service.update(
      [],
      'const w = tensor([[1, 2], [3, 4]]);\nconst loss = w.matmul(w).sum();\nloss.backward();\nshow(w.grad);',
    );
    expect(service.diagnostics()).toEqual([]);
  });
});
