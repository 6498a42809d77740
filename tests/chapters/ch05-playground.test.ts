/**
 * The network playground's model and markup (src/widgets/playground/), without a browser:
 * training lowers the loss, features and layers are what the configuration says, a seed fixes
 * every number, live settings apply, and the prerendered markup is complete.
 */
import { describe, expect, it } from 'vitest';
import {
  defaultConfig,
  gridPoints,
  normalizeConfig,
  parseConfig,
  PlaygroundModel,
  presets,
  serializeConfig,
} from '../../src/widgets/playground/model.ts';
import { lossPaths, neuronValues, signedPixels } from '../../src/widgets/playground/draw.ts';
import { playgroundHTML } from '../../src/widgets/playground/markup.ts';

describe('PlaygroundModel', () => {
  it('training lowers the training and the test loss', () => {
    const model = new PlaygroundModel();
    model.trainEpochs(100);
    expect(model.epoch).toBe(100);
    expect(model.steps).toBe(100 * 25); // 250 training points in batches of 10
    expect(model.trainLosses).toHaveLength(101);
    expect(model.trainLosses.at(-1)!).toBeLessThan(0.5 * model.trainLosses[0]!);
    expect(model.testLosses.at(-1)!).toBeLessThan(0.5 * model.testLosses[0]!);
    expect(model.accuracy('test')).toBeGreaterThan(0.9);
  });

  it('a seed fixes the data, the weights and the shuffles; another seed changes them', () => {
    const run = (seed: number) => {
      const m = new PlaygroundModel({ ...defaultConfig, seed });
      m.trainEpochs(3);
      return { losses: m.trainLosses, first: m.train[0] };
    };
    expect(run(4)).toEqual(run(4));
    expect(run(5).losses).not.toEqual(run(4).losses);
  });

  it('the features and layers are those of the configuration', () => {
    const m = new PlaygroundModel({ features: ['x2', 'y2'], hidden: [] });
    expect(m.parameterCount).toBe(3); // two weights and a bias: logistic regression
    const grid = m.evaluateGrid(4);
    expect(grid.neurons).toHaveLength(1);
    const points = gridPoints(4).data;
    grid.neurons[0]![0]!.forEach((v, k) => expect(v).toBeCloseTo(points[2 * k]! ** 2, 4));
    grid.neurons[0]![1]!.forEach((v, k) => expect(v).toBeCloseTo(points[2 * k + 1]! ** 2, 4));
    const deep = new PlaygroundModel({ features: ['x', 'y', 'sinx'], hidden: [8, 8] });
    expect(deep.parameterCount).toBe(3 * 8 + 8 + 8 * 8 + 8 + 8 + 1);
    const g = deep.evaluateGrid(5);
    expect(g.neurons.map((layer) => layer.length)).toEqual([3, 8, 8]);
    expect(g.probability).toHaveLength(25);
    for (const p of g.probability) expect(p > 0 && p < 1).toBe(true);
  });

  it('the training share splits the 500 points', () => {
    const m = new PlaygroundModel({ trainFraction: 0.9 });
    expect([m.train.length, m.test.length]).toEqual([450, 50]);
  });

  it('learning rate, batch size and regularization change without a reset', () => {
    const a = new PlaygroundModel();
    const b = new PlaygroundModel();
    b.setTrainingOptions({ learningRate: 0.3, batchSize: 25 });
    a.trainEpochs(1);
    b.trainEpochs(1);
    expect(b.steps).toBe(10);
    expect(b.config.learningRate).toBe(0.3);
    expect(b.trainLosses[1]).not.toBe(a.trainLosses[1]);
  });

  it('L1 and L2 regularization shrink the weights', () => {
    const train = (regularization: 'none' | 'l1' | 'l2') => {
      const m = new PlaygroundModel({ regularization, regularizationRate: 0.03 });
      m.trainEpochs(30);
      return m.weightMagnitude();
    };
    const none = train('none');
    expect(train('l1')).toBeLessThan(0.8 * none);
    expect(train('l2')).toBeLessThan(none);
  });

  it('each preset is a valid configuration', () => {
    for (const { config } of Object.values(presets)) {
      expect(normalizeConfig(config)).toEqual(config);
      expect(() => new PlaygroundModel(config)).not.toThrow();
    }
  });
});

