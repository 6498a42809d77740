import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { watchForProblems } from './support/pages.ts';
import { expectCodeExercise, expectNumberExercise } from './support/part1.ts';
import { measureFps, openLab, recomputed, row } from './support/ch10-lab.ts';

// Chapter 10 and the lab page: the prerendered lab is readable without JavaScript; the lab
// responds to its controls (an optimizer's setting moves its path, dragging the start moves all
// paths), a share link restores the setup, the race keeps ≥ 30 fps with all eleven optimizers
// on Rosenbrock, the exercises check answers, and the lab fits a phone.

const CH10 = 'chapters/adaptive-learning-rates/';
const ALL = 'sgd,momentum,nesterov,adagrad,rmsprop,adadelta,adam,adamw,newton,eg,hypergradient';

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the lab shows its first race, its controls and its table', async ({ page }) => {
    await page.goto(CH10);
    const lab = page.locator('[data-lab="fig-lab"]');
    await expect(lab.locator('[data-map] svg path[data-path]')).toHaveCount(6);
    await expect(lab.locator('[data-table] tr')).toHaveCount(6);
    await expect(lab.locator('[data-row="newton"]')).toContainText('1.000');
    await expect(lab.locator('[data-describe]')).toContainText(
      'Rosenbrock from (−1.500, 2.000), 500 steps.',
    );
    await expect(lab.getByLabel('Surface', { exact: true })).toBeVisible();
  });
});

test('the lab answers its controls, and a share link restores it', async ({ page }) => {
  const watch = watchForProblems(page);
  await page.goto(CH10);
  await page.locator('#sec-alr-lab').scrollIntoViewIfNeeded();
  const lab = await openLab(page, 'fig-lab');
  await expect(lab.locator('canvas[data-canvas="map"]')).toBeVisible();

  // An optimizer's setting changes its path and nobody else's.
  const adam = await row(lab, 'adam');
  const sgd = await row(lab, 'sgd');
  await lab.locator('[data-opt="adam"] summary').click();
  await recomputed(lab, () => lab.getByLabel('Adam Learning rate').fill('0.01'));
  expect(await row(lab, 'adam')).not.toBe(adam);
  expect(await row(lab, 'sgd')).toBe(sgd);

  // Dragging on the plot moves the common start, and with it every path (Newton's ends on the
  // minimum from anywhere, so its row cannot show the move).
  const moved = ['sgd', 'momentum', 'adagrad', 'rmsprop', 'adam'];
  const before = await Promise.all(moved.map((id) => row(lab, id)));
  const map = lab.locator('canvas[data-canvas="map"]');
  await map.scrollIntoViewIfNeeded();
  const box = (await map.boundingBox())!;
  await recomputed(lab, async () => {
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.7);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.3, { steps: 4 });
    await page.mouse.up();
  });
  const after = await Promise.all(moved.map((id) => row(lab, id)));
  after.forEach((text, i) => expect(text).not.toBe(before[i]));
  const start = [
    await lab.getByLabel('Start x').inputValue(),
    await lab.getByLabel('Start y').inputValue(),
  ];
  expect(start).not.toEqual(['-1.5', '2']);

  // More setup, then the share link.
  await recomputed(lab, () => lab.getByLabel('Surface', { exact: true }).selectOption('noisy'));
  await recomputed(lab, () => lab.getByRole('checkbox', { name: 'AdaDelta' }).check());
  await lab.locator('[data-opt="sgd"] summary').click();
  await recomputed(lab, () => lab.getByLabel('SGD Schedule').selectOption('invsqrt'));
  await recomputed(lab, () => lab.getByLabel('Start y').fill('-1.25'));
  await lab.getByRole('button', { name: 'Copy share link' }).click();
  const url = await lab.locator('[data-status]').getAttribute('data-url');
  expect(url).toContain('#lab=');
  const table = await lab.locator('[data-table]').innerText();

  await page.goto('about:blank');
  await page.goto(url!);
  const restored = await openLab(page, 'fig-lab');
  await expect(restored.getByLabel('Surface', { exact: true })).toHaveValue('noisy');
  await expect(restored.getByLabel('Start y')).toHaveValue('-1.25');
  await expect(restored.getByRole('checkbox', { name: 'AdaDelta' })).toBeChecked();
  await expect(restored.getByLabel('SGD Schedule')).toHaveValue('invsqrt');
  expect(await restored.locator('[data-table]').innerText()).toBe(table);
  watch.assertClean();
});

