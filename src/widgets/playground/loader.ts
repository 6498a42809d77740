/**
 * The only playground code a page loads up front (a few hundred bytes, with the figure loader's
 * `whenNear`): it imports the live widget (`app.ts`, with the engine) when a playground comes
 * within 300 px of the viewport, or as soon as the reader focuses or touches it. Until then the
 * prerendered first state stands.
 */
import { whenNear } from '../../notebook/figures/loader.ts';

export function observePlaygrounds(scope: ParentNode = document): void {
  const roots = [...scope.querySelectorAll<HTMLElement>('[data-playground]:not([data-hydrated])')];
  whenNear(roots, (root) => {
    import('./app.ts')
      .then((app) => app.hydrate(root))
      .catch((error: unknown) => {
        root.dataset.hydrated = 'error';
        console.error(`Playground "${root.id}" failed to start`, error);
      });
  });
}
