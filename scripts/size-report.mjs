// Prints the JavaScript each built page loads before any interaction (its module scripts and
// everything they import statically, not the chunks behind dynamic import()), gzipped, and
// fails when a page goes over the budget. Run after `npm run build`.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, dirname, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = Number(process.env.JS_BUDGET_KB ?? 30);
const dist = resolve(import.meta.dirname, '..', 'dist');
const base = (process.env.BASE_PATH ?? '/descent/').replace(/^\/*/, '/').replace(/\/*$/, '/');

if (!existsSync(dist)) {
  console.error('size-report: dist/ not found; run `npm run build` first.');
  process.exit(1);
}

function htmlFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory())
      return name === 'pagefind' || name === '_astro' ? [] : htmlFiles(full);
    return name.endsWith('.html') ? [full] : [];
  });
}

/** Maps a URL path on the site to the file in dist/. */
function fileFor(urlPath) {
  const path = urlPath.startsWith(base) ? urlPath.slice(base.length) : urlPath.replace(/^\//, '');
  return join(dist, path);
}

const gzipCache = new Map();
function gzipSize(file) {
  if (!gzipCache.has(file)) gzipCache.set(file, gzipSync(readFileSync(file), { level: 9 }).length);
  return gzipCache.get(file);
}

/** Static imports only: `import x from "./a.js"`, `import "./b.js"`, `export * from "./c.js"`. */
function staticImports(file) {
  const code = readFileSync(file, 'utf8');
  const found = new Set();
  const pattern =
    /(?:^|[;}\n])\s*(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["']([^"']+\.m?js)["']/g;
  for (const [, spec] of code.matchAll(pattern)) {
    found.add(spec.startsWith('/') ? fileFor(spec) : resolve(dirname(file), spec));
  }
  return [...found];
}

function pageScripts(html, htmlFile) {
  const roots = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/g)) {
    const src = /\ssrc="([^"]+)"/.exec(tag)?.[1];
    if (!src) continue;
    roots.push(src.startsWith('/') ? fileFor(src) : resolve(dirname(htmlFile), src));
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*>/g)) {
    const href = /\shref="([^"]+)"/.exec(tag)?.[1];
    if (href) roots.push(href.startsWith('/') ? fileFor(href) : resolve(dirname(htmlFile), href));
  }
  const seen = new Set();
  const queue = [...roots];
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    if (/\.m?js$/.test(file)) queue.push(...staticImports(file));
  }
  return [...seen];
}

const rows = htmlFiles(dist).map((file) => {
  const page =
    '/' +
    relative(dist, file)
      .split(sep)
      .join('/')
      .replace(/index\.html$/, '');
  const scripts = pageScripts(readFileSync(file, 'utf8'), file);
  const bytes = scripts.reduce((sum, f) => sum + gzipSize(f), 0);
  return { page, files: scripts.length, kb: bytes / 1024 };
});
rows.sort((a, b) => b.kb - a.kb);

console.log(`JS loaded before interaction (gzip, level 9); budget ${BUDGET_KB} KB per page\n`);
console.log('   KB  files  page');
for (const row of rows) {
  const flag = row.kb > BUDGET_KB ? '  <-- over budget' : '';
  console.log(
    `${row.kb.toFixed(1).padStart(5)}  ${String(row.files).padStart(5)}  ${row.page}${flag}`,
  );
}
const over = rows.filter((r) => r.kb > BUDGET_KB);
if (over.length) {
  console.error(`\n${over.length} page(s) over the ${BUDGET_KB} KB budget.`);
  process.exit(1);
}
console.log(`\nAll ${rows.length} pages within budget (largest ${rows[0]?.kb.toFixed(1)} KB).`);

// The engine is teaching material: keep an eye on how much of it there is to read.
function engineLines(dir) {
  return readdirSync(dir).reduce((sum, name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sum + engineLines(full);
    if (!name.endsWith('.ts')) return sum;
    const code = readFileSync(full, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .split('\n')
      .filter((line) => line.trim() && !line.trim().startsWith('//'));
    return sum + code.length;
  }, 0);
}
const engineSrc = resolve(import.meta.dirname, '..', 'packages', 'engine', 'src');
console.log(
  `Engine: ${engineLines(engineSrc)} lines of code in packages/engine/src (no comments or blank lines).`,
);
