import { describe, expect, it } from 'vitest';
import {
  renderPlot,
  renumberIds,
  roundNumbers,
  serializeNode,
  ssrDocument,
  ssrPlot as Plot,
} from '../../src/notebook/ssr.ts';

const xs = Array.from({ length: 41 }, (_, i) => -2 + i / 10);

/** A plot with clip paths and markers, so it has generated ids to renumber. */
function options(shift = 0) {
  return {
    width: 400,
    x: { domain: [-2, 2] },
    y: { domain: [-1, 5] },
    marks: [
      Plot.line(xs, { x: (x: number) => x, y: (x: number) => x * x + shift, clip: true }),
      Plot.line(xs, {
        x: (x: number) => x,
        y: (x: number) => x + shift,
        marker: 'circle',
        clip: true,
      }),
    ],
  };
}

describe('renderPlot', () => {
  it('is deterministic: the same options give the same string, whatever rendered before', () => {
    const first = renderPlot(options(), { idPrefix: 'fig-a' });
    renderPlot(options(1)); // advances Plot's global id counters
    const second = renderPlot(options(), { idPrefix: 'fig-a' });
    expect(second).toBe(first);
    expect(first.startsWith('<svg')).toBe(true);
  });

  it('renumbers generated ids under the prefix, keeping references consistent', () => {
    const html = renderPlot(options(), { idPrefix: 'fig-a' });
    expect(html).not.toMatch(/plot-(clip|marker|pattern)-\d/);
    expect(html).toContain('id="fig-a-clip-1"');
    expect(html).toContain('url(#fig-a-clip-1)');
    expect(html).toContain('id="fig-a-marker-1"');
    expect(html).toContain('url(#fig-a-marker-1)');
  });

  it('rounds geometry to 3 decimals but leaves text alone', () => {
    const html = renderPlot({
      marks: [Plot.text(['0.123456789'], { x: [1 / 3], y: [2 / 3], text: (d: string) => d })],
    });
    expect(html).toContain('>0.123456789<');
    expect(html).not.toMatch(/="[^"]*\d\.\d{4,}/);
  });

  it('renders legends (a <figure>) without a browser', () => {
    const html = renderPlot({
      color: { legend: true },
      marks: [Plot.dot([{ k: 'a' }, { k: 'b' }], { x: 'k', fill: 'k' })],
    });
    expect(html.startsWith('<figure')).toBe(true);
    expect(html).toContain('<svg');
  });
});

describe('helpers', () => {
  it('roundNumbers keeps integers and normalises -0', () => {
    expect(roundNumbers('M0,0L12.3456789,-0.0001 translate(40,370)')).toBe(
      'M0,0L12.346,0 translate(40,370)',
    );
    expect(roundNumbers('1.5e-7 2e3 3.25', 1)).toBe('0 2000 3.3');
  });

  it('renumberIds numbers each kind from 1 in order of first appearance', () => {
    expect(
      renumberIds('plot-clip-9 plot-marker-4 plot-clip-7 url(#plot-clip-9) plot-pattern-2-0', 'f'),
    ).toBe('f-clip-1 f-marker-1 f-clip-2 url(#f-clip-1) f-pattern-1-0');
  });

  it('serializeNode works on any linkedom element', () => {
    const div = ssrDocument().createElement('div');
    div.setAttribute('width', '1.23456');
    expect(serializeNode(div)).toBe('<div width="1.235"></div>');
  });
});
