import { describe, expect, it } from 'vitest';
import { F, Generator, manualSeed, nn, optim, randn, tensor, Tensor, zeros } from '@descent/engine';
import { checkOp, expectError } from '../helpers/check-op.ts';

const f64 = { dtype: 'float64' as const };

describe('functional layers: float64 finite-difference gradient checks', () => {
  it('conv2d, stride 1, no padding', () => {
    checkOp([[2, 3, 5, 5], [4, 3, 3, 3], [4]], (x, w, b) => F.conv2d(x, w, b));
  });
  it('conv2d, stride 2, padding 1, rectangular kernel', () => {
    checkOp([[1, 2, 6, 5], [3, 2, 3, 2], [3]], (x, w, b) =>
      F.conv2d(x, w, b, { stride: 2, padding: 1 }),
    );
  });
  it('conv2d, asymmetric stride and padding, no bias', () => {
    checkOp(
      [
        [2, 1, 5, 6],
        [2, 1, 2, 3],
      ],
      (x, w) => F.conv2d(x, w, null, { stride: [1, 2], padding: [1, 0] }),
    );
  });
  it('maxPool2d (kinks away: random inputs have no ties)', () => {
    checkOp([[2, 3, 6, 6]], (x) => F.maxPool2d(x, { kernelSize: 2 }), { secondOrder: false });
    checkOp([[1, 2, 5, 5]], (x) => F.maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }), {
      secondOrder: false,
    });
  });
  it('avgPool2d', () => {
    checkOp([[2, 2, 6, 6]], (x) => F.avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }));
  });
  it('avgPool2d with countIncludePad: false averages only the real elements', () => {
    const x = tensor(Array.from({ length: 25 }, (_, i) => i)).reshape([1, 1, 5, 5]);
    const y = F.avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false });
    expect(Array.from(y.data)).toEqual([3, 4.5, 6, 10.5, 12, 13.5, 18, 19.5, 21]);
    checkOp([[1, 2, 5, 6]], (z) =>
      F.avgPool2d(z, { kernelSize: [3, 2], stride: [1, 2], padding: 1, countIncludePad: false }),
    );
  });
  it('batchNorm in training mode, with affine parameters', () => {
    checkOp([[6, 3], [3], [3]], (x, w, b) =>
      F.batchNorm(x, null, null, { weight: w, bias: b, training: true }),
    );
    checkOp([[3, 2, 3, 3]], (x) => F.batchNorm(x, null, null, { training: true }));
  });
  it('dropout with a fixed seed is a fixed linear map', () => {
    checkOp([[4, 5]], (x) => F.dropout(x, 0.3, true, new Generator(7)));
  });
  it('penalties: l1 and ½Σw²', () => {
    checkOp([[3, 4]], (w) => F.l2Penalty(w), {
      reference: (w) => [0.5 * w.reduce((s, v) => s + v * v, 0)],
    });
    checkOp([[5]], (w) => F.l1Penalty([w, w.mul(2)]), { avoid: [0] });
  });
});

describe('modules: gradient checks through their parameters', () => {
  it('Linear', () => {
    const m = new nn.Linear(3, 2, f64);
    checkOp([[4, 3], [2, 3], [2]], (x, w, b) => {
      m.weight = w;
      m.bias = b;
      return m.forward(x);
    });
  });

  it('RNN (tanh) over time', () => {
    const m = new nn.RNN(2, 3);
    checkOp([[4, 2, 2], [3, 2], [3, 3], [3], [2, 3]], (x, wih, whh, b, h0) => {
      m.weightIh = wih;
      m.weightHh = whh;
      m.biasIh = b;
      const { output, h } = m.forward(x, h0);
      return output.sum(0).add(h);
    });
  });

  it('LSTM over time, with initial h and c', () => {
    const m = new nn.LSTM(2, 3);
    checkOp([[3, 2, 2], [12, 2], [12, 3], [12], [2, 3], [2, 3]], (x, wih, whh, b, h0, c0) => {
      m.weightIh = wih;
      m.weightHh = whh;
      m.biasHh = b;
      const { output, h, c } = m.forward(x, { h: h0, c: c0 });
      return output.sum(0).add(h).add(c.mul(2));
    });
  });

  it('GRU over time', () => {
    const m = new nn.GRU(2, 3, f64);
    checkOp([[3, 2, 2], [9, 2], [9, 3], [9], [9]], (x, wih, whh, bih, bhh) => {
      m.weightIh = wih;
      m.weightHh = whh;
      m.biasIh = bih;
      m.biasHh = bhh;
      return m.forward(x).output;
    });
  });

  it('Conv2d and BatchNorm2d inside a Sequential', () => {
    manualSeed(3);
    const conv = new nn.Conv2d(2, 3, 3, { padding: 1 });
    const bn = new nn.BatchNorm2d(3);
    const net = new nn.Sequential(conv, bn, new nn.Tanh(), new nn.AvgPool2d(2), new nn.Flatten());
    checkOp(
      [
        [2, 2, 4, 4],
        [3, 2, 3, 3],
      ],
      (x, w) => {
        conv.weight = w;
        return net.forward(x);
      },
    );
  });
});

