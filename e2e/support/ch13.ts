import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, type Locator, type Page } from '@playwright/test';

// Steps for chapter 13's digits widgets: reading a digit from the book's data set and drawing
// it on the pad with real mouse strokes, and reading the pad's prediction.

export const CH13 = 'chapters/convolutional-networks/';

/** Test digit `index` (0-based in the 2,000-image test split): label and 784 pixels 0..255. */
export function testDigit(index: number): { label: number; pixels: Uint8Array } {
  const bytes = gunzipSync(
    readFileSync(join(import.meta.dirname, '..', '..', 'public', 'data', 'mnist-10k.bin.gz')),
  );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  const i = count - 2000 + index;
  return {
    label: bytes[12 + i],
    pixels: bytes.subarray(12 + count + i * 784, 12 + count + (i + 1) * 784),
  };
}

/**
 * The digit's ink as strokes: every other pixel row, one stroke per run of inked pixels
 * (value > 100), in 28×28 coordinates. With the pad's pen (about 2 of 28 pixels wide) the
 * strokes cover the digit's shape.
 */
export function digitStrokes(pixels: Uint8Array): [number, number, number][] {
  const strokes: [number, number, number][] = [];
  for (let y = 0; y < 28; y += 2) {
    let start = -1;
    for (let x = 0; x <= 28; x++) {
      const ink =
        x < 28 && Math.max(pixels[y * 28 + x], pixels[Math.min(27, y + 1) * 28 + x]) > 100;
      if (ink && start < 0) start = x;
      if (!ink && start >= 0) {
        strokes.push([y + 1, start + 0.5, x - 0.5]);
        start = -1;
      }
    }
  }
  return strokes;
}

/** Opens the pad and waits until it has loaded its network. */
export async function openPad(page: Page): Promise<Locator> {
  const pad = page.locator('[data-digit-pad]');
  await pad.scrollIntoViewIfNeeded();
  await expect(pad).toHaveAttribute('data-hydrated', 'true');
  return pad;
}

/** Draws strokes (rows in 28×28 coordinates) on the pad with the mouse. */
export async function drawStrokes(
  page: Page,
  pad: Locator,
  strokes: [number, number, number][],
): Promise<void> {
  const box = (await pad.locator('[data-canvas]').boundingBox())!;
  const at = (x: number, y: number): [number, number] => [
    box.x + (x * box.width) / 28,
    box.y + (y * box.height) / 28,
  ];
  for (const [y, x0, x1] of strokes) {
    await page.mouse.move(...at(x0, y));
    await page.mouse.down();
    await page.mouse.move(...at(x1, y), { steps: 3 });
    await page.mouse.up();
  }
}

/** Opens the training widget and waits until it has hydrated. */
export async function openTrainer(page: Page): Promise<Locator> {
  const trainer = page.locator('[data-digits-trainer]');
  await trainer.scrollIntoViewIfNeeded();
  await expect(trainer).toHaveAttribute('data-hydrated', 'true');
  return trainer;
}
