import { expect, type Page } from '@playwright/test';
import { answer } from './part1.ts';
import { watchForProblems } from './pages.ts';

/**
 * Checks several number exercises on one page load: each one marks `wrong` incorrect and then
 * `right` correct, and the page logs no errors. (One load per page instead of one per exercise
 * keeps the spec's share of the test line small.)
 */
export async function expectNumberExercises(
  page: Page,
  path: string,
  exercises: { id: string; right: string; wrong: string }[],
): Promise<void> {
  const watch = watchForProblems(page);
  await page.goto(path);
  for (const { id, right, wrong } of exercises) {
    const root = page.locator(`#${id}`);
    await root.scrollIntoViewIfNeeded();
    const status = await answer(page, id, wrong);
    await expect(status).toContainText('Not quite');
    await expect(root).toHaveAttribute('data-state', 'incorrect');
    await answer(page, id, right);
    await expect(status).toContainText('Correct');
    await expect(root).toHaveAttribute('data-state', 'correct');
  }
  watch.assertClean();
}

/** Relative luminance (0 black … 1 white) of a CSS `rgb(…)` colour. */
function luminance(color: string): number {
  const [r, g, b] = (color.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/**
 * The phone-layout checks of part1-layout.spec.ts for another page: nothing widens the page, no
 * display equation needs a sideways swipe, and every plot's text stands out from the page
 * background. Expects the page to be open with its figures hydrated.
 */
export async function expectPhoneLayout(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(widths.scroll, 'the page must not scroll sideways').toBeLessThanOrEqual(widths.client);
  const wideEquations = await page.evaluate(() =>
    [...document.querySelectorAll('.katex-display')]
      .filter((e) => e.scrollWidth > e.clientWidth + 2)
      .map((e) => `${e.closest('[id]')?.id}: ${e.scrollWidth}px in ${e.clientWidth}px`),
  );
  expect(wideEquations).toEqual([]);
  const { background, plots } = await page.evaluate(() => ({
    background:
      [document.body, document.documentElement]
        .map((el) => getComputedStyle(el).backgroundColor)
        .find((c) => !/rgba\(.*, 0\)$/.test(c)) ?? 'rgb(255, 255, 255)',
    plots: [
      ...document.querySelectorAll<SVGSVGElement>(
        '[data-figure] [data-plot] svg, .cell-output svg',
      ),
    ]
      .filter((svg) => svg.querySelector('g[aria-label$="axis"], g[aria-label*="tick"]'))
      .map((svg) => ({
        where:
          svg.closest('[data-figure]')?.getAttribute('data-figure') ??
          svg.closest('[data-cell]')?.getAttribute('data-cell') ??
          '?',
        color: getComputedStyle(svg).color,
      })),
  }));
  expect(plots.length).toBeGreaterThan(0);
  const bg = luminance(background);
  for (const plot of plots) {
    const fg = luminance(plot.color);
    const contrast = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    expect(contrast, `${plot.where}: plot text ${plot.color} on ${background}`).toBeGreaterThan(
      4.5,
    );
  }
}
