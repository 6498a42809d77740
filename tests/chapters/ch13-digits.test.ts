/**
 * The digits widgets of chapter 13 without a browser: the MNIST-style preprocessing of a
 * drawing, the shipped pretrained weights (public/data/digits-cnn.bin.gz) and the accuracy the
 * chapter states for them, and that a paused and resumed training run is the same run.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDigits, type Tensor } from '@descent/engine';
import {
  classify,
  decodeWeightsFile,
  DigitsTrainer,
  encodeWeightsFile,
  evaluateDigitsCnn,
  flatWeights,
  loadFlatWeights,
  makeDigitsCnn,
} from '../../src/widgets/digits/cnn.ts';
import { centreOfMass, preprocessDigit } from '../../src/widgets/digits/preprocess.ts';

type Digits = Awaited<ReturnType<typeof loadDigits>>;
let digits: Digits;
let shipped: ReturnType<typeof decodeWeightsFile>;
beforeAll(async () => {
  digits = await loadDigits();
  shipped = decodeWeightsFile(gunzipSync(readFileSync('public/data/digits-cnn.bin.gz')));
});

/** A 28×28 image blown up `k` times (nearest neighbour), as if drawn on a k·28 canvas. */
function upscale(image: ArrayLike<number>, k: number): Float32Array {
  const out = new Float32Array(28 * k * 28 * k);
  for (let y = 0; y < 28 * k; y++)
    for (let x = 0; x < 28 * k; x++)
      out[y * 28 * k + x] = image[Math.floor(y / k) * 28 + Math.floor(x / k)];
  return out;
}

function boundingBox(image: ArrayLike<number>, w: number): { width: number; height: number } {
  let [top, bottom, left, right] = [Infinity, -1, Infinity, -1];
  for (let i = 0; i < image.length; i++) {
    if (image[i] > 0.05) {
      const [x, y] = [i % w, Math.floor(i / w)];
      [top, bottom, left, right] = [
        Math.min(top, y),
        Math.max(bottom, y),
        Math.min(left, x),
        Math.max(right, x),
      ];
    }
  }
  return { width: right - left + 1, height: bottom - top + 1 };
}

const testImage = (t: Tensor, i: number) => t.data.slice(i * 784, (i + 1) * 784);

describe('preprocessDigit (MNIST-style)', () => {
  it('returns zeros for an empty drawing and rejects a wrong size', () => {
    expect(preprocessDigit(new Float32Array(100), 10, 10).every((v) => v === 0)).toBe(true);
    expect(() => preprocessDigit(new Float32Array(99), 10, 10)).toThrow(
      /expected 100 values, got 99/,
    );
  });

  it('scales the longer side to 20 pixels, keeping the aspect ratio', () => {
    const bar = new Float32Array(280 * 280);
    for (let y = 50; y < 250; y++) for (let x = 100; x < 120; x++) bar[y * 280 + x] = 1;
    const out = preprocessDigit(bar, 280, 280);
    expect(boundingBox(out, 28)).toEqual({ width: 2, height: 20 });
  });

  it('centres a small drawing in a corner by its centre of mass', () => {
    const blob = new Float32Array(280 * 280);
    for (let y = 10; y < 40; y++) for (let x = 200; x < 215; x++) blob[y * 280 + x] = 1;
    const [cx, cy] = centreOfMass(preprocessDigit(blob, 280, 280));
    expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
  });

  it('maps a data-set digit drawn 10× larger back to (nearly) itself', () => {
    for (const i of [0, 1, 2, 3, 4]) {
      const original = testImage(digits.testX, i);
      const again = preprocessDigit(upscale(original, 10), 280, 280);
      let dot = 0,
        a = 0,
        b = 0;
      for (let j = 0; j < 784; j++) {
        dot += original[j] * again[j];
        a += original[j] ** 2;
        b += again[j] ** 2;
      }
      expect(dot / Math.sqrt(a * b), `test digit ${i}`).toBeGreaterThan(0.8);
    }
  });
});

describe('the shipped pretrained network', () => {
  it('round-trips through the file format', () => {
    const w = flatWeights(makeDigitsCnn());
    const s = new Uint8Array(7840).fill(3);
    const back = decodeWeightsFile(encodeWeightsFile(w, s));
    expect(back.weights).toEqual(w);
    expect(back.samples).toEqual(s);
    expect(shipped.weights.length).toBe(5994);
  });

  it('reaches the stated 98.00 % on the 2,000 test digits', () => {
    const model = loadFlatWeights(makeDigitsCnn(), shipped.weights);
    const { testAccuracy } = evaluateDigitsCnn(model, digits.testX, digits.testY);
    expect(testAccuracy).toBeCloseTo(0.98, 4);
    expect(testAccuracy).toBeGreaterThanOrEqual(0.97);
  });

  it('classifies its ten samples, also after drawing-style preprocessing', () => {
    const model = loadFlatWeights(makeDigitsCnn(), shipped.weights);
    for (let c = 0; c < 10; c++) {
      const image = Float32Array.from(
        shipped.samples.subarray(c * 784, (c + 1) * 784),
        (v) => v / 255,
      );
      const direct = classify(model, image);
      expect(direct.indexOf(Math.max(...direct)), `sample ${c}`).toBe(c);
      const drawn = classify(model, preprocessDigit(upscale(image, 10), 280, 280));
      expect(drawn.indexOf(Math.max(...drawn)), `sample ${c} drawn`).toBe(c);
    }
  });
});

describe('DigitsTrainer', () => {
  it('pausing and resuming gives the same weights as an uninterrupted run', async () => {
    const small = {
      trainX: digits.trainX.narrow(0, 0, 320),
      trainY: digits.trainY.narrow(0, 0, 320),
      testX: digits.testX.narrow(0, 0, 50),
      testY: digits.testY.narrow(0, 0, 50),
    };
    const straight = new DigitsTrainer(small);
    for (let i = 0; i < 12; i++) straight.trainStep();
    const paused = new DigitsTrainer(small);
    let steps = 0;
    await paused.run({ shouldPause: () => steps >= 5, onStep: () => steps++ });
    expect(paused.step).toBe(5);
    await paused.run({ shouldPause: () => steps >= 12, onStep: () => steps++ });
    expect(paused.step).toBe(12);
    expect(flatWeights(paused.model)).toEqual(flatWeights(straight.model));
  });
});
