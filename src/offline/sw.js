/*
 * The book's service worker: offline reading, written out by ./integration.ts at the end of the
 * build with this deploy's VERSION, BASE path and ASSETS (every script, style sheet and woff2
 * font the pages can load). Plain JavaScript: it is copied, not bundled.
 *
 * - install: caches this version's assets, so any page the reader has seen can run its cells
 *   and load its figures offline; pages and data files the reader had saved under the previous
 *   version are fetched again, fresh, into the new cache.
 * - activate: deletes every older version's cache. A new version waits (no skipWaiting) until
 *   no tab shows the old one, so an open page never gets scripts of another build.
 * - fetch: pages network-first (a fresh page when online, the saved one offline); hashed
 *   assets cache-first; data files cache-first once fetched; everything saved as it is used.
 * - message 'save-all': caches every page and data file of the book (the "Save for offline"
 *   button), reporting progress.
 */
/* global __ASSETS__, __PAGES__, __DATA__ -- filled in by ./integration.ts */
const VERSION = '__VERSION__';
const BASE = '__BASE__';
const ASSETS = __ASSETS__;
const PAGES = __PAGES__;
const DATA = __DATA__;
const CACHE = `descent-${VERSION}`;
const PREFIX = 'descent-';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(ASSETS.map((path) => BASE + path));
      await carryOver(cache);
    })(),
  );
});

/** Re-fetches, fresh, what the reader had saved under an older version (best effort). */
async function carryOver(cache) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const old = await caches.open(name);
    for (const request of await old.keys()) {
      const path = new URL(request.url).pathname;
      if (!path.startsWith(BASE) || path.startsWith(BASE + '_astro/')) continue;
      try {
        const response = await fetch(request.url, { cache: 'no-cache' });
        if (response.ok) await cache.put(request.url, response);
      } catch {
        // offline during the update: the page is fetched again on the next visit
      }
    }
  }
}

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (!url.pathname.startsWith(BASE)) return;
  const path = url.pathname.slice(BASE.length);
  if (request.mode === 'navigate' || path === '' || path.endsWith('/') || path.endsWith('.html')) {
    event.respondWith(networkFirst(request));
  } else if (path.startsWith('_astro/') || path.startsWith('data/')) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(request));
  }
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(stripSearch(request), response.clone());
    return response;
  } catch (error) {
    const saved = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
    if (saved) return saved;
    if (request.mode === 'navigate') return offlinePage();
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const saved = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
  if (saved) return saved;
  const response = await fetch(request);
  if (response.ok) await cache.put(stripSearch(request), response.clone());
  return response;
}

/** Pages are saved without their query (share links), so one copy serves every link. */
function stripSearch(request) {
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  return url.href;
}

function offlinePage() {
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline · Descent</title><body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem"><h1>You are offline</h1><p>This page of Descent has not been saved on this device yet. Pages you have opened before are available offline; the <a href="${BASE}">contents</a> has a button that saves the whole book.</p></body></html>`;
  return new Response(html, {
    status: 503,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
  });
}

self.addEventListener('message', (event) => {
  if (event.data?.type !== 'save-all') return;
  const source = event.source;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const all = [...PAGES, ...DATA];
      let done = 0;
      let failed = 0;
      for (const path of all) {
        try {
          const response = await fetch(BASE + path, { cache: 'no-cache' });
          if (response.ok) await cache.put(BASE + path, response);
          else failed++;
        } catch {
          failed++;
        }
        done++;
        source?.postMessage({ type: 'save-progress', done, total: all.length, failed });
      }
    })(),
  );
});
