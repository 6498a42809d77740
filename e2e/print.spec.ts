import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { builtHtml, builtPages, distDir } from './support/pages.ts';

// Paper: the print stylesheet on a chapter, and the PDF of the whole book that the build writes
// (scripts/pdf.ts).

/** The titles of a PDF's outline (bookmarks), decoded from literal or UTF-16 hex strings. */
function outlineTitles(pdf: string): string[] {
  return [...pdf.matchAll(/\/Title (?:\(((?:\\.|[^\\)])*)\)|<FEFF([0-9A-F]*)>)/g)].map((m) => {
    if (m[1] !== undefined) return m[1].replace(/\\(.)/g, '$1');
    const hex = m[2]!;
    let text = '';
    for (let i = 0; i < hex.length; i += 4)
      text += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
    return text;
  });
}

/** Every written chapter's title, read from its built page. */
function chapterTitles(): string[] {
  return builtPages()
    .filter((path) => path.startsWith('chapters/'))
    .map((path) => builtHtml(path))
    .filter((html) => !html.includes('class="coming"'))
    .map((html) => /<h1[^>]*>([^<]+)<\/h1>/.exec(html)![1]!.replace(/&#39;|&#x27;/g, "'"));
}

test('the build writes a PDF of the book whose outline has every chapter, linked from home', async ({
  page,
}) => {
  const pdf = readFileSync(join(distDir, 'descent.pdf'), 'latin1');
  expect(pdf.startsWith('%PDF-')).toBe(true);
  const titles = outlineTitles(pdf);
  const chapters = chapterTitles();
  expect(chapters.length).toBeGreaterThanOrEqual(4);
  // Chromium drops the space where a long heading wrapped ("the Taylorview"); compare without.
  const squeeze = (text: string) => text.replace(/\s+/g, '');
  for (const title of chapters) expect(titles.map(squeeze), title).toContain(squeeze(title));
  const pages = pdf.match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
  expect(pages).toBeGreaterThan(chapters.length * 4);
  // the print edition page was only a step towards the PDF
  expect(builtPages()).not.toContain('print/');
  await page.goto('');
  const link = page.getByRole('link', { name: 'The whole book as a PDF' });
  const response = await page.request.get(
    new URL((await link.getAttribute('href'))!, page.url()).href,
  );
  expect(response.headers()['content-type']).toContain('pdf');
});

test('printed, a chapter keeps outputs and figures, drops controls, and never splits a figure', async ({
  page,
}) => {
  await page.goto('chapters/derivatives/');
  await page.emulateMedia({ media: 'print' });
  const figure = page.locator('.descent-figure').first();
  await expect(figure.locator('svg').first()).toBeVisible();
  await expect(figure.locator('.descent-figure__controls')).toBeHidden();
  await expect(page.locator('.cell [data-output]').first()).toBeVisible();
  await expect(page.locator('.cell-btn').first()).toBeHidden();
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.locator('.sidebar')).toBeHidden();
  // A4 with the page margins leaves about 263 mm of height: a block taller than that would
  // have to be cut; every figure, cell and equation is shorter and asks not to be broken.
  const printable = (263 / 25.4) * 96;
  const blocks = await page.locator('.descent-figure, .cell, .equation').evaluateAll((els) =>
    els.map((el) => ({
      breakInside: getComputedStyle(el).breakInside,
      height: el.getBoundingClientRect().height,
      what: el.getAttribute('data-figure') ?? el.getAttribute('data-cell') ?? el.id,
    })),
  );
  for (const block of blocks) {
    expect(block.breakInside, block.what).toBe('avoid');
    expect(block.height, block.what).toBeLessThan(printable);
  }
  // Links to other sites print their address after the text.
  await page.goto('references/');
  const after = await page
    .locator('a[href^="http"]')
    .first()
    .evaluate((a) => getComputedStyle(a, '::after').content);
  expect(after).toContain('http');
});
