import { expect, type Locator, type Page } from '@playwright/test';
import { replaceCode } from './cells-ui.ts';
import { watchForProblems } from './pages.ts';

// Steps shared by the Part I specs (part1-a, part1-b): figures, number exercises and code
// exercises are built the same way in every chapter, so they are driven the same way.

/**
 * Scrolls a figure into view and waits until it has hydrated; with `drawn`, also until it
 * reports how many frames it has drawn.
 */
export async function openFigure(
  page: Page,
  id: string,
  { drawn = false }: { drawn?: boolean } = {},
): Promise<Locator> {
  const root = page.locator(`[data-figure="${id}"]`);
  await root.scrollIntoViewIfNeeded();
  await expect(root).toHaveAttribute('data-hydrated', 'true');
  if (drawn) await expect(root).toHaveAttribute('data-frames', /\d+/);
  return root;
}

/** Changes a control, then expects a redrawn plot and a description matching `expected`. */
export async function expectRedraw(
  root: Locator,
  change: () => Promise<unknown>,
  expected: RegExp,
): Promise<void> {
  const before = await root.locator('[data-plot]').innerHTML();
  await change();
  await expect.poll(() => root.locator('[data-plot]').innerHTML()).not.toBe(before);
  await expect(root.locator('[data-describe]')).toContainText(expected);
}

/** Fills a number exercise, presses Check and returns its status line. */
export async function answer(page: Page, id: string, text: string): Promise<Locator> {
  const root = page.locator(`#${id}`);
  await root.getByLabel('Your answer').fill(text);
  await root.getByRole('button', { name: 'Check' }).click();
  return root.getByRole('status');
}

/** A number exercise on `path` marks `wrong` incorrect, then `right` correct, with no errors. */
export async function expectNumberExercise(
  page: Page,
  path: string,
  id: string,
  right: string,
  wrong: string,
): Promise<void> {
  const watch = watchForProblems(page);
  await page.goto(path);
  const status = await answer(page, id, wrong);
  await expect(status).toContainText('Not quite');
  await expect(page.locator(`#${id}`)).toHaveAttribute('data-state', 'incorrect');
  await answer(page, id, right);
  await expect(status).toContainText('Correct');
  await expect(page.locator(`#${id}`)).toHaveAttribute('data-state', 'correct');
  watch.assertClean();
}

/**
 * A code exercise on `path` says "Not yet" for the cell's code as given, then "Correct" once
 * `code` replaces it and runs, with no errors on the page.
 */
export async function expectCodeExercise(
  page: Page,
  path: string,
  cellId: string,
  exerciseId: string,
  code: string,
): Promise<void> {
  const watch = watchForProblems(page);
  await page.goto(path);
  const exercise = page.locator(`#${exerciseId}`);
  await exercise.getByRole('button', { name: 'Check' }).click();
  const status = exercise.getByRole('status');
  await expect(status).toContainText('Not yet', { timeout: 60_000 });
  const cell = page.locator(`[data-cell="${cellId}"]`);
  await replaceCode(page, cell, code);
  await cell.getByRole('button', { name: 'Run' }).click();
  await expect(status).toContainText('Correct', { timeout: 60_000 });
  await expect(exercise).toHaveAttribute('data-state', 'correct');
  watch.assertClean();
}
