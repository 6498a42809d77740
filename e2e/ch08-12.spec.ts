import { test, expect, type Locator, type Page } from '@playwright/test';
import { watchForProblems } from './support/pages.ts';
import { expectCodeExercise, expectRedraw, openFigure } from './support/part1.ts';
import { expectNumberExercises } from './support/ch08-12.ts';
import { expectPhoneLayout, hydrateFigures } from './support/layout.ts';

// Chapters 8 (regularization) and 12 (initialization and normalization): the pages load
// cleanly with their worked examples prerendered, each figure renders and answers its
// controls, each exercise accepts the right answer and rejects a wrong one, and the pages fit
// a phone in dark mode.

const CH8 = 'chapters/regularization/';
const CH12 = 'chapters/initialization-and-normalization/';

async function nudge(root: Locator, page: Page, name: string, key: string) {
  await root.getByRole('slider', { name }).focus();
  await page.keyboard.press(key);
}

test.describe('pages', () => {
  test('chapter 8 loads cleanly, with its worked examples and anchors', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH8);
    await expect(page.locator('h1')).toHaveText(/Regularization and generalization/);
    expect(await page.locator('.katex').count()).toBeGreaterThan(50);
    expect(await page.locator('[data-exercise]').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('aside.note-source').count()).toBeGreaterThanOrEqual(1);
    for (const id of ['sec-rg-fit', 'sec-rg-penalty', 'eq-rg-decay', 'fig-rg-path'])
      await expect(page.locator(`#${id}`)).toHaveCount(1);
    await expect(page.locator('[data-cell="rg-poly-sweep"]')).toContainText(
      'lowest test error at degree 3',
    );
    await expect(page.locator('[data-cell="rg-norm-vs-square"]')).toContainText(
      '∇‖w‖ = (0.60, 0.80)',
    );
    await expect(page.locator('[data-cell="rg-path"]')).toContainText('L1 (1.500, 0.000)');
    await expect(page.locator('[data-cell="rg-early-stop"]')).toContainText(
      'stopped after 17 epochs',
    );
    await hydrateFigures(page);
    watch.assertClean();
  });

  test('chapter 12 loads cleanly, with its worked examples and anchors', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH12);
    await expect(page.locator('h1')).toHaveText(/Initialization and normalization/);
    expect(await page.locator('.katex').count()).toBeGreaterThan(40);
    expect(await page.locator('[data-exercise]').count()).toBeGreaterThanOrEqual(4);
    for (const id of ['sec-in-zero', 'sec-in-batchnorm', 'eq-in-variance', 'fig-in-histograms'])
      await expect(page.locator(`#${id}`)).toHaveCount(1);
    await expect(page.locator('[data-cell="in-zero-symmetry"]')).toContainText(
      'largest difference between rows: 0',
    );
    await expect(page.locator('[data-cell="in-bn-train-eval"]')).toContainText(
      'running mean 0.4944, -1.4792, -0.0037',
    );
    await hydrateFigures(page);
    watch.assertClean();
  });

  test('the errata entry links to chapter 8', async ({ page }) => {
    await page.goto('errata/');
    await page.locator('a[href*="chapters/regularization/#sec-rg-penalty"]').click();
    await expect(page).toHaveURL(/chapters\/regularization\/#sec-rg-penalty$/);
    await expect(page.locator('#sec-rg-penalty')).toBeVisible();
  });
});

