/**
 * The only playground code a page loads up front (a few hundred bytes): it imports the live
 * widget (`app.ts`, with the engine) when a playground comes within 300 px of the viewport, or
 * as soon as the reader focuses or touches it. Until then the prerendered first state stands.
 */
export function observePlaygrounds(scope: ParentNode = document): void {
  const roots = [...scope.querySelectorAll<HTMLElement>('[data-playground]:not([data-hydrated])')];
  if (roots.length === 0) return;

  const observer =
    typeof IntersectionObserver === 'undefined'
      ? undefined
      : new IntersectionObserver(
          (entries) => {
            for (const entry of entries)
              if (entry.isIntersecting) start(entry.target as HTMLElement);
          },
          { rootMargin: '300px 0px' },
        );

  function start(root: HTMLElement) {
    if (root.dataset.hydrated) return;
    root.dataset.hydrated = 'loading';
    observer?.unobserve(root);
    import('./app.ts')
      .then((app) => app.hydrate(root))
      .catch((error: unknown) => {
        root.dataset.hydrated = 'error';
        console.error(`Playground "${root.id}" failed to start`, error);
      });
  }

  if (!observer) {
    roots.forEach(start);
    return;
  }
  for (const root of roots) {
    observer.observe(root);
    root.addEventListener('focusin', () => start(root), { once: true });
    root.addEventListener('pointerdown', () => start(root), { once: true });
  }
}
