import { describe, expect, it } from 'vitest';
import {
  circleData,
  Generator,
  playgroundFeature,
  playgroundFeatureNames,
  playgroundFeatures,
  tensor,
} from '@descent/engine';

describe('playgroundFeatures', () => {
  it('computes x, y, x², y², xy, sin x, sin y per row, in the order asked', () => {
    const points = tensor([
      [2, 3],
      [-1, 0.5],
    ]);
    const all = playgroundFeatures(points, playgroundFeatureNames).toArray() as number[][];
    const expected = [
      [2, 3, 4, 9, 6, Math.sin(2), Math.sin(3)],
      [-1, 0.5, 1, 0.25, -0.5, Math.sin(-1), Math.sin(0.5)],
    ];
    all.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 6)));
    expect(playgroundFeatures(points, ['y2', 'x']).toArray()).toEqual([
      [9, 2],
      [0.25, -1],
    ]);
  });

  it('keeps float32 for the Playground sets and float64 when given float64', () => {
    const { x } = circleData({ n: 10, generator: new Generator(0) });
    expect(playgroundFeatures(x, ['x2']).dtype).toBe('float32');
    expect(playgroundFeatures(x, ['x2']).shape).toEqual([10, 1]);
    const x64 = tensor([[1, 2]], { dtype: 'float64' });
    expect(playgroundFeatures(x64, ['xy']).dtype).toBe('float64');
  });

  it('matches playgroundFeature point by point', () => {
    const { x } = circleData({ n: 20, generator: new Generator(3) });
    const out = playgroundFeatures(x, playgroundFeatureNames).data;
    for (let i = 0; i < 20; i++) {
      playgroundFeatureNames.forEach((name, j) => {
        const v = playgroundFeature(name, x.data[2 * i]!, x.data[2 * i + 1]!);
        expect(out[i * 7 + j]).toBeCloseTo(v, 5);
      });
    }
  });

  it('says what was wrong with bad input', () => {
    expect(() => playgroundFeatures(tensor([1, 2]), ['x'])).toThrow(/must be \[n, 2\], got \[2\]/);
    expect(() => playgroundFeatures(tensor([[1, 2]]), [])).toThrow(/at least one feature/);
    // @ts-expect-error an unknown feature name
    expect(() => playgroundFeatures(tensor([[1, 2]]), ['z'])).toThrow(/unknown feature "z"/);
  });
});
