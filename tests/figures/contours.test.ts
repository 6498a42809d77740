import { describe, expect, it } from 'vitest';
import { contourLines, memoize } from '../../src/notebook/figures/contours.ts';

/** Splits contour points at their NaN breaks into pieces. */
function pieces(points: { x: number; y: number; level: number }[]) {
  const result: { x: number; y: number; level: number }[][] = [[]];
  for (const p of points) {
    if (Number.isNaN(p.x)) result.push([]);
    else result[result.length - 1]!.push(p);
  }
  return result.filter((piece) => piece.length > 0);
}

describe('contourLines', () => {
  it('draws the level sets of x² + y² as closed circles, one piece per level', () => {
    const points = contourLines((x, y) => x * x + y * y, {
      x: [-2, 2],
      y: [-2, 2],
      thresholds: [0.25, 1, 2.25],
    });
    const lines = pieces(points);
    expect(lines.map((line) => line[0]!.level)).toEqual([0.25, 1, 2.25]);
    for (const line of lines) {
      const radius = Math.sqrt(line[0]!.level);
      for (const p of line) expect(Math.hypot(p.x, p.y)).toBeCloseTo(radius, 2);
      // Closed: the last point repeats the first.
      expect(line[line.length - 1]).toEqual(line[0]);
    }
  });

  it('cuts lines at the grid border into open pieces', () => {
    // x + y = 0 crosses the square corner to corner: one open line.
    const lines = pieces(
      contourLines((x, y) => x + y, { x: [-1, 1], y: [-1, 1], thresholds: [0] }),
    );
    expect(lines).toHaveLength(1);
    for (const p of lines[0]!) expect(p.x + p.y).toBeCloseTo(0, 9);
    const xs = lines[0]!.map((p) => p.x);
    expect(Math.min(...xs)).toBeCloseTo(-1, 9);
    expect(Math.max(...xs)).toBeCloseTo(1, 9);
  });

  it('skips levels that are never reached and cells with non-finite corners', () => {
    expect(contourLines((x) => x, { x: [0, 1], y: [0, 1], thresholds: [5] })).toEqual([]);
    const withPole = contourLines((x, y) => 1 / (x * x + y * y), {
      x: [-1, 1],
      y: [-1, 1],
      thresholds: [4],
      resolution: 40, // even: a grid vertex sits on the pole at (0, 0)
    });
    for (const p of withPole) if (!Number.isNaN(p.x)) expect(Number.isFinite(p.y)).toBe(true);
    expect(pieces(withPole).length).toBeGreaterThan(0);
  });

  it('resolves saddles consistently (x·y = 0 splits into the two axes’ sides)', () => {
    const lines = pieces(
      contourLines((x, y) => x * y, { x: [-1, 1], y: [-1, 1], thresholds: [0.1, -0.1] }),
    );
    // Each level is two hyperbola branches, never joined across the saddle.
    expect(lines.filter((l) => l[0]!.level === 0.1)).toHaveLength(2);
    expect(lines.filter((l) => l[0]!.level === -0.1)).toHaveLength(2);
    for (const line of lines) {
      for (const p of line) expect(p.x * p.y).toBeCloseTo(line[0]!.level, 2);
    }
  });
});

describe('memoize', () => {
  it('computes once per key and keeps the last few', () => {
    let calls = 0;
    const square = memoize((k: number) => {
      calls += 1;
      return [k * k];
    }, 2);
    expect(square(3)).toBe(square(3));
    expect(calls).toBe(1);
    square(4);
    square(5); // evicts 3
    square(3);
    expect(calls).toBe(4);
  });
});
