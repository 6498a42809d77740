/**
 * Writes the service worker (./sw.js) into the built site once Astro has finished: it needs
 * the final asset names, which exist only then. The version is a hash of every built file's
 * name and content, so any change to the book makes readers' browsers install a new worker.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

/** What a page may load, cached at install: scripts, styles and the fonts browsers use. */
const ASSET = /\.(?:js|css|woff2|wasm)$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => file.split(sep).join('/'))
    .filter((file) => !file.endsWith('/'))
    .sort();
}

export function serviceWorkerSource(distDir: string, base: string): string {
  const files = filesUnder(distDir).filter((file) => {
    try {
      readFileSync(join(distDir, file));
      return true;
    } catch {
      return false; // a folder
    }
  });
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update(readFileSync(join(distDir, file)));
  const assets = files.filter((file) => file.startsWith('_astro/') && ASSET.test(file));
  const pages = files
    // the print edition only exists until scripts/pdf.ts has made the PDF from it
    .filter((file) => file.endsWith('index.html') && !file.startsWith('print/'))
    .map((file) => file.slice(0, -'index.html'.length));
  const data = files.filter((file) => file.startsWith('data/') && !file.endsWith('.md'));
  const template = readFileSync(fileURLToPath(new URL('./sw.js', import.meta.url)), 'utf8');
  return template
    .replace("= '__VERSION__';", `= '${hash.digest('hex').slice(0, 16)}';`)
    .replace("= '__BASE__';", `= '${base}';`)
    .replace('= __ASSETS__;', `= ${JSON.stringify(assets)};`)
    .replace('= __PAGES__;', `= ${JSON.stringify(pages)};`)
    .replace('= __DATA__;', `= ${JSON.stringify(data)};`);
}

export default function offline(): AstroIntegration {
  let base = '/';
  return {
    name: 'descent-offline',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base.replace(/\/?$/, '/');
      },
      'astro:build:done': ({ dir, logger }) => {
        const distDir = fileURLToPath(dir);
        writeFileSync(join(distDir, 'sw.js'), serviceWorkerSource(distDir, base));
        logger.info(`service worker written (${relative(process.cwd(), join(distDir, 'sw.js'))})`);
      },
    },
  };
}
