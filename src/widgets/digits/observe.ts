/**
 * The only code the digits widgets put on a page up front: it imports a widget's module when
 * its element comes within 300 px of the viewport, or on first focus or touch, and calls its
 * `hydrate(root)`. (Same policy as the figures' loader, src/notebook/figures/loader.ts.)
 */
export function observeWidgets(
  selector: string,
  load: () => Promise<{ hydrate(root: HTMLElement): void | Promise<void> }>,
): void {
  const roots = [...document.querySelectorAll<HTMLElement>(`${selector}:not([data-hydrated])`)];
  const start = (root: HTMLElement) => {
    if (root.dataset.hydrated) return;
    root.dataset.hydrated = 'loading';
    load()
      .then((widget) => widget.hydrate(root))
      .catch((error: unknown) => {
        root.dataset.hydrated = 'error';
        console.error(`Widget ${selector} failed to start`, error);
      });
  };
  if (typeof IntersectionObserver === 'undefined') return roots.forEach(start);
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          start(entry.target as HTMLElement);
        }
      }
    },
    { rootMargin: '300px 0px' },
  );
  for (const root of roots) {
    observer.observe(root);
    root.addEventListener('focusin', () => start(root), { once: true });
    root.addEventListener('pointerdown', () => start(root), { once: true });
  }
}
