import { z } from 'astro/zod';

/** The four parts of the book, in reading order. */
export const parts = [
  { id: 1, title: 'Optimization foundations' },
  { id: 2, title: 'Neural networks' },
  { id: 3, title: 'Training dynamics' },
  { id: 4, title: 'Architectures' },
] as const;

/** Frontmatter of a chapter. Every field is checked at build time; a typo fails the build. */
export const chapterSchema = z.object({
  /** The chapter's title as it appears in the sidebar, the page heading and search results. */
  title: z.string().min(1),
  /** Which part of the book the chapter belongs to (1–4, see `parts`). */
  part: z.number().int().min(1).max(4),
  /** The chapter number across the whole book (1–14); sets the reading order. */
  chapter: z.number().int().min(1).max(99),
  /** One or two sentences for the home page's table of contents and the page's meta description. */
  summary: z.string().min(1),
  /**
   * Whether the chapter is still to be written. A draft is listed as "coming" and its page says
   * so plainly, so no reader mistakes a stub for the real thing.
   */
  draft: z.boolean().default(false),
  /** Topics for the home page's contents, a few words each. */
  topics: z.array(z.string()).default([]),
  /** What the reader should know first: slugs of earlier chapters. */
  prerequisites: z.array(z.string()).default([]),
});

export type ChapterData = z.infer<typeof chapterSchema>;
