/**
 * Chapters 1 and 2 reproduce the syllabus's worked examples in their code cells. These tests
 * extract the cells from the MDX, run them in page order in one shared scope (as the page does)
 * against the real engine, and assert the numbers the prose quotes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ts from 'typescript';
import * as engine from '@descent/engine';
import { ssrPlot } from '../../src/notebook/ssr.ts';
import { runPageCells } from '../../src/notebook/build-runner.ts';

interface CellResult {
  value: unknown;
  logs: string[];
}

/** The ```ts cell id="…"``` blocks of an MDX file, in page order. */
function extractCells(mdx: string): { id: string; code: string }[] {
  const cells: { id: string; code: string }[] = [];
  const fence = /^```ts cell([^\n]*)\n([\s\S]*?)^```$/gm;
  for (const match of mdx.matchAll(fence)) {
    const id = /id="([^"]+)"/.exec(match[1])?.[1];
    if (!id) throw new Error(`cell without an id: ${match[0].slice(0, 60)}`);
    cells.push({ id, code: match[2] });
  }
  return cells;
}

/**
 * Rewrites a cell so its last expression statement is stored as the cell's value (the page
 * shows that value), then strips the TypeScript types.
 */
function instrument(id: string, code: string): string {
  const source = ts.createSourceFile(`${id}.ts`, code, ts.ScriptTarget.ES2022, true);
  const last = source.statements.at(-1);
  let body = code;
  if (last && ts.isExpressionStatement(last)) {
    const expr = code.slice(last.expression.getStart(source), last.expression.end);
    body = `${code.slice(0, last.getStart(source))}__values[${JSON.stringify(id)}] = (${expr});${code.slice(last.end)}`;
  }
  const js = ts.transpileModule(body, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  return `__current.id = ${JSON.stringify(id)};\n${js.replace(/^export \{\};?\s*$/m, '')}`;
}

function preview(value: unknown): string {
  if (value instanceof engine.Tensor) return `Tensor ${JSON.stringify(value.toArray())}`;
  try {
    return JSON.stringify(value)?.slice(0, 400) ?? String(value);
  } catch {
    return String(value).slice(0, 200);
  }
}

/** Runs every cell of a chapter and returns each cell's value and console output. */
async function runChapter(slug: string): Promise<Record<string, CellResult>> {
  const path = fileURLToPath(new URL(`../../content/chapters/${slug}.mdx`, import.meta.url));
  const cells = extractCells(readFileSync(path, 'utf8'));
  const results: Record<string, CellResult> = {};
  for (const cell of cells) results[cell.id] = { value: undefined, logs: [] };
  const values: Record<string, unknown> = {};
  const current = { id: '' };
  const consoleStub = {
    log: (...args: unknown[]) => results[current.id].logs.push(args.map(String).join(' ')),
  };
  const scope: Record<string, unknown> = {
    ...engine,
    Plot: ssrPlot,
    show: (v: unknown) => v,
    progress: () => {},
    console: consoleStub,
    __values: values,
    __current: current,
  };
  const body = cells.map((c) => instrument(c.id, c.code)).join('\n');
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>;
  await new AsyncFunction(...Object.keys(scope), body)(...Object.values(scope));
  for (const [id, value] of Object.entries(values)) results[id].value = value;
  if (process.env.DUMP_CELLS) {
    for (const [id, r] of Object.entries(results)) {
      console.info(`--- ${id}\n${r.logs.join('\n')}\n=> ${preview(r.value)}`);
    }
  }
  return results;
}

describe('chapter 1: derivatives', () => {
  let cells: Record<string, CellResult>;
  beforeAll(async () => {
    cells = await runChapter('derivatives');
  });

  it('f(x) = x²/10 at 20: value 40, slope 4, tangent 4a − 40', () => {
    expect(cells['secant-slopes'].value).toEqual({ f: 40, slope: 4, intercept: -40 });
    // The secant slopes approach 4 as 4 + Δx/10.
    expect(cells['secant-slopes'].logs[0]).toBe('Δx = 1: secant slope 4.100000');
    expect(cells['secant-slopes'].logs[3]).toBe('Δx = 0.001: secant slope 4.000100');
    const auto = cells['autodiff-tangent'].value as { f: number; slope: number };
    expect(auto.f).toBeCloseTo(40, 12);
    expect(auto.slope).toBeCloseTo(4, 12);
  });

  it('forward-difference error: truncation then round-off, best near 1e-8', () => {
    const logs = cells['fd-error'].logs;
    expect(logs[0]).toMatch(/^forward: smallest error \d\.\de-9 at Δx = 1e-8$/);
    expect(logs[1]).toMatch(/^central: smallest error \d\.\de-11 at Δx = 0.00001$/);
    // "by Δx = 10^-15 the forward difference is wrong in the second digit"
    const at15 = (Math.sin(1 + 1e-15) - Math.sin(1)) / 1e-15;
    expect(at15.toFixed(2)).not.toBe(Math.cos(1).toFixed(2));
    const exact = cells['autodiff-sin'].value as { difference: number };
    expect(exact.difference).toBeLessThan(1e-15);
  });

  it('gradients (x/5, 0) and (x/5, y/5), and steepest ascent along the gradient', () => {
    expect(cells['gradients'].value).toEqual({ gradFlat: [4, 0], gradBowl: [4, 2] });
    expect(cells['steepest'].value).toEqual({ bestAngle: 27, gradientAngle: 26.57 });
  });

  it('Taylor polynomials: higher order fits better, in one and two variables', () => {
    const t = cells['taylor-exp'].value as { T4at1: number; e: number };
    expect(t.T4at1).toBeCloseTo(2.708333, 6);
    const two = cells['taylor-2d'].value as { gradient: number[]; hessian: number[][] };
    // f = e^x sin y at (0, 1): gradient (sin 1, cos 1), Hessian [[sin 1, cos 1], [cos 1, −sin 1]].
    expect(two.gradient[0]).toBeCloseTo(Math.sin(1), 12);
    expect(two.gradient[1]).toBeCloseTo(Math.cos(1), 12);
    expect(two.hessian[0][0]).toBeCloseTo(Math.sin(1), 12);
    expect(two.hessian[0][1]).toBeCloseTo(Math.cos(1), 12);
    expect(two.hessian[1][1]).toBeCloseTo(-Math.sin(1), 12);
    const errors = cells['taylor-2d'].logs.map((line) =>
      [...line.matchAll(/(\d\.\d\de[-+]\d+)/g)].map((m) => Number(m[1])),
    );
    // Shrinking the step 10× shrinks the first-order error ~100× and the second-order ~1000×.
    expect(errors[0][0] / errors[1][0]).toBeGreaterThan(80);
    expect(errors[0][1] / errors[1][1]).toBeGreaterThan(800);
  });

  it('ln(1 + x) converges for |x| < 1 and not beyond', () => {
    expect(cells['log-series'].value).toEqual({ at05: 0.405465, ln15: 0.405465 });
    const logs = cells['log-series'].logs;
    expect(logs.find((l) => l.startsWith('x = 2:'))).toMatch(/-1\.81712e\+10/);
  });

  it('the code exercise is false until the reader writes the central difference', () => {
    expect(cells['ex-deriv-central-code'].value).toBe(false);
  });
});

describe('chapter 2: gradient descent', () => {
  let cells: Record<string, CellResult>;
  beforeAll(async () => {
    cells = await runChapter('gradient-descent');
  });

  it('the worked table: x0 = −9, η = 0.4', () => {
    const v = cells['gd-table'].value as Record<string, number>;
    expect(v.x1.toFixed(6)).toBe('-7.915548');
    expect(v.x2.toFixed(6)).toBe('-7.257693');
    expect(v.x34.toFixed(6)).toBe('-1.307089');
    expect(v.slopeAtX34).toBeCloseTo(-0.000756, 6);
    const logs = cells['gd-table'].logs.join('\n');
    for (const [n, x, slope] of [
      [0, '-9.000000', '-2.7111'],
      [1, '-7.915548', '-1.6446'],
      [2, '-7.257693', '-0.8900'],
      [8, '-6.166115', '-0.2401'],
      [9, '-6.070088', '-0.2366'],
      [10, '-5.975433', '-0.2421'],
      [32, '-1.308717', '-0.0027'],
      [33, '-1.307655', '-0.0014'],
      [34, '-1.307089', '-0.0008'],
    ]) {
      expect(logs).toMatch(new RegExp(`^x_${n} +${x} +f'\\(x_${n}\\) = ${slope}$`, 'm'));
    }
  });

  it("the source's numbers are truncations, not roundings", () => {
    expect(cells['gd-source-check'].value).toBe(true);
    const logs = cells['gd-source-check'].logs.join('\n');
    expect(logs).toContain('x_1: printed -7.915547, truncated -7.915547, rounded -7.915548');
    expect(logs).toContain('x_32: printed -1.308716, truncated -1.308716, rounded -1.308717');
    expect(logs).toContain('x_34: printed -1.307088, truncated -1.307088, rounded -1.307089');
  });

  it('autodiff and optim.SGD reproduce the hand loop', () => {
    expect(cells['gd-autodiff'].value).toMatchObject({ sameAsByHand: true });
    expect(cells['valley-sgd'].value).toMatchObject({ rounded: -1.307089 });
  });

  it('four learning-rate regimes and the other side of the valley', () => {
    const logs = cells['lr-regimes'].logs;
    const gap = (i: number) => Number(/= (\S+)$/.exec(logs[i])![1]);
    expect(gap(0)).toBeGreaterThan(1); // too small: still far away
    expect(gap(1)).toBeLessThan(1e-12); // about right
    expect(gap(2)).toBeGreaterThan(0.05); // too large: stalls
    expect(Number.isFinite(gap(3)) ? gap(3) : Infinity).toBeGreaterThan(1e6); // diverges
    const side = cells['other-side'].value as {
      trappedAt: number;
      trappedLoss: number;
      globalLoss: number;
      largeStepRange: number[];
    };
    expect(side.trappedAt).toBeCloseTo(3.837467, 5);
    expect(side.trappedLoss).toBeGreaterThan(side.globalLoss + 1.5);
    expect(side.largeStepRange[0]).toBeLessThan(-3);
    expect(side.largeStepRange[1]).toBeGreaterThan(3);
  });

  it('linear regression: the stopping rule, the least-squares line, the SGD optimizer', () => {
    const r = cells['regression-gd'].value as Record<string, number>;
    expect(Math.abs(r.kGD - r.kExact)).toBeLessThan(1e-4);
    expect(Math.abs(r.bGD - r.bExact)).toBeLessThan(1e-3);
    expect(r.iterations).toBeGreaterThan(1000);
    const s = cells['regression-sgd'].value as Record<string, unknown>;
    expect(s.sameAsByHand).toBe(true);
    expect(s.sgdSteps).toBe(r.iterations);
  });

  it("the source's precedence slip makes the loss m² = 400 times too large", () => {
    const p = cells['loss-precedence'].value as { ratio: number };
    expect(p.ratio).toBeCloseTo(400, 9);
  });

  it('feature scaling: condition number 626 → 1 and far fewer updates', () => {
    const s = cells['feature-scaling'].value as Record<string, number>;
    expect(s.conditionRaw).toBeCloseTo(626, 0);
    expect(s.iterationsScaled).toBeLessThan(50);
    expect(s.iterationsRaw / s.iterationsScaled).toBeGreaterThan(50);
    const r = cells['regression-gd'].value as Record<string, number>;
    expect(s.kBack).toBeCloseTo(r.kExact, 5);
    expect(s.bBack).toBeCloseTo(r.bExact, 4);
  });

  it('batch vs mini-batch vs stochastic for the same budget', () => {
    const b = cells['batch-modes'].value as Record<string, { updates: number; gap: number }>;
    expect([b.batch.updates, b.miniBatch.updates, b.stochastic.updates]).toEqual([20, 80, 400]);
    expect(b.miniBatch.gap).toBeLessThan(b.batch.gap);
    expect(b.miniBatch.gap).toBeLessThan(b.stochastic.gap);
  });

  it('saddle points and plateaus', () => {
    const s = cells['stuck'].value as Record<string, unknown>;
    const onAxis = s.saddleFromAxis as number[];
    const nudged = s.saddleNudged as number[];
    expect(Math.abs(onAxis[0])).toBeLessThan(1e-9);
    expect(onAxis[1]).toBe(0);
    expect(Math.abs(nudged[1])).toBeGreaterThan(1);
    expect(s.plateauPassesStopTest).toBe(true);
  });

  it('the code exercise is false until the reader writes the step', () => {
    expect(cells['ex-gd-minibatch-code'].value).toBe(false);
  });

  // The prose quotes these numbers; if a cell's output moves, the text must move with it.
  it('prints exactly the numbers the prose quotes', () => {
    const regimes = cells['lr-regimes'].logs.join('\n');
    expect(regimes).toContain('η = 0.05: x_60 = -6.33443');
    expect(regimes).toContain('η = 1.9: x_60 = -0.464026, f(x_60) − f(x*) = 3.69e-1');
    const x60 = Number(/η = 12: x_60 = (\S+),/.exec(regimes)![1]);
    expect(Math.abs(x60)).toBeGreaterThan(1e6);
    const r = cells['regression-gd'].value as Record<string, number>;
    expect(r.iterations).toBe(4251);
    expect(r.kExact).toBeCloseTo(0.9, 12);
    expect(r.bExact).toBeCloseTo(0.2, 12);
    const s = cells['feature-scaling'].value as Record<string, number>;
    expect(s.iterationsScaled).toBe(20);
    const b = cells['batch-modes'].value as Record<string, { gap: number }>;
    expect(b.batch.gap.toExponential(2)).toBe('8.87e-1');
    expect(b.miniBatch.gap.toExponential(2)).toBe('6.36e-5');
    expect(b.stochastic.gap.toExponential(2)).toBe('1.20e-1');
    const stuck = cells['stuck'].value as { plateauSlopeAt4: number };
    expect(stuck.plateauSlopeAt4.toExponential(2)).toBe('9.00e-7');
  });

  // (the cell measures J* at its gradient-descent fit, the figure at the exact fit: 1e-10 apart)
  it("the figures use the chapter's data: same minimum, same mini-batch runs", async () => {
    const scaling = (await import('../../components/figures/feature-scaling.ts')).default;
    const raw = scaling.compute!({ standardize: false, rate: 0.9, steps: 100 });
    expect(raw.fit.k).toBeCloseTo(0.9, 12);
    expect(raw.fit.b).toBeCloseTo(0.2, 12);
    const batches = (await import('../../components/figures/batch-modes.ts')).default;
    const run = batches.compute!({ mode: 'all', batchSize: '5', lr: 0.1, epochs: 20, seed: 7 });
    const gaps = run.runs.map((r: { gap: number }) => r.gap);
    const b = cells['batch-modes'].value as Record<string, { gap: number }>;
    expect(gaps[0]).toBeCloseTo(b.batch.gap, 8);
    expect(gaps[1]).toBeCloseTo(b.miniBatch.gap, 8);
    expect(gaps[2]).toBeCloseTo(b.stochastic.gap, 8);
  });
});

// The same cells through the notebook's own build-time runner (a fresh kernel per page, as the
// build uses): every cell must run without an error, and the printed numbers must be there.
describe('through the page runtime', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const cacheDir = mkdtempSync(join(tmpdir(), 'part1-a-cells-'));
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
  for (const [slug, expected] of [
    [
      'derivatives',
      {
        'secant-slopes': ['Δx = 0.001: secant slope 4.000100'],
        'log-series': ['ln(1 + x) = 0.405465'],
      },
    ],
    [
      'gradient-descent',
      {
        'gd-table': ['-7.915548', '-7.257693', '-6.166115', '-6.070088', '-5.975433', '-1.307089'],
        'gd-source-check': ['rounded -1.308717'],
        'regression-gd': ['least squares:'],
      },
    ],
  ] as const) {
    it(`${slug}: every cell runs, the numbers are printed`, async () => {
      const path = fileURLToPath(new URL(`../../content/chapters/${slug}.mdx`, import.meta.url));
      const cells = extractCells(readFileSync(path, 'utf8')).map((c) => ({
        ...c,
        long: false,
        timeout: 60,
      }));
      const results = await runPageCells(`content/chapters/${slug}.mdx`, cells, {
        root,
        cacheDir,
        log: () => {},
      });
      results.forEach((result, i) => {
        expect(result?.error ?? null, `cell ${cells[i].id}`).toBeNull();
        expect(result?.ok, `cell ${cells[i].id}`).toBe(true);
      });
      for (const [id, snippets] of Object.entries(expected)) {
        const text = results[cells.findIndex((c) => c.id === id)]!.text;
        for (const snippet of snippets) expect(text, id).toContain(snippet);
      }
      const byId = (id: string) => results[cells.findIndex((c) => c.id === id)]!.value;
      if (slug === 'gradient-descent') {
        expect(byId('gd-source-check')).toBe(true);
        expect(byId('ex-gd-minibatch-code')).toBe(false);
        expect((byId('loss-precedence') as { ratio: number }).ratio).toBeCloseTo(400, 9);
      } else {
        expect(byId('secant-slopes')).toEqual({ f: 40, slope: 4, intercept: -40 });
        expect(byId('gradients')).toEqual({ gradFlat: [4, 0], gradBowl: [4, 2] });
      }
    }, 120_000);
  }
});