describe('Module bookkeeping', () => {
  it('Sequential state-dict keys follow PyTorch (0.weight, …) and buffers are included', () => {
    const net = new nn.Sequential(
      new nn.Linear(2, 4),
      new nn.BatchNorm1d(4),
      new nn.ReLU(),
      new nn.Linear(4, 1),
    );
    expect(Object.keys(net.stateDict())).toEqual([
      '0.weight',
      '0.bias',
      '1.weight',
      '1.bias',
      '1.runningMean',
      '1.runningVar',
      '1.numBatchesTracked',
      '3.weight',
      '3.bias',
    ]);
    expect(net.parameters().length).toBe(6);
    expect(net.namedParameters().map(([k]) => k)).toEqual([
      '0.weight',
      '0.bias',
      '1.weight',
      '1.bias',
      '3.weight',
      '3.bias',
    ]);
  });

  it('custom modules find their fields; loadStateDict takes nested arrays, {shape, data} and tensors', () => {
    class Net extends nn.Module {
      fc1 = new nn.Linear(2, 2);
      heads = [new nn.Linear(2, 1), new nn.Linear(2, 1, { bias: false })];
      override forward(x: Tensor) {
        return this.heads[0].forward(this.fc1.forward(x));
      }
    }
    const net = new Net();
    expect(Object.keys(net.stateDict())).toEqual([
      'fc1.weight',
      'fc1.bias',
      'heads.0.weight',
      'heads.0.bias',
      'heads.1.weight',
    ]);
    const w = net.fc1.weight;
    net.loadStateDict({
      'fc1.weight': [
        [1, 2],
        [3, 4],
      ],
      'fc1.bias': { shape: [2], data: [0.5, -0.5] },
      'heads.0.weight': tensor([[1, 1]]),
      'heads.0.bias': [0],
      'heads.1.weight': [[2, 2]],
    });
    expect(net.fc1.weight).toBe(w); // copied in place
    expect(net.forward(tensor([[1, 1]])).toArray()).toEqual([[10]]);
    expectError(
      () => net.loadStateDict({ 'fc1.bias': [0, 0] }, { strict: true }),
      'missing keys',
      'fc1.weight',
    );
    expectError(() => net.loadStateDict({ 'fc9.bias': [0, 0] }), 'unexpected keys [fc9.bias]');
    expectError(
      () => net.loadStateDict({ 'fc1.weight': [[1, 2, 3]] }),
      'fc1.weight has shape [2, 2]',
      '[1, 3]',
    );
  });

  it('loadStateDict accepts partial dicts and PyTorch key spellings', () => {
    const bn = new nn.BatchNorm1d(2);
    bn.loadStateDict({ weight: [2, 3], bias: [0, 1] });
    expect(Array.from(bn.runningVar!.data)).toEqual([1, 1]);
    bn.loadStateDict({ running_mean: [5, 6], num_batches_tracked: 7 });
    expect(Array.from(bn.runningMean!.data)).toEqual([5, 6]);
    expect(bn.numBatchesTracked!.item()).toBe(7);
    const lstm = new nn.LSTM(1, 1);
    lstm.loadStateDict(
      {
        weight_ih_l0: [[1], [2], [3], [4]],
        weight_hh_l0: [[0], [0], [0], [0]],
        bias_ih_l0: [0, 0, 0, 0],
        bias_hh_l0: [0, 0, 0, 0],
      },
      { strict: true },
    );
    expect(lstm.weightIh.toArray()).toEqual([[1], [2], [3], [4]]);
  });

  it('train/eval propagate, zeroGrad nulls grads, numParameters counts', () => {
    const net = new nn.Sequential(new nn.Dropout(0.5), new nn.Linear(3, 2));
    net.eval();
    expect(net.at(0).training).toBe(false);
    net.train();
    expect(net.at(0).training).toBe(true);
    const y = net.forward(randn([4, 3])).sum();
    y.backward();
    expect(net.parameters()[0].grad).not.toBeNull();
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
    // The source's AlexNet layer: 11·11·3 weights + 1 bias per filter, 96 filters.
    expect(new nn.Conv2d(3, 96, 11, { stride: 4 }).numParameters()).toBe(34944);
  });

  it('to(dtype) converts parameters and buffers', () => {
    const bn = new nn.BatchNorm1d(2).to('float64');
    expect(bn.weight!.dtype).toBe('float64');
    expect(bn.runningVar!.data).toBeInstanceOf(Float64Array);
  });
});

