/**
 * Runs the code cells of chapters 3 and 4 the way the build does (a fresh kernel per page, cells
 * in page order) and checks that none fails and that each worked example's output shows the
 * numbers the prose quotes. Also checks the figures' text alternatives at their defaults.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/notebook/worker/kernel.ts';
import { describeDefault, expectShows, runPage } from './support/cells.ts';

describe('chapter 3 cells', () => {
  let results: Map<string, RunResult>;
  beforeAll(async () => {
    results = await runPage('content/chapters/taylor-view.mdx');
  }, 120_000);

  it('all run without error', () => {
    for (const [id, result] of results) expect(result.error, `cell ${id}`).toBeNull();
  });

  it('show the worked numbers', () => {
    expectShows(results, 'tv-loss', '0.658880', '-1.389992', '0.400000', '1.446402');
    expectShows(results, 'tv-circle', "bestAngle: '343.9'", "downhill: '343.9'");
    expectShows(
      results,
      'tv-error-table',
      '0.586560',
      '0.586935',
      '-2.233924',
      '-0.761296',
      '-3.680326',
      '-0.104840',
    );
    expectShows(
      results,
      'tv-newton-point',
      '0.3411',
      '0.3011',
      '1.8817',
      '-0.3763',
      '-3.0092',
      '1.2353',
    );
    expectShows(results, 'tv-sgd', '-2.951950', '0.986173', '0.050000');
  });

  it('start the code exercise unsolved', () => {
    expect(results.get('ex-tv-circle-cell')!.value).toBe(false);
  });
});

describe('chapter 4 cells', () => {
  let results: Map<string, RunResult>;
  beforeAll(async () => {
    results = await runPage('content/chapters/newton.mdx');
  }, 120_000);

  it('all run without error', () => {
    for (const [id, result] of results) expect(result.error, `cell ${id}`).toBeNull();
  });

  it('show the worked numbers', () => {
    expectShows(
      results,
      'nt-quadratic',
      'lambdaMax: 5',
      'lambdaMin: 1',
      'conditionNumber: 5',
      '-11.5',
    );
    expectShows(
      results,
      'nt-steepest',
      '2.333333, 0.000000',
      '2.333333, 1.111111',
      '3.333333',
      '2.222222',
      'steps: 39',
    );
    expectShows(results, 'nt-angle', "angleDegrees: '33.69'");
    expectShows(results, 'nt-1d', '-1.264267', '-1.306662', '-1.306440', '1.977383', '-0.7185');
    expectShows(results, 'nt-saddle', '-2.062e-3', 'gdSteps: 87', '-0.250000');
    expectShows(results, 'nt-algorithm', 'steps: 1', 'steps: 4');
    expectShows(
      results,
      'nt-damped',
      '-9.375000e-1',
      '-3.705769e-21',
      '-3.375',
      '38.4434',
      '-1.766241e-3',
    );
    expectShows(results, 'nt-engine', "alpha0: '0.333333'", '-3.706e-21', '0.5, 1, 1');
    const lipschitz = results.get('nt-lipschitz')!.text;
    expect(lipschitz).toMatch(/0\.1000\s+144\s+-11\.500000/);
    expect(lipschitz).toMatch(/0\.3333\s+39\s+-11\.500000/);
    expect(lipschitz).toMatch(/0\.3900\s+294\s+-11\.500000/);
    expect(lipschitz).toMatch(/0\.4100\s+\d+\s+diverged/);
  });

  it('prints orthogonal consecutive gradients', () => {
    const text = results.get('nt-steepest')!.text;
    // table rows: k, x (two numbers), f, gradNorm, dot product with the previous gradient
    const row = /^\s*[1-9]\s+\S+ \S+\s+\S+\s+\S+\s+(\S+)$/gm;
    const dots = [...text.matchAll(row)].map((m) => Number(m[1]));
    expect(dots.length).toBe(5);
    for (const dot of dots) expect(Math.abs(dot)).toBeLessThan(1e-12);
  });

  it('start the code exercise unsolved', () => {
    expect(results.get('ex-newton-saddle-cell')!.value).toBe(false);
  });
});

describe('chapter 3 and 4 figures describe their default state in numbers', () => {
  it('landscape: the chapter quadratic with a fixed step', async () => {
    expect(await describeDefault('landscape')).toMatch(
      /condition number 5.*reaches the minimum \(1, 2\) in 53 steps/,
    );
  });
  it('taylor-disk: the three targets at (−3, 1), d = 2', async () => {
    const text = await describeDefault('taylor-disk');
    expect(text).toContain('(-1.08, 0.45)');
    expect(text).toContain('L = -0.761');
  });
  it('newton-1d: converges to the minimum at 3.837467', async () => {
    expect(await describeDefault('newton-1d')).toMatch(/x = 3\.837467 .*a minimum/);
  });
  it('newton-2d: Newton ends in the saddle, gradient descent at a minimum in 87 steps', async () => {
    const text = await describeDefault('newton-2d');
    expect(text).toMatch(/Newton's method takes 3 steps and ends at \(0\.000, -?0\.000\)/);
    expect(text).toContain('87 steps and ends at (0.000, 1.000) with f = -0.2500');
  });
});
