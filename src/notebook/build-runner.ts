/**
 * Runs a page's cells at build time, so pages show outputs without JavaScript and search
 * indexes them. Each page gets a fresh kernel (a Node worker thread, ./worker/node-worker.ts)
 * and runs its cells in page order, as the browser would. Outputs are cached on disk by a hash
 * of the cell's code, the code of every cell before it, and the engine and runtime sources.
 *
 * A failing cell never fails the build: its error becomes its output (and a warning in the log).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RunResult } from './worker/kernel.ts';

export interface BuildCell {
  id: string;
  code: string;
  /** Not run at build time (the reader runs it). */
  long: boolean;
  /** Seconds. */
  timeout: number;
}

export interface RunnerOptions {
  root?: string;
  cacheDir?: string;
  log?: (message: string) => void;
}

const CACHE_VERSION = '1';

function listFiles(dir: string, out: string[] = []): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listFiles(path, out);
    else if (/\.(ts|js|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

/** A hash of everything besides the cells that can change an output: engine and runtime code. */
function runtimeFingerprint(root: string): string {
  const hash = createHash('sha256').update(CACHE_VERSION);
  const files = [
    ...listFiles(join(root, 'packages/engine/src')),
    ...listFiles(join(root, 'src/notebook/worker')),
    join(root, 'src/notebook/transform.ts'),
    join(root, 'src/notebook/outputs.ts'),
    join(root, 'src/notebook/sanitize.ts'),
    join(root, 'src/notebook/ssr.ts'),
  ];
  for (const file of files) {
    try {
      hash.update(file).update(readFileSync(file));
    } catch {
      hash.update(file + ':missing');
    }
  }
  return hash.digest('hex');
}

/** Cache keys: each cell's key covers its own code and all earlier cells' code. */
export function cellKeys(cells: readonly BuildCell[], fingerprint: string): string[] {
  let chain = fingerprint;
  return cells.map((cell) => {
    chain = createHash('sha256')
      .update(chain)
      .update('\0' + cell.id + '\0' + (cell.long ? 'long' : '') + '\0' + cell.code)
      .digest('hex');
    return chain;
  });
}

// Pages compile concurrently; two kernels at a time match the machine's two cores.
let running = 0;
const waiting: (() => void)[] = [];
async function acquire(): Promise<void> {
  if (running < 2) {
    running++;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
}
function release(): void {
  running--;
  waiting.shift()?.();
}

/** Runs the cells of one page; long cells get `null`. */
export async function runPageCells(
  page: string,
  cells: readonly BuildCell[],
  options: RunnerOptions = {},
): Promise<(RunResult | null)[]> {
  const root = options.root ?? process.cwd();
  const cacheDir = options.cacheDir ?? join(root, 'node_modules/.cache/descent-cells');
  const log = options.log ?? ((m: string) => console.warn(m));
  const keys = cellKeys(cells, runtimeFingerprint(root));
  const cached = cells.map((cell, i) => (cell.long ? null : readCache(cacheDir, keys[i]!)));
  // Failing cells are reported on every build, cached or not, so authors keep seeing them.
  const report = (results: (RunResult | null)[]) => {
    results.forEach((result, i) => {
      if (!result?.error) return;
      const { name, message, line } = result.error;
      const where = line !== undefined ? ` (line ${line})` : '';
      log(`[cells] ${page}: cell "${cells[i]!.id}" failed${where}: ${name}: ${message}`);
    });
    return results;
  };
  if (cells.every((cell, i) => cell.long || cached[i])) return report(cached);

  await acquire();
  try {
    const results = await runFresh(page, cells, root, log);
    mkdirSync(cacheDir, { recursive: true });
    results.forEach((result, i) => {
      if (result && !result.crashed)
        writeFileSync(join(cacheDir, `${keys[i]}.json`), JSON.stringify(result));
    });
    return report(results);
  } finally {
    release();
  }
}

function readCache(dir: string, key: string): RunResult | null {
  try {
    return JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as RunResult;
  } catch {
    return null;
  }
}

type BuildResult = RunResult & { crashed?: boolean };

function failure(name: string, message: string, hint?: string): BuildResult {
  const error = { kind: 'error' as const, name, message, ...(hint ? { hint } : {}) };
  return {
    ok: false,
    outputs: [error],
    value: undefined,
    text: `${name}: ${message}`,
    error,
    ms: 0,
    crashed: true,
  };
}

/** Starts a kernel thread; resolves once it has loaded the engine. */
function startKernel(root: string): Promise<Worker> {
  const entry = resolve(root, 'src/notebook/worker/node-worker.ts');
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(entry);
    const onError = (error: Error) => {
      void worker.terminate();
      reject(error);
    };
    worker.once('error', onError);
    worker.once('message', (message: { type: string }) => {
      worker.off('error', onError);
      if (message.type === 'ready') resolvePromise(worker);
      else reject(new Error(`unexpected first message ${message.type}`));
    });
  });
}

async function runFresh(
  page: string,
  cells: readonly BuildCell[],
  root: string,
  log: (m: string) => void,
): Promise<(BuildResult | null)[]> {
  const results: (BuildResult | null)[] = [];
  let worker: Worker | null = null;
  let startError: string | null = null;
  try {
    for (const cell of cells) {
      if (cell.long) {
        results.push(null);
        continue;
      }
      if (!worker && startError === null) {
        try {
          worker = await startKernel(root);
        } catch (error) {
          startError = error instanceof Error ? error.message : String(error);
          log(`[cells] ${page}: the kernel failed to start: ${startError}`);
        }
      }
      if (!worker) {
        // Usually the engine does not load: every cell of the page says so (and is not cached).
        const message = `The notebook kernel failed to start at build time: ${startError}`;
        results.push(failure('Error', message));
        continue;
      }
      const outcome = await runOne(worker, cell);
      if (outcome === 'timeout' || outcome === 'crash') {
        await worker.terminate();
        worker = null;
        results.push(
          outcome === 'timeout'
            ? failure(
                'TimeoutError',
                `Stopped after ${cell.timeout} s, the cell's time limit.`,
                'Mark the cell `long` (it then runs only in the browser) or raise `timeout=`.',
              )
            : failure('Error', 'The kernel crashed while running this cell.'),
        );
      } else {
        results.push(outcome);
      }
    }
  } finally {
    await worker?.terminate();
  }
  return results;
}

function runOne(worker: Worker, cell: BuildCell): Promise<RunResult | 'timeout' | 'crash'> {
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => finish('timeout'), cell.timeout * 1000);
    const onMessage = (message: { type: string; id: string; result: RunResult }) => {
      if (message.type === 'done' && message.id === cell.id) finish(message.result);
    };
    const onError = () => finish('crash');
    function finish(outcome: RunResult | 'timeout' | 'crash') {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      resolvePromise(outcome);
    }
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.postMessage({ type: 'run', id: cell.id, code: cell.code });
  });
}
