/**
 * The training widget's own worker: trains the chapter's digits CNN (cnn.ts) on the book's
 * 10,000 digits off the main thread, so the page stays responsive. Messages in:
 * `start` (or resume), `pause`, `reset`. Messages out: `loading`, `step` (at most ~15 a
 * second), `epoch` (test accuracy, confusion matrix, most confused examples, first-layer
 * filters and feature maps, and the weights), `paused`, `done`, `error`.
 */
import { confusionMatrix, loadDigits } from '@descent/engine';
import { CLASSES, DigitsTrainer, firstLayer, flatWeights, type EpochReport } from './cnn.ts';

/** The test digit whose feature maps the widget shows (the first of the test split). */
const FEATURE_DIGIT = 0;

let digits: Awaited<ReturnType<typeof loadDigits>> | null = null;
let points: { step: number; loss: number; batchAccuracy: number }[] = [];
let trainer: DigitsTrainer | null = null;
let pausing = false;
let running = false;
let lastStepPost = 0;

const post = (message: unknown, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(message, transfer);

async function start() {
  if (running) return;
  running = true;
  pausing = false;
  try {
    if (!trainer) {
      post({ type: 'loading' });
      digits ??= await loadDigits();
      trainer = new DigitsTrainer(digits);
    }
    const t = trainer;
    await t.run({
      shouldPause: () => pausing,
      onStep: (report) => {
        points.push({ step: report.step, loss: report.loss, batchAccuracy: report.batchAccuracy });
        const now = performance.now();
        if (now - lastStepPost > 66 || report.step === report.totalSteps) {
          lastStepPost = now;
          post({ type: 'step', ...report, trainSeconds: t.trainSeconds, points });
          points = [];
        }
      },
      onEpoch: (report) => post(epochMessage(t, report)),
    });
    post({
      type: 'step',
      step: t.step,
      totalSteps: t.totalSteps,
      epoch: t.epoch,
      trainSeconds: t.trainSeconds,
      points,
    });
    points = [];
    post({ type: t.done ? 'done' : 'paused', step: t.step, trainSeconds: t.trainSeconds });
  } catch (error) {
    post({ type: 'error', message: String((error as Error)?.message ?? error) });
  } finally {
    running = false;
  }
}

function epochMessage(t: DigitsTrainer, report: EpochReport) {
  const labels = Array.from(t.data.testY.data);
  const matrix = confusionMatrix(report.predictions, labels, CLASSES);
  // the misclassified test digits the network was most sure about
  const confused = report.predictions
    .map((p, i) => ({ i, p, truth: labels[i], prob: report.truthProbability[i] }))
    .filter((e) => e.p !== e.truth)
    .sort((a, b) => a.prob - b.prob)
    .slice(0, 8)
    .map((e) => ({ ...e, pixels: t.data.testX.data.slice(e.i * 784, (e.i + 1) * 784) }));
  const image = t.data.testX.data.slice(FEATURE_DIGIT * 784, (FEATURE_DIGIT + 1) * 784);
  const { filters, maps } = firstLayer(t.model, image);
  return {
    type: 'epoch',
    epoch: report.epoch,
    step: report.step,
    testAccuracy: report.testAccuracy,
    trainSeconds: report.trainSeconds,
    matrix,
    confused,
    filters,
    maps,
    image,
    featureLabel: labels[FEATURE_DIGIT],
    weights: flatWeights(t.model),
  };
}

self.onmessage = (event: MessageEvent<{ type: 'start' | 'pause' | 'reset' }>) => {
  const { type } = event.data;
  if (type === 'start') void start();
  else if (type === 'pause') pausing = true;
  else if (type === 'reset') {
    pausing = true;
    // a running loop notices the flag after its current step; then the state is dropped
    const drop = () => {
      if (running) setTimeout(drop, 5);
      else {
        trainer = null;
        points = [];
        post({ type: 'reset' });
      }
    };
    drop();
  }
};