describe('layer semantics', () => {
  it('Conv2d output size (W − F + 2P)/S + 1 and the source example 227 → 55', () => {
    const conv = new nn.Conv2d(3, 2, 11, { stride: 4 });
    expect(conv.forward(zeros([1, 3, 227, 227])).shape).toEqual([1, 2, 55, 55]);
    expect(F.convOutputSize(227, 11, 4, 0)).toBe(55);
  });

  it('conv2d is a cross-correlation', () => {
    const x = tensor([
      [
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ],
      ],
    ]);
    const w = tensor([
      [
        [
          [1, 0],
          [0, -1],
        ],
      ],
    ]);
    expect(F.conv2d(x, w).toArray()).toEqual([
      [
        [
          [-4, -4],
          [-4, -4],
        ],
      ],
    ]);
  });

  it('pooling values and the max-pool gradient going to the maximum', () => {
    const x = tensor(
      [
        [
          [
            [1, 2, 5, 0],
            [3, 4, 1, 1],
            [0, 0, 2, 2],
            [0, 9, 2, 2],
          ],
        ],
      ],
      { requiresGrad: true },
    );
    const y = F.maxPool2d(x, { kernelSize: 2 });
    expect(y.toArray()).toEqual([
      [
        [
          [4, 5],
          [9, 2],
        ],
      ],
    ]);
    y.sum().backward();
    // Ties in the last window: the first maximal element gets the gradient, as in PyTorch.
    expect(x.grad!.toArray()).toEqual([
      [
        [
          [0, 0, 1, 0],
          [0, 1, 0, 0],
          [0, 0, 1, 0],
          [0, 1, 0, 0],
        ],
      ],
    ]);
    expect(F.avgPool2d(x.detach(), { kernelSize: 2 }).toArray()).toEqual([
      [
        [
          [2.5, 1.75],
          [2.25, 2],
        ],
      ],
    ]);
  });

  it('errors name the op, what was received and what was expected', () => {
    expectError(
      () => F.conv2d(zeros([3, 28, 28]), zeros([1, 3, 3, 3])),
      'conv2d: input must be [N, C, H, W], got [3, 28, 28]',
    );
    expectError(
      () => F.conv2d(zeros([1, 2, 5, 5]), zeros([1, 3, 3, 3])),
      'conv2d',
      '2 channels',
      'expects 3',
    );
    expectError(
      () => F.maxPool2d(zeros([1, 1, 2, 2]), { kernelSize: 3 }),
      'maxPool2d',
      'does not fit',
    );
    expectError(
      () => new nn.Linear(3, 2).forward(zeros([2, 4])),
      'Linear: input must end in 3 features, got [2, 4]',
    );
    expectError(
      () => new nn.LSTM(3, 2).forward(zeros([2, 2, 4])),
      'LSTM: input must have 3 features',
      '[2, 2, 4]',
    );
  });

  it('BatchNorm1d: batch statistics in training, running ones in eval', () => {
    const bn = new nn.BatchNorm1d(2, { dtype: 'float64' });
    const x = tensor(
      [
        [1, 10],
        [3, 20],
        [5, 60],
      ],
      f64,
    );
    const y = bn.forward(x);
    // Column 0: mean 3, biased var 8/3.
    expect(y.data[0]).toBeCloseTo(-2 / Math.sqrt(8 / 3 + 1e-5), 10);
    expect(Array.from(bn.runningMean!.data)).toEqual([0.9 * 0 + 0.1 * 3, 0.1 * 30]);
    // Unbiased variance 4 for column 0 in the running estimate.
    expect(bn.runningVar!.data[0]).toBeCloseTo(0.9 + 0.1 * 4, 12);
    expect(bn.numBatchesTracked!.item()).toBe(1);
    bn.eval();
    const z = bn.forward(tensor([[0.3, 3]], f64));
    expect(z.data[0]).toBeCloseTo(0, 12);
    expect(bn.numBatchesTracked!.item()).toBe(1);
  });

  it('BatchNorm with momentum null keeps a cumulative average', () => {
    const bn = new nn.BatchNorm1d(1, { momentum: null, dtype: 'float64' });
    bn.forward(tensor([[1], [3]], f64));
    bn.forward(tensor([[5], [7]], f64));
    expect(bn.runningMean!.data[0]).toBeCloseTo(4, 12);
  });

  it('Dropout: seeded masks, inverted scaling, identity in eval mode', () => {
    const x = tensor(new Array(1000).fill(1));
    const a = F.dropout(x, 0.25, true, new Generator(5));
    const b = F.dropout(x, 0.25, true, new Generator(5));
    expect(a.toArray()).toEqual(b.toArray());
    const kept = Array.from(a.data).filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    expect(kept.length / 1000).toBeGreaterThan(0.7);
    expect(kept.length / 1000).toBeLessThan(0.8);
    const layer = new nn.Dropout(0.5);
    layer.eval();
    expect(layer.forward(x)).toBe(x);
    expectError(() => F.dropout(x, 1.5), 'dropout', 'got 1.5');
  });

  it('recurrent layers: batchFirst, unbatched input, and carrying the state', () => {
    manualSeed(1);
    const lstm = new nn.LSTM(2, 3, { dtype: 'float64' });
    const x = randn([5, 2, 2], f64);
    const full = lstm.forward(x);
    const first = lstm.forward(x.slice(0, 0, 3));
    const rest = lstm.forward(x.slice(0, 3, 5), { h: first.h, c: first.c });
    expect(rest.h.toArray()).toEqual(full.h.toArray());
    const bf = new nn.LSTM(2, 3, { dtype: 'float64', batchFirst: true });
    bf.loadStateDict(lstm.stateDict());
    const outBf = bf.forward(x.permute(1, 0, 2)).output;
    expect(outBf.permute(1, 0, 2).toArray()).toEqual(full.output.toArray());
    const single = lstm.forward(x.select(1, 0));
    expect(single.output.shape).toEqual([5, 3]);
    expect(single.h.shape).toEqual([3]);
    for (const [i, v] of Array.from(single.h.data).entries())
      expect(v).toBeCloseTo(full.h.data[i], 12);
    const gru = new nn.GRU(2, 4);
    expect(gru.weightIh.shape).toEqual([12, 2]);
    expect(new nn.RNN(2, 4).weightHh.shape).toEqual([4, 4]);
  });

  it('cells take one step and agree with the sequence layers', () => {
    manualSeed(2);
    const gru = new nn.GRU(3, 2, { dtype: 'float64' });
    const cell = new nn.GRUCell(3, 2, { dtype: 'float64' });
    cell.loadStateDict(gru.stateDict());
    const x = randn([1, 4, 3], f64);
    const h = cell.forward(x.select(0, 0));
    expect(h.toArray()).toEqual(gru.forward(x).h.toArray());
  });
});

