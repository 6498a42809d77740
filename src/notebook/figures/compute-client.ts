/**
 * Runs figures' `compute(state)` in a Web Worker, for figures declared with
 * `computeIn: 'worker'`. One worker serves every such figure on the page.
 *
 * Why at most one request in flight per figure: while a slider is dragged, states arrive
 * every frame; queueing them all would make the plot lag further and further behind. Instead
 * the newest state waits in `pending`, replacing older ones, and is sent when the worker
 * answers, so the figure always converges to what the reader set, one result at a time.
 */
import type { AnyState } from './define.ts';

type Done = (data: unknown, forState: AnyState) => void;

interface Reply {
  seq: number;
  data?: unknown;
  error?: string;
}

let worker: Worker | undefined;
const waiting = new Map<number, (reply: Reply) => void>();
let nextSeq = 1;

function sharedWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./compute-worker.ts', import.meta.url), { type: 'module' });
    worker.addEventListener('message', (event: MessageEvent<Reply>) => {
      const resolve = waiting.get(event.data.seq);
      waiting.delete(event.data.seq);
      resolve?.(event.data);
    });
  }
  return worker;
}

/** A per-figure requester: `request(state, done)` computes `state` when the worker is free. */
export function computeInWorker(module: string): { request(state: AnyState, done: Done): void } {
  let busy = false;
  let pending: { state: AnyState; done: Done } | null = null;

  const send = (state: AnyState, done: Done) => {
    busy = true;
    const seq = nextSeq++;
    // Copy the state: the caller keeps mutating its object while the worker computes.
    const snapshot = structuredClone(state);
    waiting.set(seq, (reply) => {
      busy = false;
      if (reply.error !== undefined) {
        console.error(`Figure "${module}": compute failed in the worker: ${reply.error}`);
      } else {
        done(reply.data, snapshot);
      }
      if (pending) {
        const next = pending;
        pending = null;
        send(next.state, next.done);
      }
    });
    sharedWorker().postMessage({ seq, module, state: snapshot });
  };

  return {
    request(state, done) {
      if (busy) pending = { state, done };
      else send(state, done);
    },
  };
}
