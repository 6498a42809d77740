/**
 * The service worker (src/offline/sw.js) as the build writes it, run in a fake worker scope:
 * an in-memory Cache Storage and a fake server that can be switched to a new deploy.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceWorkerSource } from '../../src/offline/integration.ts';

const ORIGIN = 'https://book.test';
const BASE = '/descent/';
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A built site with these files (path → content). */
function site(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'descent-sw-'));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const deploy1 = {
  'index.html': 'home v1',
  'chapters/a/index.html': 'chapter a v1',
  '_astro/app.111.js': 'app v1',
  'data/digits.bin': 'digits',
};
const deploy2 = {
  'index.html': 'home v2',
  'chapters/a/index.html': 'chapter a v2',
  '_astro/app.222.js': 'app v2',
  'data/digits.bin': 'digits',
};

/** One browser's Cache Storage, shared by every worker version it installs. */
function cacheStorage() {
  const stores = new Map<string, Map<string, string>>();
  const open = async (name: string) => {
    if (!stores.has(name)) stores.set(name, new Map());
    const store = stores.get(name)!;
    const key = (r: string | { url: string }) => {
      const url = new URL(typeof r === 'string' ? r : r.url, ORIGIN);
      url.search = '';
      return url.href;
    };
    return {
      addAll: async (urls: string[]) => {
        for (const url of urls) store.set(key(url), await (await server.fetch(url)).text());
      },
      put: async (r: string | { url: string }, response: Response) =>
        void store.set(key(r), await response.text()),
      match: async (r: string | { url: string }) =>
        store.has(key(r)) ? new Response(store.get(key(r))) : undefined,
      keys: async () => [...store.keys()].map((url) => ({ url })),
    };
  };
  return {
    stores,
    api: {
      open,
      keys: async () => [...stores.keys()],
      delete: async (name: string) => stores.delete(name),
    },
  };
}

/** The deployed files the fake network answers with; `online` false makes every fetch fail. */
const server = {
  files: deploy1 as Record<string, string>,
  online: true,
  async fetch(input: string | { url: string }): Promise<Response> {
    if (!server.online) throw new TypeError('Failed to fetch');
    const path = new URL(typeof input === 'string' ? input : input.url, ORIGIN).pathname;
    const file = path.slice(BASE.length);
    const body = server.files[file.endsWith('/') || file === '' ? `${file}index.html` : file];
    return body === undefined ? new Response('', { status: 404 }) : new Response(body);
  },
};

/** Evaluates a worker script; returns a function that dispatches events to its listeners. */
function startWorker(source: string, caches: unknown) {
  const listeners = new Map<string, (event: unknown) => void>();
  const self = {
    location: { origin: ORIGIN },
    clients: { claim: async () => {} },
    addEventListener: (type: string, fn: (event: unknown) => void) => listeners.set(type, fn),
  };
  runInNewContext(source, { self, caches, fetch: server.fetch, URL, Response, console });
  async function lifecycle(type: 'install' | 'activate') {
    let done: Promise<unknown> = Promise.resolve();
    listeners.get(type)!({ waitUntil: (p: Promise<unknown>) => (done = p) });
    await done;
  }
  async function get(path: string): Promise<string> {
    let response: Promise<Response> | undefined;
    const request = {
      url: ORIGIN + BASE + path,
      method: 'GET',
      mode: path.endsWith('/') ? 'navigate' : 'cors',
    };
    listeners.get('fetch')!({ request, respondWith: (r: Promise<Response>) => (response = r) });
    return (await (response ?? server.fetch(request))).text();
  }
  return { lifecycle, get };
}

describe('the service worker', () => {
  it('changes its version whenever any built file changes', () => {
    const a = serviceWorkerSource(site(deploy1), BASE);
    const b = serviceWorkerSource(site({ ...deploy1, 'chapters/a/index.html': 'edited' }), BASE);
    const version = (s: string) => /const VERSION = '(\w+)'/.exec(s)![1];
    expect(version(a)).not.toBe(version(b));
    expect(a).toContain('"_astro/app.111.js"');
    expect(a).toContain('"chapters/a/"');
  });

  it('serves visited pages offline, then replaces them with the next deploy’s, never mixing', async () => {
    const { stores, api } = cacheStorage();
    server.files = deploy1;
    server.online = true;
    const v1 = startWorker(serviceWorkerSource(site(deploy1), BASE), api);
    await v1.lifecycle('install');
    await v1.lifecycle('activate');
    expect(await v1.get('chapters/a/')).toBe('chapter a v1');
    server.online = false;
    expect(await v1.get('chapters/a/')).toBe('chapter a v1');
    expect(await v1.get('_astro/app.111.js')).toBe('app v1');

    // A new deploy: the next worker installs beside the old one, then takes over.
    server.files = deploy2;
    server.online = true;
    const v2 = startWorker(serviceWorkerSource(site(deploy2), BASE), api);
    await v2.lifecycle('install');
    expect(stores.size).toBe(2); // the old version keeps serving open tabs until activation
    await v2.lifecycle('activate');
    expect(stores.size).toBe(1);
    const [only] = [...stores.values()];
    const cached = [...only!.entries()];
    // the visited chapter was carried over, fetched fresh from the new deploy
    expect(cached).toContainEqual([`${ORIGIN}${BASE}chapters/a/`, 'chapter a v2']);
    expect(cached.some(([url]) => url.includes('app.111'))).toBe(false);
    server.online = false;
    expect(await v2.get('chapters/a/')).toBe('chapter a v2');
    expect(await v2.get('_astro/app.222.js')).toBe('app v2');
  });
});
