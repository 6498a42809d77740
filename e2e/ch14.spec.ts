import { test, expect, type Locator, type Page } from '@playwright/test';
import { watchForProblems } from './support/pages.ts';
import {
  expectCodeExercise,
  expectNumberExercise,
  expectRedraw,
  openFigure,
} from './support/part1.ts';

// Chapter 14 (recurrent networks): the page loads cleanly with its worked numbers prerendered,
// both figures answer their controls, the long training cells run in the browser with progress
// and can be stopped, the exercises accept the right answer and reject a wrong one, and the
// page fits a phone.

const CH14 = 'chapters/recurrent-networks/';

const cellOf = (page: Page, id: string) => page.locator(`[data-cell="${id}"]`);
const output = (cell: Locator) => cell.locator('[data-output]');
const button = (cell: Locator, name: string) => cell.getByRole('button', { name, exact: true });

test('loads cleanly, with its anchors and the worked numbers prerendered', async ({ page }) => {
  const watch = watchForProblems(page);
  await page.goto(CH14);
  await expect(page.locator('h1')).toContainText('Recurrent networks');
  expect(await page.locator('[data-exercise]').count()).toBeGreaterThanOrEqual(3);
  expect(await page.locator('aside.note-source').count()).toBeGreaterThanOrEqual(1);
  for (const id of ['sec-rn-bptt', 'sec-rn-lstm', 'sec-rn-gru', 'eq-rn-update', 'eq-rn-lstm']) {
    await expect(page.locator(`#${id}`)).toHaveCount(1);
  }
  await expect(cellOf(page, 'rn-gru')).toContainText('LSTM: 2560');
  await expect(cellOf(page, 'rn-adding-short')).toContainText('GRU');
  await expect(cellOf(page, 'rn-char-data')).toContainText('characters: 4708');
  await expect(output(cellOf(page, 'rn-char-train'))).toContainText('was not run');
  watch.assertClean();
});

test.describe('figures', () => {
  test('gradient against distance: gate bias, weight scale, hidden size', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH14);
    const root = await openFigure(page, 'fig-rnn-gradient-distance');
    const describe = root.locator('[data-describe]');
    await expect(describe).toContainText('RNN: 4.2e-28 times');
    await expectRedraw(
      root,
      () => root.getByRole('slider', { name: 'Forget / update gate bias' }).fill('3'),
      /LSTM: 1\.5e-1 times .* never falls/,
    );
    await expectRedraw(
      root,
      () => root.getByRole('slider', { name: 'Recurrent weight scale' }).fill('3'),
      /recurrent weights ×3/,
    );
    await expectRedraw(
      root,
      () => root.getByRole('combobox', { name: 'Hidden size H' }).selectOption('8'),
      /H = 8/,
    );
    watch.assertClean();
  });

  test('gates along a sequence: bias, model and sequence', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH14);
    const root = await openFigure(page, 'fig-rnn-gates');
    await expect(root.locator('[data-describe]')).toContainText('cell state c ends at 0.730');
    await expectRedraw(
      root,
      () => root.getByRole('slider', { name: 'Forget (LSTM) / update (GRU) gate bias' }).fill('2'),
      /ends at 0\.246/,
    );
    await expectRedraw(
      root,
      () => root.getByRole('combobox', { name: 'Model' }).selectOption('GRU'),
      /one-unit GRU/,
    );
    await expectRedraw(
      root,
      async () => {
        await root.getByRole('slider', { name: 'Sequence' }).focus();
        await page.keyboard.press('ArrowRight');
      },
      /sequence 4/,
    );
    watch.assertClean();
  });
});

test.describe('training in the page', () => {
  test('the RNN/LSTM/GRU race draws live and stops on request', async ({ page }) => {
    test.setTimeout(90_000);
    const watch = watchForProblems(page);
    await page.goto(CH14);
    const race = cellOf(page, 'rn-adding-long');
    await button(race, 'Run').click();
    await expect(output(race).locator('progress')).toBeVisible({ timeout: 45_000 });
    await expect(output(race).locator('svg').first()).toBeVisible();
    await expect(output(race)).toContainText('LSTM'); // the legend
    await button(race, 'Stop').click();
    await expect(output(race)).toContainText('You stopped this run');
    watch.assertClean();
  });

  test('the character LSTM prints samples as it trains', async ({ page }) => {
    test.setTimeout(120_000);
    const watch = watchForProblems(page);
    await page.goto(CH14);
    const train = cellOf(page, 'rn-char-train');
    await button(train, 'Run').click();
    await expect(output(train).locator('progress')).toBeVisible({ timeout: 45_000 });
    await expect(output(train)).toContainText('step 1, loss', { timeout: 60_000 });
    await expect(output(train).locator('svg').first()).toBeVisible();
    await button(train, 'Stop').click();
    await expect(output(train)).toContainText('You stopped this run');
    watch.assertClean();
  });
});

test.describe('exercises', () => {
  const numberExercises: [string, string, string][] = [
    ['ex-rn-bound', '0.000977', '0.25'],
    ['ex-rn-forget', '0.121577', '0.9'],
    ['ex-rn-bias', '4.968', '0.5'],
    ['ex-rn-params', '2560', '1920'],
  ];
  for (const [id, right, wrong] of numberExercises) {
    test(`${id} rejects ${wrong} and accepts ${right}`, async ({ page }) => {
      await expectNumberExercise(page, CH14, id, right, wrong);
    });
  }

  test('code exercise ex-rn-explode: rejected as given, accepted when solved', async ({ page }) => {
    test.setTimeout(120_000);
    const cell = await page
      .goto(CH14)
      .then(() => cellOf(page, 'ex-rn-explode-cell').locator('[data-code]').innerText());
    await expectCodeExercise(
      page,
      CH14,
      'ex-rn-explode-cell',
      'ex-rn-explode',
      cell.replace('const scale = 1;', 'const scale = 4;'),
    );
  });
});

/** Relative luminance (0 black … 1 white) of a CSS `rgb(…)` colour. */
function luminance(color: string): number {
  const [r, g, b] = (color.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

test.describe('phone, dark mode', () => {
  test.use({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', hasTouch: true });
  test('no horizontal overflow, equations fit, plots readable', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH14);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    for (const id of ['fig-rnn-gradient-distance', 'fig-rnn-gates']) await openFigure(page, id);
    const layout = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
      wideEquations: [...document.querySelectorAll('.katex-display')]
        .filter((e) => e.scrollWidth > e.clientWidth + 2)
        .map((e) => `${e.closest('[id]')?.id}: ${e.scrollWidth}px in ${e.clientWidth}px`),
      background:
        [document.body, document.documentElement]
          .map((el) => getComputedStyle(el).backgroundColor)
          .find((c) => !/rgba\(.*, 0\)$/.test(c)) ?? 'rgb(0, 0, 0)',
      plotColors: [...document.querySelectorAll('[data-figure] [data-plot] svg, .cell-output svg')]
        .filter((svg) => svg.querySelector('g[aria-label$="axis"], g[aria-label*="tick"]'))
        .map((svg) => getComputedStyle(svg).color),
    }));
    expect(layout.scroll, 'the page must not scroll sideways').toBeLessThanOrEqual(layout.client);
    expect(layout.wideEquations).toEqual([]);
    expect(layout.plotColors.length).toBeGreaterThan(0);
    const bg = luminance(layout.background);
    for (const color of layout.plotColors) {
      const l = luminance(color);
      expect((Math.max(l, bg) + 0.05) / (Math.min(l, bg) + 0.05)).toBeGreaterThan(4.5);
    }
    watch.assertClean();
  });
});
