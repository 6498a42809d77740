import { test, expect } from '@playwright/test';
import { pagesWithCells } from './support/cells.ts';

// Every cell of the book (chapters and the how-to page), run in the browser, must give exactly
// the output the build embedded in the page: the build and the browser share one kernel.
// Long cells are skipped: the build does not run them.
const pages = pagesWithCells();

test.describe.configure({ timeout: 180_000 });

function normalize(html: string): string {
  return html.replace(/\s+/g, ' ').trim();
}

const NUMBER = /-?\d+(?:\.(\d+))?(?:e[-+]?\d+)?/gi;

/**
 * Compares output markup. Node and Chromium ship different V8 versions whose Math functions
 * may differ in the last bit, which can flip the last printed digit of a rounded coordinate;
 * so two numbers may differ by one unit in their last printed place. Everything else must be
 * identical.
 */
function sameOutput(a: string, b: string): boolean {
  const textA = a.replace(NUMBER, '#');
  const textB = b.replace(NUMBER, '#');
  if (textA !== textB) return false;
  const numsA = [...a.matchAll(NUMBER)];
  const numsB = [...b.matchAll(NUMBER)];
  return numsA.every((m, i) => {
    const n = numsB[i]!;
    if (m[0] === n[0]) return true;
    const decimals = Math.max(m[1]?.length ?? 0, n[1]?.length ?? 0);
    return Math.abs(Number(m[0]) - Number(n[0])) <= 1.5 * 10 ** -decimals;
  });
}

for (const path of pages) {
  test(`cells of /${path} give their prerendered outputs in the browser`, async ({ page }) => {
    await page.goto(path);
    const cells = page.locator('[data-cell]:not([data-long])');
    const count = await cells.count();
    test.skip(count === 0, 'only long cells');
    const read = () =>
      cells.evaluateAll((els) =>
        els.map((el) => ({
          id: el.getAttribute('data-cell'),
          output: el.querySelector('[data-output]')!.innerHTML,
        })),
      );
    const before = await read();
    await page.getByRole('button', { name: 'Run all', exact: true }).click();
    await expect
      .poll(
        () =>
          cells.evaluateAll(
            (els) => els.filter((el) => el.getAttribute('data-runs') === '0').length,
          ),
        {
          timeout: 150_000,
        },
      )
      .toBe(0);
    // Wait for the last cell to finish (its runs count rises as it finishes).
    await expect(
      page.locator('[data-cell][data-state="running"], [data-cell][data-state="queued"]'),
    ).toHaveCount(0);
    const after = await read();
    for (let i = 0; i < before.length; i++) {
      const [was, now] = [normalize(before[i]!.output), normalize(after[i]!.output)];
      // On a mismatch, show both in full.
      if (!sameOutput(was, now)) expect(now, `cell "${before[i]!.id}" on /${path}`).toBe(was);
    }
  });
}
