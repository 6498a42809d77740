import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import demo from '../../components/figures/demo-quadratic.ts';
import { defineFigure, type AnyFigure } from '../../src/notebook/figures/define.ts';
import { renderFigureHTML, type FigureProps } from '../../src/notebook/figures/markup.ts';

const props = { id: 'fig-demo', module: 'demo-quadratic', caption: 'Descent on a <bowl>.' };

/** The prerendered figure, parsed, for querying like a browser would. */
function parse(figure: AnyFigure, extra: Partial<FigureProps> = {}) {
  const html = renderFigureHTML(figure, { ...props, ...extra });
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return { html, root: document.querySelector('[data-figure]')! };
}

describe('renderFigureHTML', () => {
  it('is deterministic', () => {
    expect(renderFigureHTML(demo, props)).toBe(renderFigureHTML(demo, props));
  });

  it('makes the root its own anchor with module, width and state', () => {
    const { root } = parse(demo);
    expect(root.tagName).toBe('FIGURE');
    expect(root.getAttribute('id')).toBe('fig-demo');
    expect(root.getAttribute('data-figure')).toBe('fig-demo');
    expect(root.getAttribute('data-module')).toBe('demo-quadratic');
    expect(root.getAttribute('data-width')).toBe('640');
    expect(root.getAttribute('data-state')).toBe('lr=0.15&surface=valley&momentum=0&start=-4%2C3');
  });

  it('renders each control as a labelled form element at its default', () => {
    const { root } = parse(demo);
    const label = (id: string) => root.querySelector(`label[for="${id}"]`)?.textContent;
    const lr = root.querySelector('#fig-demo-lr')!;
    expect(lr.getAttribute('type')).toBe('range');
    expect([lr.getAttribute('min'), lr.getAttribute('max'), lr.getAttribute('step')]).toEqual([
      '0.01',
      '1.2',
      '0.01',
    ]);
    expect(lr.getAttribute('value')).toBe('0.15');
    expect(label('fig-demo-lr')).toBe('Learning rate η');
    const surface = root.querySelector('select#fig-demo-surface')!;
    expect(surface.querySelector('option[selected]')?.getAttribute('value')).toBe('valley');
    expect(label('fig-demo-surface')).toBe('Surface');
    const momentum = root.querySelector('#fig-demo-momentum')!;
    expect(momentum.getAttribute('type')).toBe('checkbox');
    expect(momentum.hasAttribute('checked')).toBe(false);
    expect(root.querySelector('[data-value-for="start"]')?.textContent).toBe('(-4.00, 3.00)');
  });

  it('inlines the first frame, described by describe() and labelled by the caption', () => {
    const { root } = parse(demo);
    const plot = root.querySelector('[data-plot]')!;
    expect(plot.getAttribute('role')).toBe('img');
    expect(plot.getAttribute('aria-labelledby')).toBe('fig-demo-caption');
    expect(plot.getAttribute('aria-describedby')).toBe('fig-demo-desc');
    expect(plot.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true');
    expect(root.querySelector('#fig-demo-desc')?.textContent).toMatch(
      /^Gradient descent on a narrow valley, learning rate 0\.15/,
    );
    const caption = root.querySelector('figcaption#fig-demo-caption')!;
    expect(caption.textContent).toContain('Descent on a <bowl>.');
    expect(caption.querySelector('a')?.getAttribute('href')).toBe('#fig-demo');
  });

  it('places point handles at their data coordinates, inert until hydration', () => {
    const { root } = parse(demo);
    const overlay = root.querySelector('[data-handles]')!;
    expect(overlay.getAttribute('aria-hidden')).toBe('true');
    const svg = root.querySelector('[data-plot] svg')!;
    expect(overlay.getAttribute('viewBox')).toBe(svg.getAttribute('viewBox'));
    const handle = overlay.querySelector('[data-point="start"]')!;
    expect(handle.hasAttribute('tabindex')).toBe(false);
    // x = -4 in [-5, 5] and y = 3 in [-4, 4]: left of centre, near the top.
    const [px, py] = /translate\(([\d.]+),([\d.]+)\)/
      .exec(handle.getAttribute('transform')!)!
      .slice(1)
      .map(Number);
    const [, , w, h] = svg.getAttribute('viewBox')!.split(' ').map(Number);
    expect(px! / w!).toBeGreaterThan(0.05);
    expect(px! / w!).toBeLessThan(0.3);
    expect(py! / h!).toBeLessThan(0.3);
  });

  it('passes width and height to render', () => {
    const { root } = parse(demo, { width: 480 });
    expect(root.querySelector('[data-plot] svg')?.getAttribute('width')).toBe('480');
    expect(root.querySelector('.descent-figure__stage')?.getAttribute('style')).toBe(
      'max-width:480px',
    );
  });

  it('rejects ids that are not plain anchors and empty descriptions', () => {
    expect(() => renderFigureHTML(demo, { ...props, id: 'fig demo' })).toThrow(
      'Figure: id must be a plain anchor such as "fig-taylor", got "fig demo"',
    );
    const silent = defineFigure({
      controls: {},
      render: (_s, { Plot }) => Plot.plot({ marks: [] }),
      describe: () => ' ',
    });
    expect(() => renderFigureHTML(silent, props)).toThrow(
      'describe() must return a non-empty string',
    );
  });

  it('says when point controls have no continuous scales to live in', () => {
    const bars = defineFigure({
      controls: { p: { type: 'point', label: 'P', value: [0, 0] } },
      render: (_s, { Plot }) =>
        Plot.plot({ marks: [Plot.barY(['a', 'b'], { x: (d) => d, y: 1 })] }),
      describe: () => 'Bars.',
    });
    expect(() => renderFigureHTML(bars, props)).toThrow(
      'point controls need continuous x and y scales',
    );
  });
});

describe('the state prop', () => {
  it('starts the figure at the given control values', () => {
    const { root } = parse(demo, { state: 'lr=0.5&momentum=1&start=1,-2' });
    expect(root.getAttribute('data-state')).toBe('lr=0.5&surface=valley&momentum=1&start=1%2C-2');
    expect(root.querySelector('#fig-demo-lr')?.getAttribute('value')).toBe('0.5');
    expect(root.querySelector('#fig-demo-momentum')?.hasAttribute('checked')).toBe(true);
    expect(root.querySelector('[data-describe]')?.textContent).toContain('with momentum');
  });

  it('fails the build on unknown controls or invalid values', () => {
    expect(() => renderFigureHTML(demo, { ...props, state: 'eta=0.5' })).toThrow(
      'Figure "fig-demo": state names no control "eta" (controls: lr, surface, momentum, start)',
    );
    expect(() => renderFigureHTML(demo, { ...props, state: 'surface=flat' })).toThrow(
      'state gives surface="flat", not a valid select value',
    );
  });
});
