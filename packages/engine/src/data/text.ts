/**
 * Short public-domain texts shipped with the site in `public/data/` (provenance and licence in
 * its README), for the character-level language model of the recurrent-network chapter.
 */
import { readDataFile, type DataFileOptions } from './files.ts';

/** The texts the site ships, by the name `loadText` takes. */
export const TEXT_FILES = {
  /** The first pages of Lewis Carroll's *Alice's Adventures in Wonderland* (1865), chapter I. */
  alice: 'alice-chapter1.txt',
} as const;

const cache = new Map<string, Promise<string>>();

/**
 * Load a shipped text as a string (UTF-8, line endings as `\n`); later calls share the result.
 * Reads the file in Node and fetches `${base}data/<file>` in the browser, like `loadDigits`.
 *
 * @example
 * const text = await loadText('alice');
 * text.startsWith('Alice was beginning to get very tired'); // true
 */
export function loadText(
  name: keyof typeof TEXT_FILES,
  opts: DataFileOptions = {},
): Promise<string> {
  const file = TEXT_FILES[name];
  if (file === undefined) {
    const known = Object.keys(TEXT_FILES).join(', ');
    return Promise.reject(new Error(`loadText: no text named "${String(name)}"; known: ${known}`));
  }
  const read = () =>
    readDataFile(file, 'loadText', opts).then((bytes) =>
      new TextDecoder().decode(bytes).replace(/\r\n?/g, '\n'),
    );
  if (opts.url || opts.base) return read();
  if (!cache.has(name)) cache.set(name, read());
  return cache.get(name)!;
}
