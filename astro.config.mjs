// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import remarkCells from './src/notebook/remark-cells.ts';
import remarkHeadingLabels from './src/lib/remark-heading-labels.ts';
import offline from './src/offline/integration.ts';
import cellTypes from './src/notebook/types/vite-plugin.ts';

// GitHub Pages serves a project site under /<repo>/; the deploy workflow sets both variables.
const site = process.env.SITE_URL ?? 'https://descent-book.github.io';
const base = normalizeBase(process.env.BASE_PATH ?? '/descent/');

function normalizeBase(/** @type {string} */ path) {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

export default defineConfig({
  site,
  base,
  trailingSlash: 'always',
  integrations: [mdx(), offline()],
  markdown: {
    // Astro 7's default Markdown engine (Sätteri) runs no remark/rehype plugins, so opt back
    // into the unified pipeline for KaTeX; MDX inherits it.
    processor: unified({
      remarkPlugins: [remarkCells, remarkMath, remarkHeadingLabels],
      rehypePlugins: [rehypeKatex],
    }),
    shikiConfig: {
      // The plain github-light theme fails axe colour contrast; the high-contrast pair passes.
      themes: { light: 'github-light-high-contrast', dark: 'github-dark-high-contrast' },
    },
  },
  vite: {
    // Never inline scripts or assets into the HTML: the page's Content Security Policy allows
    // scripts from the site's own files only, with no inline code.
    build: { assetsInlineLimit: 0 },
    // The cells' language service worker imports the engine's generated declarations.
    worker: { format: 'es', plugins: () => [cellTypes()] },
    // Pre-bundle what the notebook imports lazily, so `astro dev` does not discover them on the
    // first Run and reload the page.
    optimizeDeps: {
      include: [
        '@observablehq/plot',
        'codemirror',
        '@codemirror/lang-javascript',
        '@codemirror/autocomplete',
        '@codemirror/language',
        '@codemirror/state',
        '@codemirror/view',
        '@lezer/highlight',
        'sucrase',
        'acorn',
        'linkedom',
      ],
    },
  },
});