test('the race keeps at least 30 fps with eleven optimizers on Rosenbrock', async ({ page }) => {
  const watch = watchForProblems(page);
  await page.goto(`lab/#lab=${encodeURIComponent(`p=rosenbrock&steps=500&speed=125&on=${ALL}`)}`);
  const lab = await openLab(page, 'lab');
  await expect(lab.locator('[data-table] tr')).toHaveCount(11);
  // The machine is shared: take the best of three 1.5 s windows, so a burst of load elsewhere
  // does not fail the budget, while a lab that is really slow still does.
  const runs: number[] = [];
  for (let i = 0; i < 3 && Math.max(0, ...runs) < 30; i++)
    runs.push(await measureFps(page, lab, 1500));
  console.log(
    `optimizer lab, 11 optimizers × 500 steps on Rosenbrock: ${runs.map((f) => f.toFixed(1)).join(', ')} fps`,
  );
  expect(Math.max(...runs)).toBeGreaterThanOrEqual(30);
  watch.assertClean();
});

test('the hydrated lab works from the keyboard and passes axe in both themes', async ({ page }) => {
  const watch = watchForProblems(page);
  await page.goto('lab/');
  const lab = await openLab(page, 'lab');
  // Arrow keys on the start inputs move the start point and recompute the race.
  const sgd = await row(lab, 'sgd');
  await recomputed(lab, async () => {
    await lab.getByLabel('Start x', { exact: true }).focus();
    await page.keyboard.press('ArrowUp');
  });
  expect(await row(lab, 'sgd')).not.toBe(sgd);
  await expect(page).toHaveURL(/#lab=.*start%3D-1\.4/);
  // The play button toggles with the keyboard.
  await lab.getByRole('button', { name: 'Play' }).focus();
  await page.keyboard.press('Enter');
  await expect(lab).toHaveAttribute('data-playing', 'true');
  await page.keyboard.press('Enter');
  await expect(lab).toHaveAttribute('data-playing', 'false');
  // Settings open with the keyboard too; axe checks them open, in both themes.
  for (const summary of await lab.locator('summary').all()) await summary.click();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
    const results = await new AxeBuilder({ page })
      .include('[data-lab]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21aa'])
      .analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
      [],
    );
  }
  watch.assertClean();
});

test.describe('exercises', () => {
  test('number exercises accept the right answer and reject a wrong one', async ({ page }) => {
    await expectNumberExercise(page, CH10, 'ex-alr-bias', '3.162278', '1');
    await expectNumberExercise(page, CH10, 'ex-alr-adagrad-first', '3.5', '3.6');
  });
  test('the code exercise', async ({ page }) => {
    await expectCodeExercise(
      page,
      CH10,
      'ex-alr-rmsprop-cell',
      'ex-alr-rmsprop',
      [
        'function myRmsprop(eta: number, rho: number, eps: number): Rule {',
        '  let G = zeros([2], f64);',
        '  return (theta, g) => {',
        '    G = G.mul(rho).add(g.mul(g).mul(1 - rho));',
        '    return theta.sub(g.div(G.sqrt().add(eps)).mul(eta));',
        '  };',
        '}',
        'checkAgainstEngine(myRmsprop(0.01, 0.99, 1e-8), (p) => new optim.RMSprop([p], { lr: 0.01 })) < 1e-10;',
      ].join('\n'),
    );
  });
});

test.describe('phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', hasTouch: true });
  for (const path of [CH10, 'lab/']) {
    test(`no horizontal overflow, the lab fits: ${path}`, async ({ page }) => {
      const watch = watchForProblems(page);
      await page.goto(path);
      const lab = await openLab(page, path === 'lab/' ? 'lab' : 'fig-lab');
      const widths = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      const canvas = (await lab.locator('canvas[data-canvas="map"]').boundingBox())!;
      expect(canvas.width).toBeLessThanOrEqual(390);
      expect(canvas.width).toBeGreaterThan(300);
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('.katex-display')]
          .filter((e) => e.scrollWidth > e.clientWidth + 2)
          .map((e) => e.closest('[id]')?.id),
      );
      expect(wide).toEqual([]);
      // Cell plots and the lab draw their text in the page's text colour, legible on the dark page.
      const colors = await page.evaluate(() => ({
        page: getComputedStyle(document.body).color,
        plots: [...document.querySelectorAll('.cell-output svg, [data-lab]')].map(
          (el) => getComputedStyle(el).color,
        ),
      }));
      expect(colors.plots.length).toBeGreaterThan(0);
      for (const color of colors.plots) expect(color).toBe(colors.page);
      if (path === 'lab/')
        await page.screenshot({ path: 'test-results/ch10-lab-phone.png', fullPage: false });
      watch.assertClean();
    });
  }
});
