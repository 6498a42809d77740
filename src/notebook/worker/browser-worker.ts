/**
 * The page's kernel: a module Web Worker that hosts the engine and runs the page's cells, so
 * no reader code ever runs on the page itself. The page (../kernel-client.ts) sends one cell at
 * a time; while it runs, outputs, live figures and progress stream back (throttled by the
 * kernel), which works even inside a synchronous training loop because postMessage is
 * asynchronous. To stop a run the page terminates this worker and starts a new one.
 */
import * as engine from '@descent/engine';
import * as Plot from '@observablehq/plot';
import { ssrDocument } from '../ssr.ts';
import { createKernel, type KernelEvent } from './kernel.ts';
import { lockDownNetwork } from './lockdown.ts';

type Incoming =
  { type: 'init'; dataPrefix: string } | { type: 'run'; runId: number; id: string; code: string };

// The DOM typings describe a window; a worker's global has the same postMessage and events.
const scope = self as unknown as {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
};
const post = scope.postMessage.bind(scope);
let runId = 0;

const kernel = createKernel({
  engine: engine as unknown as Record<string, unknown>,
  Plot,
  document: ssrDocument(),
  emit: (event: KernelEvent) => post({ ...event, runId }),
});

let chain: Promise<void> = Promise.resolve();

scope.addEventListener('message', (event: MessageEvent<Incoming>) => {
  const message = event.data;
  if (message.type === 'init') {
    // Cells lose the network before any of them runs; only the book's data files stay readable.
    lockDownNetwork(globalThis, message.dataPrefix);
    post({ type: 'ready' });
  } else if (message.type === 'run') {
    chain = chain.then(async () => {
      runId = message.runId;
      post({ type: 'start', runId });
      const result = await kernel.run(message.id, message.code);
      post({ type: 'done', runId: message.runId, result });
    });
  }
});
