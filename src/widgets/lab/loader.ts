/**
 * The only lab code a page loads up front: it imports the lab (the engine, the optimizers,
 * the drawing) when the lab comes near the viewport or the reader focuses or touches it (the
 * figure loader's `whenNear`), or at once when the page was opened with a share link (`#lab=…`).
 */
import { whenNear } from '../../notebook/figures/loader.ts';

export function observeLabs(): void {
  const roots = [...document.querySelectorAll<HTMLElement>('[data-lab]:not([data-hydrated])')];
  const start = (root: HTMLElement) => {
    root.dataset.hydrated = 'loading';
    import('./lab.ts')
      .then((lab) => lab.hydrate(root))
      .catch((error: unknown) => {
        root.dataset.hydrated = 'error';
        console.error('The optimizer lab failed to start', error);
      });
  };
  if (location.hash.startsWith('#lab=')) roots.forEach(start);
  else whenNear(roots, start);
}
