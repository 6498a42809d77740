/**
 * Contour lines of f(x, y), computed once and drawn cheaply on every frame.
 *
 * Why not `Plot.contour`: it recomputes the whole grid and every threshold on each
 * `Plot.plot` call, which costs 30–150 ms for a typical loss surface, and a figure redraws on
 * every animation frame while a slider is dragged. A loss surface usually does not change
 * while the reader drags (or changes with one control only), so compute its level lines once
 * (or once per value of that control, with `memoize`) and draw them with `Plot.line`:
 *
 * ```ts
 * import { contourLines, memoize } from '../../src/notebook/figures/contours.ts';
 * const levels = memoize((kappa: number) =>
 *   contourLines((x, y) => loss(kappa, x, y), { x: [-3, 5], y: [-2, 6], thresholds: LEVELS }),
 * );
 * // in render:
 * Plot.line(levels(state.kappa), { x: 'x', y: 'y', z: 'level', stroke: 'currentColor' })
 * ```
 *
 * The result is one polyline per threshold, with `NaN` points between pieces (Plot breaks a
 * line at NaN), so each threshold draws as a single <path>.
 */

export interface ContourOptions {
  /** Horizontal extent [x1, x2] of the grid, in data units. */
  x: readonly [number, number];
  /** Vertical extent [y1, y2]. */
  y: readonly [number, number];
  /** The levels to draw. */
  thresholds: readonly number[];
  /** Grid cells along the longer side; the other side keeps cells square. Default 120. */
  resolution?: number;
}

export interface ContourPoint {
  x: number;
  y: number;
  level: number;
}

/**
 * Level lines of `f` by marching squares on a regular grid, linearly interpolated along
 * cell edges. Pieces of one level are joined into polylines where they meet.
 */
export function contourLines(
  f: (x: number, y: number) => number,
  options: ContourOptions,
): ContourPoint[] {
  const {
    x: [x1, x2],
    y: [y1, y2],
    thresholds,
    resolution = 120,
  } = options;
  const aspect = Math.abs(y2 - y1) / Math.abs(x2 - x1);
  const nx = aspect <= 1 ? resolution : Math.max(2, Math.round(resolution / aspect));
  const ny = aspect <= 1 ? Math.max(2, Math.round(resolution * aspect)) : resolution;
  const dx = (x2 - x1) / nx;
  const dy = (y2 - y1) / ny;
  // Values at the (nx + 1) × (ny + 1) grid vertices, row by row.
  const values = new Float64Array((nx + 1) * (ny + 1));
  for (let j = 0; j <= ny; j++) {
    for (let i = 0; i <= nx; i++) values[j * (nx + 1) + i] = f(x1 + i * dx, y1 + j * dy);
  }
  const at = (i: number, j: number) => values[j * (nx + 1) + i]!;
  let lowest = Infinity;
  let highest = -Infinity;
  for (const value of values) {
    if (value < lowest) lowest = value;
    if (value > highest) highest = value;
  }

  // Each crossing lies on one grid edge, shared by the two cells beside it, so edge numbers
  // join pieces exactly. Edge ids: 2·v for the edge from vertex v = j(nx+1)+i to its right
  // neighbour, 2·v + 1 for the edge to the vertex above.
  const edgeCount = 2 * (nx + 1) * (ny + 1);
  const points: ContourPoint[] = [];
  for (const level of thresholds) {
    if (!(level >= lowest && level <= highest)) continue; // never crossed: skip the grid walk
    const ends: number[] = []; // segment k joins edges ends[2k] and ends[2k + 1]
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) cellSegments(i, j, nx, level, at, ends);
    }
    const edgePoint = (edge: number): [number, number] => {
      const v = edge >> 1;
      const i = v % (nx + 1);
      const j = (v - i) / (nx + 1);
      const p = at(i, j);
      if (edge % 2 === 0) return [i + (level - p) / (at(i + 1, j) - p), j];
      return [i, j + (level - p) / (at(i, j + 1) - p)];
    };
    for (const line of joinSegments(ends, edgeCount)) {
      for (const edge of line) {
        const [gi, gj] = edgePoint(edge);
        points.push({ x: x1 + gi * dx, y: y1 + gj * dy, level });
      }
      points.push({ x: NaN, y: NaN, level }); // a break before the next piece
    }
  }
  return points;
}

