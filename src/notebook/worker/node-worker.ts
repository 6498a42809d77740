/**
 * The build's kernel: a Node worker thread that runs one page's cells (see ../build-runner.ts).
 * Same kernel as the browser's worker; a thread per page gives each page a fresh global scope
 * and lets the build stop a runaway cell.
 */
import { parentPort } from 'node:worker_threads';
import * as engine from '@descent/engine';
import * as Plot from '@observablehq/plot';
import { ssrDocument } from '../ssr.ts';
import { createKernel } from './kernel.ts';
import { lockDownNetwork } from './lockdown.ts';

const port = parentPort!;
const kernel = createKernel({
  engine: engine as unknown as Record<string, unknown>,
  Plot,
  document: ssrDocument(),
  emit: () => {}, // the build keeps only final outputs
});
lockDownNetwork(globalThis, null);

port.on('message', async (message: { type: 'run'; id: string; code: string }) => {
  if (message.type !== 'run') return;
  const result = await kernel.run(message.id, message.code);
  port.postMessage({ type: 'done', id: message.id, result });
});
port.postMessage({ type: 'ready' });
