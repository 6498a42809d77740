/**
 * Reading the data files the site ships in `public/data/`: from the repository in Node (the
 * build and the tests), fetched from the site's `data/` folder in browsers, so the same chapter
 * code runs in both. Used by `loadDigits` and `loadText`.
 */

/** Where to read a shipped data file from. */
export interface DataFileOptions {
  /**
   * Where the site is served from, e.g. '/descent/' (the file is fetched from
   * `${base}data/<file>`). Default: Vite's `import.meta.env.BASE_URL`, else '/'.
   */
  base?: string;
  /** Fetch or read from this URL or path instead. */
  url?: string;
}

/** Node (or a Node worker thread), even where a DOM shim such as linkedom defines `window`. */
function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

function defaultBase(): string {
  const env = (import.meta as unknown as { env?: { BASE_URL?: string } }).env;
  return env?.BASE_URL ?? '/';
}

/**
 * The bytes of `public/data/<file>`; `who` names the caller in error messages. Internal (not
 * exported from the package): the public loaders are `loadDigits` and `loadText`.
 */
export async function readDataFile(
  file: string,
  who: string,
  opts: DataFileOptions = {},
): Promise<Uint8Array> {
  if (isNode() && !opts.base && !(opts.url && /^https?:/.test(opts.url))) {
    // Hide the specifier from bundlers: this branch only ever runs in Node.
    const fsName = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsName)) as {
      readFile(path: string | URL): Promise<Uint8Array>;
    };
    if (opts.url) return new Uint8Array(await fs.readFile(opts.url));
    // The file next to the engine's source in the repository; when the engine has been bundled
    // elsewhere (e.g. a site build), the working directory's public/data instead.
    const here = new URL(`../../../../public/data/${file}`, import.meta.url);
    try {
      return new Uint8Array(await fs.readFile(here));
    } catch {
      const cwd = (globalThis as { process?: { cwd(): string } }).process!.cwd();
      return new Uint8Array(await fs.readFile(`${cwd}/public/data/${file}`));
    }
  }
  const url = opts.url ?? `${opts.base ?? defaultBase()}data/${file}`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${who}: fetching ${url} failed with HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
