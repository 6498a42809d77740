/**
 * `virtual:cell-types`: the files of ./bundle.ts as one module, which only the language
 * service's worker imports (so they reach the browser with it, after a reader's first edit).
 * Registered for the page build and for worker builds in astro.config.mjs.
 */
import type { Plugin } from 'vite';
import { cellTypeFiles } from './bundle.ts';

const ID = 'virtual:cell-types';

export default function cellTypes(): Plugin {
  return {
    name: 'descent-cell-types',
    resolveId: (id) => (id === ID ? `\0${ID}` : null),
    load: (id) => (id === `\0${ID}` ? `export default ${JSON.stringify(cellTypeFiles())};` : null),
  };
}
