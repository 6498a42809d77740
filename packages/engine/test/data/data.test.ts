import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import {
  addingProblem,
  batches,
  circleData,
  copyTask,
  decodeDigits,
  gaussianData,
  Generator,
  linearRegressionData,
  oneHot,
  standardize,
  loadDigits,
  playgroundData,
  sineSequences,
  spiralData,
  tensor,
  trainTestSplit,
  xorData,
} from '@descent/engine';

const gen = (seed = 0) => new Generator(seed);

describe('TensorFlow Playground data sets', () => {
  it('the same seed gives the same data, another seed different data', () => {
    for (const make of [circleData, xorData, gaussianData, spiralData]) {
      const a = make({ n: 50, noise: 0.2, generator: gen(1) });
      const b = make({ n: 50, noise: 0.2, generator: gen(1) });
      const c = make({ n: 50, noise: 0.2, generator: gen(2) });
      expect(a.x.toArray()).toEqual(b.x.toArray());
      expect(a.x.toArray()).not.toEqual(c.x.toArray());
      expect(a.x.shape).toEqual([50, 2]);
      expect(a.y.shape).toEqual([50]);
    }
  });

  it('circle: positives inside radius 2.5, negatives in the ring 3.5..5 (no noise)', () => {
    const { points } = circleData({ n: 400, generator: gen() });
    for (const p of points) {
      const r = Math.hypot(p.x, p.y);
      if (p.label === 1) expect(r).toBeLessThan(2.5);
      else {
        expect(r).toBeGreaterThanOrEqual(3.5);
        expect(r).toBeLessThanOrEqual(5);
      }
    }
    expect(points.filter((p) => p.label === 1).length).toBe(200);
  });

  it('xor: label is the sign of x·y, points kept 0.3 away from the axes', () => {
    const { points, y } = xorData({ n: 300, generator: gen() });
    points.forEach((p, i) => {
      expect(Math.abs(p.x)).toBeGreaterThanOrEqual(0.3);
      expect(Math.abs(p.y)).toBeGreaterThanOrEqual(0.3);
      expect(p.label).toBe(p.x * p.y >= 0 ? 1 : -1);
      expect(y.data[i]).toBe(p.label === 1 ? 1 : 0);
    });
  });

  it('gaussian: blobs around (2, 2) and (−2, −2); spiral radius grows to 5', () => {
    const g = gaussianData({ n: 2000, generator: gen() });
    const pos = g.points.filter((p) => p.label === 1);
    const mean = pos.reduce((s, p) => s + p.x, 0) / pos.length;
    expect(mean).toBeCloseTo(2, 1);
    const s = spiralData({ n: 200, generator: gen() });
    expect(Math.max(...s.points.map((p) => Math.hypot(p.x, p.y)))).toBeLessThan(5);
    expect(playgroundData('spiral', { n: 200, generator: gen() }).x.toArray()).toEqual(
      s.x.toArray(),
    );
    expect(() => playgroundData('moons' as 'spiral')).toThrow(/unknown data set "moons"/);
  });
});

