import { describe, expect, it } from 'vitest';
import {
  isFigure,
  selectOptions,
  type AnyFigure,
  type Control,
} from '../../src/notebook/figures/define.ts';
import { renderFigureHTML } from '../../src/notebook/figures/markup.ts';
import { valueToText } from '../../src/notebook/figures/state.ts';

// Every chapter figure (components/figures/*.ts) is rendered here the way the build renders
// it: at its defaults, and with each control pushed to its extremes one at a time (min and
// max of each range, every select option, each toggle flipped, each bounded point in its
// corners). A figure that throws, draws nothing, draws NaN coordinates or describes itself
// with an empty string anywhere in its range fails here rather than in a reader's browser.

const modules = import.meta.glob<{ default: unknown }>('../../components/figures/*.ts', {
  eager: true,
});

/** The single-control variations of a figure's state, as query strings. */
function variations(controls: Record<string, Control>): string[] {
  const states: string[] = [];
  const one = (key: string, control: Control, value: unknown) =>
    states.push(new URLSearchParams({ [key]: valueToText(control, value) }).toString());
  for (const [key, control] of Object.entries(controls)) {
    switch (control.type) {
      case 'range':
        one(key, control, control.min);
        one(key, control, control.max);
        break;
      case 'select':
        for (const option of selectOptions(control)) one(key, control, option.value);
        break;
      case 'toggle':
        one(key, control, !control.value);
        break;
      case 'point':
        if (control.x && control.y) {
          for (const x of control.x) for (const y of control.y) one(key, control, [x, y]);
        }
        break;
    }
  }
  return states;
}

const names = Object.keys(modules)
  .map((path) => path.replace(/^.*\/|\.ts$/g, ''))
  .sort();

it('finds the figure modules', () => {
  expect(names.length).toBeGreaterThan(0);
});

describe.each(names)('components/figures/%s.ts', (name) => {
  const figure = modules[`../../components/figures/${name}.ts`]!.default;
  const props = { id: `fig-${name}`, module: name, caption: `Figure ${name}.` };

  it('exports default defineFigure({...})', () => {
    expect(isFigure(figure)).toBe(true);
  });

  it('renders deterministically at its defaults', () => {
    const html = renderFigureHTML(figure as AnyFigure, props);
    expect(renderFigureHTML(figure as AnyFigure, props)).toBe(html);
    checkFrame(html);
  });

  const states = isFigure(figure) ? variations(figure.controls) : [];
  it.each(states.length ? states : ['(no controls)'])('renders at %s', (state) => {
    if (state === '(no controls)') return;
    checkFrame(renderFigureHTML(figure as AnyFigure, { ...props, state }));
  });
});

function checkFrame(html: string) {
  const svg =
    /<div class="descent-figure__plot"[^>]*>([\s\S]*?)<\/div>(?:<svg class="descent-figure__handles"|<\/div>)/.exec(
      html,
    )?.[1] ?? '';
  expect(svg).toMatch(/<svg[^>]*viewBox="0 0 \d/);
  // Something is drawn besides the axes: at least one path, circle, rect, text or line.
  expect(svg).toMatch(/<(path|circle|rect|line|polygon|text)\b/);
  expect(svg, 'NaN in the SVG: a mark got a non-finite coordinate').not.toMatch(/NaN/);
  const description = /data-describe[^>]*>([^<]*)</.exec(html)?.[1] ?? '';
  expect(description.trim().length).toBeGreaterThan(10);
  expect(description).not.toMatch(/NaN|undefined|\[object/);
}
