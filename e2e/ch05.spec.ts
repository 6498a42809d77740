import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { watchForProblems } from './support/pages.ts';
import { answer, expectCodeExercise } from './support/part1.ts';
import {
  epochOf,
  openPlayground,
  regionOf,
  setField,
  trainFor,
  trainLossOf,
} from './support/ch05.ts';
import { expectPhoneLayout } from './support/layout.ts';

// Chapter 5: the network playground renders before any script runs, trains (the loss falls and
// the decision region changes), pauses, steps, resets, loads the chapter's experiments and works
// from the keyboard and on a phone; every exercise accepts the right answer and rejects a wrong
// one; axe finds no serious violation in the live widget; the page logs no errors.

const CH5 = 'chapters/perceptron-to-network/';

/** axe over the live playground only (the site-wide spec covers the page): no serious issue. */
async function expectAccessiblePlayground(page: Page) {
  const results = await new AxeBuilder({ page })
    .include('[data-playground]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21aa'])
    .analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
    [],
  );
}

test('the playground is prerendered and readable without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(CH5);
  const root = page.locator('[data-playground="fig-playground"]');
  await expect(root.locator('img[data-region]')).toBeVisible();
  await expect(root.locator('[data-describe]')).toContainText(
    'Circle data, 250 training and 250 test points; inputs x, y; hidden layers of 4, 2 tanh units. After 0 epochs',
  );
  await expect(root.getByLabel('Data set')).toHaveValue('circle');
  await expect(root.getByRole('button', { name: 'Train' })).toBeVisible();
  expect(await root.locator('img.pg-neuron').count()).toBe(8);
  expect(await root.locator('circle.pg-pt').count()).toBe(500);
  await expect(root).not.toHaveAttribute('data-hydrated', /.*/);
  await context.close();
});

test('Train lowers the loss and redraws the region; Pause, Step and Reset work', async ({
  page,
}) => {
  const watch = watchForProblems(page);
  await page.goto(CH5);
  const root = await openPlayground(page);
  const loss0 = await trainLossOf(root);
  const region0 = await regionOf(root);
  await trainFor(root, 30);
  const paused = await epochOf(root);
  expect(await trainLossOf(root)).toBeLessThan(loss0 * 0.8);
  expect(await regionOf(root)).not.toBe(region0);
  await page.waitForTimeout(300);
  expect(await epochOf(root), 'paused: no more epochs').toBe(paused);
  await root.getByRole('button', { name: 'Step' }).click();
  await expect.poll(() => epochOf(root)).toBe(paused + 1);
  await root.getByRole('button', { name: 'Reset' }).click();
  await expect.poll(() => epochOf(root)).toBe(0);
  expect(await trainLossOf(root)).toBe(loss0);
  expect(await regionOf(root)).toBe(region0);
  watch.assertClean();
});

test('a preset loads an experiment: squared features separate the circle', async ({ page }) => {
  const watch = watchForProblems(page);
  await page.goto(CH5);
  const root = await openPlayground(page);
  const preset = root.getByRole('button', { name: 'Squared features' });
  await preset.click();
  await expect(preset).toHaveAttribute('aria-pressed', 'true');
  await expect(root.getByLabel('Hidden layers')).toHaveValue('0');
  await expect(root.getByLabel('x²')).toBeChecked();
  await expect(root.getByLabel('x', { exact: true })).not.toBeChecked();
  expect(await root.locator('canvas.pg-neuron').count()).toBe(2);
  await root.getByLabel('Show test data').check();
  await trainFor(root, 20);
  await expect(root.locator('[data-describe]')).toContainText('test accuracy 100 %');
  // Any manual change leaves the preset.
  await root.getByLabel('Learning rate').selectOption('0.1');
  await expect(preset).toHaveAttribute('aria-pressed', 'false');
  watch.assertClean();
});

test('the keyboard drives the playground', async ({ page }) => {
  await page.goto(CH5);
  const root = await openPlayground(page);
  await root.getByLabel('Hidden layers').focus();
  await page.keyboard.press('ArrowUp');
  await expect(root.getByLabel('Units in layer 3')).toBeVisible();
  await expect(root.locator('.pg-layer')).toHaveCount(4);
  await setField(root, 'Units in layer 3', '6');
  expect(await root.locator('.pg-layer').nth(3).locator('canvas').count()).toBe(6);
  await root.getByRole('button', { name: 'Train' }).focus();
  await page.keyboard.press('Space');
  await expect(root).toHaveAttribute('data-running', 'true');
  await page.keyboard.press('Enter');
  await expect(root).toHaveAttribute('data-running', 'false');
  await expect(root.getByRole('button', { name: 'Train' })).toBeFocused();
});

test.describe('exercises', () => {
  test('the number exercises mark a wrong answer, then the right one', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH5);
    for (const [id, right, wrong] of [
      ['ex-pn-parameters', '54', '51'],
      ['ex-pn-collapse', '4', '0'],
      ['ex-pn-coordinates', '3', '2'],
      ['ex-pn-saturation', '0.045177', '0.25'],
    ] as const) {
      const status = await answer(page, id, wrong);
      await expect(status).toContainText('Not quite');
      await expect(page.locator(`#${id}`)).toHaveAttribute('data-state', 'incorrect');
      await answer(page, id, right);
      await expect(status).toContainText('Correct');
      await expect(page.locator(`#${id}`)).toHaveAttribute('data-state', 'correct');
    }
    watch.assertClean();
  });
  test('ex-pn-xor (code)', async ({ page }) => {
    test.setTimeout(120_000);
    await expectCodeExercise(
      page,
      CH5,
      'ex-pn-xor-code',
      'ex-pn-xor',
      [
        "const xorFeatures: Feature[] = ['xy'];",
        "const xorRun = experiment({ data: 'xor', features: xorFeatures, hidden: [], activation: 'sigmoid', epochs: 20 });",
        'xorRun.testAccuracy >= 0.95',
      ].join('\n'),
    );
  });
});

test.describe('phone, dark mode', () => {
  test.use({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', hasTouch: true });
  test('the page fits, the playground fits and trains by touch', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH5);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    const root = await openPlayground(page);
    await expectPhoneLayout(page, { plots: false });
    // Every control and the picture sit inside the screen.
    const outside = await root.evaluate((el) =>
      [...el.querySelectorAll<HTMLElement>('button, select, input, [data-stage]')]
        .filter((e) => e.offsetParent !== null)
        .filter((e) => {
          const r = e.getBoundingClientRect();
          return r.left < 0 || r.right > window.innerWidth + 0.5;
        })
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    expect(outside).toEqual([]);
    const stage = await root.locator('[data-stage]').boundingBox();
    expect(stage!.width).toBeGreaterThan(300);
    await root.getByRole('button', { name: 'Train' }).tap();
    await expect.poll(() => epochOf(root)).toBeGreaterThan(3);
    await root.getByRole('button', { name: 'Pause' }).tap();
    await root.getByLabel('Show test data').check();
    // The site-wide axe spec checks the prerendered page in both themes; this checks the live one.
    await expectAccessiblePlayground(page);
    watch.assertClean();
  });
});
