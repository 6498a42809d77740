import { expect, type Locator, type Page } from '@playwright/test';

// Steps for the optimizer lab (src/widgets/lab/): open it hydrated, read a row of its results
// table, wait for a recompute, and measure the frame rate of its race.

/** Scrolls the lab into view and waits until it has hydrated and drawn a frame. */
export async function openLab(page: Page, id: string): Promise<Locator> {
  const lab = page.locator(`[data-lab="${id}"]`);
  await lab.scrollIntoViewIfNeeded();
  await expect(lab).toHaveAttribute('data-hydrated', 'true');
  await expect(lab).toHaveAttribute('data-frames', /\d+/);
  return lab;
}

/** The text of an optimizer's row in the results table (its end point and gap). */
export function row(lab: Locator, optimizer: string): Promise<string> {
  return lab.locator(`[data-row="${optimizer}"]`).innerText();
}

/** Runs `change` and waits until the lab has recomputed the race. */
export async function recomputed(lab: Locator, change: () => Promise<unknown>): Promise<void> {
  const before = Number(await lab.getAttribute('data-computed'));
  await change();
  await expect
    .poll(async () => Number(await lab.getAttribute('data-computed')))
    .toBeGreaterThan(before);
}

/**
 * Plays the race and counts the frames the lab draws over `ms` milliseconds of wall time,
 * from its own `lab:frame` events. Returns frames per second.
 */
export async function measureFps(page: Page, lab: Locator, ms: number): Promise<number> {
  await lab.getByRole('button', { name: 'Restart' }).click();
  return lab.evaluate(
    (root, duration) =>
      new Promise<number>((resolve) => {
        let frames = 0;
        const count = () => (frames += 1);
        // skip the first frame after Restart (it may include the click's layout work)
        requestAnimationFrame(() => {
          root.addEventListener('lab:frame', count);
          const start = performance.now();
          setTimeout(() => {
            root.removeEventListener('lab:frame', count);
            resolve((frames * 1000) / (performance.now() - start));
          }, duration);
        });
      }),
    ms,
  );
}
