/**
 * The live playground, loaded by `loader.ts` when the widget nears the viewport. It takes over
 * the prerendered markup (see `markup.ts`), builds the `PlaygroundModel`, and while training
 * runs a few SGD steps per animation frame within a time budget, then redraws: the decision
 * region and the neuron pictures as 40 × 40 canvases that CSS scales up smoothly, the loss
 * curves as SVG paths. The page never waits on training, so controls answer at once.
 *
 * Each drawn frame sets `data-frames` on the root and dispatches `descent:playground-frame`
 * (detail: `{ ms, epoch, steps }`, ms = the frame's own work), which the perf test counts.
 */
import {
  normalizeConfig,
  parseConfig,
  serializeConfig,
  PlaygroundModel,
  presets,
  describeModel,
  features,
  MAX_LAYERS,
  type PlaygroundConfig,
  type PresetName,
  type GridOutput,
} from './model.ts';
import {
  GRID,
  lossPaths,
  neuronCentre,
  neuronLabel,
  neuronValues,
  pointsSVG,
  regionValues,
  signedPixels,
} from './draw.ts';

/** Training time per animation frame: leaves the rest of a 60 Hz frame for drawing and input. */
const TRAIN_BUDGET_MS = 7;
/** How often the screen-reader description follows a running training. */
const DESCRIBE_EVERY_MS = 1000;

type Field =
  | 'dataset'
  | 'noise'
  | 'trainPercent'
  | 'seed'
  | 'showTest'
  | 'layers'
  | 'activation'
  | 'learningRate'
  | 'batchSize'
  | 'regularization'
  | 'regularizationRate';

export interface PlaygroundHandle {
  model(): PlaygroundModel;
  play(): void;
  pause(): void;
}