test.describe('figures', () => {
  test('regularization path: λ, penalty, w* and the path toggle', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH8);
    const root = await openFigure(page, 'fig-rg-path');
    const description = root.locator('[data-describe]');
    await expect(description).toContainText('(1.33, 0.00) and w₂ is exactly zero');
    await expectRedraw(
      root,
      async () => {
        await root.getByRole('slider', { name: 'Penalty strength λ' }).focus();
        for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft');
      },
      /λ = 1\.00, the regularized minimum is \(1\.60, 0\.20\) and neither weight is zero/,
    );
    await expectRedraw(
      root,
      () => root.getByRole('combobox', { name: 'Penalty' }).selectOption('l2'),
      /L2 penalty .* λ = 1\.00, the regularized minimum is \(1\.26, 0\.68\)/,
    );
    await expectRedraw(
      root,
      () => nudge(root, page, 'Unregularized minimum w*', 'ArrowUp'),
      /w\* is \(2\.00, 1\.05\)/,
    );
    await expectRedraw(
      root,
      () => root.getByRole('checkbox', { name: 'Show the path over all λ' }).uncheck(),
      /w\* is \(2\.00, 1\.05\)/,
    );
    watch.assertClean();
  });

  test('activation histograms: activation, scheme and depth', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH12);
    const root = await openFigure(page, 'fig-in-histograms');
    const description = root.locator('[data-describe]');
    await expect(description).toContainText('79% of the last layer');
    await expectRedraw(
      root,
      () => root.getByRole('combobox', { name: 'Activation' }).selectOption('relu'),
      /8 ReLU layers initialized with Gaussian N\(0, 1\).*4\.0e\+6 after layer 8/,
    );
    await expectRedraw(
      root,
      () => root.getByRole('combobox', { name: 'Initialization' }).selectOption('he'),
      /He \(Kaiming\) normal.*0\.83 after layer 1 and 0\.64 after layer 8/,
    );
    await expectRedraw(root, () => nudge(root, page, 'Layers', 'ArrowLeft'), /after layer 7;/);
    watch.assertClean();
  });
});

test.describe('exercises', () => {
  test('chapter 8 number exercises', async ({ page }) => {
    await expectNumberExercises(page, CH8, [
      { id: 'ex-rg-lasso-threshold', right: '1.25', wrong: '1.5' },
      { id: 'ex-rg-ridge-shrink', right: '0.5', wrong: '0.8' },
      { id: 'ex-rg-decay-factor', right: '0.951228', wrong: '0.95' },
    ]);
  });

  test('chapter 12 number exercises', async ({ page }) => {
    await expectNumberExercises(page, CH12, [
      { id: 'ex-in-he-std', right: '0.088388', wrong: '0.0625' },
      { id: 'ex-in-xavier-bound', right: '0.2', wrong: '0.1155' },
      { id: 'ex-in-running-mean', right: '0.542', wrong: '0.6' },
    ]);
  });

  test('chapter 8 code exercise: inverted dropout', async ({ page }) => {
    test.setTimeout(120_000);
    await expectCodeExercise(
      page,
      CH8,
      'ex-rg-dropout-code',
      'ex-rg-dropout',
      [
        'const myDropout = (x: Tensor, p: number, generator: Generator): Tensor =>',
        '  x.mul(rand(x.shape, { generator }).ge(p)).div(1 - p);',
        'const probe = full([100, 1000], 3);',
        'const out = myDropout(probe, 0.25, new Generator(11));',
        'Math.abs(out.eq(0).mean().item() - 0.25) < 0.01 && Math.abs(out.mean().item() - 3) < 0.03',
      ].join('\n'),
    );
  });

  test('chapter 12 code exercise: batch normalization', async ({ page }) => {
    test.setTimeout(120_000);
    await expectCodeExercise(
      page,
      CH12,
      'ex-in-batchnorm-code',
      'ex-in-batchnorm',
      [
        'const myBatchNorm = (x: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-5): Tensor => {',
        '  const mu = x.mean(0);',
        '  const variance = x.sub(mu).square().mean(0);',
        '  return x.sub(mu).div(variance.add(eps).sqrt()).mul(gamma).add(beta);',
        '};',
        'const checkX = randn([16, 4], { generator: new Generator(21) }).mul(3).add(1);',
        'const layer = new nn.BatchNorm1d(4);',
        'noGrad(() => { layer.weight.data.set([0.5, 1, 2, -1]); layer.bias.data.set([0, 1, -1, 3]); });',
        'myBatchNorm(checkX, tensor([0.5, 1, 2, -1]), tensor([0, 1, -1, 3])).sub(layer.forward(checkX)).abs().max().item() < 1e-4',
      ].join('\n'),
    );
  });
});

test.describe('phone, dark mode', () => {
  test.use({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', hasTouch: true });
  for (const path of [CH8, CH12]) {
    test(`no horizontal overflow, equations fit, readable plots: ${path}`, async ({ page }) => {
      const watch = watchForProblems(page);
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
      await hydrateFigures(page);
      await expectPhoneLayout(page);
      watch.assertClean();
    });
  }
});
