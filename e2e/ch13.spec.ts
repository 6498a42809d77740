import { test, expect } from '@playwright/test';
import { watchForProblems } from './support/pages.ts';
import {
  expectCodeExercise,
  expectNumberExercise,
  expectRedraw,
  openFigure,
} from './support/part1.ts';
import {
  CH13,
  digitStrokes,
  drawStrokes,
  openPad,
  openTrainer,
  testDigit,
} from './support/ch13.ts';

// Chapter 13: the page, the output-size figure, the drawing pad (a digit from the data set
// drawn stroke by stroke is read as its class, within 50 ms per stroke), a short training run
// with Pause and Resume while the page keeps answering clicks, the exercises, and the phone
// layout. The full training run to 97 % is e2e/ch13-train.spec.ts.

test('loads cleanly, with anchors and the prerendered worked numbers', async ({ page }) => {
  const watch = watchForProblems(page);
  await page.goto(CH13);
  expect(await page.locator('[data-exercise]').count()).toBeGreaterThanOrEqual(3);
  expect(await page.locator('aside.note-source').count()).toBe(1);
  for (const id of [
    'sec-cnn-math',
    'sec-cnn-alexnet',
    'sec-cnn-resnet',
    'eq-cnn-size',
    'fig-conv-size',
    'fig-digit-pad',
    'fig-digits-train',
  ]) {
    await expect(page.locator(`#${id}`)).toHaveCount(1);
  }
  await expect(page.locator('[data-cell="cn-alexnet"]')).toContainText('44,892,355,200');
  await expect(page.locator('[data-cell="cn-alexnet"]')).toContainText('34,944');
  await expect(page.locator('[data-cell="cn-resnet"]')).toContainText('8.21e-9');
  await page.locator('a[href$="errata/#alexnet-does-not-have-five-pooling-layers"]').click();
  await expect(page.locator('#alexnet-does-not-have-five-pooling-layers')).toBeVisible();
  watch.assertClean();
});

test('the output-size figure responds to stride and padding', async ({ page }) => {
  const watch = watchForProblems(page);
  await page.goto(CH13);
  const root = await openFigure(page, 'fig-conv-size');
  await expect(root.locator('[data-describe]')).toContainText('the output is 4×4');
  await expectRedraw(
    root,
    async () => {
      await root.getByRole('slider', { name: 'Stride S' }).focus();
      await page.keyboard.press('ArrowLeft'); // S = 1
    },
    /W₂ = \(7 − 3 \+ 2·1\)\/1 \+ 1 = 7/,
  );
  await expectRedraw(
    root,
    () => root.getByRole('slider', { name: 'Padding P' }).fill('0'),
    /the output is 5×5/,
  );
  watch.assertClean();
});

test('the pad reads digits drawn from the data set, within 50 ms of a stroke', async ({ page }) => {
  const watch = watchForProblems(page);
  await page.goto(CH13);
  const pad = await openPad(page);
  for (const index of [0, 1, 2]) {
    const { label, pixels } = testDigit(index);
    await pad.getByRole('button', { name: 'Clear' }).click();
    await drawStrokes(page, pad, digitStrokes(pixels));
    await expect(pad, `test digit ${index}`).toHaveAttribute('data-prediction', String(label));
    await expect(pad.getByRole('status')).toContainText(`reads a ${label}`);
  }
  // latency: from a pointer event on the canvas to the redrawn probabilities
  const latencies = await page.evaluate(async () => {
    const root = document.querySelector<HTMLElement>('[data-digit-pad]')!;
    const canvas = root.querySelector('canvas')!;
    const r = canvas.getBoundingClientRect();
    const out: number[] = [];
    for (let k = 0; k < 10; k++) {
      const before = root.dataset.updates;
      const t0 = performance.now();
      const opts = {
        clientX: r.left + 40 + 15 * k,
        clientY: r.top + 60 + 10 * k,
        pointerId: 1,
        bubbles: true,
      };
      canvas.dispatchEvent(new PointerEvent('pointerdown', opts));
      canvas.dispatchEvent(
        new PointerEvent('pointermove', { ...opts, clientX: opts.clientX + 20 }),
      );
      canvas.dispatchEvent(new PointerEvent('pointerup', opts));
      await new Promise<void>((resolve) => {
        const check = () =>
          root.dataset.updates !== before ? resolve() : requestAnimationFrame(check);
        check();
      });
      out.push(performance.now() - t0);
    }
    return out;
  });
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(
    `pad latency per stroke (ms): median ${sorted[5].toFixed(1)}, max ${sorted[9].toFixed(1)}`,
  );
  expect(sorted[5]).toBeLessThan(50);
  watch.assertClean();
});

