/**
 * The playground's HTML: every control as a real, labelled form element at its initial value,
 * and the first state drawn (the untrained network's decision region over the data, each
 * neuron's picture, the loss readouts and a sentence saying what it shows), so the widget reads
 * well before any script runs. `app.ts` attaches to the same data attributes:
 *   [data-playground]        root <figure>; data-config = the initial configuration
 *   [data-preset="name"]     preset buttons      [data-action="play|step|reset"] toolbar
 *   [data-field="key"]       a configuration control   [data-feature="x2"] a feature checkbox
 *   [data-units="i"]         units of hidden layer i   [data-layer-row="i"] its row
 *   [data-stage]             the data picture: [data-region] image, [data-points] SVG
 *   [data-neurons]           the neuron pictures       [data-loss-*] the loss curves/readouts
 *   [data-describe]          the text alternative      [data-epoch] the epoch counter
 */
import { text, attr } from '../../notebook/figures/markup.ts';
import {
  activations,
  datasets,
  defaultConfig,
  describeModel,
  featureLabels,
  features,
  MAX_LAYERS,
  MAX_UNITS,
  parseConfig,
  PlaygroundModel,
  presets,
  serializeConfig,
  type GridOutput,
  type PlaygroundConfig,
} from './model.ts';
import {
  axesSVG,
  CURVE_H,
  CURVE_W,
  lossPaths,
  neuronValues,
  pointsSVG,
  regionValues,
  signedPixels,
  VIEW,
  neuronCentre,
  neuronLabel,
  GRID,
} from './draw.ts';
import { pngDataURL } from './png.ts';

export const learningRates = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const regularizationRates = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const datasetLabels = { circle: 'Circle', xor: 'XOR', gaussian: 'Gaussian', spiral: 'Spiral' };
const activationLabels = { tanh: 'Tanh', sigmoid: 'Sigmoid', relu: 'ReLU', linear: 'Linear' };
const regularizationLabels = { none: 'None', l1: 'L1', l2: 'L2' };

export interface PlaygroundProps {
  /** Stable anchor, `fig-…`. */
  id: string;
  caption?: string;
  /** Initial configuration as a query string (see `serializeConfig`), e.g. "data=spiral&layers=8,8". */
  state?: string;
}

/**
 * The neuron pictures, one column per layer; `cell(layer, unit)` gives each picture's markup
 * (an <img> at build time, a <canvas> in the browser).
 */
export function neuronsHTML(
  config: PlaygroundConfig,
  cell: (layer: number, unit: number) => string,
): string {
  const sizes = [config.features.length, ...config.hidden];
  const columns = sizes.map((size, layer) => {
    const title = layer === 0 ? 'Inputs' : `Layer ${layer}`;
    const cells = Array.from({ length: size }, (_, unit) => cell(layer, unit)).join('');
    return `<div class="pg-layer"><span class="pg-layer__title">${title}</span>${cells}</div>`;
  });
  return columns.join('');
}

function option(value: string | number, label: string, selected: boolean): string {
  return `<option value="${attr(String(value))}"${selected ? ' selected' : ''}>${text(label)}</option>`;
}

function select(
  id: string,
  field: string,
  label: string,
  options: [string | number, string][],
  value: string | number,
): string {
  return (
    `<div class="pg-control"><label for="${id}-${field}">${text(label)}</label>` +
    `<select id="${id}-${field}" data-field="${field}">` +
    options.map(([v, l]) => option(v, l, String(v) === String(value))).join('') +
    `</select></div>`
  );
}

function range(
  id: string,
  field: string,
  label: string,
  min: number,
  max: number,
  step: number,
  value: number,
  readout: string,
): string {
  return (
    `<div class="pg-control"><label for="${id}-${field}">${text(label)}</label>` +
    `<input type="range" id="${id}-${field}" data-field="${field}" min="${min}" max="${max}" step="${step}" value="${value}" aria-valuetext="${attr(readout)}"/>` +
    `<span class="pg-readout" data-readout="${field}" aria-hidden="true">${text(readout)}</span></div>`
  );
}