describe('nn.init', () => {
  it('calculateGain matches PyTorch', () => {
    expect(nn.init.calculateGain('tanh')).toBeCloseTo(5 / 3, 14);
    expect(nn.init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 14);
    expect(nn.init.calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 14);
    expect(nn.init.calculateGain('sigmoid')).toBe(1);
  });

  it('default Linear/Conv init: U(−1/√fanIn, 1/√fanIn) for weights and biases', () => {
    manualSeed(0);
    const conv = new nn.Conv2d(4, 8, 3);
    const bound = 1 / Math.sqrt(4 * 9);
    for (const p of [conv.weight, conv.bias!]) {
      expect(Math.max(...Array.from(p.data, Math.abs))).toBeLessThanOrEqual(bound);
    }
    expect(Math.max(...Array.from(conv.weight.data, Math.abs))).toBeGreaterThan(0.9 * bound);
    const rnn = new nn.RNN(3, 16);
    expect(Math.max(...Array.from(rnn.weightHh.data, Math.abs))).toBeLessThanOrEqual(0.25);
  });

  it('Xavier and Kaiming have the right spread, and a generator makes them reproducible', () => {
    const w = zeros([200, 300]);
    nn.init.xavierUniform_(w, 1, new Generator(1));
    const a = Math.sqrt(6 / 500);
    const vals = Array.from(w.data);
    expect(Math.max(...vals.map(Math.abs))).toBeLessThanOrEqual(a);
    const variance = vals.reduce((s, v) => s + v * v, 0) / vals.length;
    expect(variance).toBeCloseTo((a * a) / 3, 3);
    const k = zeros([200, 300]);
    nn.init.kaimingNormal(k, { nonlinearity: 'relu', generator: new Generator(1) });
    const kv = Array.from(k.data).reduce((s, v) => s + v * v, 0) / k.size;
    expect(kv).toBeCloseTo(2 / 300, 3);
    const k2 = zeros([200, 300]);
    nn.init.kaimingNormal_(k2, { nonlinearity: 'relu', generator: new Generator(1) });
    expect(k2.toArray()).toEqual(k.toArray());
    const fo = zeros([10, 4, 3, 3]);
    nn.init.kaimingUniform_(fo, { mode: 'fanOut', generator: new Generator(2) });
    expect(Math.max(...Array.from(fo.data, Math.abs))).toBeLessThanOrEqual(
      (Math.sqrt(3) * Math.SQRT2) / Math.sqrt(90),
    );
    expectError(() => nn.init.xavierUniform_(zeros([3])), 'at least 2 dimensions');
  });
});

