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