function number(
  id: string,
  name: string,
  attrs: string,
  label: string,
  min: number,
  max: number,
  value: number,
  hidden = false,
): string {
  return (
    `<div class="pg-control pg-control--number"${attrs}${hidden ? ' hidden' : ''}><label for="${id}-${name}">${text(label)}</label>` +
    `<input type="number" inputmode="numeric" id="${id}-${name}" min="${min}" max="${max}" step="1" value="${value}"/></div>`
  );
}

/** The playground's markup with its first state drawn. */
export function playgroundHTML(props: PlaygroundProps): string {
  const { id, caption } = props;
  if (!/^[A-Za-z][\w-]*$/.test(id)) {
    throw new Error(
      `Playground: id must be a plain anchor such as "fig-playground", got ${JSON.stringify(id)}`,
    );
  }
  const config = props.state ? parseConfig(props.state) : defaultConfig;
  const model = new PlaygroundModel(config);
  const grid = model.evaluateGrid(GRID);
  const png = (values: Float32Array) => pngDataURL(signedPixels(values), GRID, GRID);
  const region = png(regionValues(grid));
  const neuronImage = (g: GridOutput) => (layer: number, unit: number) =>
    `<img class="pg-neuron" src="${png(neuronValues(g.neurons[layer]![unit]!, neuronCentre(config, layer)))}" alt="" title="${attr(neuronLabel(config, layer, unit))}" width="36" height="36"/>`;
  const paths = lossPaths(model.trainLosses, model.testLosses);
  const trainLoss = model.trainLosses.at(-1)!.toFixed(3);
  const testLoss = model.testLosses.at(-1)!.toFixed(3);
  const captionId = `${id}-caption`;
  const descId = `${id}-desc`;

  const presetButtons = Object.entries(presets)
    .map(
      ([name, p]) =>
        `<button type="button" class="pg-preset" data-preset="${name}" aria-pressed="false">${text(p.label)}</button>`,
    )
    .join('');
  const featureBoxes = features
    .map(
      (f) =>
        `<label class="pg-check"><input type="checkbox" data-feature="${f}"${config.features.includes(f) ? ' checked' : ''}/> ${text(featureLabels[f])}</label>`,
    )
    .join('');
  const unitRows = Array.from({ length: MAX_LAYERS }, (_, i) =>
    number(
      id,
      `units-${i + 1}`,
      ` data-layer-row="${i}"`,
      `Units in layer ${i + 1}`,
      1,
      MAX_UNITS,
      config.hidden[i] ?? 4,
      i >= config.hidden.length,
    ).replace('<input ', `<input data-units="${i}" `),
  ).join('');

  return (
    `<figure class="pg" id="${id}" data-playground="${id}" data-config="${attr(serializeConfig(config))}" aria-labelledby="${captionId}">` +
    `<div class="pg-presets" role="group" aria-label="Experiments from the chapter">` +
    `<span class="pg-presets__title" aria-hidden="true">Experiments:</span>${presetButtons}</div>` +
    `<div class="pg-toolbar">` +
    `<button type="button" class="pg-button" data-action="reset">Reset</button>` +
    `<button type="button" class="pg-button pg-button--primary" data-action="play">Train</button>` +
    `<button type="button" class="pg-button" data-action="step">Step</button>` +
    `<span class="pg-epoch">Epoch <output data-epoch>${model.epoch}</output></span>` +
    `</div>` +
    `<div class="pg-body">` +
    `<div class="pg-panels">` +
    `<fieldset class="pg-panel"><legend>Data</legend>` +
    select(
      id,
      'dataset',
      'Data set',
      datasets.map((d) => [d, datasetLabels[d]]),
      config.dataset,
    ) +
    range(
      id,
      'trainPercent',
      'Training share',
      10,
      90,
      10,
      config.trainFraction * 100,
      `${Math.round(config.trainFraction * 100)} %`,
    ) +
    range(
      id,
      'noise',
      'Noise',
      0,
      50,
      5,
      config.noise * 100,
      `${Math.round(config.noise * 100)} %`,
    ) +
    number(id, 'seed', ' data-seed-row', 'Seed', 0, 9999, config.seed).replace(
      '<input ',
      '<input data-field="seed" ',
    ) +
    `<label class="pg-check"><input type="checkbox" data-field="showTest"/> Show test data</label>` +
    `</fieldset>` +
    `<fieldset class="pg-panel"><legend>Features</legend><div class="pg-features">${featureBoxes}</div></fieldset>` +
    `<fieldset class="pg-panel"><legend>Network</legend>` +
    number(id, 'layers', '', 'Hidden layers', 0, MAX_LAYERS, config.hidden.length).replace(
      '<input ',
      '<input data-field="layers" ',
    ) +
    unitRows +
    select(
      id,
      'activation',
      'Activation',
      activations.map((a) => [a, activationLabels[a]]),
      config.activation,
    ) +
    `</fieldset>` +
    `<fieldset class="pg-panel"><legend>Training</legend>` +
    select(
      id,
      'learningRate',
      'Learning rate',
      learningRates.map((r) => [r, String(r)]),
      config.learningRate,
    ) +
    range(id, 'batchSize', 'Batch size', 1, 30, 1, config.batchSize, String(config.batchSize)) +
    select(
      id,
      'regularization',
      'Regularization',
      (['none', 'l1', 'l2'] as const).map((r) => [r, regularizationLabels[r]]),
      config.regularization,
    ) +
    select(
      id,
      'regularizationRate',
      'Regularization rate',
      regularizationRates.map((r) => [r, String(r)]),
      config.regularizationRate,
    ) +
    `</fieldset>` +
    `</div>` +
    `<div class="pg-view">` +
    `<div class="pg-neurons-wrap"><p class="pg-subtitle" id="${id}-neurons-title">What each neuron computes</p>` +
    `<div class="pg-neurons" data-neurons role="img" aria-labelledby="${id}-neurons-title">${neuronsHTML(config, neuronImage(grid))}</div></div>` +
    `<div class="pg-output">` +
    `<div class="pg-stage" data-stage role="img" aria-label="Decision region and data points" aria-describedby="${descId}">` +
    `<img class="pg-region" data-region src="${region}" alt=""/>` +
    `<svg class="pg-points" data-points viewBox="-28 -4 ${VIEW + 32} ${VIEW + 22}" aria-hidden="true">` +
    `<rect class="pg-frame" x="0" y="0" width="${VIEW}" height="${VIEW}"/>` +
    `<g data-points-layer>${pointsSVG(model.train, model.test)}</g>${axesSVG()}</svg>` +
    `</div>` +
    `<div class="pg-loss">` +
    `<p class="pg-loss__readout"><span class="pg-swatch pg-swatch--train" aria-hidden="true"></span>Training loss <output data-loss-train>${trainLoss}</output>` +
    `<span class="pg-swatch pg-swatch--test" aria-hidden="true"></span>Test loss <output data-loss-test>${testLoss}</output></p>` +
    `<svg class="pg-curve" viewBox="0 0 ${CURVE_W} ${CURVE_H}" preserveAspectRatio="none" aria-hidden="true">` +
    `<path class="pg-curve__train" data-curve-train d="${paths.train}"/><path class="pg-curve__test" data-curve-test d="${paths.test}"/></svg>` +
    `</div>` +
    `</div>` +
    `</div>` +
    `</div>` +
    `<p class="visually-hidden" id="${descId}" data-describe>${text(describeModel(model))}</p>` +
    (caption
      ? `<figcaption id="${captionId}">${text(caption)} <a class="descent-figure__anchor" href="#${id}" aria-label="Link to this figure">#</a></figcaption>`
      : `<figcaption id="${captionId}" class="visually-hidden">Network playground</figcaption>`) +
    `</figure>`
  );
}
