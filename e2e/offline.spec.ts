import { test, expect } from '@playwright/test';
import { replaceCode } from './support/cells-ui.ts';

// The service worker (src/offline/sw.js): a chapter visited once still reads and runs offline.
test.use({ serviceWorkers: 'allow' });

const CHAPTER = 'chapters/gradient-descent/';

test('a visited chapter reloads offline and runs a cell', async ({ page, context }) => {
  await page.goto(CHAPTER);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The first visit happened before the worker controlled the page; a reload goes through it.
  await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('h1')).toContainText('Gradient descent');
  const cell = page.locator('[data-cell]:not([data-long])').first();
  await replaceCode(page, cell, '[1, 2, 3].map((x) => x * 7).join(" ")');
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(cell.locator('[data-output]')).toHaveText('7 14 21');

  // A page never opened says so instead of failing.
  const response = await page.goto('notation/');
  expect(response?.status()).toBe(503);
  await expect(page.locator('h1')).toHaveText('You are offline');
  await context.setOffline(false);
});

test('“Save for offline” saves every page', async ({ page, context }) => {
  await page.goto('');
  const button = page.getByRole('button', { name: 'Save the whole book for offline' });
  await button.click();
  await expect(page.getByRole('status').filter({ hasText: /saved/i })).toContainText(
    'The whole book is saved',
    { timeout: 60_000 },
  );
  await context.setOffline(true);
  await page.goto('notation/');
  await expect(page.locator('h1')).toContainText('Notation');
  await context.setOffline(false);
});
