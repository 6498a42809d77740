import { test, expect } from '@playwright/test';
import { watchForProblems } from './support/pages.ts';
import { expectPhoneLayout, expectReadablePlots, hydrateFigures } from './support/layout.ts';

// Chapters 1–4 on a phone-sized screen in dark mode and on a desktop in light mode: nothing
// widens the page, every figure and every cell plot draws its axes and labels in a colour that
// stands out from the page background, and the pages log no errors.

const CHAPTERS = [
  'chapters/derivatives/',
  'chapters/gradient-descent/',
  'chapters/taylor-view/',
  'chapters/newton/',
];

test.describe('phone, dark mode', () => {
  test.use({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', hasTouch: true });
  for (const path of CHAPTERS) {
    test(`no horizontal overflow, readable plots: ${path}`, async ({ page }) => {
      const watch = watchForProblems(page);
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
      await hydrateFigures(page);
      await expectPhoneLayout(page);
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
      await expectReadablePlots(page);
      watch.assertClean();
    });
  }
});
