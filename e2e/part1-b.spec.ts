import { test, expect, type Locator, type Page } from '@playwright/test';
import { watchForProblems } from './support/pages.ts';
import {
  expectCodeExercise,
  expectNumberExercise,
  expectRedraw,
  openFigure,
} from './support/part1.ts';

// Chapters 3 and 4 and the errata, notation and references pages: every figure renders and
// answers its controls, every exercise accepts the right answer and rejects a wrong one, the
// worked examples are in the prerendered HTML, and no page logs an error.

const CH3 = 'chapters/taylor-view/';
const CH4 = 'chapters/newton/';

async function nudge(root: Locator, page: Page, name: string, key: string) {
  await root.getByRole('slider', { name }).focus();
  await page.keyboard.press(key);
}

test.describe('pages', () => {
  for (const path of [CH3, CH4, 'errata/', 'notation/', 'references/']) {
    test(`loads cleanly: ${path}`, async ({ page }) => {
      const watch = watchForProblems(page);
      await page.goto(path);
      await expect(page.locator('h1')).toBeVisible();
      if (path.startsWith('chapters'))
        expect(await page.locator('.katex').count()).toBeGreaterThan(50);
      for (const figure of await page.locator('[data-figure]').all()) {
        await figure.scrollIntoViewIfNeeded();
        await expect(figure).toHaveAttribute('data-hydrated', 'true');
      }
      await page.waitForTimeout(300);
      watch.assertClean();
    });
  }

  test('chapters have their exercises and stable anchors', async ({ page }) => {
    await page.goto(CH3);
    expect(await page.locator('[data-exercise]').count()).toBeGreaterThanOrEqual(3);
    for (const id of ['sec-tv-math', 'sec-tv-small-step', 'eq-tv-step', 'fig-taylor-disk']) {
      await expect(page.locator(`#${id}`)).toHaveCount(1);
    }
    await page.goto(CH4);
    expect(await page.locator('[data-exercise]').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('aside.note-source').count()).toBeGreaterThanOrEqual(1);
    for (const id of [
      'sec-newton-zigzag',
      'sec-newton-damped',
      'eq-newton-step',
      'fig-landscape',
    ]) {
      await expect(page.locator(`#${id}`)).toHaveCount(1);
    }
  });

  test('the worked examples are in the prerendered pages', async ({ page }) => {
    await page.goto(CH3);
    await expect(page.locator('[data-cell="tv-loss"]')).toContainText('1.446402');
    await expect(page.locator('[data-cell="tv-circle"]')).toContainText("bestAngle: '343.9'");
    await expect(page.locator('[data-cell="tv-error-table"]')).toContainText('-3.680326');
    await expect(page.locator('[data-cell="tv-sgd"]')).toContainText('0.986173');
    await page.goto(CH4);
    await expect(page.locator('[data-cell="nt-steepest"]')).toContainText('steps: 39');
    await expect(page.locator('[data-cell="nt-angle"]')).toContainText('33.69');
    await expect(page.locator('[data-cell="nt-saddle"]')).toContainText('gdSteps: 87');
    await expect(page.locator('[data-cell="nt-engine"]')).toContainText('-3.706e-21');
  });

  test('errata links point at the chapters', async ({ page }) => {
    await page.goto('errata/');
    for (const slug of [
      'derivatives',
      'gradient-descent',
      'newton',
      'loss-functions',
      'regularization',
      'adaptive-learning-rates',
      'convolutional-networks',
    ]) {
      await expect(page.locator(`a[href*="chapters/${slug}/"]`).first()).toBeVisible();
    }
    await page.locator('a[href*="chapters/newton/#sec-newton-line-search"]').click();
    await expect(page).toHaveURL(/chapters\/newton\/#sec-newton-line-search$/);
    await expect(page.locator('#sec-newton-line-search')).toBeVisible();
  });
});

test.describe('links', () => {
  const pages = [
    'chapters/derivatives/',
    'chapters/gradient-descent/',
    CH3,
    CH4,
    'errata/',
    'notation/',
    'references/',
  ];
  for (const path of pages) {
    test(`every internal link and anchor resolves: ${path}`, async ({ page }) => {
      await page.goto(path);
      // Fetch each linked page once and look for the anchor in its HTML.
      const broken = await page.evaluate(async () => {
        const links = [...document.querySelectorAll<HTMLAnchorElement>('main a[href]')].filter(
          (a) => a.origin === location.origin,
        );
        const pages = new Map<string, Document | null>();
        const problems: string[] = [];
        for (const a of links) {
          const url = a.pathname;
          if (!pages.has(url)) {
            const response = await fetch(url);
            pages.set(
              url,
              response.ok
                ? new DOMParser().parseFromString(await response.text(), 'text/html')
                : null,
            );
          }
          const target = pages.get(url);
          if (!target) problems.push(`${a.getAttribute('href')}: page missing`);
          else if (a.hash && !target.getElementById(decodeURIComponent(a.hash.slice(1))))
            problems.push(`${a.getAttribute('href')}: no such anchor`);
        }
        return problems;
      });
      expect(broken).toEqual([]);
    });
  }
});

test.describe('figures', () => {
  test('Taylor disk: point, radius and model', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH3);
    const root = await openFigure(page, 'fig-taylor-disk');
    await expect(root.locator('[data-describe]')).toContainText(
      'Around (-3.00, 1.00) with radius 2.00',
    );
    await expectRedraw(root, () => nudge(root, page, 'Radius d', 'ArrowLeft'), /radius 1\.95/);
    await expectRedraw(
      root,
      () => root.getByRole('combobox', { name: 'Model contours' }).selectOption('quadratic'),
      /radius 1\.95/,
    );
    await expectRedraw(
      root,
      () => nudge(root, page, 'Current point', 'ArrowRight'),
      /Around \(-2\.95, 1\.00\)/,
    );
    watch.assertClean();
  });

  test('landscape: step size, condition number, line search and start point', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH4);
    const root = await openFigure(page, 'fig-landscape');
    await expect(root.locator('[data-describe]')).toContainText(
      'reaches the minimum (1, 2) in 53 steps',
    );
    await expectRedraw(
      root,
      () => root.getByRole('combobox', { name: 'Step rule' }).selectOption('exact'),
      /exact line search .* in 39 steps/,
    );
    await root.getByRole('combobox', { name: 'Step rule' }).selectOption('fixed');
    await expectRedraw(
      root,
      async () => {
        const slider = root.getByRole('slider', { name: 'Step size η' });
        await slider.focus();
        for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
      },
      /η = 0\.41 .* diverges/,
    );
    await expectRedraw(
      root,
      () => nudge(root, page, 'Condition number κ', 'ArrowLeft'),
      /condition number 4\.5/,
    );
    await expectRedraw(
      root,
      () => nudge(root, page, 'Start point', 'ArrowUp'),
      /from \(4\.00, 0\.05\)/,
    );
    watch.assertClean();
  });

  test('Newton 1-D: start, steps and step size', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH4);
    const root = await openFigure(page, 'fig-newton-1d');
    await expect(root.locator('[data-describe]')).toContainText('x = 3.837467');
    await expectRedraw(
      root,
      async () => {
        await root.getByRole('slider', { name: 'Start x₀' }).fill('2');
      },
      /From x₀ = 2\.00, .*x = 1\.977383 .*a maximum/,
    );
    await expectRedraw(root, () => nudge(root, page, 'Steps', 'ArrowLeft'), /after 3 Newton steps/);
    await expectRedraw(
      root,
      () => nudge(root, page, 'Gradient-descent step η', 'ArrowRight'),
      /η = 0\.45/,
    );
    watch.assertClean();
  });

  test('Newton 2-D: function, start point and step size', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH4);
    const root = await openFigure(page, 'fig-newton-2d');
    await expect(root.locator('[data-describe]')).toContainText(
      'takes 87 steps and ends at (0.000, 1.000)',
    );
    await expectRedraw(
      root,
      () => root.getByRole('combobox', { name: 'Function' }).selectOption('quadratic'),
      /Newton's method takes 1 step and ends at \(1\.000, 2\.000\)/,
    );
    await expectRedraw(
      root,
      () => nudge(root, page, 'Start point', 'ArrowLeft'),
      /From \(0\.950, 0\.100\)/,
    );
    await expectRedraw(
      root,
      () => nudge(root, page, 'Gradient-descent step η', 'ArrowRight'),
      /η = 0\.11/,
    );
    watch.assertClean();
  });
});

