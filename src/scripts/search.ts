// Header search over the whole book with Pagefind. Pagefind's index and its ~20 KB client load
// only when the reader focuses the search box, so pages pay nothing for search until then.

interface PagefindResult {
  data(): Promise<{ url: string; meta: { title?: string }; excerpt: string }>;
}
interface Pagefind {
  options(o: Record<string, unknown>): Promise<void>;
  init(): Promise<void>;
  debouncedSearch(q: string): Promise<{ results: PagefindResult[] } | null>;
}

const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
let pagefind: Promise<Pagefind> | undefined;

function load(): Promise<Pagefind> {
  pagefind ??= (async () => {
    const url = `${base}pagefind/pagefind.js`;
    const module = (await import(/* @vite-ignore */ url)) as Pagefind;
    await module.options({ baseUrl: base });
    await module.init();
    return module;
  })();
  return pagefind;
}

/** Pagefind marks hits with <mark>; keep only that markup and escape everything else. */
function excerptNodes(excerpt: string): Node[] {
  const parts = excerpt.split(/<mark>|<\/mark>/);
  return parts.map((text, i) => {
    const plain = text
      .replace(/<[^>]*>/g, '')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'");
    if (i % 2 === 1) {
      const mark = document.createElement('mark');
      mark.textContent = plain;
      return mark;
    }
    return document.createTextNode(plain);
  });
}

for (const form of document.querySelectorAll<HTMLFormElement>('[data-search]')) {
  const input = form.querySelector<HTMLInputElement>('input[type="search"]')!;
  const output = form.querySelector<HTMLElement>('[data-search-results]')!;
  const status = form.querySelector<HTMLElement>('[data-search-status]')!;
  form.addEventListener('submit', (event) => event.preventDefault());
  input.addEventListener('focus', () => void load(), { once: true });
  input.addEventListener('input', async () => {
    const query = input.value.trim();
    if (!query) {
      output.replaceChildren();
      output.hidden = true;
      status.textContent = '';
      return;
    }
    let found;
    try {
      found = await (await load()).debouncedSearch(query);
    } catch {
      status.textContent = 'Search is unavailable (the index is built with `npm run build`).';
      return;
    }
    if (!found || input.value.trim() !== query) return; // superseded by a newer query
    const items = await Promise.all(found.results.slice(0, 8).map((r) => r.data()));
    const list = items.map((item) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = item.url;
      a.textContent = item.meta.title ?? item.url;
      const p = document.createElement('p');
      p.append(...excerptNodes(item.excerpt));
      li.append(a, p);
      return li;
    });
    output.replaceChildren(...list);
    output.hidden = list.length === 0;
    status.textContent = `${found.results.length} result${found.results.length === 1 ? '' : 's'}`;
  });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      input.value = '';
      output.replaceChildren();
      output.hidden = true;
      status.textContent = '';
    }
  });
}
