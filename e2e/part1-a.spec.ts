import { test, expect, type Page } from '@playwright/test';
import { watchForProblems } from './support/pages.ts';
import {
  answer,
  expectCodeExercise,
  expectNumberExercise,
  expectRedraw,
  openFigure as openFigureIn,
} from './support/part1.ts';

// Chapters 1 and 2: every figure renders and answers its controls, every exercise accepts the
// right answer and rejects a wrong one, progress survives a reload, and the pages log no errors.

const CH1 = 'chapters/derivatives/';
const CH2 = 'chapters/gradient-descent/';

/** Chapters 1 and 2's figures also report their drawn frames once hydrated. */
const openFigure = (page: Page, id: string) => openFigureIn(page, id, { drawn: true });

test.describe('pages', () => {
  for (const path of [CH1, CH2]) {
    test(`loads cleanly: ${path}`, async ({ page }) => {
      const watch = watchForProblems(page);
      await page.goto(path);
      await expect(page.locator('h1')).toBeVisible();
      expect(await page.locator('.katex').count()).toBeGreaterThan(50);
      expect(await page.locator('[data-exercise]').count()).toBeGreaterThanOrEqual(3);
      expect(await page.locator('aside.note-source').count()).toBeGreaterThanOrEqual(1);
      // Scroll through the page so lazy figures hydrate, then check nothing complained.
      for (const figure of await page.locator('[data-figure]').all()) {
        await figure.scrollIntoViewIfNeeded();
        await expect(figure).toHaveAttribute('data-hydrated', 'true');
      }
      await page.waitForTimeout(300);
      watch.assertClean();
    });
  }

  test('the worked examples are in the prerendered page', async ({ page }) => {
    await page.goto(CH2);
    const table = page.locator('[data-cell="gd-table"]');
    await expect(table).toContainText('-7.915548');
    await expect(table).toContainText('-1.307089');
    await expect(page.locator('[data-cell="gd-source-check"]')).toContainText(
      'printed -7.915547, truncated -7.915547, rounded -7.915548',
    );
    await expect(page.locator('[data-cell="loss-precedence"]')).toContainText('ratio: 400');
    await page.goto(CH1);
    await expect(page.locator('[data-cell="secant-slopes"]')).toContainText('intercept: -40');
    await expect(page.locator('[data-cell="gradients"]')).toContainText('gradBowl: [4, 2]');
  });
});

test.describe('figures', () => {
  test('Taylor explorer: function, order and expansion point', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH1);
    const root = await openFigure(page, 'fig-taylor');
    await expect(root.locator('[data-describe]')).toContainText('order 3 of sin x');
    await expectRedraw(
      root,
      () => root.getByRole('combobox', { name: 'Function' }).selectOption('log1p'),
      /ln\(1 \+ x\).*converges only within distance 1\.0/,
    );
    await expectRedraw(
      root,
      async () => {
        await root.getByRole('slider', { name: 'Order n' }).focus();
        await page.keyboard.press('ArrowRight');
      },
      /order 4 of ln\(1 \+ x\)/,
    );
    await expectRedraw(
      root,
      async () => {
        await root.getByRole('slider', { name: 'Expansion point x₀' }).focus();
        await page.keyboard.press('ArrowRight');
      },
      /x₀ = 0\.1/,
    );
    watch.assertClean();
  });

  test('learning-rate explorer: views and regimes', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH2);
    const root = await openFigure(page, 'fig-learning-rate');
    await expect(root.locator('[data-describe]')).toContainText('x = -1.307');
    await expectRedraw(
      root,
      () => root.getByRole('combobox', { name: 'Learning rate η' }).selectOption('all'),
      /η = 12 \(far too large\) the iterates diverge/,
    );
    await expectRedraw(
      root,
      () => root.getByRole('combobox', { name: 'View' }).selectOption('loss'),
      /^Loss gap against updates/,
    );
    await expectRedraw(
      root,
      async () => {
        await root.getByRole('slider', { name: 'Start x₀' }).focus();
        await page.keyboard.press('ArrowRight');
      },
      /from x₀ = -8\.5/,
    );
    await expectRedraw(
      root,
      () => root.getByRole('combobox', { name: 'Learning rate η' }).selectOption('custom'),
      /with η = 1 \(your choice\)/,
    );
    await expectRedraw(
      root,
      async () => {
        await root.getByRole('slider', { name: 'η for “Your own”' }).focus();
        await page.keyboard.press('ArrowRight');
      },
      /with η = 1\.01 \(your choice\)/,
    );
    watch.assertClean();
  });

  test('feature scaling: standardizing makes the contours round', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH2);
    const root = await openFigure(page, 'fig-feature-scaling');
    await expect(root.locator('[data-describe]')).toContainText('condition number is 626.0');
    await expectRedraw(
      root,
      () => root.getByRole('checkbox', { name: 'Standardize x' }).check(),
      /condition number is 1\.0/,
    );
    await expectRedraw(
      root,
      async () => {
        await root.getByRole('slider', { name: 'Updates' }).focus();
        await page.keyboard.press('ArrowLeft');
      },
      /for 99 updates/,
    );
    watch.assertClean();
  });

  test('batch modes: epochs and mini-batch size', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH2);
    const root = await openFigure(page, 'fig-batch-modes');
    await expect(root.locator('[data-describe]')).toContainText('stochastic: 100 updates');
    await expectRedraw(
      root,
      async () => {
        await root.getByRole('slider', { name: 'Epochs' }).focus();
        await page.keyboard.press('ArrowRight');
      },
      /6 epochs.*stochastic: 120 updates/,
    );
    await expectRedraw(
      root,
      () => root.getByRole('combobox', { name: 'Mini-batch size' }).selectOption('10'),
      /mini-batch of 10: 12 updates/,
    );
    watch.assertClean();
  });
});

