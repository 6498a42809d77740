/**
 * The digits CNN of Part IV, trained until it reaches 97% test accuracy: conv 8@3×3 pad 1 →
 * relu → max pool 2 → conv 16@3×3 pad 1 → relu → max pool 2 → dense 10, Adam (lr 2e-3), batch
 * 32, on the 8,000 shipped MNIST training digits, seeded; the test accuracy on the 2,000 test
 * digits is checked every 125 steps (4,000 images). Written against the engine's public API
 * only, so the same code runs in Node (run.ts) and in headless Chromium (digits-browser.ts).
 */
import * as E from '../src/index.ts';

export interface DigitsResult {
  backend: string;
  reached: boolean;
  /** Training steps taken and epochs (8,000 images each) they amount to. */
  steps: number;
  epochs: number;
  accuracy: number;
  /** Wall-clock seconds of training, and of training plus the accuracy checks. */
  trainSeconds: number;
  totalSeconds: number;
  /** Test accuracy after each check. */
  history: { steps: number; seconds: number; accuracy: number }[];
}

const TARGET = 0.97;
const CHECK_EVERY = 125;
const MAX_EPOCHS = 6;

/** Trains until 97% test accuracy (or MAX_EPOCHS); `url` is where the digits file is. */
export async function digitsTo97(url?: string): Promise<DigitsResult> {
  const { nn, optim, F } = E;
  const { trainX, trainY, testX, testY } = await E.loadDigits(url ? { url } : {});
  E.manualSeed(0);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(16 * 7 * 7, 10),
  );
  const optimizer = new optim.Adam(model.parameters(), { lr: 2e-3 });
  const history: DigitsResult['history'] = [];
  let steps = 0;
  let evalMs = 0;
  let accuracy = 0;
  const t0 = performance.now();
  E.fit(model, {
    data: { x: trainX, y: trainY },
    lossFn: (out, y) => F.crossEntropy(out, y),
    optimizer,
    epochs: MAX_EPOCHS,
    batchSize: 32,
    generator: new E.Generator(1),
    onStep: () => {
      steps += 1;
      if (steps % CHECK_EVERY !== 0) return;
      const e0 = performance.now();
      accuracy = E.accuracy(E.predict(model, testX), testY);
      evalMs += performance.now() - e0;
      history.push({ steps, seconds: (performance.now() - t0) / 1000, accuracy });
      if (accuracy >= TARGET) return false;
    },
  });
  const totalMs = performance.now() - t0;
  return {
    backend: E.getBackend(),
    reached: accuracy >= TARGET,
    steps,
    epochs: (steps * 32) / trainX.shape[0],
    accuracy,
    trainSeconds: (totalMs - evalMs) / 1000,
    totalSeconds: totalMs / 1000,
    history,
  };
}
