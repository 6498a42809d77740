import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadText, loadDigits } from '@descent/engine';

const file = new URL('../../../../public/data/alice-chapter1.txt', import.meta.url);

describe('shipped texts', () => {
  it('loads the opening of Alice in Node: 4,708 characters, 56 distinct', async () => {
    const text = await loadText('alice');
    expect(text).toBe(readFileSync(file, 'utf8'));
    expect(text.length).toBe(4708);
    expect(new Set(text).size).toBe(56);
    expect(text.startsWith('Alice was beginning to get very tired')).toBe(true);
    expect(await loadText('alice')).toBe(text); // cached
  });

  it('in the browser it fetches ${base}data/<file> and normalizes line endings', async () => {
    const urls: string[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = (async (url: string) => {
      urls.push(String(url));
      return new Response('one\r\ntwo\rthree\n');
    }) as typeof fetch;
    try {
      expect(await loadText('alice', { base: '/descent/' })).toBe('one\ntwo\nthree\n');
      expect(urls).toEqual(['/descent/data/alice-chapter1.txt']);
      globalThis.fetch = (async () => new Response('', { status: 404 })) as typeof fetch;
      await expect(loadText('alice', { base: '/x/' })).rejects.toThrow(/loadText: .*HTTP 404/);
      await expect(loadDigits({ base: '/x/' })).rejects.toThrow(/loadDigits: .*HTTP 404/);
    } finally {
      globalThis.fetch = original;
    }
  });

  it('names the known texts when asked for another', async () => {
    await expect(loadText('bible' as 'alice')).rejects.toThrow(
      /no text named "bible"; known: alice/,
    );
  });
});
