/** The headings Astro extracts from an MDX page, trimmed to what the in-page contents lists. */
export interface Heading {
  depth: number;
  slug: string;
  text: string;
}

export function tocEntries(headings: Heading[]): Heading[] {
  return headings.filter((h) => h.depth === 2 || h.depth === 3);
}
