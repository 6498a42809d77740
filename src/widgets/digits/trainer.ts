/**
 * The training widget of chapter 13 (hydrated by components/DigitsTrainer.astro when it nears
 * the viewport). Train / Pause / Resume / Reset drive train-worker.ts; the page draws the live
 * loss and accuracy curves, a progress bar, and after every epoch the confusion matrix, the
 * most confused test digits, the first layer's filters and one digit's feature maps. Each
 * epoch's weights go to the drawing pad through bus.ts.
 */
import { palette } from '../../notebook/figures/define.ts';
import { publishWeights } from './bus.ts';
import { RECIPE } from './recipe.ts';
import { h, imageCanvas, lineChart, type Series } from './draw.ts';

interface StepMessage {
  type: 'step';
  step: number;
  totalSteps: number;
  epoch: number;
  trainSeconds: number;
  points: { step: number; loss: number; batchAccuracy: number }[];
}
interface EpochMessage {
  type: 'epoch';
  epoch: number;
  step: number;
  testAccuracy: number;
  trainSeconds: number;
  matrix: number[][];
  confused: { i: number; p: number; truth: number; prob: number; pixels: Float32Array }[];
  filters: Float32Array[];
  maps: Float32Array[];
  image: Float32Array;
  featureLabel: number;
  weights: Float32Array;
}
type Message =
  | StepMessage
  | EpochMessage
  | { type: 'loading' | 'reset' }
  | { type: 'paused' | 'done'; step: number; trainSeconds: number }
  | { type: 'error'; message: string };

const EPOCHS = RECIPE.epochs;
const percent = (v: number) => `${(100 * v).toFixed(2)} %`;

export function hydrate(root: HTMLElement): void {
  const q = <T extends Element>(sel: string) => root.querySelector<T>(sel)!;
  const trainButton = q<HTMLButtonElement>('[data-action="train"]');
  const resetButton = q<HTMLButtonElement>('[data-action="reset"]');
  const bar = q<HTMLProgressElement>('progress');
  const progressText = q<HTMLElement>('[data-progress-text]');
  const status = q<HTMLElement>('[data-status]');
  const lossSvg = q<SVGSVGElement>('[data-chart="loss"]');
  const accSvg = q<SVGSVGElement>('[data-chart="accuracy"]');
  const results = q<HTMLElement>('[data-results]');

  let worker: Worker | null = null;
  let state: 'idle' | 'loading' | 'training' | 'paused' | 'done' = 'idle';
  let loss: [number, number][] = [];
  let acc: [number, number][] = [];
  let test: [number, number][] = [];
  let smoothLoss = NaN;
  let smoothAcc = NaN;
  let totalSteps = 1000;
  let pending = false;

  const setState = (next: typeof state) => {
    state = next;
    root.dataset.state = next;
    trainButton.textContent =
      next === 'training' || next === 'loading' ? 'Pause' : next === 'paused' ? 'Resume' : 'Train';
    trainButton.disabled = next === 'done';
    resetButton.disabled = next === 'idle';
  };

  const draw = () => {
    pending = false;
    const stepsPerEpoch = totalSteps / EPOCHS;
    const inEpochs = (points: [number, number][]): [number, number][] =>
      points.map(([s, v]) => [s / stepsPerEpoch, v]);
    const lossSeries: Series[] = [
      { label: 'training loss', color: palette.blue, points: inEpochs(loss) },
    ];
    lineChart(lossSvg, lossSeries, {
      xMax: EPOCHS,
      yMin: 0,
      yMax: 2.4,
      xLabel: 'epoch',
      yLabel: 'training loss',
    });
    const accSeries: Series[] = [
      { label: 'mini-batch accuracy', color: palette.orange, points: inEpochs(acc) },
      { label: 'test accuracy', color: palette.green, points: test, dots: true },
    ];
    lineChart(accSvg, accSeries, {
      xMax: EPOCHS,
      yMin: 0.6,
      yMax: 1,
      xLabel: 'epoch',
      yLabel: 'accuracy',
    });
  };
  const schedule = () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(draw);
    }
  };

  const onStep = (m: StepMessage) => {
    totalSteps = m.totalSteps;
    for (const p of m.points) {
      // exponential moving averages over ~20 mini-batches, so the curves read as trends
      smoothLoss = Number.isNaN(smoothLoss) ? p.loss : 0.95 * smoothLoss + 0.05 * p.loss;
      smoothAcc = Number.isNaN(smoothAcc)
        ? p.batchAccuracy
        : 0.95 * smoothAcc + 0.05 * p.batchAccuracy;
      if (p.step % 5 === 0) {
        loss.push([p.step, smoothLoss]);
        acc.push([p.step, smoothAcc]);
      }
    }
    bar.value = m.step / m.totalSteps;
    root.dataset.step = String(m.step);
    root.dataset.trainSeconds = m.trainSeconds.toFixed(1);
    progressText.textContent = `Epoch ${Math.min(EPOCHS, m.epoch + 1)} of ${EPOCHS}, step ${m.step} of ${m.totalSteps}, ${m.trainSeconds.toFixed(1)} s of training`;
    schedule();
  };

  const onEpoch = (m: EpochMessage) => {
    test.push([m.epoch, m.testAccuracy]);
    root.dataset.epoch = String(m.epoch);
    root.dataset.testAccuracy = m.testAccuracy.toFixed(4);
    root.dataset.trainSeconds = m.trainSeconds.toFixed(1);
    status.textContent = `Epoch ${m.epoch}: test accuracy ${percent(m.testAccuracy)} after ${m.trainSeconds.toFixed(1)} s of training.`;
    publishWeights({
      weights: m.weights,
      label: `your network (epoch ${m.epoch}, ${percent(m.testAccuracy)} test accuracy)`,
    });
    showResults(results, m);
    schedule();
  };

  const onMessage = (event: MessageEvent<Message>) => {
    const m = event.data;
    if (m.type === 'step') onStep(m);
    else if (m.type === 'epoch') onEpoch(m);
    else if (m.type === 'loading') progressText.textContent = 'Loading the 10,000 digits…';
    else if (m.type === 'paused') {
      setState('paused');
      status.textContent = `Paused after step ${m.step}. Resume continues exactly where it stopped.`;
    } else if (m.type === 'done') {
      setState('done');
      status.textContent += ' Training finished; the pad below now uses this network.';
    } else if (m.type === 'reset') {
      loss = [];
      acc = [];
      test = [];
      smoothLoss = smoothAcc = NaN;
      bar.value = 0;
      progressText.textContent = 'Not started.';
      status.textContent = 'Reset: the next run starts from fresh random weights.';
      results.hidden = true;
      delete root.dataset.testAccuracy;
      setState('idle');
      schedule();
    } else if (m.type === 'error') {
      status.textContent = `Training failed: ${m.message}`;
      setState('paused');
    }
  };

  trainButton.addEventListener('click', () => {
    if (state === 'training' || state === 'loading') {
      worker?.postMessage({ type: 'pause' });
      trainButton.textContent = 'Pausing…';
      return;
    }
    worker ??= new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = onMessage;
    worker.postMessage({ type: 'start' });
    status.textContent = state === 'paused' ? 'Resumed.' : 'Training…';
    setState('training');
  });
  resetButton.addEventListener('click', () => worker?.postMessage({ type: 'reset' }));

  trainButton.disabled = false;
  setState('idle');
  draw();
  root.dataset.hydrated = 'true';
}