describe('PyTorch positional forms', () => {
  it('F and modules accept torch-style positional arguments too', () => {
    manualSeed(0);
    const x = randn([1, 2, 6, 6]);
    const w = randn([3, 2, 3, 3]);
    expect(F.conv2d(x, w, null, 2, 1).toArray()).toEqual(
      F.conv2d(x, w, null, { stride: 2, padding: 1 }).toArray(),
    );
    expect(F.maxPool2d(x, 3, 2, 1).toArray()).toEqual(
      F.maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }).toArray(),
    );
    expect(F.avgPool2d(x, 2).shape).toEqual([1, 2, 3, 3]);
    const rm = zeros([2]);
    const rv = zeros([2]).add(1);
    const a = F.batchNorm(x, rm, rv, null, null, true, 0.5, 1e-3);
    expect(Array.from(rm.data).every((v) => v !== 0)).toBe(true);
    expect(a.toArray()).toEqual(
      F.batchNorm(x, null, null, { training: true, eps: 1e-3 }).toArray(),
    );
    expect(F.dropout(x, { p: 0.5, training: false })).toBe(x);
    expect(new nn.Conv2d(2, 4, 3, 2, 1).forward(x).shape).toEqual([1, 4, 3, 3]);
    expect(new nn.MaxPool2d(2, 1).forward(x).shape).toEqual([1, 2, 5, 5]);
    expect(new nn.Linear(2, 3, false).bias).toBeNull();
    const bn = new nn.BatchNorm1d(4, 1e-3, 0.3);
    expect([bn.eps, bn.momentum]).toEqual([1e-3, 0.3]);
    const opt = new optim.SGD([tensor([1], { requiresGrad: true })], 0.5);
    expect(opt.lr).toBe(0.5);
  });
});

describe('long sequences', () => {
  it('backpropagates through 1,000 LSTM steps without overflowing the stack', () => {
    manualSeed(4);
    const lstm = new nn.LSTM(1, 4);
    const x = randn([1000, 2, 1]);
    const { h } = lstm.forward(x);
    h.sum().backward();
    const g = lstm.weightHh.grad!;
    expect(g.shape).toEqual([16, 4]);
    expect(Array.from(g.data).every(Number.isFinite)).toBe(true);
  });
});
