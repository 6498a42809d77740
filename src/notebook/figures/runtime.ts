/**
 * The browser half of an interactive figure: loaded (with Plot) only when a figure scrolls
 * near the viewport (see loader.ts), it takes over the prerendered markup from markup.ts.
 *
 * Flow of one interaction: an input/pointer/key event updates `state` → `invalidate()` asks for
 * one animation frame → `frame()` runs compute + render once, however many events arrived in
 * between (coalescing keeps a slider drag at display rate even when inputs fire faster), swaps
 * the SVG, moves the point handles and updates the readouts. The text description is updated
 * after the reader pauses, so screen readers are not flooded during a drag.
 */
import * as Plot from '@observablehq/plot';
import {
  formatValue,
  isFigure,
  type AnyFigure,
  type AnyState,
  type PlotElement,
  type PointControl,
} from './define.ts';
import { plotGeometry, pointText, type PlotGeometry } from './geometry.ts';
import {
  clampPoint,
  parseState,
  pointSteps,
  serializeState,
  snapTo,
  textToValue,
} from './state.ts';
import { computeInWorker } from './compute-client.ts';

/** Every figure module, loaded on demand: chapter authors only drop files in the folder. */
const modules = import.meta.glob<{ default: unknown }>('../../../components/figures/*.ts');

/** Timing of the frames a figure has drawn since hydration, for tests and curious readers. */
export interface FrameStats {
  frames: number;
  totalMs: number;
  maxMs: number;
}

/** A hydrated figure, reachable as `root.descentFigure` (used by tests and the console). */
export interface FigureHandle {
  figure: AnyFigure;
  state: AnyState;
  stats: FrameStats;
  /** Sets control values (as a reader would) and schedules a frame. */
  set(values: Partial<AnyState>): void;
}

declare global {
  interface HTMLElement {
    descentFigure?: FigureHandle;
  }
}

const DESCRIBE_DELAY_MS = 500;
/** How long after the last input a drag counts as ongoing (frames drawn as drafts). */
const INTERACTION_MS = 200;
/** Narrowest width a hydrated figure is drawn at, in CSS pixels. */
const MIN_WIDTH = 280;

/** Loads a figure module by name; throws with the available names if it does not exist. */
export async function loadFigure(name: string): Promise<AnyFigure> {
  const entry = Object.entries(modules).find(([path]) => path.endsWith(`/${name}.ts`));
  if (!entry) {
    const names = Object.keys(modules).map((p) => p.replace(/^.*\/|\.ts$/g, ''));
    throw new Error(
      `Figure: no module "${name}" in components/figures/ (have: ${names.join(', ')})`,
    );
  }
  const figure = (await entry[1]()).default;
  if (!isFigure(figure)) {
    throw new Error(
      `Figure: components/figures/${name}.ts must export default defineFigure({...})`,
    );
  }
  return figure;
}

