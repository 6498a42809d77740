/**
 * The output-size formula of a convolution (chapter 13, fig-conv-size): the reader sets the
 * input width W₁, the filter size F, the stride S and the padding P, and moves the window with
 * a position slider. Left: the padded input (padding cells dashed) with the F×F window at the
 * chosen position; right: the output grid W₂×W₂ with the cell that window produces.
 */
import { defineFigure, palette } from '../../src/notebook/figures/define.ts';

/** W₂ = ⌊(W₁ − F + 2P)/S⌋ + 1 (0 when the filter does not fit), and whether S divides evenly. */
export function outputSize(
  w1: number,
  f: number,
  s: number,
  p: number,
): { w2: number; exact: boolean } {
  const span = w1 - f + 2 * p;
  if (span < 0) return { w2: 0, exact: false };
  return { w2: Math.floor(span / s) + 1, exact: span % s === 0 };
}

interface Cell {
  x: number;
  y: number;
  kind: 'input' | 'padding' | 'output';
}

export default defineFigure({
  controls: {
    w1: { type: 'range', label: 'Input width W₁', min: 3, max: 12, step: 1, value: 7 },
    f: { type: 'range', label: 'Filter F', min: 1, max: 7, step: 1, value: 3 },
    s: { type: 'range', label: 'Stride S', min: 1, max: 4, step: 1, value: 2 },
    p: { type: 'range', label: 'Padding P', min: 0, max: 3, step: 1, value: 1 },
    position: { type: 'range', label: 'Window position', min: 0, max: 48, step: 1, value: 4 },
  },
  render(state, { Plot, width }) {
    const { w1, f, s, p } = state;
    const { w2 } = outputSize(w1, f, s, p);
    const wp = w1 + 2 * p;
    const gap = 2;
    const cells: Cell[] = [];
    for (let y = 0; y < wp; y++) {
      for (let x = 0; x < wp; x++) {
        const inside = x >= p && x < p + w1 && y >= p && y < p + w1;
        cells.push({ x, y, kind: inside ? 'input' : 'padding' });
      }
    }
    for (let y = 0; y < w2; y++)
      for (let x = 0; x < w2; x++) cells.push({ x: wp + gap + x, y, kind: 'output' });
    // one outlined square per cell; padding cells dashed
    const grid = (part: Cell[], dashed: boolean) =>
      Plot.rect(part, {
        x1: 'x',
        x2: (c: Cell) => c.x + 1,
        y1: 'y',
        y2: (c: Cell) => c.y + 1,
        fill: 'none',
        stroke: 'currentColor',
        strokeOpacity: 0.5,
        strokeDasharray: dashed ? '2,2' : undefined,
        inset: 1,
      });
    const marks = [
      grid(
        cells.filter((c) => c.kind !== 'padding'),
        false,
      ),
      grid(
        cells.filter((c) => c.kind === 'padding'),
        true,
      ),
      Plot.text([{ x: wp / 2, y: -0.6, t: `input ${wp}×${wp} (W₁ = ${w1}, P = ${p})` }], {
        x: 'x',
        y: 'y',
        text: 't',
        fill: 'currentColor',
      }),
    ];
    if (w2 > 0) {
      const k = Math.min(state.position, w2 * w2 - 1);
      const [r, c] = [Math.floor(k / w2), k % w2];
      marks.push(
        Plot.rect([{ x: c * s, y: r * s }], {
          x1: 'x',
          x2: (d: { x: number }) => d.x + f,
          y1: 'y',
          y2: (d: { y: number }) => d.y + f,
          fill: palette.orange,
          fillOpacity: 0.25,
          stroke: palette.orange,
          strokeWidth: 3,
        }),
        Plot.rect([{ x: wp + gap + c, y: r }], {
          x1: 'x',
          x2: (d: { x: number }) => d.x + 1,
          y1: 'y',
          y2: (d: { y: number }) => d.y + 1,
          fill: palette.orange,
          stroke: palette.orange,
          inset: 1,
        }),
        Plot.link([{ x1: c * s + f / 2, y1: r * s + f / 2, x2: wp + gap + c + 0.5, y2: r + 0.5 }], {
          x1: 'x1',
          y1: 'y1',
          x2: 'x2',
          y2: 'y2',
          stroke: palette.blue,
          strokeWidth: 1.5,
          markerEnd: 'arrow',
        }),
        Plot.text([{ x: wp + gap + w2 / 2, y: -0.6, t: `output ${w2}×${w2}` }], {
          x: 'x',
          y: 'y',
          text: 't',
          fill: 'currentColor',
        }),
      );
    }
    const totalW = wp + gap + Math.max(w2, 1);
    const totalH = Math.max(wp, w2) + 1;
    const plotW = Math.min(width, 640);
    return Plot.plot({
      width: plotW,
      height: Math.round(Math.max(160, (plotW * totalH) / totalW)),
      marginTop: 8,
      marginLeft: 4,
      marginRight: 4,
      marginBottom: 4,
      x: { axis: null, domain: [0, totalW] },
      y: { axis: null, domain: [-1.2, Math.max(wp, w2)], reverse: true },
      marks,
    });
  },
  describe(state) {
    const { w1, f, s, p } = state;
    const { w2, exact } = outputSize(w1, f, s, p);
    if (w2 === 0) {
      return `A ${f}×${f} filter does not fit in the ${w1 + 2 * p}×${w1 + 2 * p} padded input: W₁ − F + 2P = ${w1 - f + 2 * p} is negative, so there is no output.`;
    }
    const k = Math.min(state.position, w2 * w2 - 1);
    const [r, c] = [Math.floor(k / w2), k % w2];
    const formula = `W₂ = (${w1} − ${f} + 2·${p})/${s} + 1 = ${exact ? w2 : `${((w1 - f + 2 * p) / s + 1).toFixed(2)}, rounded down to ${w2}`}`;
    return `${formula}: the output is ${w2}×${w2}. The window at row ${r + 1}, column ${c + 1} of the output covers padded-input rows ${r * s + 1}–${r * s + f} and columns ${c * s + 1}–${c * s + f}.${exact ? '' : ` The stride does not divide W₁ − F + 2P, so the last ${(w1 - f + 2 * p) % s} row(s) and column(s) are never covered.`}`;
  },
});