test.describe('exercises', () => {
  const numberExercises: [string, string, string, string][] = [
    [CH1, 'ex-deriv-tangent', '-10', '10'],
    [CH1, 'ex-deriv-gradient', '−2', '2'],
    [CH1, 'ex-deriv-log-series', '0.416667', '0.405465'],
    [CH2, 'ex-gd-first-step', '-7.915548', '-7.915547'], // the source's truncation is wrong
    [CH2, 'ex-gd-stability', '1.72', '2'],
    [CH2, 'ex-gd-precedence', '400', '10'],
  ];
  for (const [path, id, right, wrong] of numberExercises) {
    test(`${id} rejects ${wrong} and accepts ${right}`, async ({ page }) => {
      await expectNumberExercise(page, path, id, right, wrong);
    });
  }

  test('hint and solution open on request, and progress survives a reload', async ({ page }) => {
    await page.goto(CH2);
    const root = page.locator('#ex-gd-first-step');
    const hint = root.getByRole('button', { name: 'Show hint' });
    await expect(root.getByText('Evaluate it at')).toBeHidden();
    await hint.click();
    await expect(root.getByText('Evaluate it at')).toBeVisible();
    // The button now offers the opposite action.
    await expect(root.getByRole('button', { name: 'Hide hint' })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
    await root.getByRole('button', { name: 'Show solution' }).click();
    await expect(root.getByText('more precisely')).toBeVisible();
    const status = await answer(page, 'ex-gd-first-step', '-7.915548');
    await expect(status).toContainText('Correct');
    await page.reload();
    await expect(page.locator('#ex-gd-first-step')).toHaveAttribute('data-state', 'correct');
    await expect(page.locator('#ex-gd-first-step')).toContainText('You solved this one earlier');
    await expect(page.locator('#ex-gd-first-step').getByLabel('Your answer')).toHaveValue(
      '-7.915548',
    );
  });

  test('exercises still work when localStorage is blocked', async ({ page }) => {
    await page.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('blocked', 'SecurityError');
        },
      });
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(CH1);
    const status = await answer(page, 'ex-deriv-tangent', '-10');
    await expect(status).toContainText('Correct');
    expect(errors).toEqual([]);
  });

  for (const [path, cellId, exerciseId, code] of [
    [
      CH1,
      'ex-deriv-central-code',
      'ex-deriv-central',
      [
        'const central = (f: (x: number) => number, x: number, dx: number): number =>',
        '  (f(x + dx) - f(x - dx)) / (2 * dx);',
        "const reference = grad((t: Tensor) => t.sin())(tensor(1, { dtype: 'float64' })).item();",
        'Math.abs(central(Math.sin, 1, 1e-5) - reference) < 1e-9',
      ].join('\n'),
    ],
    [
      CH2,
      'ex-gd-minibatch-code',
      'ex-gd-minibatch',
      [
        'const miniBatchStep = (k: number, b: number, batch: number[], rate: number): [number, number] => {',
        '  let dk = 0;',
        '  let db = 0;',
        '  for (const i of batch) {',
        '    const r = k * zData[i] + b - yData[i];',
        '    dk += r * zData[i];',
        '    db += r;',
        '  }',
        '  return [k - (rate * dk) / batch.length, b - (rate * db) / batch.length];',
        '};',
        'const checkBatch = [3, 7, 11, 19];',
        "const kb = tensor([0.5, -1], { dtype: 'float64', requiresGrad: true });",
        "const zb = tensor(checkBatch.map((i) => [zData[i], 1]), { dtype: 'float64' });",
        "const yb = tensor(checkBatch.map((i) => yData[i]), { dtype: 'float64' });",
        'F.mseLoss(zb.matmul(kb), yb).div(2).backward();',
        'const expected = (kb.toArray() as number[]).map((v, j) => v - 0.1 * (kb.grad!.toArray() as number[])[j]);',
        'const mine = miniBatchStep(0.5, -1, checkBatch, 0.1);',
        'Math.abs(mine[0] - expected[0]) < 1e-9 && Math.abs(mine[1] - expected[1]) < 1e-9',
      ].join('\n'),
    ],
  ] as const) {
    test(`code exercise ${exerciseId}: rejected as given, accepted when solved`, async ({
      page,
    }) => {
      test.setTimeout(120_000);
      await expectCodeExercise(page, path, cellId, exerciseId, code);
    });
  }
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });
  test('questions, hints and solutions are readable', async ({ page }) => {
    await page.goto(CH2);
    const root = page.locator('#ex-gd-first-step');
    await expect(root).toContainText('Compute');
    await expect(root.locator('form')).toBeHidden();
    await root.locator('summary', { hasText: 'Solution' }).click();
    await expect(root.getByText('more precisely')).toBeVisible();
  });
});