/** Takes over one prerendered figure root ([data-figure]). */
export async function hydrate(root: HTMLElement): Promise<FigureHandle> {
  const name = root.dataset.module ?? '';
  const figure = await loadFigure(name);
  const plotHost = root.querySelector<HTMLElement>('[data-plot]')!;
  const overlay = root.querySelector<SVGSVGElement>('[data-handles]');
  const describeEl = root.querySelector<HTMLElement>('[data-describe]');
  const stage = root.querySelector<HTMLElement>('.descent-figure__stage')!;
  const fullWidth = Number(root.dataset.width) || 640;
  const fullHeight = root.dataset.height ? Number(root.dataset.height) : undefined;
  // The prerendered SVG is drawn at the figure's width and scales down on narrow screens,
  // shrinking its text with it. Once hydrated we draw at the column's width instead (never
  // wider than the figure's, never under MIN_WIDTH), so a phone gets legible axes.
  const fitWidth = () => {
    const available = Math.floor(stage.clientWidth);
    return available > 0 ? Math.max(MIN_WIDTH, Math.min(fullWidth, available)) : fullWidth;
  };
  let width = fitWidth();
  const controls = figure.controls;

  // Start from the prerendered state, then take whatever the reader changed before hydration.
  const state = parseState(controls, root.dataset.state ?? '') as AnyState;
  for (const input of root.querySelectorAll<HTMLInputElement | HTMLSelectElement>(
    '[data-control]',
  )) {
    const key = input.dataset.control!;
    const control = controls[key];
    if (!control) continue;
    const text =
      input instanceof HTMLInputElement && input.type === 'checkbox'
        ? String(input.checked)
        : input.value;
    const value = textToValue(control, text);
    if (value !== undefined) state[key] = value;
  }

  const stats: FrameStats = { frames: 0, totalMs: 0, maxMs: 0 };
  let geometry: PlotGeometry | null = null;
  let scheduled = false;
  let describeTimer: ReturnType<typeof setTimeout> | undefined;
  let settleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Frames before this time are drawn as drafts: the reader is still moving something. */
  let interactingUntil = 0;
  const interacting = () => {
    interactingUntil = performance.now() + INTERACTION_MS;
  };
  // With computeIn: 'worker', frames draw the newest finished compute and the state it was for.
  let computed: { state: AnyState; data: unknown } | null = null;
  const worker = figure.compute && figure.computeIn === 'worker' ? computeInWorker(name) : null;

  const invalidate = () => {
    if (worker) {
      worker.request(state, (data, forState) => {
        computed = { state: forState, data };
        schedule();
      });
    } else {
      schedule();
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(frame);
  };

  function frame() {
    scheduled = false;
    const start = performance.now();
    let frameState = state;
    let data: unknown;
    if (worker) {
      if (!computed) return; // nothing finished yet: keep the prerendered frame
      frameState = computed.state;
      data = computed.data;
    } else {
      data = figure.compute?.(state);
    }
    const draft = start < interactingUntil;
    // NOTE: `draft` is a getter so we learn whether render looks at it; only then is a full-
    // quality frame owed once the reader pauses (otherwise it would redraw the same picture).
    let readDraft = false;
    const context = {
      Plot,
      width,
      height: fullHeight && Math.round((fullHeight * width) / fullWidth),
      data,
      get draft() {
        readDraft = true;
        return draft;
      },
    };
    let plot: PlotElement;
    try {
      plot = figure.render({ ...frameState }, context);
    } catch (error) {
      showError(root, `This figure could not be drawn: ${(error as Error).message}`);
      console.error(`Figure "${name}" render failed`, error);
      return;
    }
    plot.setAttribute('aria-hidden', 'true'); // see markup.ts: the wrapper is the text alternative
    plotHost.replaceChildren(plot);
    root.querySelector('[data-figure-error]')?.remove();
    geometry = plotGeometry(plot);
    placeOverlay(plot);
    updateReadouts();
    root.dataset.state = serializeState(controls, state);
    clearTimeout(describeTimer);
    describeTimer = setTimeout(() => {
      if (describeEl) describeEl.textContent = figure.describe({ ...frameState }, data);
    }, DESCRIBE_DELAY_MS);
    clearTimeout(settleTimer);
    if (draft && readDraft) settleTimer = setTimeout(schedule, INTERACTION_MS + 20);
    const ms = performance.now() - start;
    stats.frames += 1;
    stats.totalMs += ms;
    stats.maxMs = Math.max(stats.maxMs, ms);
    root.dataset.frames = String(stats.frames);
    root.dispatchEvent(
      new CustomEvent('descent:figure-render', {
        bubbles: true,
        detail: { id: root.id, ms, frame: stats.frames },
      }),
    );
  }

  /** Lines the handle overlay up with the plot's drawing SVG. */
  function placeOverlay(plot: Element) {
    if (!overlay || !geometry) return;
    const [bx, by, bw, bh] = geometry.viewBox;
    overlay.setAttribute('viewBox', `${bx} ${by} ${bw} ${bh}`);
    if (geometry.svg === plot) {
      // The overlay's CSS (inset: 0) already covers a bare SVG exactly.
      overlay.removeAttribute('style');
    } else {
      // Plot wrapped its SVG in a <figure> with legends: measure where the SVG sits.
      const stage = overlay.parentElement!.getBoundingClientRect();
      const box = geometry.svg.getBoundingClientRect();
      overlay.style.cssText =
        `left:${box.left - stage.left}px;top:${box.top - stage.top}px;` +
        `width:${box.width}px;height:${box.height}px`;
    }
    overlay.removeAttribute('hidden');
    for (const handle of handles) placeHandle(handle);
  }

  function updateReadouts() {
    for (const [key, control] of Object.entries(controls)) {
      const readout = root.querySelector(`[data-value-for="${CSS.escape(key)}"]`);
      const textValue = formatValue(control, state[key]);
      if (readout && readout.textContent !== textValue) readout.textContent = textValue;
      if (control.type === 'range') {
        root
          .querySelector(`[data-control="${CSS.escape(key)}"]`)
          ?.setAttribute('aria-valuetext', textValue);
      }
    }
  }

  // Range, select and toggle controls: one delegated listener.
  const onInput = (event: Event) => {
    const input = event.target as HTMLInputElement | HTMLSelectElement;
    const key = input.dataset?.control;
    const control = key ? controls[key] : undefined;
    if (!key || !control) return;
    const text =
      input instanceof HTMLInputElement && input.type === 'checkbox'
        ? String(input.checked)
        : input.value;
    const value = textToValue(control, text);
    if (value === undefined || value === state[key]) return;
    state[key] = value;
    // A select or checkbox is one decision, not a drag: draw it at full quality at once.
    if (input instanceof HTMLInputElement && input.type === 'range') interacting();
    invalidate();
  };
  root.addEventListener('input', onInput);
  root.addEventListener('change', onInput);

  // Point controls: handles that are dragged or moved with arrow keys.
  interface Handle {
    key: string;
    control: PointControl;
    element: SVGGElement;
  }
  const handles: Handle[] = [];
  for (const element of root.querySelectorAll<SVGGElement>('[data-point]')) {
    const key = element.dataset.point!;
    const control = controls[key];
    if (control?.type !== 'point') continue;
    handles.push({ key, control, element });
  }
  if (overlay && handles.length > 0) {
    overlay.removeAttribute('aria-hidden');
    overlay.setAttribute('role', 'group');
    overlay.setAttribute('aria-label', 'Movable points: drag, or focus and use the arrow keys');
    for (const handle of handles) {
      // Value attributes before the role: a slider without aria-valuenow is invalid, even for
      // the moment until the first browser frame (which may wait for a worker) places it.
      placeHandle(handle);
      handle.element.setAttribute('role', 'slider');
      handle.element.setAttribute('tabindex', '0');
      handle.element.setAttribute('aria-roledescription', '2D slider');
      attachHandle(handle);
    }
  }

  function domains() {
    return geometry ? { x: geometry.x.domain, y: geometry.y.domain } : {};
  }

  function placeHandle({ key, control, element }: Handle) {
    const [x, y] = state[key] as [number, number];
    if (geometry) {
      const px = Math.round(geometry.x.apply(x) * 100) / 100;
      const py = Math.round(geometry.y.apply(y) * 100) / 100;
      element.setAttribute('transform', `translate(${px},${py})`);
    }
    const [xmin, xmax] = control.x ?? geometry?.x.domain ?? [x, x];
    // A 2D point on a 1D slider role: value is x, and aria-valuetext reads both coordinates.
    element.setAttribute('aria-valuemin', String(Math.min(xmin, xmax)));
    element.setAttribute('aria-valuemax', String(Math.max(xmin, xmax)));
    element.setAttribute('aria-valuenow', String(x));
    element.setAttribute('aria-valuetext', pointText(control, [x, y]));
    element.setAttribute('aria-label', control.label);
  }

  function movePoint(handle: Handle, to: [number, number]) {
    const next = clampPoint(handle.control, to, domains());
    const current = state[handle.key] as [number, number];
    if (next[0] === current[0] && next[1] === current[1]) return;
    state[handle.key] = next;
    interacting();
    placeHandle(handle); // follow the pointer/key now; the plot catches up next frame
    invalidate();
  }

  function attachHandle(handle: Handle) {
    const { element, control } = handle;
    let dragging = false;
    element.addEventListener('keydown', (event) => {
      const [dx, dy] = pointSteps(control, domains());
      const scale = event.shiftKey ? 10 : 1;
      const moves: Record<string, [number, number]> = {
        ArrowLeft: [-dx, 0],
        ArrowRight: [dx, 0],
        ArrowDown: [0, -dy],
        ArrowUp: [0, dy],
      };
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      const [x, y] = state[handle.key] as [number, number];
      movePoint(handle, [snapTo(x + move[0] * scale, dx), snapTo(y + move[1] * scale, dy)]);
    });
    element.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      event.preventDefault(); // no text selection or native drag; focus moves to the handle
      element.focus();
      element.setPointerCapture(event.pointerId);
      dragging = true;
      element.classList.add('is-dragging');
    });
    element.addEventListener('pointermove', (event) => {
      if (!dragging || !geometry) return;
      const box = geometry.svg.getBoundingClientRect();
      const [bx, by, bw, bh] = geometry.viewBox;
      const px = bx + ((event.clientX - box.left) / box.width) * bw;
      const py = by + ((event.clientY - box.top) / box.height) * bh;
      const [dx, dy] = pointSteps(control, domains());
      // NOTE: snap drags to a tenth of the key step: fine enough to feel continuous, coarse
      // enough that the readout and aria-valuetext do not show 15 digits.
      movePoint(handle, [
        snapTo(geometry.x.invert(px), dx / 10),
        snapTo(geometry.y.invert(py), dy / 10),
      ]);
    });
    const stop = (event: PointerEvent) => {
      if (!dragging) return;
      dragging = false;
      element.classList.remove('is-dragging');
      if (element.hasPointerCapture(event.pointerId))
        element.releasePointerCapture(event.pointerId);
    };
    element.addEventListener('pointerup', stop);
    element.addEventListener('pointercancel', stop);
  }

  // When the column changes width (rotation, window resize), redraw at the new width; plots
  // wrapped in a <figure> (legends) also need their handle overlay re-measured.
  if (typeof ResizeObserver !== 'undefined') {
    new ResizeObserver(() => {
      const next = fitWidth();
      if (Math.abs(next - width) >= 8) {
        width = next;
        schedule();
      }
      const plot = plotHost.firstElementChild;
      if (plot && geometry && geometry.svg !== plot) placeOverlay(plot);
    }).observe(stage);
  }

  const handle: FigureHandle = {
    figure,
    state,
    stats,
    set(values) {
      Object.assign(state, values);
      for (const [key, value] of Object.entries(values)) {
        const input = root.querySelector<HTMLInputElement | HTMLSelectElement>(
          `[data-control="${CSS.escape(key)}"]`,
        );
        if (!input) continue;
        if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = !!value;
        else input.value = String(value);
      }
      invalidate();
    },
  };
  root.descentFigure = handle;

  // Draw once in the browser so scales (for dragging) come from a live plot; the frame is
  // identical to the prerendered one unless the reader changed a control before hydration.
  invalidate();
  root.dataset.hydrated = 'true';
  return handle;
}

function showError(root: HTMLElement, message: string) {
  let box = root.querySelector<HTMLElement>('[data-figure-error]');
  if (!box) {
    box = document.createElement('p');
    box.className = 'descent-figure__error';
    box.dataset.figureError = '';
    box.setAttribute('role', 'alert');
    root.querySelector('.descent-figure__stage')?.after(box);
  }
  box.textContent = message;
}
