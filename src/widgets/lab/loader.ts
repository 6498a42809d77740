/**
 * The only lab code a page loads up front: it imports the lab (the engine, the optimizers,
 * the drawing) when the lab comes within 400 px of the viewport, when the reader focuses or
 * touches it, or at once when the page was opened with a share link (`#lab=…`).
 */
export function observeLabs(): void {
  const roots = [...document.querySelectorAll<HTMLElement>('[data-lab]:not([data-hydrated])')];
  const start = (root: HTMLElement) => {
    if (root.dataset.hydrated) return;
    root.dataset.hydrated = 'loading';
    import('./lab.ts')
      .then((lab) => lab.hydrate(root))
      .catch((error: unknown) => {
        root.dataset.hydrated = 'error';
        console.error('The optimizer lab failed to start', error);
      });
  };
  const observer =
    typeof IntersectionObserver === 'undefined'
      ? null
      : new IntersectionObserver(
          (entries) => {
            for (const entry of entries) {
              if (!entry.isIntersecting) continue;
              observer?.unobserve(entry.target);
              start(entry.target as HTMLElement);
            }
          },
          { rootMargin: '400px 0px' },
        );
  for (const root of roots) {
    if (!observer || location.hash.startsWith('#lab=')) {
      start(root);
      continue;
    }
    observer.observe(root);
    root.addEventListener('focusin', () => start(root), { once: true });
    root.addEventListener('pointerdown', () => start(root), { once: true });
  }
}
