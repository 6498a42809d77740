import { expect, type Locator, type Page } from '@playwright/test';

// Steps for the network playground (src/widgets/playground/), shared by ch05.spec.ts and
// ch05-perf.spec.ts.

/** Scrolls the playground into view and waits until its live widget has drawn a frame. */
export async function openPlayground(page: Page, id = 'fig-playground'): Promise<Locator> {
  const root = page.locator(`[data-playground="${id}"]`);
  await root.scrollIntoViewIfNeeded();
  await expect(root).toHaveAttribute('data-hydrated', 'true');
  await expect(root).toHaveAttribute('data-frames', /\d+/);
  return root;
}

/** The epoch the playground shows. */
export async function epochOf(root: Locator): Promise<number> {
  return Number(await root.locator('[data-epoch]').textContent());
}

/** The training loss the playground shows. */
export async function trainLossOf(root: Locator): Promise<number> {
  return Number(await root.locator('[data-loss-train]').textContent());
}

/** A fingerprint of the decision region's pixels. */
export async function regionOf(root: Locator): Promise<string> {
  return root.locator('canvas[data-region]').evaluate((c) => (c as HTMLCanvasElement).toDataURL());
}

/** Presses Train, waits until at least `epochs` epochs have run, and presses Pause. */
export async function trainFor(root: Locator, epochs: number): Promise<void> {
  await root.getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => epochOf(root), { timeout: 30_000 }).toBeGreaterThanOrEqual(epochs);
  await root.getByRole('button', { name: 'Pause' }).click();
  await expect(root).toHaveAttribute('data-running', 'false');
}

/** Sets a number or range input of the playground as a reader typing into it would. */
export async function setField(root: Locator, label: string, value: string): Promise<void> {
  await root.getByLabel(label, { exact: true }).fill(value);
}
