import { test, expect } from '@playwright/test';
import { watchForProblems } from './support/pages.ts';
import {
  expectCodeExercise,
  expectNumberExercise,
  expectRedraw,
  openFigure,
} from './support/part1.ts';
import { expectPhoneLayout, hydrateFigures } from './support/layout.ts';

// Chapters 9 and 11: the worked examples are in the prerendered pages, the schedule figure
// renders and answers its controls, every exercise accepts the right answer and rejects a wrong
// one, and on a phone nothing widens the page and every display equation fits.

const CH9 = 'chapters/minibatches-and-schedules/';
const CH11 = 'chapters/beyond-plain-gradients/';

test.describe('chapter 9', () => {
  test('the worked examples are in the prerendered page', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH9);
    await expect(page.locator('[data-cell="mb-noise"]')).toContainText('σ² = 77.7712');
    await expect(page.locator('[data-cell="mb-late"]')).toContainText('124.9 after two epochs');
    await expect(page.locator('[data-cell="sch-digits"]')).toContainText('0.192');
    await expect(page.locator('[data-cell="sch-plateau-engine"]')).toContainText(
      'sameAsByHand: true',
    );
    expect(await page.locator('[data-exercise]').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('aside.note-source').count()).toBeGreaterThanOrEqual(1);
    watch.assertClean();
  });

  test('schedule figure: schedule, batch size and rate redraw the run', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH9);
    const root = await openFigure(page, 'fig-schedule-lab', { drawn: true });
    await expect(root.locator('[data-describe]')).toContainText(
      'Step decay schedule from η₀ = 3, batches of 4',
    );
    await expectRedraw(
      root,
      () => root.getByRole('combobox', { name: 'Schedule' }).selectOption('exponential'),
      /^Exponential schedule/,
    );
    await expectRedraw(
      root,
      () => root.getByRole('combobox', { name: 'Batch size N' }).selectOption('16'),
      /batches of 16/,
    );
    await expectRedraw(
      root,
      async () => {
        await root.getByRole('slider', { name: 'Initial rate η₀' }).focus();
        await page.keyboard.press('ArrowLeft');
      },
      /from η₀ = 2\.9,/,
    );
    watch.assertClean();
  });

  test('exercise 9.1 (number)', async ({ page }) => {
    await expectNumberExercise(page, CH9, 'ex-mb-variance', '0.7006', '0.7777');
  });
  test('exercise 9.2 (number)', async ({ page }) => {
    await expectNumberExercise(page, CH9, 'ex-mb-cycle', '0.03125', '0');
  });
  test('exercise 9.3 (number)', async ({ page }) => {
    await expectNumberExercise(page, CH9, 'ex-mb-halving', '45.15', '75');
  });
  test('exercise 9.4 (code)', async ({ page }) => {
    await expectCodeExercise(
      page,
      CH9,
      'ex-mb-poly-code',
      'ex-mb-poly',
      [
        'const myPolynomial = (t: number): number => {',
        '  const period = 100 * Math.max(1, Math.ceil(t / 100));',
        '  return (0.5 - 0.01) * (1 - t / period) ** 2 + 0.01;',
        '};',
        'const engineSchedule = polynomialDecay({ lr0: 0.5, lrEnd: 0.01, decaySteps: 100, power: 2, cycle: true });',
        'Array.from({ length: 401 }, (_, t) => t).every((t) => Math.abs(myPolynomial(t) - engineSchedule(t)) < 1e-12)',
      ].join('\n'),
    );
  });
});

test.describe('chapter 11', () => {
  test('the worked examples are in the prerendered page', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH11);
    await expect(page.locator('[data-cell="bg-eg-scratch"]')).toContainText('smallest 2.98e-3');
    await expect(page.locator('[data-cell="bg-pgd"]')).toContainText('0.6296, 0.0000');
    await expect(page.locator('[data-cell="bg-hd-scratch"]')).toContainText('sameAsEngine: true');
    await expect(page.locator('[data-cell="bg-race"]')).toContainText('0.3748');
    expect(await page.locator('[data-exercise]').count()).toBeGreaterThanOrEqual(3);
    watch.assertClean();
  });

  test('exercise 11.1 (number)', async ({ page }) => {
    await expectNumberExercise(page, CH11, 'ex-bg-eg-step', '0.377541', '0.25');
  });
  test('exercise 11.2 (number)', async ({ page }) => {
    await expectNumberExercise(page, CH11, 'ex-bg-hd-sign', '0.114', '0.086');
  });
  test('exercise 11.3 (number)', async ({ page }) => {
    await expectNumberExercise(page, CH11, 'ex-bg-eg-rate', '9.21', '99');
  });
  test('exercise 11.4 (code)', async ({ page }) => {
    // The check calls projectToSimplex from bg-pgd, so the page's cells before it run first.
    test.setTimeout(120_000);
    await expectCodeExercise(
      page,
      CH11,
      'ex-bg-project-code',
      'ex-bg-project',
      [
        'const myProjection = (v: number[]): number[] => {',
        '  const sorted = [...v].sort((a, b) => b - a);',
        '  let sum = 0;',
        '  let tau = 0;',
        '  for (let k = 1; k <= sorted.length; k++) {',
        '    sum += sorted[k - 1];',
        '    const t = (sum - 1) / k;',
        '    if (sorted[k - 1] > t) tau = t;',
        '  }',
        '  return v.map((x) => Math.max(0, x - tau));',
        '};',
        'const checker = new Generator(12);',
        'Array.from({ length: 50 }, () => (randn([6], { generator: checker, dtype: "float64" }).toArray() as number[])).every((v) => {',
        '  const mine = myProjection(v);',
        '  const ref = projectToSimplex(v);',
        '  return mine.length === v.length && mine.every((p, i) => Math.abs(p - ref[i]) < 1e-12);',
        '})',
      ].join('\n'),
    );
  });
});

test.describe('phone, dark mode', () => {
  test.use({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', hasTouch: true });
  for (const path of [CH9, CH11]) {
    test(`no horizontal overflow, equations fit: ${path}`, async ({ page }) => {
      const watch = watchForProblems(page);
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
      await hydrateFigures(page);
      await expectPhoneLayout(page, { plots: false });
      watch.assertClean();
    });
  }
});
