/**
 * Helpers shared by the chapter cell tests (tests/chapters/*-cells.test.ts): read a page's code
 * cells from its MDX, run them the way the build does (a fresh kernel per run, cells in page
 * order), and check what a cell shows.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runPageCells, type BuildCell } from '../../../src/notebook/build-runner.ts';
import type { RunResult } from '../../../src/notebook/worker/kernel.ts';
import { defaultState, type AnyFigure } from '../../../src/notebook/figures/define.ts';

/** The repository root (the tests run from it), which the build runner resolves pages against. */
export const root = process.cwd();

/** The text of a page, given by its path from the repository root. */
export function readPage(page: string): string {
  return readFileSync(join(root, page), 'utf8');
}

export interface CellsOptions {
  /**
   * Leave out the cells marked `long`, as the build does. By default they are kept (and run
   * like any other cell), since the prose of some chapters quotes their output.
   */
  skipLong?: boolean;
}

/**
 * The ```ts cell id="…"``` fences of an MDX text, in page order, as cells the build runner
 * takes: every cell gets `long: false` (so it runs) and a 60-second timeout.
 */
export function cellsOf(source: string, options: CellsOptions = {}): BuildCell[] {
  const fence = /```ts cell id="([^"]+)"([^\n]*)\n([\s\S]*?)\n```/g;
  return [...source.matchAll(fence)]
    .filter((m) => !options.skipLong || !/\blong\b/.test(m[2]!))
    .map((m) => ({ id: m[1]!, code: m[3]!, long: false, timeout: 60 }));
}

/** The cells of a page given by its path from the repository root; see {@link cellsOf}. */
export function pageCells(page: string, options: CellsOptions = {}): BuildCell[] {
  return cellsOf(readPage(page), options);
}

/**
 * Runs `cells` as the build would run them on `page` (one fresh kernel, in order) and returns
 * each cell's result by id. The output cache lives in a temporary directory that is removed
 * afterwards, so the cells always execute rather than replaying stored outputs.
 */
export async function runCells(page: string, cells: BuildCell[]): Promise<Map<string, RunResult>> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'chapter-cells-'));
  try {
    const results = await runPageCells(page, cells, { root, cacheDir, log: () => {} });
    return new Map(cells.map((cell, i) => [cell.id, results[i]!]));
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/**
 * Runs every cell of a page; `source` replaces the page's text (for example with a code
 * exercise solved, see {@link solved}). See {@link runCells}.
 */
export async function runPage(
  page: string,
  { source, ...options }: CellsOptions & { source?: string } = {},
): Promise<Map<string, RunResult>> {
  return runCells(page, cellsOf(source ?? readPage(page), options));
}

/** Expects cell `id` to have run and its text output to contain every one of `snippets`. */
export function expectShows(
  results: Map<string, RunResult>,
  id: string,
  ...snippets: string[]
): void {
  const result = results.get(id);
  expect(result, `cell ${id} exists`).toBeDefined();
  for (const snippet of snippets)
    expect(result!.text, `cell ${id} shows ${snippet}`).toContain(snippet);
}

/**
 * A page's text with a code exercise's placeholder replaced by its reference solution; expects
 * the placeholder to be there.
 */
export function solved(source: string, placeholder: string, solution: string): string {
  expect(source).toContain(placeholder);
  return source.replace(placeholder, solution);
}

/** The solution of a code exercise, as printed in the page's solution slot (its ```ts fence). */
export function solutionOf(page: string, exerciseId: string): string {
  const source = readPage(page);
  const start = source.indexOf(`<Exercise id="${exerciseId}"`);
  const block = source.slice(start, source.indexOf('</Exercise>', start));
  return /```ts\n([\s\S]*?)\n```/.exec(block)![1]!;
}

/** The text alternative of figure `name` (components/figures/<name>.ts) at its default state. */
export async function describeDefault(name: string): Promise<string> {
  const figure = (
    (await import(`../../../components/figures/${name}.ts`)) as { default: AnyFigure }
  ).default;
  const state = defaultState(figure.controls);
  return figure.describe(state, figure.compute ? figure.compute(state) : undefined);
}
