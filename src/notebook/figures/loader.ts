/**
 * The only figure code a page loads up front (about 1 KB gzip, with Vite's preload helper): it watches every prerendered
 * figure and imports the runtime, Plot and the figure's module when the figure comes within
 * 300 px of the viewport, or as soon as the reader focuses or touches it. Pages whose figures
 * stay below the fold therefore pay nothing for Plot.
 */
export function observeFigures(scope: ParentNode = document): void {
  const roots = [...scope.querySelectorAll<HTMLElement>('[data-figure]:not([data-hydrated])')];
  whenNear(roots, (root) => {
    import('./runtime.ts')
      .then((runtime) => runtime.hydrate(root))
      .catch((error: unknown) => {
        root.dataset.hydrated = 'error';
        console.error(`Figure "${root.dataset.module}" failed to start`, error);
      });
  });
}

/**
 * Calls `start(root)` once per root, when it comes within 300 px of the viewport or is focused
 * or touched, and marks it `data-hydrated="loading"` first. Shared with other lazily started
 * widgets (src/widgets/playground/loader.ts).
 */
export function whenNear(roots: HTMLElement[], start: (root: HTMLElement) => void): void {
  if (roots.length === 0) return;

  const observer =
    typeof IntersectionObserver === 'undefined'
      ? undefined
      : new IntersectionObserver(
          (entries) => {
            for (const entry of entries)
              if (entry.isIntersecting) begin(entry.target as HTMLElement);
          },
          { rootMargin: '300px 0px' },
        );

  function begin(root: HTMLElement) {
    if (root.dataset.hydrated) return;
    root.dataset.hydrated = 'loading';
    observer?.unobserve(root);
    start(root);
  }

  if (!observer) {
    roots.forEach(begin);
    return;
  }
  for (const root of roots) {
    observer.observe(root);
    root.addEventListener('focusin', () => begin(root), { once: true });
    root.addEventListener('pointerdown', () => begin(root), { once: true });
  }
}
