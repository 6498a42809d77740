/**
 * The page's side of the kernel: starts the worker, sends it cells, and stops runs by
 * terminating it. A fresh worker means a fresh scope and the same seeds as the build.
 */
import kernelScript from './worker/browser-worker.ts?worker&url';
import type { KernelEvent, RunResult } from './worker/kernel.ts';

export type RunOutcome =
  | { kind: 'done'; result: RunResult }
  | { kind: 'stopped' }
  | { kind: 'timeout'; seconds: number }
  | { kind: 'crashed'; message: string };

interface Pending {
  runId: number;
  resolve: (outcome: RunOutcome) => void;
  onEvent: (event: KernelEvent) => void;
  timeout: number;
  timer?: ReturnType<typeof setTimeout>;
}

export type KernelStatus = 'off' | 'starting' | 'ready' | 'busy';

export class KernelClient {
  private worker: Worker | null = null;
  private pending = new Map<number, Pending>();
  private nextRun = 1;
  /** Increases whenever a fresh worker replaces the old one. */
  generation = 0;
  status: KernelStatus = 'off';
  onStatus: (status: KernelStatus) => void = () => {};

  private setStatus(status: KernelStatus): void {
    this.status = status;
    this.onStatus(status);
  }

  /** Starts the worker if none runs (e.g. when the reader heads for a cell). */
  warm(): void {
    if (this.worker) return;
    this.setStatus('starting');
    const worker = new Worker(sealedWorkerUrl(), { type: 'module', name: 'descent-kernel' });
    worker.addEventListener('message', (event) => this.receive(event.data));
    let loaded = false;
    worker.addEventListener('message', (event) => {
      if (event.data?.type === 'ready') loaded = true;
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      // Before 'ready' the worker failed to load. Afterwards an error event is an exception a
      // cell left behind (in a timer, say): the run itself already reported or will report.
      if (!loaded) this.crash(event.message || 'the kernel failed to load');
    });
    const base = new URL(import.meta.env.BASE_URL, location.href);
    worker.postMessage({ type: 'init', dataPrefix: new URL('data/', base).href });
    this.worker = worker;
  }

  run(
    id: string,
    code: string,
    timeoutSeconds: number,
    onEvent: (e: KernelEvent) => void,
  ): Promise<RunOutcome> {
    this.warm();
    const runId = this.nextRun++;
    return new Promise((resolve) => {
      this.pending.set(runId, { runId, resolve, onEvent, timeout: timeoutSeconds });
      this.worker!.postMessage({ type: 'run', runId, id, code });
    });
  }

  private receive(message: { type: string; runId?: number; result?: RunResult }): void {
    if (message.type === 'ready') {
      if (this.status === 'starting') this.setStatus(this.pending.size ? 'busy' : 'ready');
      return;
    }
    const pending = message.runId !== undefined ? this.pending.get(message.runId) : undefined;
    if (!pending) return;
    if (message.type === 'start') {
      this.setStatus('busy');
      // The time limit counts from when the cell's code starts, not from loading the kernel.
      pending.timer = setTimeout(() => {
        const others = [...this.pending.values()].filter((p) => p !== pending);
        this.reset();
        pending.resolve({ kind: 'timeout', seconds: pending.timeout });
        for (const p of others) p.resolve({ kind: 'stopped' });
      }, pending.timeout * 1000);
    } else if (message.type === 'done' && message.result) {
      clearTimeout(pending.timer);
      this.pending.delete(pending.runId);
      if (this.pending.size === 0) this.setStatus('ready');
      pending.resolve({ kind: 'done', result: message.result });
    } else {
      pending.onEvent(message as unknown as KernelEvent);
    }
  }

  private crash(message: string): void {
    const pending = [...this.pending.values()];
    this.reset();
    for (const p of pending) p.resolve({ kind: 'crashed', message });
  }

  /** Ends any run at once: terminates the worker; the next run starts a fresh one. */
  stop(): void {
    const pending = [...this.pending.values()];
    this.reset();
    for (const p of pending) p.resolve({ kind: 'stopped' });
  }

  private reset(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    this.worker?.terminate();
    this.worker = null;
    this.generation++;
    this.setStatus('off');
  }
}

let sealedUrl: string | null = null;

/**
 * The kernel starts from a `blob:` URL whose one line imports the real worker script. A worker
 * loaded from the site's own URL would get its Content-Security-Policy from that response's
 * headers, and GitHub Pages sends none; a `blob:` worker inherits the policy of the page that
 * made it instead, the `<meta http-equiv>` one in Base.astro. So everything a cell runs, even
 * `eval("import('https://…')")` or `new Function(…)`, is held to the page's policy: scripts and
 * connections from the book's own origin only.
 */
function sealedWorkerUrl(): string {
  if (!sealedUrl) {
    const script = new URL(kernelScript, location.href).href;
    const source = `import ${JSON.stringify(script)};`;
    sealedUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  }
  return sealedUrl;
}
