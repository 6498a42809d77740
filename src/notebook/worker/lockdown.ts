/**
 * Takes network access away from cell code: it runs in the kernel's global scope, so we remove
 * or wrap what could reach the network before any cell runs. The one exception is `fetch` of
 * the book's own data files (`<base>data/…`), which the engine's data loaders need.
 *
 * This is a guard against accidents and casual misuse, not a sandbox: code can still reach
 * `Function` and `import()` (through `eval`). The page never trusts what the worker sends.
 */
const REMOVED = [
  'XMLHttpRequest',
  'WebSocket',
  'WebSocketStream',
  'WebTransport',
  'EventSource',
  'importScripts',
  'indexedDB',
  'caches',
  'Worker',
  'SharedWorker',
  'BroadcastChannel',
  'close', // a cell ending the worker would leave its run hanging until the time limit
];

/**
 * @param dataPrefix absolute URL prefix cells may fetch from (e.g. `https://host/descent/data/`),
 *   or null to remove `fetch` entirely.
 */
export function lockDownNetwork(scope: typeof globalThis, dataPrefix: string | null): void {
  const g = scope as unknown as Record<string, unknown>;
  const realFetch = typeof g.fetch === 'function' ? (g.fetch as typeof fetch).bind(scope) : null;
  for (const name of REMOVED) remove(g, name);
  const blocked = (what: string) => new TypeError(`Network access is disabled in cells (${what})`);
  const guardedFetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (realFetch && dataPrefix) {
      const url = new URL(href, dataPrefix);
      if (url.href.startsWith(dataPrefix)) return realFetch(url.href, { ...init, method: 'GET' });
    }
    return Promise.reject(blocked(href));
  };
  define(g, 'fetch', guardedFetch);
}

function remove(g: Record<string, unknown>, name: string): void {
  if (!(name in g)) return;
  try {
    delete g[name];
  } catch {
    // non-configurable: fall through to shadowing
  }
  if (name in g) define(g, name, undefined);
}

function define(g: Record<string, unknown>, name: string, value: unknown): void {
  try {
    Object.defineProperty(g, name, { value, writable: false, configurable: false });
  } catch {
    // leave as is
  }
}