/**
 * Caches a function of one primitive argument (a select's value, a range's value): the
 * contour lines for the current setting are computed once and reused while other controls
 * move. Keeps the last `size` results.
 */
export function memoize<K extends string | number | boolean, V>(
  compute: (key: K) => V,
  size = 8,
): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = compute(key);
      cache.set(key, value);
      if (cache.size > size) cache.delete(cache.keys().next().value as K);
    }
    return value;
  };
}

/**
 * The segments where grid cell (i, j) crosses `level`, as pairs of edge ids appended to `out`.
 * Corners: a = (i, j), b = (i + 1, j), c = (i + 1, j + 1), d = (i, j + 1).
 */
function cellSegments(
  i: number,
  j: number,
  nx: number,
  level: number,
  at: (i: number, j: number) => number,
  out: number[],
): void {
  const a = at(i, j);
  const b = at(i + 1, j);
  const c = at(i + 1, j + 1);
  const d = at(i, j + 1);
  // NOTE: a non-finite corner (a pole, log of a negative) leaves the cell blank rather than
  // drawing lines to infinity.
  if (!Number.isFinite(a + b + c + d)) return;
  const code =
    (a >= level ? 1 : 0) | (b >= level ? 2 : 0) | (c >= level ? 4 : 0) | (d >= level ? 8 : 0);
  if (code === 0 || code === 15) return;
  const v = j * (nx + 1) + i;
  const bottom = 2 * v;
  const left = 2 * v + 1;
  const top = 2 * (v + nx + 1);
  const right = 2 * (v + 1) + 1;
  switch (code) {
    case 1:
    case 14:
      out.push(left, bottom);
      return;
    case 2:
    case 13:
      out.push(bottom, right);
      return;
    case 3:
    case 12:
      out.push(left, right);
      return;
    case 4:
    case 11:
      out.push(right, top);
      return;
    case 6:
    case 9:
      out.push(bottom, top);
      return;
    case 7:
    case 8:
      out.push(left, top);
      return;
    case 5:
    case 10: {
      // A saddle: opposite corners agree. The cell's mean decides which pairs connect.
      const centreAbove = (a + b + c + d) / 4 >= level;
      if ((code === 5) === centreAbove) out.push(left, top, bottom, right);
      else out.push(left, bottom, right, top);
      return;
    }
  }
}

/**
 * Joins segments (pairs of edge ids) that share an edge into polylines of edge ids, so a
 * closed level set becomes one path instead of hundreds of two-point pieces.
 */
function joinSegments(ends: number[], edgeCount: number): number[][] {
  const segmentCount = ends.length / 2;
  // Each edge is crossed once per level, so at most two segments (the cells either side) meet
  // on it: slots 2e and 2e + 1 hold their indices, -1 when empty.
  const onEdge = new Int32Array(2 * edgeCount).fill(-1);
  for (let k = 0; k < segmentCount; k++) {
    for (const edge of [ends[2 * k]!, ends[2 * k + 1]!]) {
      onEdge[2 * edge + (onEdge[2 * edge]! === -1 ? 0 : 1)] = k;
    }
  }
  const used = new Uint8Array(segmentCount);
  /** Follows unused segments from the line's last edge, appending the edges they reach. */
  const extend = (line: number[]) => {
    for (;;) {
      const edge = line[line.length - 1]!;
      let next = onEdge[2 * edge]!;
      if (next === -1 || used[next]) next = onEdge[2 * edge + 1]!;
      if (next === -1 || used[next]) return;
      used[next] = 1;
      line.push(ends[2 * next]! === edge ? ends[2 * next + 1]! : ends[2 * next]!);
    }
  };
  const lines: number[][] = [];
  for (let k = 0; k < segmentCount; k++) {
    if (used[k]) continue;
    used[k] = 1;
    const forward = [ends[2 * k]!, ends[2 * k + 1]!];
    extend(forward);
    const backward = [ends[2 * k]!];
    extend(backward); // grows from the first edge the other way (nothing if the line closed)
    lines.push([...backward.slice(1).reverse(), ...forward]);
  }
  return lines;
}