test('the pad works from the keyboard and with the sample digits', async ({ page }) => {
  const watch = watchForProblems(page);
  await page.goto(CH13);
  const pad = await openPad(page);
  await pad.getByLabel('Sample').selectOption('3');
  await expect(pad).toHaveAttribute('data-prediction', '3');
  await pad.getByRole('button', { name: 'Clear' }).click();
  await expect(pad).toHaveAttribute('data-prediction', '');
  // a vertical stroke with the keyboard pen: a 1
  await pad.getByRole('application', { name: 'Drawing pad for a digit' }).focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Space');
  for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Space');
  await expect(pad).toHaveAttribute('data-prediction', '1');
  watch.assertClean();
});

test('training runs in the page, pauses and resumes, and the page answers clicks meanwhile', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const watch = watchForProblems(page);
  await page.goto(CH13);
  const trainer = await openTrainer(page);
  const train = trainer.getByRole('button', { name: /^(Train|Pause|Resume)$/ });
  await train.click();
  await expect(trainer).toHaveAttribute('data-step', /^([3-9]\d|\d{3,})$/, { timeout: 60_000 });
  // a real click while training: from the pointer press to the button's new label
  await page.evaluate(() => {
    const button = document.querySelector<HTMLButtonElement>(
      '[data-digits-trainer] [data-action="train"]',
    )!;
    const w = window as unknown as { clickMs?: number };
    let pressed = 0;
    button.addEventListener('pointerdown', (e) => (pressed = e.timeStamp), { once: true });
    new MutationObserver((_, observer) => {
      if (button.textContent === 'Pausing…' || button.textContent === 'Resume') {
        w.clickMs = performance.now() - pressed;
        observer.disconnect();
      }
    }).observe(button, { childList: true, characterData: true, subtree: true });
  });
  await trainer.getByRole('button', { name: 'Pause' }).click();
  const clickMs = await page
    .waitForFunction(() => (window as unknown as { clickMs?: number }).clickMs)
    .then((h) => h.jsonValue() as Promise<number>);
  console.log(`click answered during training in ${clickMs.toFixed(1)} ms`);
  expect(clickMs).toBeLessThan(100);
  await expect(trainer).toHaveAttribute('data-state', 'paused');
  const pausedAt = Number(await trainer.getAttribute('data-step'));
  await page.waitForTimeout(500);
  expect(Number(await trainer.getAttribute('data-step'))).toBe(pausedAt);
  expect(await trainer.locator('[data-chart="loss"] path').count()).toBeGreaterThanOrEqual(2);
  await trainer.getByRole('button', { name: 'Resume' }).click();
  await expect
    .poll(async () => Number(await trainer.getAttribute('data-step')))
    .toBeGreaterThan(pausedAt + 10);
  await trainer.getByRole('button', { name: 'Pause' }).click();
  await expect(trainer).toHaveAttribute('data-state', 'paused');
  await trainer.getByRole('button', { name: 'Reset' }).click();
  await expect(trainer).toHaveAttribute('data-state', 'idle');
  watch.assertClean();
});

test.describe('exercises', () => {
  test('13.1–13.3 accept the right answer and reject a wrong one', async ({ page }) => {
    await expectNumberExercise(page, CH13, 'ex-cnn-size', '112', '111.5');
    await expectNumberExercise(page, CH13, 'ex-cnn-params', '36928', '36864');
    await expectNumberExercise(page, CH13, 'ex-cnn-pool', '3.75', '8');
  });
  test('13.4 (code) checks average pooling from loops', async ({ page }) => {
    await expectCodeExercise(
      page,
      CH13,
      'ex-cnn-avgpool-cell',
      'ex-cnn-avgpool',
      `function avgPoolLoops(x: number[][]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < x.length / 2; i++) {
    const row: number[] = [];
    for (let j = 0; j < x[0].length / 2; j++)
      row.push((x[2 * i][2 * j] + x[2 * i][2 * j + 1] + x[2 * i + 1][2 * j] + x[2 * i + 1][2 * j + 1]) / 4);
    out.push(row);
  }
  return out;
}
const mine = avgPoolLoops((grid.toArray() as number[][][][])[0][0]);
const expected = (F.avgPool2d(grid, 2).toArray() as number[][][][])[0][0];
JSON.stringify(mine) === JSON.stringify(expected);`,
    );
  });
});

test.describe('phone, dark mode', () => {
  test.use({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', hasTouch: true });
  test('no horizontal overflow; the pad and the trainer fit and draw by touch', async ({
    page,
  }) => {
    const watch = watchForProblems(page);
    await page.goto(CH13);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await openFigure(page, 'fig-conv-size');
    const pad = await openPad(page);
    await openTrainer(page);
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
      wideEquations: [...document.querySelectorAll('.katex-display')]
        .filter((e) => e.scrollWidth > e.clientWidth + 2)
        .map((e) => e.closest('[id]')?.id),
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    expect(widths.wideEquations).toEqual([]);
    await pad.locator('[data-canvas]').scrollIntoViewIfNeeded();
    const box = (await pad.locator('[data-canvas]').boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(390);
    // a touch stroke: a tap is a dot, which the network reads as something
    await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
    await expect(pad).toHaveAttribute('data-prediction', /\d/);
    watch.assertClean();
  });
});
