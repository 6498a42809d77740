import { test, expect, type Page } from '@playwright/test';
import { watchForProblems } from './support/pages.ts';

// Chapters 1–4 on a phone-sized screen in dark mode and on a desktop in light mode: nothing
// widens the page, every figure and every cell plot draws its axes and labels in a colour that
// stands out from the page background, and the pages log no errors.

const CHAPTERS = [
  'chapters/derivatives/',
  'chapters/gradient-descent/',
  'chapters/taylor-view/',
  'chapters/newton/',
];

/** Relative luminance (0 black … 1 white) of a CSS `rgb(…)` colour. */
function luminance(color: string): number {
  const [r, g, b] = (color.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The text colour of every plot (figures and cell outputs) and the page background. */
async function plotColors(page: Page) {
  return page.evaluate(() => {
    const svgs = [
      ...document.querySelectorAll<SVGSVGElement>(
        '[data-figure] [data-plot] svg, .cell-output svg',
      ),
    ].filter((svg) => svg.querySelector('g[aria-label$="axis"], g[aria-label*="tick"]'));
    return {
      // The page colour sits on <body> or <html>; a transparent one reads rgba(0, 0, 0, 0).
      background:
        [document.body, document.documentElement]
          .map((el) => getComputedStyle(el).backgroundColor)
          .find((c) => !/rgba\(.*, 0\)$/.test(c)) ?? 'rgb(255, 255, 255)',
      plots: svgs.map((svg) => ({
        where:
          svg.closest('[data-figure]')?.getAttribute('data-figure') ??
          svg.closest('[data-cell]')?.getAttribute('data-cell') ??
          '?',
        color: getComputedStyle(svg).color,
      })),
    };
  });
}

async function hydrateFigures(page: Page) {
  for (const figure of await page.locator('[data-figure]').all()) {
    await figure.scrollIntoViewIfNeeded();
    await expect(figure).toHaveAttribute('data-hydrated', 'true');
  }
}

const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

test.describe('phone, dark mode', () => {
  test.use({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', hasTouch: true });
  for (const path of CHAPTERS) {
    test(`no horizontal overflow, readable plots: ${path}`, async ({ page }) => {
      const watch = watchForProblems(page);
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
      await hydrateFigures(page);
      const widths = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      expect(widths.scroll, 'the page must not scroll sideways').toBeLessThanOrEqual(widths.client);
      // Display equations are broken into lines that fit, so nobody has to swipe through math.
      const wideEquations = await page.evaluate(() =>
        [...document.querySelectorAll('.katex-display')]
          .filter((e) => e.scrollWidth > e.clientWidth + 2)
          .map((e) => `${e.closest('[id]')?.id}: ${e.scrollWidth}px in ${e.clientWidth}px`),
      );
      expect(wideEquations).toEqual([]);
      const { background, plots } = await plotColors(page);
      expect(plots.length).toBeGreaterThan(0);
      for (const plot of plots) {
        expect(
          contrast(luminance(plot.color), luminance(background)),
          `${plot.where}: plot text ${plot.color} on ${background}`,
        ).toBeGreaterThan(4.5);
      }
      watch.assertClean();
    });
  }
});

test.describe('desktop, light mode', () => {
  test.use({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  for (const path of CHAPTERS) {
    test(`readable plots: ${path}`, async ({ page }) => {
      const watch = watchForProblems(page);
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
      await hydrateFigures(page);
      const { background, plots } = await plotColors(page);
      expect(plots.length).toBeGreaterThan(0);
      for (const plot of plots) {
        expect(
          contrast(luminance(plot.color), luminance(background)),
          `${plot.where}: plot text ${plot.color} on ${background}`,
        ).toBeGreaterThan(4.5);
      }
      watch.assertClean();
    });
  }
});
