import { test, expect } from '@playwright/test';
import { builtPages, builtHtml, watchForProblems } from './support/pages.ts';

const pages = builtPages();

test.describe('every page', () => {
  for (const path of pages) {
    test(`loads cleanly: /${path}`, async ({ page }) => {
      const watch = watchForProblems(page);
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      if (path !== '404.html') await expect(page.locator('h1').first()).toBeVisible();
      watch.assertClean();
    });
  }
});

test('every internal link, asset and anchor resolves under the base path', async ({
  request,
  baseURL,
}) => {
  const base = new URL(baseURL!);
  const targets = new Map<string, Set<string>>(); // url without hash -> fragments wanted
  const from = new Map<string, string>();
  for (const path of pages) {
    const html = builtHtml(path);
    const pageUrl = new URL(path, base);
    for (const [, attr] of html.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
      const url = new URL(attr.replaceAll('&amp;', '&'), pageUrl);
      if (url.origin !== base.origin) continue;
      const key = url.href.replace(/#.*$/, '');
      if (!targets.has(key)) targets.set(key, new Set());
      if (url.hash) targets.get(key)!.add(decodeURIComponent(url.hash.slice(1)));
      from.set(key, `/${path}`);
    }
  }
  const broken: string[] = [];
  for (const [url, fragments] of targets) {
    expect(
      url.startsWith(base.href),
      `${url} (linked from ${from.get(url)}) is outside ${base.pathname}`,
    ).toBe(true);
    const response = await request.get(url);
    if (!response.ok()) {
      broken.push(`${response.status()} ${url} (linked from ${from.get(url)})`);
      continue;
    }
    if (fragments.size && (response.headers()['content-type'] ?? '').includes('text/html')) {
      const body = await response.text();
      for (const id of fragments) {
        if (!body.includes(`id="${id}"`))
          broken.push(`missing #${id} in ${url} (linked from ${from.get(url)})`);
      }
    }
  }
  // Fonts and images referenced from CSS (KaTeX) must load under the base too.
  const cssUrls = [...targets.keys()].filter((u) => u.endsWith('.css'));
  for (const cssUrl of cssUrls) {
    const css = await (await request.get(cssUrl)).text();
    for (const [, ref] of css.matchAll(/url\(["']?([^"')]+)["']?\)/g)) {
      if (ref.startsWith('data:')) continue;
      const url = new URL(ref, cssUrl).href;
      const response = await request.get(url);
      if (!response.ok()) broken.push(`${response.status()} ${url} (from ${cssUrl})`);
    }
  }
  expect(broken, broken.join('\n')).toEqual([]);
  expect(targets.size).toBeGreaterThan(10);
});

test('an unknown address shows the 404 page', async ({ page }) => {
  const response = await page.goto('no-such-page/');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('math is rendered by KaTeX with its own fonts', async ({ page }) => {
  await page.goto('chapters/derivatives/');
  await expect(page.locator('.katex').first()).toBeVisible();
  expect(await page.locator('.katex-display').count()).toBeGreaterThan(0);
  // No raw TeX delimiters left in the prose.
  const text = await page.locator('main').innerText();
  expect(text).not.toMatch(/\$\$/);
  await page.waitForFunction(() => document.fonts.check('16px KaTeX_Main'));
});

test('the sidebar lists all fourteen chapters in four parts, and pages link to their neighbours', async ({
  page,
}) => {
  await page.goto('chapters/gradient-descent/');
  const sidebar = page.getByRole('navigation', { name: 'Chapters' }).first();
  await expect(sidebar.locator('h2')).toHaveCount(4);
  await expect(sidebar.locator('li')).toHaveCount(14);
  await expect(sidebar.locator('[aria-current="page"]')).toContainText('Gradient descent');
  await page.getByRole('link', { name: /Next/ }).click();
  await expect(page).toHaveURL(/chapters\/taylor-view\/$/);
  await page.getByRole('link', { name: /Previous/ }).click();
  await expect(page).toHaveURL(/chapters\/gradient-descent\/$/);
});

test('search in the header finds a chapter', async ({ page }) => {
  const watch = watchForProblems(page);
  await page.goto('');
  const box = page.getByRole('searchbox', { name: 'Search the book' });
  await box.fill('gradient descent');
  const results = page.locator('[data-search-results] a');
  await expect(results.first()).toBeVisible();
  const hrefs = await results.evaluateAll((links) =>
    links.map((a) => (a as HTMLAnchorElement).href),
  );
  expect(hrefs.some((h) => /\/descent\/chapters\/[a-z-]+\/$/.test(new URL(h).pathname))).toBe(true);
  await results.first().click();
  await expect(page).toHaveURL(/\/chapters\//);
  watch.assertClean();
});

test('the theme follows the system by default, and a chosen theme persists', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('');
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  const toggle = page.getByRole('button', { name: /Theme/ });
  await toggle.click(); // system -> dark (explicit)
  await toggle.click(); // dark -> light
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.goto('about/');
  await expect(html).toHaveAttribute('data-theme', 'light');
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test('the chapter list opens from a menu and the page does not scroll sideways', async ({
    page,
  }) => {
    await page.goto('chapters/derivatives/');
    const menu = page.getByRole('button', { name: 'Menu' });
    const sidebar = page.locator('#sidebar');
    await expect(sidebar).toBeHidden();
    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await expect(sidebar).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(sidebar).toBeHidden();
    await menu.click();
    await sidebar.getByRole('link', { name: /Gradient descent/ }).click();
    await expect(page).toHaveURL(/gradient-descent/);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(1);
  });
});

test('keyboard users get a skip link and a visible focus ring', async ({ page }) => {
  await page.goto('about/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
});
