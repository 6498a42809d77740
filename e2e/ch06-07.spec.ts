import { test, expect, type Locator, type Page } from '@playwright/test';
import { watchForProblems } from './support/pages.ts';
import { answer, expectCodeExercise, expectRedraw, openFigure } from './support/part1.ts';

// Chapters 6 (backpropagation) and 7 (loss functions): the pages load cleanly with their
// worked examples prerendered, every internal link resolves, every figure answers its
// controls, every exercise accepts the right answer and rejects a wrong one, and the pages
// fit a phone in dark mode.

const CH6 = 'chapters/backpropagation/';
const CH7 = 'chapters/loss-functions/';

async function press(root: Locator, page: Page, name: string, key: string, times = 1) {
  await root.getByRole('slider', { name }).focus();
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
}

/** The internal links of `main` whose page or anchor does not exist. */
async function brokenLinks(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const links = [...document.querySelectorAll<HTMLAnchorElement>('main a[href]')].filter(
      (a) => a.origin === location.origin,
    );
    const pages = new Map<string, Document | null>();
    const problems: string[] = [];
    for (const a of links) {
      if (!pages.has(a.pathname)) {
        const response = await fetch(a.pathname);
        pages.set(
          a.pathname,
          response.ok ? new DOMParser().parseFromString(await response.text(), 'text/html') : null,
        );
      }
      const target = pages.get(a.pathname);
      if (!target) problems.push(`${a.getAttribute('href')}: page missing`);
      else if (a.hash && !target.getElementById(decodeURIComponent(a.hash.slice(1))))
        problems.push(`${a.getAttribute('href')}: no such anchor`);
    }
    return problems;
  });
}

/** A chapter page: no errors, not a draft, its worked examples prerendered, its links whole. */
async function expectChapter(page: Page, path: string, cells: Record<string, string>) {
  const watch = watchForProblems(page);
  await page.goto(path);
  await expect(page.locator('h1')).toBeVisible();
  await expect(page.locator('main')).not.toContainText('planned but not yet written');
  expect(await page.locator('.katex').count()).toBeGreaterThan(40);
  expect(await page.locator('[data-exercise]').count()).toBeGreaterThanOrEqual(4);
  for (const [id, text] of Object.entries(cells)) {
    await expect(page.locator(`[data-cell="${id}"]`)).toContainText(text);
  }
  expect(await brokenLinks(page)).toEqual([]);
  watch.assertClean();
}

test.describe('pages', () => {
  test(`chapter 6 loads cleanly with its worked examples and links`, async ({ page }) => {
    await expectChapter(page, CH6, {
      'bp-graph-hand': "dy/dx0' = 2, dy/dx1' = 3, dy/dx0 = 2, dy/dx1 = 5",
      'bp-count': '1771470',
      'bp-delta-check': '1.1e-19',
      'bp-sigmoid-bound': '0.0009765625',
    });
  });

  test(`chapter 7 loads cleanly with its worked examples, note and links`, async ({ page }) => {
    await expectChapter(page, CH7, {
      'ls-overflow': 'NaN, NaN, NaN',
      'ls-logits-misuse': '0.503204',
      'ls-huber-source': '0.43875',
      'ls-outlier-fits': 'slope 1.997',
    });
    await expect(page.locator('aside.note-source')).toHaveCount(1);
  });
});

test.describe('figures', () => {
  test('chapter 6: the graph steps forward and back; gradient norms follow their controls', async ({
    page,
  }) => {
    const watch = watchForProblems(page);
    await page.goto(CH6);
    const root = await openFigure(page, 'fig-bp-graph');
    await expect(root.locator('[data-describe]')).toContainText('Step 0 of 9');
    await expectRedraw(root, () => press(root, page, 'Step', 'ArrowRight', 4), /y = x₀′ · x₁′ = 6/);
    await expectRedraw(root, () => press(root, page, 'Step', 'End'), /= 2 \+ 3 = 5/);
    await expectRedraw(root, () => press(root, page, 'Input x₀', 'ArrowRight', 2), /= 2 \+ 4 = 6/);

    // Gradient norms: activation, depth and scale.
    const norms = await openFigure(page, 'fig-bp-vanishing');
    await expect(norms.locator('[data-describe]')).toContainText('4.61e-7 at the first layer');
    await expectRedraw(
      norms,
      () => norms.getByRole('combobox', { name: 'Activation' }).selectOption('tanh'),
      /^tanh, 10 hidden layers/,
    );
    await expectRedraw(
      norms,
      () => press(norms, page, 'Hidden layers', 'ArrowRight'),
      /tanh, 11 hidden layers/,
    );
    await expectRedraw(
      norms,
      () => press(norms, page, 'Initial weight scale', 'ArrowRight'),
      /standard deviation 1\.25\/√32/,
    );
    watch.assertClean();
  });

  test('outlier: dragging it moves the squared-error line only', async ({ page }) => {
    const watch = watchForProblems(page);
    await page.goto(CH7);
    const root = await openFigure(page, 'fig-loss-outlier');
    const describe = root.locator('[data-describe]');
    await expect(describe).toContainText('Outlier at (9.0, -5.00), Huber δ = 1.35');
    await expectRedraw(root, () => press(root, page, 'Outlier', 'ArrowUp'), /\(9\.0, -4\.75\)/);
    await expectRedraw(root, () => press(root, page, 'Huber δ', 'ArrowRight'), /δ = 1\.40/);
    // Shift + arrow moves 10 steps: far above the line, the squared-error slope climbs.
    const slope = async () =>
      Number(/squared ½r²: slope (-?[\d.]+)/.exec(await describe.innerText())![1]);
    const before = await slope();
    await root.getByRole('slider', { name: 'Outlier' }).focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+ArrowUp');
    await expect.poll(slope).toBeGreaterThan(before + 0.3);
    watch.assertClean();
  });
});

