import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { builtPages } from './support/pages.ts';

// axe on every built page, in both colour schemes: no serious or critical violations.
for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} mode`, () => {
    test.use({ colorScheme: scheme });
    // axe walks every node of a long chapter; on a busy 2-core machine that can take a minute.
    test.describe.configure({ timeout: 180_000 });
    for (const path of builtPages()) {
      test(`axe: /${path}`, async ({ page }) => {
        await page.goto(path);
        await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
        const results = await new AxeBuilder({ page })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21aa'])
          .analyze();
        const bad = results.violations.filter(
          (v) => v.impact === 'serious' || v.impact === 'critical',
        );
        const report = bad
          .map(
            (v) =>
              `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes
                .slice(0, 5)
                .map((n) => n.target.join(' '))
                .join('\n  ')}`,
          )
          .join('\n');
        expect(bad, report).toEqual([]);
      });
    }
  });
}
