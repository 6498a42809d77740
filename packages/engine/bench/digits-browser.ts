/**
 * The digits CNN (digits.ts) in headless Chromium, in a Web Worker as the book's cells run,
 * under the site's script CSP ('self' 'wasm-unsafe-eval'). Bundles digits.ts with esbuild (the
 * site's build tool, already installed), serves it and the digits file from a local server, and
 * prints the result as JSON. Run: `node --experimental-strip-types bench/digits-browser.ts [js|wasm]`
 * from packages/engine (run.ts calls it with BENCH_BROWSER=1).
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { DigitsResult } from './digits.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('../../../', import.meta.url));

export async function digitsInChromium(backend: 'js' | 'wasm' = 'wasm'): Promise<DigitsResult> {
  const esbuild = await import('esbuild');
  const bundle = await esbuild.build({
    stdin: {
      contents: `import { digitsTo97 } from './digits.ts';
        import { setBackend } from '../src/index.ts';
        self.onmessage = async (e) => {
          setBackend(e.data.backend);
          try { self.postMessage(await digitsTo97(e.data.url)); }
          catch (err) { self.postMessage({ error: String(err && err.stack || err) }); }
        };`,
      resolveDir: here,
      loader: 'ts',
    },
    bundle: true,
    logLevel: 'error',
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    external: ['node:*'],
    write: false,
  });
  const worker = bundle.outputFiles[0].text;
  const digits = readFileSync(`${repo}public/data/mnist-10k.bin.gz`);
  const page = `<!doctype html><meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'">
    <title>digits</title><script src="/main.js"></script>`;
  const main = `window.run = (backend) => new Promise((resolve) => {
      const w = new Worker('/worker.js');
      w.onmessage = (e) => resolve(e.data);
      w.postMessage({ backend, url: '/mnist-10k.bin.gz' });
    });`;
  const server = createServer((req, res) => {
    const routes: Record<string, [string, string | Buffer]> = {
      '/': ['text/html', page],
      '/main.js': ['text/javascript', main],
      '/worker.js': ['text/javascript', worker],
      '/mnist-10k.bin.gz': ['application/octet-stream', digits],
    };
    const hit = routes[req.url ?? ''];
    if (!hit) {
      res.writeHead(204).end(); // favicon.ico and the like
      return;
    }
    res.writeHead(200, { 'content-type': hit[0] }).end(hit[1]);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const { chromium } = await import('@playwright/test');
  const { chromiumPath } = await import(`${repo}scripts/browser.ts`);
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await tab.goto(`http://127.0.0.1:${port}/`);
    const result = (await tab.evaluate(
      (b) => (globalThis as unknown as { run: (b: string) => unknown }).run(b),
      backend,
    )) as DigitsResult & {
      error?: string;
    };
    if (result.error) throw new Error(`in Chromium: ${result.error}`);
    if (errors.length) throw new Error(`Chromium console: ${errors.join('; ')}`);
    return result;
  } finally {
    await browser.close();
    server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const backend = (process.argv[2] ?? 'wasm') as 'js' | 'wasm';
  console.log(JSON.stringify(await digitsInChromium(backend)));
}
