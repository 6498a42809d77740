import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { distDir } from './pages.ts';

/** The built site the notebook specs read: DESCENT_DIST when a build lives elsewhere, else dist/. */
export const cellsDistDir = process.env.DESCENT_DIST ?? distDir;

/**
 * Pages of the built site holding at least one cell, as paths relative to the base
 * ('chapters/newton/'), sorted; `prefix` keeps only those under it. Astro's assets and the
 * search index are not pages.
 */
export function pagesWithCells(prefix = ''): string[] {
  return readdirSync(cellsDistDir, { recursive: true, encoding: 'utf8' })
    .map((file) => file.split(sep).join('/'))
    .filter((file) => file === 'index.html' || file.endsWith('/index.html'))
    .filter((file) => !file.split('/').some((dir) => dir === '_astro' || dir === 'pagefind'))
    .filter((file) => readFileSync(join(cellsDistDir, file), 'utf8').includes('data-cell="'))
    .map((file) => file.slice(0, -'index.html'.length))
    .filter((page) => page.startsWith(prefix))
    .sort();
}
