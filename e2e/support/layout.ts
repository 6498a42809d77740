import { expect, type Page } from '@playwright/test';

// The layout checks the chapter specs share: on a phone nothing widens the page and every
// display equation fits, and every plot draws its text in a colour that stands out from the
// page background.

/** Relative luminance (0 black … 1 white) of a CSS `rgb(…)` colour. */
function luminance(color: string): number {
  const [r, g, b] = (color.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
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

const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

/** Scrolls to every figure on the page in turn and waits until each one has hydrated. */
export async function hydrateFigures(page: Page): Promise<void> {
  for (const figure of await page.locator('[data-figure]').all()) {
    await figure.scrollIntoViewIfNeeded();
    await expect(figure).toHaveAttribute('data-hydrated', 'true');
  }
}

/**
 * Expects the page to have at least one plot (a figure's or a cell output's, with axes or
 * ticks) and every plot's text to have a contrast above 4.5 against the page background.
 */
export async function expectReadablePlots(page: Page): Promise<void> {
  const { background, plots } = await plotColors(page);
  expect(plots.length).toBeGreaterThan(0);
  for (const plot of plots) {
    expect(
      contrast(luminance(plot.color), luminance(background)),
      `${plot.where}: plot text ${plot.color} on ${background}`,
    ).toBeGreaterThan(4.5);
  }
}

/**
 * The phone-layout checks (run at a 390 px viewport): nothing widens the page, no display
 * equation needs a sideways swipe, and unless `plots` is false, every plot's text stands out
 * from the page background ({@link expectReadablePlots}). Expects the page to be open, with
 * its figures hydrated ({@link hydrateFigures}) where they matter.
 */
export async function expectPhoneLayout(
  page: Page,
  { plots = true }: { plots?: boolean } = {},
): Promise<void> {
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
  if (plots) await expectReadablePlots(page);
}
