import { describe, expect, it } from 'vitest';
import {
  accuracy,
  confusionMatrix,
  evaluate,
  F,
  fit,
  fitAsync,
  Generator,
  loadDigits,
  manualSeed,
  nn,
  optim,
  predict,
  tensor,
  xorData,
} from '@descent/engine';

describe('metrics', () => {
  it('accuracy for class scores, binary logits and one-hot labels', () => {
    expect(
      accuracy(
        tensor([
          [2, 1],
          [0, 3],
        ]),
        tensor([0, 0]),
      ),
    ).toBe(0.5);
    expect(accuracy(tensor([[0.3], [-2], [4]]), [1, 0, 0])).toBeCloseTo(2 / 3, 12);
    expect(accuracy(tensor([0.7, 0.2]), [1, 1], { threshold: 0.5 })).toBe(0.5);
    expect(
      accuracy(
        tensor([
          [2, 1],
          [0, 3],
        ]),
        tensor([
          [1, 0],
          [0, 1],
        ]),
      ),
    ).toBe(1);
  });

  it('confusion matrix: rows are true classes, columns predictions', () => {
    expect(confusionMatrix([0, 1, 1], [0, 1, 0], 2)).toEqual([
      [1, 1],
      [0, 1],
    ]);
    expect(
      confusionMatrix(
        tensor([
          [0, 5, 1],
          [9, 0, 0],
        ]),
        [1, 2],
        3,
      ),
    ).toEqual([
      [0, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
    ]);
    expect(() => confusionMatrix([3], [0], 2)).toThrow(/outside 0..1/);
  });
});

describe('fit', () => {
  it('an MLP solves XOR (the Playground set), with callbacks and history', () => {
    manualSeed(0);
    const train = xorData({ n: 400, generator: new Generator(1) });
    const test = xorData({ n: 200, generator: new Generator(2) });
    const model = new nn.Sequential(
      new nn.Linear(2, 8),
      new nn.Tanh(),
      new nn.Linear(8, 1),
      new nn.Flatten(0),
    );
    let steps = 0;
    const epochs: number[] = [];
    const history = fit(model, {
      data: { x: train.x, y: train.y, val: { x: test.x, y: test.y } },
      lossFn: (out, y) => F.bceWithLogitsLoss(out, y),
      optimizer: new optim.Adam(model.parameters(), { lr: 0.05 }),
      epochs: 40,
      batchSize: 32,
      generator: new Generator(3),
      metrics: ['accuracy'],
      onStep: () => void steps++,
      onEpoch: ({ epoch }) => void epochs.push(epoch),
    });
    expect(steps).toBe(40 * 13);
    expect(epochs.length).toBe(40);
    expect(history.loss[39]).toBeLessThan(history.loss[0]);
    expect(history.valAccuracy[39]).toBeGreaterThan(0.95);
    expect(evaluate(model, test, F.bceWithLogitsLoss, { metrics: ['accuracy'] }).accuracy).toBe(
      history.valAccuracy[39],
    );
  });

  it('early stopping ends after `patience` epochs without improvement', () => {
    manualSeed(0);
    const d = xorData({ n: 64, generator: new Generator(1) });
    const model = new nn.Linear(2, 1);
    const history = fit((x) => model.forward(x).reshape([-1]), {
      data: { x: d.x, y: d.y },
      lossFn: F.bceWithLogitsLoss,
      optimizer: new optim.SGD(model.parameters(), { lr: 0 }),
      epochs: 50,
      earlyStopping: { patience: 3, monitor: 'loss' },
    });
    expect(history.stoppedEarly).toBe(true);
    expect(history.epochs).toBe(4);
    expect(history.bestEpoch).toBe(0);
  });

  it('fitAsync gives the same result as fit', async () => {
    const run = async (useAsync: boolean) => {
      manualSeed(5);
      const d = xorData({ n: 64, generator: new Generator(1) });
      const model = new nn.Linear(2, 1);
      const opts = {
        data: { x: d.x, y: d.y },
        lossFn: (o: ReturnType<typeof tensor>, y: ReturnType<typeof tensor>) =>
          F.bceWithLogitsLoss(o.reshape([-1]), y),
        optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }),
        epochs: 3,
        batchSize: 16,
        generator: new Generator(2),
      };
      return useAsync ? fitAsync(model, { ...opts, yieldEvery: 2 }) : fit(model, opts);
    };
    expect((await run(true)).stepLosses).toEqual((await run(false)).stepLosses);
  });

  it('a small CNN beats 90% test accuracy on the shipped MNIST digits within seconds', async () => {
    manualSeed(0);
    const { trainX, trainY, testX, testY } = await loadDigits({ testCount: 1000 });
    const model = new nn.Sequential(
      new nn.Conv2d(1, 6, 5, { stride: 2 }),
      new nn.ReLU(),
      new nn.Conv2d(6, 12, 3, { stride: 2 }),
      new nn.ReLU(),
      new nn.Flatten(),
      new nn.Linear(12 * 5 * 5, 10),
    );
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    fit(model, {
      data: { x: trainX, y: trainY },
      lossFn: (out, y) => F.crossEntropy(out, y),
      optimizer: new optim.Adam(model.parameters(), { lr: 5e-3 }),
      epochs: 1,
      batchSize: 32,
      generator: new Generator(1),
    });
    const logits = predict(model, testX);
    const acc = accuracy(logits, testY);
    const cpu = process.cpuUsage(cpu0);
    console.log(
      `CNN on 8,000 MNIST digits, 1 epoch: test accuracy ${acc.toFixed(3)}, ` +
        `${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, ${(performance.now() - t0).toFixed(0)} ms wall`,
    );
    expect(acc).toBeGreaterThan(0.9);
    const cm = confusionMatrix(logits, testY, 10);
    expect(cm.flat().reduce((a, b) => a + b, 0)).toBe(1000);
  });
});
