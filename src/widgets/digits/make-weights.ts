/**
 * Makes `public/data/digits-cnn.bin.gz`, the book's pretrained digits CNN that the drawing pad
 * of chapter 13 uses before the reader has trained their own. It trains with exactly the
 * recipe of the in-page training widget (`RECIPE` in cnn.ts, seeded), on the first 8,000 of
 * the book's digits, and stores the weights as float32 with ten sample test digits.
 *
 *   npm exec -- node src/widgets/digits/make-weights.ts
 *
 * About 20 s on one core. tests/chapters/ch13-digits.test.ts checks that the shipped file
 * reaches the accuracy printed below (and in the chapter).
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { loadDigits } from '@descent/engine';
import { CLASSES, DigitsTrainer, encodeWeightsFile, flatWeights } from './cnn.ts';

const digits = await loadDigits();
const trainer = new DigitsTrainer(digits);
await trainer.run({
  onEpoch: (r) =>
    console.log(
      `epoch ${r.epoch}: test accuracy ${(100 * r.testAccuracy).toFixed(2)} % after ${r.trainSeconds.toFixed(1)} s`,
    ),
});

// one sample per class: the first test digit of each class that the network gets right
const { predictions } = trainer.evaluate();
const samples = new Uint8Array(CLASSES * 784);
const testOffset = digits.raw.count - digits.testY.shape[0];
for (let c = 0; c < CLASSES; c++) {
  const i = predictions.findIndex((p, j) => p === c && digits.testY.data[j] === c);
  samples.set(
    digits.raw.pixels.subarray((testOffset + i) * 784, (testOffset + i + 1) * 784),
    c * 784,
  );
}

const file = gzipSync(encodeWeightsFile(flatWeights(trainer.model), samples), { level: 9 });
const url = new URL('../../../public/data/digits-cnn.bin.gz', import.meta.url);
writeFileSync(url, file);
console.log(`wrote ${url.pathname}: ${file.length} bytes`);