test.describe('exercises', () => {
  // Each number exercise marks a wrong answer incorrect, then the right one correct.
  const numbers: Record<string, [string, string, string][]> = {
    [CH6]: [
      ['ex-bp-graph', '8', '5'],
      ['ex-bp-delta-out', '-0.0887236', '0.0887236'],
      ['ex-bp-vanish', '10', '9'],
    ],
    [CH7]: [
      ['ex-ls-bce', '0.223144', '1.609438'],
      ['ex-ls-lse', '1000.693147', '1000'],
      ['ex-ls-huber-jump', '0.5', '0.43875'],
    ],
  };
  for (const [path, exercises] of Object.entries(numbers)) {
    test(`number exercises of ${path}`, async ({ page }) => {
      const watch = watchForProblems(page);
      await page.goto(path);
      for (const [id, right, wrong] of exercises) {
        const status = await answer(page, id, wrong);
        await expect(status).toContainText('Not quite');
        await expect(page.locator(`#${id}`)).toHaveAttribute('data-state', 'incorrect');
        await answer(page, id, right);
        await expect(status).toContainText('Correct');
        await expect(page.locator(`#${id}`)).toHaveAttribute('data-state', 'correct');
      }
      watch.assertClean();
    });
  }

  test('code exercise 6.4: valueExp', async ({ page }) => {
    await expectCodeExercise(
      page,
      CH6,
      'ex-bp-exp-code',
      'ex-bp-exp',
      [
        'const valueExp = (v: Value): Value => {',
        '  const out = new Value(Math.exp(v.data), [v]);',
        '  out.backwardStep = () => {',
        '    v.grad += out.data * out.grad;',
        '  };',
        '  return out;',
        '};',
        'const xe = new Value(0.7);',
        'xe.mul(valueExp(xe)).backward();',
        'Math.abs(xe.grad - 1.7 * Math.exp(0.7)) < 1e-12',
      ].join('\n'),
    );
  });

  test('code exercise 7.4: logSumExp', async ({ page }) => {
    await expectCodeExercise(
      page,
      CH7,
      'ex-ls-lse-code',
      'ex-ls-lse-code-check',
      [
        'const logSumExp = (zs: number[]): number => {',
        '  const m = Math.max(...zs);',
        '  return m + Math.log(zs.reduce((s, z) => s + Math.exp(z - m), 0));',
        '};',
        'const lseCases = [[1000, 1001, 1002], [-1000, -1001, -1002], [-50, 0, 800]];',
        'lseCases.every((zs) => Math.abs(logSumExp(zs) - logsumexp(tensor(zs, f64), 0).item()) < 1e-9)',
      ].join('\n'),
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
const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

// The phone check of part1-layout.spec.ts, for these two chapters.
test.describe('phone, dark mode', () => {
  test.use({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', hasTouch: true });
  for (const path of [CH6, CH7]) {
    test(`no horizontal overflow, equations fit, readable plots: ${path}`, async ({ page }) => {
      const watch = watchForProblems(page);
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
      for (const figure of await page.locator('[data-figure]').all()) {
        await figure.scrollIntoViewIfNeeded();
        await expect(figure).toHaveAttribute('data-hydrated', 'true');
      }
      const layout = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
        wideEquations: [...document.querySelectorAll('.katex-display')]
          .filter((e) => e.scrollWidth > e.clientWidth + 2)
          .map((e) => `${e.closest('[id]')?.id}: ${e.scrollWidth}px in ${e.clientWidth}px`),
        background:
          [document.body, document.documentElement]
            .map((el) => getComputedStyle(el).backgroundColor)
            .find((c) => !/rgba\(.*, 0\)$/.test(c)) ?? 'rgb(255, 255, 255)',
        plots: [
          ...document.querySelectorAll<SVGSVGElement>(
            '[data-figure] [data-plot] svg, .cell-output svg',
          ),
        ]
          .filter((svg) => svg.querySelector('g[aria-label$="axis"], g[aria-label*="tick"], text'))
          .map((svg) => ({
            where:
              svg.closest('[data-figure]')?.getAttribute('data-figure') ??
              svg.closest('[data-cell]')?.getAttribute('data-cell') ??
              '?',
            color: getComputedStyle(svg).color,
          })),
      }));
      expect(layout.scroll, 'the page must not scroll sideways').toBeLessThanOrEqual(layout.client);
      expect(layout.wideEquations).toEqual([]);
      expect(layout.plots.length).toBeGreaterThan(0);
      for (const plot of layout.plots) {
        expect(
          contrast(luminance(plot.color), luminance(layout.background)),
          `${plot.where}: plot text ${plot.color} on ${layout.background}`,
        ).toBeGreaterThan(4.5);
      }
      watch.assertClean();
    });
  }
});
