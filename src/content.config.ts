import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { chapterSchema } from './lib/schema.ts';

/** Every chapter of the book: one MDX file each under the top-level `content/chapters/`. */
const chapters = defineCollection({
  loader: glob({ pattern: '**/*.{md,mdx}', base: './content/chapters' }),
  schema: chapterSchema,
});

export const collections = { chapters };