describe('the sources’ linear-regression set', () => {
  it('x = 1..20, y an integer within ±5 of x clipped to [0, 20], seeded', () => {
    const a = linearRegressionData({ generator: gen(7) });
    expect(a.xs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    a.ys.forEach((y, i) => {
      const x = i + 1;
      expect(Number.isInteger(y)).toBe(true);
      expect(y).toBeGreaterThanOrEqual(Math.max(0, x - 5));
      expect(y).toBeLessThanOrEqual(Math.min(20, x + 5));
    });
    expect(linearRegressionData({ generator: gen(7) }).ys).toEqual(a.ys);
    expect(a.x.dtype).toBe('float64');
  });
});

describe('sequence tasks', () => {
  it('adding problem: two markers, one per half, target = sum of marked values', () => {
    const { x, y } = addingProblem({ n: 5, T: 10, generator: gen() });
    expect(x.shape).toEqual([10, 5, 2]);
    expect(y.shape).toEqual([5, 1]);
    for (let b = 0; b < 5; b++) {
      let sum = 0;
      const marks: number[] = [];
      for (let t = 0; t < 10; t++) {
        if (x.data[(t * 5 + b) * 2 + 1] === 1) {
          marks.push(t);
          sum += x.data[(t * 5 + b) * 2];
        }
      }
      expect(marks.length).toBe(2);
      expect(marks[0]).toBeLessThan(5);
      expect(marks[1]).toBeGreaterThanOrEqual(5);
      expect(y.data[b]).toBeCloseTo(sum, 6);
    }
    const bf = addingProblem({ n: 5, T: 10, generator: gen(), batchFirst: true });
    expect(bf.x.permute(1, 0, 2).toArray()).toEqual(x.toArray());
  });

  it('copy task: the symbols come back after the delay', () => {
    const { x, y, numClasses } = copyTask({
      n: 3,
      length: 4,
      delay: 5,
      numSymbols: 6,
      generator: gen(),
    });
    expect(numClasses).toBe(8);
    expect(x.shape).toEqual([13, 3, 8]);
    expect(y.shape).toEqual([13, 3]);
    for (let b = 0; b < 3; b++) {
      for (let t = 0; t < 4; t++) {
        const onehot = Array.from(x.data.subarray((t * 3 + b) * 8, (t * 3 + b + 1) * 8));
        expect(y.data[(9 + t) * 3 + b]).toBe(onehot.indexOf(1));
      }
      // The go marker one step before the recall.
      expect(x.data[(8 * 3 + b) * 8 + 7]).toBe(1);
    }
  });

  it('sine continuation: the target is the input shifted by the horizon', () => {
    const { x, y } = sineSequences({ n: 2, T: 20, generator: gen() });
    expect(x.shape).toEqual([20, 2, 1]);
    for (let t = 0; t < 19; t++) expect(y.data[t * 2]).toBeCloseTo(x.data[(t + 1) * 2], 6);
  });
});

describe('batches and splits', () => {
  const x = tensor(Array.from({ length: 10 }, (_, i) => [i, -i]));
  const y = tensor(Array.from({ length: 10 }, (_, i) => i));

  it('visits every row once per pass; shuffling is seeded', () => {
    const seen = [...batches(x, y, { batchSize: 4, shuffle: true, generator: gen(3) })];
    expect(seen.map((b) => b.indices.length)).toEqual([4, 4, 2]);
    const all = seen.flatMap((b) => Array.from(b.y.data));
    expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(all).not.toEqual(Array.from({ length: 10 }, (_, i) => i));
    const again = [...batches(x, y, { batchSize: 4, shuffle: true, generator: gen(3) })];
    expect(again.flatMap((b) => Array.from(b.y.data))).toEqual(all);
    seen.forEach((b) => b.indices.forEach((r, i) => expect(b.x.data[2 * i]).toBe(r)));
    expect([...batches(x, y, { batchSize: 4, dropLast: true })].length).toBe(2);
    expect(() => [...batches(x, tensor([1, 2]))]).toThrow(/same number of rows/);
  });

  it('trainTestSplit partitions the rows', () => {
    const s = trainTestSplit(x, y, { testFraction: 0.3, generator: gen(1) });
    expect(s.trainX.shape).toEqual([7, 2]);
    expect(s.testY.shape).toEqual([3]);
    const rows = [...s.trainY.data, ...s.testY.data].sort((a, b) => a - b);
    expect(rows).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });
});

describe('transforms', () => {
  it('standardize: mean 0, std 1 per column, and reuse of training statistics', () => {
    const train = tensor(
      [
        [1, 100],
        [2, 200],
        [3, 300],
        [6, 400],
      ],
      { dtype: 'float64' },
    );
    const s = standardize(train);
    for (let j = 0; j < 2; j++) {
      const col = [0, 1, 2, 3].map((i) => s.x.data[i * 2 + j]);
      expect(col.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
      expect(col.reduce((a, b) => a + b * b, 0) / 4).toBeCloseTo(1, 12);
    }
    const test = standardize(tensor([[3, 250]], { dtype: 'float64' }), s);
    expect(test.x.data[0]).toBeCloseTo((3 - 3) / s.std.data[0], 12);
    expect(standardize(tensor([5, 5, 5])).x.toArray()).toEqual([0, 0, 0]);
  });

  it('oneHot', () => {
    expect(oneHot([1, 0], 2).toArray()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(() => oneHot([2], 2)).toThrow(/outside 0..1/);
  });
});

describe('handwritten digits', () => {
  it('loads 8,000 + 2,000 MNIST images in Node with sensible pixels and labels', async () => {
    const d = await loadDigits({ trainCount: 100, testCount: 50 });
    expect(d.trainX.shape).toEqual([100, 1, 28, 28]);
    expect(d.testY.shape).toEqual([50]);
    expect(d.raw.count).toBe(10000);
    expect(Math.max(...d.trainX.data)).toBe(1);
    expect(Math.min(...d.trainX.data)).toBe(0);
    const counts = new Array(10).fill(0);
    for (const l of d.raw.labels) counts[l]++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    const flat = await loadDigits({ trainCount: 10, testCount: 1, flatten: true });
    expect(flat.trainX.shape).toEqual([10, 784]);
    expect(flat.trainY.toArray()).toEqual((d.trainY.toArray() as number[]).slice(0, 10));
  });

  it('in the browser it fetches ${base}data/mnist-10k.bin.gz (gzipped or already decoded)', async () => {
    const file = readFileSync(new URL('../../../../public/data/mnist-10k.bin.gz', import.meta.url));
    const urls: string[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = (async (url: string) => {
      urls.push(String(url));
      return new Response(new Uint8Array(file));
    }) as typeof fetch;
    try {
      const d = await loadDigits({ base: '/descent/', trainCount: 5, testCount: 5 });
      expect(urls).toEqual(['/descent/data/mnist-10k.bin.gz']);
      expect(d.trainX.shape).toEqual([5, 1, 28, 28]);
      const plain = gunzipSync(file);
      globalThis.fetch = (async () => new Response(new Uint8Array(plain))) as typeof fetch;
      const again = await loadDigits({
        url: 'https://example.org/digits.bin',
        trainCount: 5,
        testCount: 5,
      });
      expect(again.trainY.toArray()).toEqual(d.trainY.toArray());
      globalThis.fetch = (async () => new Response('', { status: 404 })) as typeof fetch;
      await expect(loadDigits({ base: '/x/' })).rejects.toThrow(/HTTP 404/);
    } finally {
      globalThis.fetch = original;
    }
  });

  it('rejects a file that is not in the format', () => {
    expect(() => decodeDigits(new Uint8Array(20))).toThrow(/magic "DGT1"/);
  });
});
