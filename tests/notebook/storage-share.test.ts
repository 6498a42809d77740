import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EditStore, editKey, normalizePath, type StorageLike } from '../../src/notebook/storage.ts';
import {
  decodeCode,
  encodeCode,
  parseShareFragment,
  shareFragment,
} from '../../src/notebook/share.ts';
import { hashCode } from '../../src/notebook/hash.ts';

class MemoryStorage implements StorageLike {
  map = new Map<string, string>();
  getItem = (k: string) => this.map.get(k) ?? null;
  setItem = (k: string, v: string) => void this.map.set(k, v);
  removeItem = (k: string) => void this.map.delete(k);
}

describe('EditStore', () => {
  it('saves, loads and removes an edit by page and cell', () => {
    const storage = new MemoryStorage();
    const store = new EditStore(storage, '/descent/chapters/newton/');
    expect(store.save('c1', 'x + 1', 'h1')).toEqual({ ok: true });
    expect(store.load('c1')).toMatchObject({ code: 'x + 1', original: 'h1' });
    expect(new EditStore(storage, '/descent/chapters/newton/index.html').load('c1')?.code).toBe(
      'x + 1',
    );
    expect(new EditStore(storage, '/descent/chapters/other/').load('c1')).toBeNull();
    store.remove('c1');
    expect(store.load('c1')).toBeNull();
  });

  it('works without storage: nothing saved, nothing thrown', () => {
    const store = new EditStore(null, '/p/');
    expect(store.available).toBe(false);
    expect(store.save('c', 'code', 'h')).toEqual({ ok: false, reason: 'unavailable' });
    expect(store.load('c')).toBeNull();
    expect(() => store.remove('c')).not.toThrow();
  });

  it('reports a full storage instead of throwing', () => {
    const full: StorageLike = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    const store = new EditStore(full, '/p/');
    expect(store.save('c', 'code', 'h')).toEqual({ ok: false, reason: 'full' });
    expect(store.load('c')).toBeNull();
    expect(() => store.remove('c')).not.toThrow();
  });

  it('ignores malformed saved data', () => {
    const storage = new MemoryStorage();
    storage.setItem(editKey('/p', 'c'), '{not json');
    storage.setItem(editKey('/p', 'd'), JSON.stringify({ code: 3 }));
    const store = new EditStore(storage, '/p');
    expect(store.load('c')).toBeNull();
    expect(store.load('d')).toBeNull();
  });

  it('normalizes page paths', () => {
    expect(normalizePath('/descent/how-to-use/')).toBe('/descent/how-to-use');
    expect(normalizePath('/descent/how-to-use/index.html')).toBe('/descent/how-to-use');
    expect(normalizePath('/')).toBe('/');
  });
});

describe('share links', () => {
  it('round-trip any code, compressed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 400 }), async (code) => {
        const payload = await encodeCode(code);
        expect(payload[0]).toBe('z');
        expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(await decodeCode(payload)).toBe(code);
      }),
      { numRuns: 60 },
    );
  });

  it('read the uncompressed form too', async () => {
    const code = 'const μ = "naïve ✓";\nμ';
    const bytes = new TextEncoder().encode(code);
    const b64 = btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expect(await decodeCode('b' + b64)).toBe(code);
  });

  it('reject garbage', async () => {
    await expect(decodeCode('qabc')).rejects.toThrow();
    await expect(decodeCode('z!!!')).rejects.toThrow();
  });

  it('live in the fragment, and only well-formed fragments are read', async () => {
    const payload = await encodeCode('1 + 1');
    const fragment = shareFragment('gd-table', payload);
    expect(parseShareFragment(fragment)).toEqual({ cellId: 'gd-table', payload });
    expect(parseShareFragment('#sec-intro')).toBeNull();
    expect(parseShareFragment('#cell=x&code=<script>')).toBeNull();
    expect(parseShareFragment('#cell=&code=zabc')).toBeNull();
  });

  it('shorten long code', async () => {
    const code = 'for (let i = 0; i < 10; i++) console.log(i);\n'.repeat(40);
    expect((await encodeCode(code)).length).toBeLessThan(code.length / 4);
  });
});

describe('hashCode', () => {
  it('is stable and sensitive to any change', () => {
    expect(hashCode('x ** 2')).toBe(hashCode('x ** 2'));
    expect(hashCode('x ** 2')).not.toBe(hashCode('x ** 3'));
    expect(hashCode('')).toMatch(/^[0-9a-z]+$/);
  });
});