describe('configuration as text', () => {
  it('round-trips, and unknown or out-of-range values fall back to something valid', () => {
    const c = normalizeConfig({
      ...presets.spiral.config,
      noise: 0.2,
      regularization: 'l2',
      regularizationRate: 0.01,
    });
    expect(parseConfig(serializeConfig(c))).toEqual(c);
    expect(parseConfig('layers=')).toMatchObject({ hidden: [] });
    const odd = parseConfig(
      'data=moons&layers=99,0,3,4,5,6,7&act=swish&lr=-1&features=z&batch=0.2',
    );
    expect(odd.dataset).toBe('circle');
    expect(odd.hidden).toEqual([8, 1, 3, 4, 5, 6]);
    expect(odd.activation).toBe('tanh');
    expect(odd.learningRate).toBeGreaterThan(0);
    expect(odd.features).toEqual(['x', 'y']);
    expect(odd.batchSize).toBe(1);
  });
});

describe('drawing helpers', () => {
  it('colours: blue for positive, orange for negative, opacity from |v|', () => {
    const px = signedPixels([1, -1, 0]);
    expect([...px.slice(0, 4)]).toEqual([0x3b, 0x82, 0xf6, Math.round(255 * 0.7)]);
    expect([...px.slice(4, 7)]).toEqual([0xea, 0x58, 0x0c]);
    expect(px[11]).toBe(0);
    expect([...neuronValues(Float32Array.from([0.5, 1, 0]), 0.5)]).toEqual([0, 1, -1]);
  });

  it('loss paths start at the left edge and stay inside the box', () => {
    const { train, test, max } = lossPaths([0.7, 0.5, 0.2], [0.8, 0.6, 0.3]);
    expect(max).toBeCloseTo(0.8);
    expect(train.startsWith('M0.0,')).toBe(true);
    for (const d of [train, test]) {
      for (const [, x, y] of d.matchAll(/[ML]([\d.]+),([\d.]+)/g)) {
        expect(Number(x)).toBeLessThanOrEqual(300);
        expect(Number(y)).toBeLessThanOrEqual(90);
      }
    }
  });
});

describe('prerendered markup', () => {
  const html = playgroundHTML({ id: 'fig-pg', caption: 'A playground.' });

  it('has every control as a labelled form element', () => {
    for (const field of [
      'dataset',
      'trainPercent',
      'noise',
      'seed',
      'layers',
      'activation',
      'learningRate',
      'batchSize',
      'regularization',
      'regularizationRate',
    ]) {
      expect(html, field).toMatch(new RegExp(`<label for="fig-pg-${field}">`));
      expect(html, field).toContain(`id="fig-pg-${field}"`);
    }
    expect(html.match(/data-feature="/g)).toHaveLength(7);
    expect(html.match(/data-units="/g)).toHaveLength(6);
    for (const action of ['play', 'step', 'reset'])
      expect(html).toContain(`data-action="${action}"`);
    expect(html.match(/data-preset="/g)).toHaveLength(Object.keys(presets).length);
  });

  it('draws the first state and describes it in words', () => {
    expect(html).toMatch(/<img class="pg-region" data-region src="data:image\/png;base64,/);
    expect(html.match(/class="pg-neuron"/g)).toHaveLength(2 + 4 + 2);
    expect(html.match(/<circle /g)).toHaveLength(500);
    expect(html).toContain(
      'Circle data, 250 training and 250 test points; inputs x, y; hidden layers of 4, 2 tanh units. After 0 epochs',
    );
    expect(html).toContain('A playground.');
  });

  it('is deterministic and follows the state prop', () => {
    expect(playgroundHTML({ id: 'fig-pg', caption: 'A playground.' })).toBe(html);
    const spiral = playgroundHTML({
      id: 'fig-s',
      state: 'data=spiral&layers=8,8&features=x,y,sinx',
    });
    expect(spiral).toContain('Spiral data');
    expect(spiral).toContain('<option value="spiral" selected>');
    expect(spiral.match(/class="pg-neuron"/g)).toHaveLength(3 + 8 + 8);
    expect(() => playgroundHTML({ id: 'not an id' })).toThrow(/plain anchor/);
  });
});