export function hydrate(root: HTMLElement): PlaygroundHandle {
  const q = <T extends Element>(selector: string) => root.querySelector<T>(selector)!;
  const field = <T extends HTMLInputElement | HTMLSelectElement>(name: Field) =>
    q<T>(`[data-field="${name}"]`);
  const playButton = q<HTMLButtonElement>('[data-action="play"]');
  const epochOut = q<HTMLOutputElement>('[data-epoch]');
  const trainOut = q<HTMLOutputElement>('[data-loss-train]');
  const testOut = q<HTMLOutputElement>('[data-loss-test]');
  const trainCurve = q<SVGPathElement>('[data-curve-train]');
  const testCurve = q<SVGPathElement>('[data-curve-test]');
  const describeEl = q<HTMLElement>('[data-describe]');
  const pointsLayer = q<SVGGElement>('[data-points-layer]');
  const neuronsHost = q<HTMLElement>('[data-neurons]');

  // The region: a GRID × GRID canvas in place of the prerendered image, scaled up by CSS.
  const regionImg = q<HTMLImageElement>('[data-region]');
  const regionCanvas = document.createElement('canvas');
  regionCanvas.width = GRID;
  regionCanvas.height = GRID;
  regionCanvas.className = regionImg.className;
  regionCanvas.dataset.region = '';
  regionImg.replaceWith(regionCanvas);
  const regionCtx = regionCanvas.getContext('2d')!;
  const image = regionCtx.createImageData(GRID, GRID);
  const scratch = new Float32Array(GRID * GRID);

  let config = parseConfig(root.dataset.config ?? '');
  let model = new PlaygroundModel(config);
  let neuronCtxs: CanvasRenderingContext2D[][] = [];
  let running = false;
  let frameRequested = false;
  let lastDescribe = 0;
  let frames = 0;

  function buildNeurons() {
    const sizes = [config.features.length, ...config.hidden];
    neuronCtxs = [];
    const columns = sizes.map((size, layer) => {
      const column = document.createElement('div');
      column.className = 'pg-layer';
      const title = document.createElement('span');
      title.className = 'pg-layer__title';
      title.textContent = layer === 0 ? 'Inputs' : `Layer ${layer}`;
      column.append(title);
      const ctxs: CanvasRenderingContext2D[] = [];
      for (let unit = 0; unit < size; unit++) {
        const canvas = document.createElement('canvas');
        canvas.width = GRID;
        canvas.height = GRID;
        canvas.className = 'pg-neuron';
        canvas.title = neuronLabel(config, layer, unit);
        column.append(canvas);
        ctxs.push(canvas.getContext('2d')!);
      }
      neuronCtxs.push(ctxs);
      return column;
    });
    neuronsHost.replaceChildren(...columns);
  }

  function paint(ctx: CanvasRenderingContext2D, values: Float32Array) {
    signedPixels(values, image.data);
    ctx.putImageData(image, 0, 0);
  }

  function draw() {
    const start = performance.now();
    const grid: GridOutput = model.evaluateGrid(GRID);
    paint(regionCtx, regionValues(grid, scratch));
    grid.neurons.forEach((layer, l) => {
      const centre = neuronCentre(config, l);
      layer.forEach((values, u) => {
        const ctx = neuronCtxs[l]?.[u];
        if (ctx) paint(ctx, neuronValues(values, centre, scratch));
      });
    });
    const paths = lossPaths(model.trainLosses, model.testLosses);
    trainCurve.setAttribute('d', paths.train);
    testCurve.setAttribute('d', paths.test);
    trainOut.value = model.trainLosses.at(-1)!.toFixed(3);
    testOut.value = model.testLosses.at(-1)!.toFixed(3);
    epochOut.value = String(model.epoch);
    root.dataset.epoch = String(model.epoch);
    if (!running || start - lastDescribe > DESCRIBE_EVERY_MS) {
      describeEl.textContent = describeModel(model);
      lastDescribe = start;
    }
    frames += 1;
    root.dataset.frames = String(frames);
    const ms = performance.now() - start;
    root.dispatchEvent(
      new CustomEvent('descent:playground-frame', {
        bubbles: true,
        detail: { ms, epoch: model.epoch, steps: model.steps },
      }),
    );
  }

  function frame() {
    frameRequested = false;
    if (running) {
      // At most one epoch per frame, as in the TensorFlow Playground, and never more than the
      // time budget: a slow machine trains fewer steps per frame but keeps drawing.
      const start = performance.now();
      const target = model.epoch + 1;
      do model.step();
      while (model.epoch < target && performance.now() - start < TRAIN_BUDGET_MS);
    }
    draw();
    if (running) requestFrame();
  }

  function requestFrame() {
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(frame);
  }

  function setRunning(on: boolean) {
    running = on;
    playButton.textContent = on ? 'Pause' : 'Train';
    root.dataset.running = String(on);
    if (on) requestFrame();
    else requestFrame(); // one last frame, so the description catches up
  }

  /** A new network from the controls' configuration (epoch 0); keeps training if it was. */
  function rebuild(next: PlaygroundConfig) {
    config = normalizeConfig(next);
    model = new PlaygroundModel(config);
    root.dataset.config = serializeConfig(config);
    pointsLayer.innerHTML = pointsSVG(model.train, model.test);
    buildNeurons();
    requestFrame();
  }

  /** The configuration the controls show now. */
  function readControls(): PlaygroundConfig {
    const layers = Number(field<HTMLInputElement>('layers').value);
    const hidden = Array.from({ length: Math.max(0, Math.min(MAX_LAYERS, layers)) }, (_, i) =>
      Number(q<HTMLInputElement>(`[data-units="${i}"]`).value),
    );
    return normalizeConfig({
      dataset: field('dataset').value as PlaygroundConfig['dataset'],
      noise: Number(field('noise').value) / 100,
      trainFraction: Number(field('trainPercent').value) / 100,
      seed: Number(field('seed').value),
      features: features.filter((f) => q<HTMLInputElement>(`[data-feature="${f}"]`).checked),
      hidden,
      activation: field('activation').value as PlaygroundConfig['activation'],
      learningRate: Number(field('learningRate').value),
      batchSize: Number(field('batchSize').value),
      regularization: field('regularization').value as PlaygroundConfig['regularization'],
      regularizationRate: Number(field('regularizationRate').value),
    });
  }

  /** Shows `c` in the controls (for presets, and to undo an impossible edit). */
  function writeControls(c: PlaygroundConfig) {
    field('dataset').value = c.dataset;
    field('noise').value = String(Math.round(c.noise * 100));
    field('trainPercent').value = String(Math.round(c.trainFraction * 100));
    field('seed').value = String(c.seed);
    for (const f of features)
      q<HTMLInputElement>(`[data-feature="${f}"]`).checked = c.features.includes(f);
    field('layers').value = String(c.hidden.length);
    c.hidden.forEach((u, i) => (q<HTMLInputElement>(`[data-units="${i}"]`).value = String(u)));
    field('activation').value = c.activation;
    field('learningRate').value = String(c.learningRate);
    field('batchSize').value = String(c.batchSize);
    field('regularization').value = c.regularization;
    field('regularizationRate').value = String(c.regularizationRate);
    updateReadouts(c);
  }

  function updateReadouts(c: PlaygroundConfig) {
    for (let i = 0; i < MAX_LAYERS; i++) {
      q<HTMLElement>(`[data-layer-row="${i}"]`).hidden = i >= c.hidden.length;
    }
    const noise = `${Math.round(c.noise * 100)} %`;
    q<HTMLElement>('[data-readout="noise"]').textContent = noise;
    field('noise').setAttribute('aria-valuetext', noise);
    const share = `${Math.round(c.trainFraction * 100)} %`;
    q<HTMLElement>('[data-readout="trainPercent"]').textContent = share;
    field('trainPercent').setAttribute('aria-valuetext', share);
    q<HTMLElement>('[data-readout="batchSize"]').textContent = String(c.batchSize);
    field('batchSize').setAttribute('aria-valuetext', String(c.batchSize));
  }

  function markPreset(name: PresetName | null) {
    for (const b of root.querySelectorAll<HTMLButtonElement>('[data-preset]')) {
      b.setAttribute('aria-pressed', String(b.dataset.preset === name));
    }
  }

  const liveFields = new Set<string>([
    'learningRate',
    'batchSize',
    'regularization',
    'regularizationRate',
  ]);
  root.addEventListener('input', (event) => {
    const target = event.target as HTMLInputElement;
    if (target.dataset.field === 'showTest') {
      root.classList.toggle('pg--show-test', target.checked);
      return;
    }
    const next = readControls();
    // A feature set must not be empty: put back the box that was just cleared.
    if (
      target.dataset.feature &&
      next.features.length === 1 &&
      !target.checked &&
      config.features.length === 1
    ) {
      target.checked = true;
      return;
    }
    updateReadouts(next);
    markPreset(null);
    if (target.dataset.field && liveFields.has(target.dataset.field)) {
      config = { ...config, ...pick(next) };
      model.setTrainingOptions(pick(next));
      return;
    }
    // Number inputs fire on every keystroke; rebuild only for a complete, valid value.
    if (target.type === 'number' && (target.value === '' || !target.checkValidity())) return;
    rebuild(next);
  });

  root.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button');
    if (!button || !root.contains(button)) return;
    const preset = button.dataset.preset as PresetName | undefined;
    if (preset && presets[preset]) {
      const c = normalizeConfig(presets[preset].config as PlaygroundConfig);
      writeControls(c);
      markPreset(preset);
      rebuild(c);
      return;
    }
    switch (button.dataset.action) {
      case 'play':
        setRunning(!running);
        break;
      case 'step':
        if (running) setRunning(false);
        model.trainEpochs(1);
        requestFrame();
        break;
      case 'reset':
        setRunning(false);
        rebuild(readControls());
        break;
    }
  });

  buildNeurons();
  root.dataset.running = 'false';
  root.dataset.hydrated = 'true';
  requestFrame();

  return {
    model: () => model,
    play: () => setRunning(true),
    pause: () => setRunning(false),
  };
}

function pick(c: PlaygroundConfig) {
  return {
    learningRate: c.learningRate,
    batchSize: c.batchSize,
    regularization: c.regularization,
    regularizationRate: c.regularizationRate,
  };
}