function showResults(results: HTMLElement, m: EpochMessage): void {
  const matrix = q(results, '[data-confusion]');
  const max = Math.max(...m.matrix.flat());
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, 'true ↓ / predicted →'),
    ...m.matrix.map((_, c) => h('th', { scope: 'col' }, String(c))),
  );
  const rows = m.matrix.map((row, t) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, String(t)),
      ...row.map((count, p) => {
        const cell = h('td', {}, String(count));
        if (count > 0) {
          const alpha = (0.08 + 0.3 * Math.sqrt(count / max)).toFixed(2);
          const colour = p === t ? '5, 150, 105' : '234, 88, 12';
          cell.style.background = `rgba(${colour}, ${alpha})`;
        }
        return cell;
      }),
    ),
  );
  matrix.replaceChildren(
    h(
      'caption',
      {},
      `Confusion matrix after epoch ${m.epoch}: rows are the true digits, columns the predictions (2,000 test digits).`,
    ),
    h('thead', {}, head),
    h('tbody', {}, ...rows),
  );

  q(results, '[data-confused]').replaceChildren(
    ...m.confused.map((e) =>
      h(
        'figure',
        {},
        imageCanvas(e.pixels, 28, { label: `a test ${e.truth} classified as ${e.p}` }),
        h('figcaption', {}, `${e.truth} → ${e.p} (p = ${e.prob.toFixed(3)})`),
      ),
    ),
  );
  q(results, '[data-filters]').replaceChildren(
    ...m.filters.map((f, k) =>
      h(
        'figure',
        {},
        imageCanvas(f, 5, { mode: 'signed', label: `filter ${k + 1}` }),
        h('figcaption', {}, `filter ${k + 1}`),
      ),
    ),
  );
  q(results, '[data-maps]').replaceChildren(
    h(
      'figure',
      {},
      imageCanvas(m.image, 28, { label: `the input, a ${m.featureLabel}` }),
      h('figcaption', {}, 'input'),
    ),
    ...m.maps.map((f, k) =>
      h(
        'figure',
        {},
        imageCanvas(f, 24, { label: `feature map ${k + 1}` }),
        h('figcaption', {}, `map ${k + 1}`),
      ),
    ),
  );
  results.hidden = false;
}

function q(root: HTMLElement, sel: string): HTMLElement {
  return root.querySelector<HTMLElement>(sel)!;
}
