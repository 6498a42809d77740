/**
 * Takes network access away from cell code, with a clear message: it runs in the kernel's global
 * scope, so we replace what could reach the network before any cell runs. The one exception is
 * `fetch` of the book's own data files (`<base>data/…`), which the engine's data loaders need.
 *
 * This layer is about messages, not security: code could still reach `import()` through `eval`
 * or `new Function`. The seal is the page's Content-Security-Policy, which the browser's kernel
 * inherits because it starts from a `blob:` URL (see ../kernel-client.ts): it refuses scripts
 * and connections to any other origin. In the build (Node) only this layer applies, to the
 * book's own code.
 */

/** Network APIs a cell gets as stubs that throw `SandboxError` when used. */
const REFUSED = [
  'XMLHttpRequest',
  'WebSocket',
  'WebSocketStream',
  'WebTransport',
  'EventSource',
  'importScripts',
];

/** What else cells lose: storage, more workers, and ending the kernel. */
const REMOVED = [
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
  for (const name of REFUSED) {
    if (!(name in g)) continue;
    try {
      delete g[name];
    } catch {
      // non-configurable: the definition below shadows it, or fails and leaves it
    }
    // A function, so that both `new WebSocket(…)` and `importScripts(…)` reach the message.
    define(g, name, function refused() {
      throw blocked(name);
    });
  }
  const blocked = (what: string) => new SandboxError(what);
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

/** The error cells get when they reach for the network. */
export class SandboxError extends TypeError {
  constructor(what: string) {
    super(
      `Cells are sealed off from the network: ${what} is refused. Only the book's own data files can be read (e.g. with loadDigits()).`,
    );
    this.name = 'SandboxError';
  }
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