test.describe('exercises', () => {
  const numberExercises: [string, string, string, string][] = [
    [CH3, 'ex-tv-linear-drop', '-0.064321', '-0.010887'],
    [CH3, 'ex-tv-eta', '0.0158114', '0.1'],
    [CH3, 'ex-tv-quadratic-error', '0.001161', '0.006865'],
    [CH4, 'ex-newton-alpha', '0.333333', '0.2'],
    [CH4, 'ex-newton-1d', '-1.326752', '-1.306440'],
    [CH4, 'ex-newton-eta', '0.4', '0.2'],
    [CH4, 'ex-newton-angle', '33.690068', '45'],
  ];
  for (const [path, id, right, wrong] of numberExercises) {
    test(`${id} rejects ${wrong} and accepts ${right}`, async ({ page }) => {
      await expectNumberExercise(page, path, id, right, wrong);
    });
  }

  const codeExercises = [
    [
      CH3,
      'ex-tv-circle-cell',
      'ex-tv-circle',
      [
        'function bestOnCircle(d: number): [number, number] {',
        '  let best: [number, number] = [-3 + d, 1];',
        '  for (let i = 0; i < 3600; i++) {',
        '    const a = (i / 10) * (Math.PI / 180);',
        '    const p: [number, number] = [-3 + d * Math.cos(a), 1 + d * Math.sin(a)];',
        '    if (L(tensor(p, f64)).item() < L(tensor(best, f64)).item()) best = p;',
        '  }',
        '  return best;',
        '}',
        'const [p1, p2] = bestOnCircle(1);',
        'Math.hypot(p1 + 3, p2 - 1) > 0.999 && L(tensor([p1, p2], f64)).item() < -0.5128',
      ].join('\n'),
    ],
    [
      CH4,
      'ex-newton-saddle-cell',
      'ex-newton-saddle',
      [
        'const hyperbolic = (p: Tensor) => p.select(0, 0).square().sub(p.select(0, 1).square());',
        'function escape(eta: number): Tensor {',
        '  let p = tensor([1, 0.01], f64);',
        '  for (let k = 0; k < 20; k++) p = p.sub(grad(hyperbolic)(p).mul(eta));',
        '  return p;',
        '}',
        'const etaChosen = 0.1;',
        'etaChosen <= 0.2 && hyperbolic(escape(etaChosen)).item() < -0.1',
      ].join('\n'),
    ],
  ] as const;
  for (const [path, cellId, exerciseId, code] of codeExercises) {
    test(`code exercise ${exerciseId}: rejected as given, accepted when solved`, async ({
      page,
    }) => {
      test.setTimeout(120_000);
      await expectCodeExercise(page, path, cellId, exerciseId, code);
    });
  }
});
