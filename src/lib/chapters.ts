import { getCollection, type CollectionEntry } from 'astro:content';
import { parts } from './schema.ts';

export type Chapter = CollectionEntry<'chapters'>;

/** Every chapter, in reading order. */
export async function getChapters(): Promise<Chapter[]> {
  const all = await getCollection('chapters');
  return all.sort((a, b) => a.data.chapter - b.data.chapter);
}

/** The chapters grouped under the book's four parts, for the sidebar and the home page. */
export async function getParts() {
  const chapters = await getChapters();
  return parts.map((part) => ({
    ...part,
    chapters: chapters.filter((c) => c.data.part === part.id),
  }));
}

/** A path inside the site, with the deployment's base path in front (e.g. `/descent/`). */
export function href(path = ''): string {
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  return base + path.replace(/^\//, '');
}

export function chapterHref(chapter: Chapter): string {
  return href(`chapters/${chapter.id}/`);
}
