/**
 * Chapter 13's cells, run the way the build runs them (a fresh kernel, cells in page order):
 * none fails, and each worked example shows the numbers the prose quotes. Also the output-size
 * figure's formula and description at its defaults.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPageCells, type BuildCell } from '../../src/notebook/build-runner.ts';
import type { RunResult } from '../../src/notebook/worker/kernel.ts';
import { defaultState, type AnyFigure } from '../../src/notebook/figures/define.ts';
import convSize, { outputSize } from '../../components/figures/conv-output-size.ts';

const root = process.cwd();
const page = 'content/chapters/convolutional-networks.mdx';

function cellsOf(path: string): BuildCell[] {
  const source = readFileSync(join(root, path), 'utf8');
  const fence = /```ts cell id="([^"]+)"([^\n]*)\n([\s\S]*?)\n```/g;
  return [...source.matchAll(fence)].map((m) => ({
    id: m[1]!,
    code: m[3]!,
    long: /\blong\b/.test(m[2]!),
    timeout: 60,
  }));
}

let results: Map<string, RunResult>;
beforeAll(async () => {
  const cells = cellsOf(page);
  const cacheDir = mkdtempSync(join(tmpdir(), 'ch13-cells-'));
  try {
    const out = await runPageCells(page, cells, { root, cacheDir, log: () => {} });
    results = new Map(cells.map((cell, i) => [cell.id, out[i]!]));
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}, 120_000);

function expectShows(id: string, ...snippets: string[]) {
  const result = results.get(id);
  expect(result, `cell ${id} exists`).toBeDefined();
  for (const snippet of snippets)
    expect(result!.text, `cell ${id} shows ${snippet}`).toContain(snippet);
}

describe('chapter 13 cells', () => {
  it('all run without error, each well under the build budget', () => {
    for (const [id, result] of results) expect(result.error, `cell ${id}`).toBeNull();
  });

  it('count dense, local and shared weights', () => {
    expectShows(
      'cn-counting',
      'units: 4608',
      'dense: 3617280',
      'local: 119808',
      'shared: 208',
      'denseOverShared: 17391',
    );
  });

  it('reproduce the AlexNet first-layer arithmetic of the source', () => {
    expectShows(
      'cn-alexnet',
      "output: '55×55×96'",
      'engineSays: 55',
      "convParams: '34,944'",
      "byFormula: '34,944'",
      "denseParams: '44,892,355,200'",
    );
  });

  it('agree with the engine conv2d to rounding', () => {
    const text = results.get('cn-loops')!.text;
    expect(text).toContain('shape: [2, 4, 4, 4]');
    const diff = Number(/maxAbsDifference: ([\d.e+-]+)/.exec(text)![1]);
    expect(diff).toBeLessThan(1e-13);
  });

  it('pool, and compute softmax cross-entropy', () => {
    expectShows('cn-pool', 'max: [[6, 5], [3, 8]]', 'average: [[3.5, 2], [1.5, 3.75]]');
    expectShows(
      'cn-head',
      "'0.659001'",
      "'0.242433'",
      "'0.098566'",
      "minusLogP: '0.417030'",
      "crossEntropy: '0.417030'",
    );
  });

  it('trace the digits CNN and count its parameters', () => {
    expectShows(
      'cn-digits-model',
      '1×1×28×28 → 8×24×24 → 8×24×24 → 8×12×12 → 16×8×8 → 16×8×8 → 16×4×4 → 256 → 10',
      'parameters: 5994',
    );
  });

  it('count AlexNet: 61.0 M parameters, 96.2 % dense, three pooling layers', () => {
    expectShows(
      'cn-alexnet-params',
      "total: '60,965,224'",
      "denseShare: '96.2 %'",
      "convShare: '3.8 %'",
      "sizes: '55 → 27 → 27 → 13 → 13 → 13 → 13 → 6'",
      'poolingLayers: 3',
    );
  });

  it('show the vanishing gradient of a plain network and the shortcut', () => {
    expectShows(
      'cn-resnet',
      "plain30: { first: '8.21e-9', last: '4.61e-2' }",
      "residual30: { first: '5.53e+0', last: '3.57e+0' }",
      "plain10: { first: '1.02e-3', last: '5.52e-2' }",
    );
  });

  it('leave the code exercise unsolved as given', () => {
    expect(results.get('ex-cnn-avgpool-cell')!.text).toContain('false');
  });
});

describe('the output-size figure', () => {
  it('uses the formula, rounding down like PyTorch', () => {
    expect(outputSize(227, 11, 4, 0)).toEqual({ w2: 55, exact: true });
    expect(outputSize(8, 3, 2, 0)).toEqual({ w2: 3, exact: false });
    expect(outputSize(224, 7, 2, 3)).toEqual({ w2: 112, exact: false });
    expect(outputSize(3, 7, 1, 0).w2).toBe(0);
  });

  it('describes its default state in numbers', () => {
    const figure = convSize as unknown as AnyFigure;
    const text = figure.describe(defaultState(figure.controls), undefined);
    expect(text).toContain('W₂ = (7 − 3 + 2·1)/2 + 1 = 4');
    expect(text).toContain('the output is 4×4');
  });
});
