/**
 * Writes the print edition, dist/descent.pdf: serves the built site, prints its /print/ page
 * (every chapter after a table of contents, see src/pages/print.astro) with Chromium, and then
 * removes that page from the site. Page scripts are not loaded, so the PDF shows what the build
 * prerendered: cell outputs and each figure's first frame. Headings become the PDF's outline.
 *
 * Run by `npm run build` after Astro and Pagefind. With no Chromium on the machine it says so
 * and leaves the PDF out (scripts/ensure-browser.mjs installs one on Debian).
 */
import { createReadStream, existsSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from '@playwright/test';
import { chromiumPath } from './browser.ts';

const dist = join(import.meta.dirname, '..', 'dist');
const base = (process.env.BASE_PATH ?? '/descent/').replace(/^\/*/, '/').replace(/\/*$/, '/');
const out = join(dist, 'descent.pdf');
const printDir = join(dist, 'print');

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.png': 'image/png',
  '.json': 'application/json',
};

const executablePath = chromiumPath();
if (!existsSync(join(printDir, 'index.html'))) {
  console.error('pdf: dist/print/ is missing; run `astro build` first');
  process.exit(1);
}
if (!executablePath) {
  console.warn('pdf: no Chromium found (set CHROME_PATH), so the build has no descent.pdf');
  rmSync(printDir, { recursive: true, force: true });
  process.exit(0);
}

const started = Date.now();
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  let file = path.startsWith(base) ? normalize(join(dist, path.slice(base.length))) : '';
  if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!file.startsWith(dist) || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  const context = await browser.newContext();
  // The prerendered page is the print edition: no script may hydrate (or move) anything.
  await context.route(/\.js(\?|$)/, (route) => route.abort());
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${port}${base}print/`, { waitUntil: 'load', timeout: 180_000 });
  const site = new URL(base, process.env.SITE_URL ?? 'https://descent-book.github.io').href;
  await page.evaluate((site) => {
    // Hints and solutions are part of the printed exercise.
    for (const details of document.querySelectorAll('details')) details.open = true;
    // A link to a chapter of the book goes to that chapter inside the PDF; its heading anchors
    // repeat across chapters, so the chapter's start is the target.
    const baseLength = new URL(document.baseURI).pathname.length - 'print/'.length;
    for (const article of document.querySelectorAll<HTMLElement>('[data-chapter-href]')) {
      const pageUrl = new URL(article.dataset.chapterHref!, location.href);
      for (const a of article.querySelectorAll<HTMLAnchorElement>('a[href]')) {
        const raw = a.getAttribute('href')!;
        if (/^[a-z]+:/i.test(raw)) continue;
        const target = new URL(raw, pageUrl);
        const chapter = /\/chapters\/([^/]+)\/$/.exec(target.pathname)?.[1];
        if (raw.startsWith('#'))
          a.setAttribute('href', `#chapter-${pageUrl.pathname.split('/').at(-2)}`);
        else if (chapter && document.getElementById(`chapter-${chapter}`))
          a.setAttribute('href', `#chapter-${chapter}`);
        // any other page of the site is printed with its address on the live site
        else a.setAttribute('href', new URL(target.pathname.slice(baseLength), site).href);
      }
    }
  }, site);
  await page.evaluate(() => document.fonts.ready);
  await page.emulateMedia({ media: 'print', colorScheme: 'light' });
  await page.pdf({
    path: out,
    format: 'A4',
    printBackground: true,
    outline: true,
    tagged: true,
    preferCSSPageSize: true,
    displayHeaderFooter: true,
    headerTemplate: '<span></span>',
    footerTemplate:
      '<div style="font: 8px sans-serif; width: 100%; text-align: center; color: #555"><span class="pageNumber"></span></div>',
  });
  const kb = Math.round(statSync(out).size / 1024);
  console.log(
    `pdf: dist/descent.pdf, ${kb} KB, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} finally {
  await browser.close();
  server.close();
  rmSync(printDir, { recursive: true, force: true });
}
