/**
 * Chapter 10's cells, run the way the build runs them (a fresh kernel, cells in page order):
 * none fails, every worked number the prose quotes is in the output, and every optimizer written
 * from primitives agrees with the engine's `optim` class to rounding. The code exercise starts
 * unsolved and its published solution solves it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/notebook/worker/kernel.ts';
import { cellsOf, expectShows, readPage, runCells } from './support/cells.ts';

const PAGE = 'content/chapters/adaptive-learning-rates.mdx';

describe('chapter 10 cells', () => {
  const source = readPage(PAGE);
  const cells = cellsOf(source);
  let results: Map<string, RunResult>;
  let solved: Map<string, RunResult>;
  beforeAll(async () => {
    results = await runCells(PAGE, cells);
    // The exercise's published fix, swapped into the same page.
    solved = await runCells(
      PAGE,
      cells.map((cell) =>
        cell.id === 'ex-alr-rmsprop-cell'
          ? { ...cell, code: cell.code.replace('.add(g.mul(g));', '.add(g.mul(g).mul(1 - rho));') }
          : cell,
      ),
    );
  }, 120_000);

  const value = (id: string) => results.get(id)!.value as Record<string, unknown>;
  const shows = (id: string, ...snippets: string[]) => expectShows(results, id, ...snippets);

  it('all run without error', () => {
    expect(cells.length).toBeGreaterThanOrEqual(12);
    for (const [id, result] of results) expect(result.error, `cell ${id}`).toBeNull();
  });

  it('momentum: Polyak constants, 20 steps against 39, identical to optim.SGD', () => {
    shows(
      'alr-momentum',
      "eta: '0.381966'",
      "mu: '0.145898'",
      'gradientDescentSteps: 39',
      'momentumSteps: 20',
    );
    expect(value('alr-momentum').maxAbsDiffVsEngine).toBe(0);
  });

  it("Nesterov: the source's look-ahead point is torch's iterate", () => {
    shows('alr-nesterov', 'nesterovSteps: 34', 'momentumSteps: 43');
    expect(value('alr-nesterov').maxAbsDiffVsEngine as number).toBeLessThan(1e-14);
  });

  it("AdaGrad: torch's ε matches exactly, the source's ε drifts by 2.5e-6", () => {
    shows('alr-adagrad', "sourceForm: '2.50e-6'", 'steps: 190');
    expect(value('alr-adagrad').torchForm).toBe(0);
  });

  it("Lee's best step and the RMS of gradients as a curvature estimate", () => {
    shows(
      'alr-best-step',
      'slope: 0.8',
      'slope: 5',
      'slopeOverCurvature: 4',
      'slopeOverCurvature: 1',
    );
    const v = value('alr-rms-curvature') as { ratioStart1: string[]; ratioStart3: string[] };
    expect(new Set(v.ratioStart1)).toEqual(new Set(['2.807301']));
    expect(new Set(v.ratioStart3)).toEqual(new Set(['11.506888']));
    expect(results.get('alr-rms-curvature')!.outputs.some((o) => o.kind === 'figure')).toBe(true);
  });

  it('RMSProp: rates against AdaGrad, and optim.RMSprop to rounding', () => {
    shows(
      'alr-rmsprop',
      "'0.010000', '0.003162', '0.000707'",
      "'0.031623', '0.012391', '0.010000'",
    );
    expect(value('alr-rmsprop').maxAbsDiffVsEngine as number).toBeLessThan(1e-10);
  });

  it('AdaDelta: optim.Adadelta to rounding, a first step of √ε scale; loss units', () => {
    expect(value('alr-adadelta').maxAbsDiffVsEngine as number).toBeLessThan(1e-13);
    expect((value('alr-adadelta').firstStep as number[])[0]).toBeCloseTo(-0.003162, 6);
    shows(
      'alr-units',
      "sgd: '0.5000 → 500.0'",
      "adam: '0.1000 → 0.1000'",
      "adadelta: '0.003162 → 0.003162'",
      "newton: '3.000 → 3.000'",
    );
  });

  it('Adam: corrected equals optim.Adam, uncorrected does not; the first steps', () => {
    expect(value('alr-adam').corrected as number).toBeLessThan(1e-14);
    shows('alr-adam', "uncorrected: '3.292'");
    shows(
      'alr-bias',
      "'3.1623', '4.2496', '4.9502'",
      'peakAt: 12',
      "peakRatio: '6.5685'",
      "atStep1000: '1.2576'",
    );
  });

  it('every rule agrees with its engine optimizer', () => {
    const checks = value('alr-engine') as Record<string, number>;
    expect(Object.keys(checks).sort()).toEqual([
      'adadelta',
      'adagrad',
      'adam',
      'momentum',
      'rmsprop',
    ]);
    for (const [name, diff] of Object.entries(checks)) expect(diff, name).toBeLessThan(1e-13);
  });

  it('the code exercise starts unsolved and the published fix solves it', () => {
    expect(results.get('ex-alr-rmsprop-cell')!.value).toBe(false);
    expect(solved.get('ex-alr-rmsprop-cell')!.error).toBeNull();
    expect(solved.get('ex-alr-rmsprop-cell')!.value).toBe(true);
  });

  it('the number exercises have the answers their solutions derive', () => {
    const answer = (id: string) =>
      Number(new RegExp(`id="${id}" answer=\\{([^}]+)\\}`).exec(source)![1]);
    expect(answer('ex-alr-terminal')).toBeCloseTo(1 / (1 - 0.9), 9);
    expect(answer('ex-alr-adagrad-first')).toBeCloseTo(4 - (0.5 * 5) / (5 + 1e-10), 6);
    expect(answer('ex-alr-bias')).toBeCloseTo(0.1 / Math.sqrt(0.001), 5);
    expect(answer('ex-alr-best')).toBe(Math.abs(4 * -1.5 - 4) / 4);
  });
});
