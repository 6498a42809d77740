import { test, expect } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { pagesWithCells } from './support/cells.ts';

// Budgets of the notebook runtime, measured in a real browser against the built site:
// - a chapter page loads at most 30 KB (gzip) of JavaScript before the reader interacts;
// - the editor is ready within 250 ms of the reader starting to edit;
// - the first Run on a warm page (kernel started) shows its output within 300 ms.
// The timing assertions are generous (shared CI machines are slow); the measured numbers are
// attached to the test results and printed.

const chapters = pagesWithCells('chapters/');

test('chapter pages load at most 30 KB of gzip JavaScript before interaction', async ({
  browser,
}) => {
  test.skip(chapters.length === 0, 'no chapter has cells yet');
  for (const path of chapters) {
    const context = await browser.newContext(); // a cold cache for every page
    const page = await context.newPage();
    const scripts = new Map<string, number>();
    page.on('response', async (response) => {
      const type = response.request().resourceType();
      if (type !== 'script') return;
      try {
        scripts.set(response.url(), gzipSync(await response.body(), { level: 9 }).length);
      } catch {
        // a response without a body (redirect)
      }
    });
    await page.goto(path, { waitUntil: 'networkidle' });
    const total = [...scripts.values()].reduce((a, b) => a + b, 0);
    const line = `/${path}: ${(total / 1024).toFixed(1)} KB gzip in ${scripts.size} scripts`;
    console.log(line);
    test.info().annotations.push({ type: 'js-before-interaction', description: line });
    expect(total, line).toBeLessThanOrEqual(30 * 1024);
    await context.close();
  }
});

test('editor ready and first run timings', async ({ page }) => {
  await page.goto('how-to-use/', { waitUntil: 'networkidle' });
  const hello = page.locator('[data-cell="hello"]');

  // Cold: nothing loaded yet; the pointer reaches the code and clicks at once.
  await hello.locator('[data-code]').click();
  await expect(hello).toHaveAttribute('data-editor', 'ready');
  const editorColdMs = Number(await hello.getAttribute('data-editor-ms'));

  // A warm page: the kernel started when the reader headed for the cell.
  await expect(page.locator('[data-notebook-toolbar]')).toHaveAttribute('data-kernel', 'ready');
  await hello.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(hello).toHaveAttribute('data-runs', '1');
  const firstRun = Number(await hello.getAttribute('data-last-run-ms'));

  // Usual: the pointer passes over a cell before the click, which prefetches the editor.
  const scope = page.locator('[data-cell="scope"]');
  await scope.hover();
  await page.waitForTimeout(300);
  await scope.locator('[data-code]').click();
  await expect(scope).toHaveAttribute('data-editor', 'ready');
  const editorMs = Number(await scope.getAttribute('data-editor-ms'));

  const figure = page.locator('[data-cell="figure"]');
  await figure.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(figure).toHaveAttribute('data-runs', '1');
  const figureRun = Number(await figure.getAttribute('data-last-run-ms'));

  const line = `first Run on a warm page: ${firstRun} ms; editor ready: ${editorMs} ms after the click (${editorColdMs} ms on a cold page); figure cell (its predecessors run first): ${figureRun} ms`;
  console.log(line);
  test.info().annotations.push({ type: 'timings', description: line });
  expect(firstRun).toBeLessThan(1500);
  expect(editorMs).toBeLessThan(1000);
  expect(editorColdMs).toBeLessThan(3000);
});
