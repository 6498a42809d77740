/**
 * The lab in the browser. Loaded when the lab nears the viewport (./loader.ts). It swaps the
 * static SVGs for two canvases, computes the race with the engine's optimizers whenever the
 * setup changes (all trajectories at once, up front), and then only animates: each frame draws
 * every path up to the current step, so a frame costs a few thousand `lineTo`s however slow
 * the optimizers are.
 *
 * For tests and the curious, the root element counts drawn frames in `data-frames` and fires a
 * `lab:frame` event after each one.
 */
import { PROBLEMS, type ProblemId } from './problems.ts';
import { OPTIMIZERS, type OptimizerId } from './optimizers.ts';
import { simulate, type Run } from './simulate.ts';
import {
  cloneState,
  decodeState,
  defaultOptimizers,
  parseHash,
  shareHash,
  type ScheduleKind,
} from './state.ts';
import { describeRace, tableRows } from './markup.ts';
import {
  LOSS_HEIGHT,
  LOSS_WIDTH,
  MAP_HEIGHT,
  MAP_WIDTH,
  contourPaths,
  decadeLabel,
  integerTicks,
  lossFrame,
  lossPixels,
  mapFrame,
  pathPixels,
  stepTicks,
  type LossFrame,
} from './view.ts';

/** While the start point is dragged, the paths are computed for this many steps only. */
export const DRAFT_STEPS = 150;

interface Drawn {
  run: Run;
  map: Float32Array;
  loss: Float32Array;
  color: string;
  dash: number[];
}

export function hydrate(root: HTMLElement): void {
  const initial = parseHash(location.hash) ?? decodeState(root.dataset.state ?? '');
  let state = cloneState(initial);
  let runs: Drawn[] = [];
  let frame: LossFrame;
  let step = state.steps; // the step the animation shows (fractional while playing)
  let playing = false;
  let clockStart = 0;
  let frames = 0;
  let pending = 0;
  let dragging = false;
  const standalone = root.hasAttribute('data-standalone');

  const q = <T extends Element>(selector: string) => root.querySelector<T>(selector)!;
  const playButton = q<HTMLButtonElement>('[data-action="play"]');
  const status = q<HTMLOutputElement>('[data-status]');
  const stepText = q<HTMLElement>('[data-step]');
  const describe = q<HTMLElement>('[data-describe]');
  const table = q<HTMLElement>('[data-table]');
  const blurb = q<HTMLElement>('[data-blurb]');

  const dpr = Math.min(2, window.devicePixelRatio || 1);
  const mapCanvas = makeCanvas(MAP_WIDTH, MAP_HEIGHT, 'map');
  const lossCanvas = makeCanvas(LOSS_WIDTH, LOSS_HEIGHT, 'loss');
  q('[data-map]').replaceChildren(mapCanvas);
  q('[data-loss]').replaceChildren(lossCanvas);
  const mapCtx = mapCanvas.getContext('2d')!;
  const lossCtx = lossCanvas.getContext('2d')!;
  let mapBackground: HTMLCanvasElement | null = null;
  let lossBackground: HTMLCanvasElement | null = null;
  let backgroundKey = '';

  function makeCanvas(width: number, height: number, kind: string): HTMLCanvasElement {
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.className = 'lab__canvas';
    canvas.dataset.canvas = kind;
    canvas.setAttribute('role', 'img');
    return canvas;
  }

  // ---------------------------------------------------------------- computing the race

  function recompute(draft = false) {
    const simState = draft ? { ...state, steps: Math.min(state.steps, DRAFT_STEPS) } : state;
    const result = simulate(simState);
    frame = lossFrame(state.problem, result, state.steps);
    runs = result.map((run) => {
      const spec = OPTIMIZERS.find((o) => o.id === run.id)!;
      return {
        run,
        map: pathPixels(run, state.problem),
        loss: lossPixels(run, state.problem, frame),
        color: spec.color,
        dash: [...spec.dash],
      };
    });
    backgroundKey = '';
    if (!draft) {
      describe.textContent = describeRace(state, result);
      table.innerHTML = tableRows(state, result);
      mapCanvas.setAttribute(
        'aria-label',
        `Contours of the ${PROBLEMS[state.problem].label} surface with the paths. ${describe.textContent}`,
      );
      lossCanvas.setAttribute(
        'aria-label',
        'The gap f − f_min on a log scale against the step, one line per optimizer',
      );
      root.dataset.computed = String(Number(root.dataset.computed ?? 0) + 1);
    }
  }

  // ---------------------------------------------------------------- drawing

  /**
   * How much the canvas is shrunk on screen (1 at 640 CSS px): text and lines are drawn that
   * much larger, up to twice, so a phone still gets legible tick labels.
   */
  function shrink(): number {
    const shown = mapCanvas.clientWidth;
    return shown > 0 ? Math.min(2, Math.max(1, MAP_WIDTH / shown)) : 1;
  }

  function backgrounds(color: string) {
    const key = `${state.problem}|${color}|${frame.y.domain.join()}|${state.steps}|${shrink()}`;
    if (key === backgroundKey && mapBackground && lossBackground) return;
    backgroundKey = key;
    mapBackground = offscreen(MAP_WIDTH, MAP_HEIGHT, (ctx) => drawMapBackground(ctx, color));
    lossBackground = offscreen(LOSS_WIDTH, LOSS_HEIGHT, (ctx) => drawLossBackground(ctx, color));
  }

  function offscreen(
    width: number,
    height: number,
    paint: (ctx: CanvasRenderingContext2D) => void,
  ) {
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const ctx = canvas.getContext('2d')!;
    ctx.scale(dpr, dpr);
    paint(ctx);
    return canvas;
  }

  function drawMapBackground(ctx: CanvasRenderingContext2D, color: string) {
    const { x, y } = mapFrame(state.problem);
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.globalAlpha = 0.3;
    ctx.strokeRect(x.range[0], y.range[1], x.range[1] - x.range[0], y.range[0] - y.range[1]);
    ctx.globalAlpha = 0.28;
    ctx.lineWidth = 1;
    for (const { d } of contourPaths(state.problem)) ctx.stroke(new Path2D(d));
    ctx.globalAlpha = 1;
    const k = shrink();
    ctx.font = `${11 * k}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of integerTicks(x.domain)) ctx.fillText(tick(t), x.apply(t), y.range[0] + 5);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of integerTicks(y.domain)) ctx.fillText(tick(t), x.range[0] - 5, y.apply(t));
    ctx.lineWidth = 2;
    for (const [mx, my] of PROBLEMS[state.problem].minima) {
      ctx.beginPath();
      ctx.moveTo(x.apply(mx) - 5, y.apply(my));
      ctx.lineTo(x.apply(mx) + 5, y.apply(my));
      ctx.moveTo(x.apply(mx), y.apply(my) - 5);
      ctx.lineTo(x.apply(mx), y.apply(my) + 5);
      ctx.stroke();
    }
  }

  function drawLossBackground(ctx: CanvasRenderingContext2D, color: string) {
    const [x0, x1] = frame.x.range;
    const [yb, yt] = frame.y.range;
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.globalAlpha = 0.5;
    ctx.beginPath();
    ctx.moveTo(x0, yt);
    ctx.lineTo(x0, yb);
    ctx.lineTo(x1, yb);
    ctx.stroke();
    ctx.globalAlpha = 1;
    const k = shrink();
    ctx.font = `${11 * k}px system-ui, sans-serif`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const d of frame.decades) ctx.fillText(decadeLabel(d), x0 - 4, frame.y.apply(d));
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of stepTicks(state.steps)) {
      ctx.textAlign = t === state.steps ? 'right' : 'center'; // the last label stays inside
      ctx.fillText(String(t), frame.x.apply(t) + (t === state.steps ? 4 : 0), yb + 5);
    }
  }

  function polyline(ctx: CanvasRenderingContext2D, pixels: Float32Array, count: number) {
    ctx.beginPath();
    ctx.moveTo(pixels[0]!, pixels[1]!);
    for (let i = 1; i < count; i++) ctx.lineTo(pixels[2 * i]!, pixels[2 * i + 1]!);
    ctx.stroke();
  }

  function draw() {
    const color = getComputedStyle(root).color;
    backgrounds(color);
    const shown = Math.floor(step);
    const lineScale = shrink();
    for (const [ctx, background, key] of [
      [mapCtx, mapBackground!, 'map'],
      [lossCtx, lossBackground!, 'loss'],
    ] as const) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
      ctx.drawImage(background, 0, 0);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.lineJoin = 'round';
      ctx.save();
      clipTo(ctx, key);
      for (const d of runs) {
        const pixels = key === 'map' ? d.map : d.loss;
        const count = Math.min(shown + 1, pixels.length / 2);
        ctx.strokeStyle = d.color;
        ctx.lineWidth = (key === 'map' ? 2 : 1.5) * Math.min(1.5, lineScale);
        ctx.setLineDash(d.dash);
        polyline(ctx, pixels, count);
        ctx.setLineDash([]);
        if (key === 'map') {
          ctx.fillStyle = d.color;
          ctx.beginPath();
          ctx.arc(pixels[2 * count - 2]!, pixels[2 * count - 1]!, 3.5, 0, 2 * Math.PI);
          ctx.fill();
        }
      }
      ctx.restore();
    }
    // the start point
    const { x, y } = mapFrame(state.problem);
    mapCtx.strokeStyle = color;
    mapCtx.lineWidth = 2;
    mapCtx.beginPath();
    mapCtx.arc(x.apply(state.start[0]), y.apply(state.start[1]), 6, 0, 2 * Math.PI);
    mapCtx.stroke();
    stepText.textContent = `step ${Math.min(shown, state.steps)} of ${state.steps}`;
    frames += 1;
    root.dataset.frames = String(frames);
    root.dispatchEvent(new CustomEvent('lab:frame', { detail: { frames, step: shown } }));
  }

  /** Paths that leave the plotted region (a diverging run, a Newton jump) stop at its edge. */
  function clipTo(ctx: CanvasRenderingContext2D, key: 'map' | 'loss') {
    const [x0, x1] = key === 'map' ? mapFrame(state.problem).x.range : frame.x.range;
    const [y0, y1] = key === 'map' ? mapFrame(state.problem).y.range : frame.y.range;
    ctx.beginPath();
    ctx.rect(x0 - 4, y1 - 4, x1 - x0 + 8, y0 - y1 + 8);
    ctx.clip();
  }

  function tick(v: number) {
    return String(v).replace('-', '−');
  }

  // ---------------------------------------------------------------- animation

  function loop(now: number) {
    pending = 0;
    if (playing) {
      step = ((now - clockStart) / 1000) * state.speed;
      if (step >= state.steps) {
        step = state.steps;
        setPlaying(false);
      }
    }
    draw();
    if (playing) pending = requestAnimationFrame(loop);
  }

  function schedule() {
    if (!pending) pending = requestAnimationFrame(loop);
  }

  function setPlaying(on: boolean) {
    playing = on;
    playButton.textContent = on ? 'Pause' : 'Play';
    playButton.setAttribute('aria-pressed', String(on));
    root.dataset.playing = String(on);
    if (on) {
      if (step >= state.steps) step = 0;
      clockStart = performance.now() - (step / state.speed) * 1000;
      schedule();
    }
  }

  // ---------------------------------------------------------------- controls

  const field = <T extends HTMLInputElement | HTMLSelectElement>(name: string) =>
    root.querySelector<T>(`[name="${name}"]`)!;

  /** Writes the state into every control (after a surface change or a share link). */
  function syncForm() {
    const p = PROBLEMS[state.problem];
    field<HTMLSelectElement>('problem').value = state.problem;
    for (const [name, value, [min, max]] of [
      ['startX', state.start[0], p.x],
      ['startY', state.start[1], p.y],
    ] as const) {
      const input = field<HTMLInputElement>(name);
      input.min = String(min);
      input.max = String(max);
      input.value = String(Number(value.toFixed(3)));
      input.removeAttribute('aria-invalid');
    }
    field<HTMLSelectElement>('steps').value = String(state.steps);
    field<HTMLSelectElement>('speed').value = String(state.speed);
    for (const spec of OPTIMIZERS) {
      const setup = state.opts[spec.id];
      field<HTMLInputElement>(`${spec.id}.on`).checked = setup.on;
      for (const h of spec.params) {
        const input = field<HTMLInputElement>(`${spec.id}.${h.key}`);
        input.value = String(setup.h[h.key]);
        input.removeAttribute('aria-invalid');
      }
      if (spec.schedulable) field<HTMLSelectElement>(`${spec.id}.schedule`).value = setup.schedule;
    }
    blurb.textContent = `${p.blurb} Drag on the plot to move the common start point.`;
  }

  function changed({ draft = false } = {}) {
    setPlaying(false);
    recompute(draft);
    step = draft ? Math.min(state.steps, DRAFT_STEPS) : state.steps;
    if (standalone && !draft) history.replaceState(null, '', shareHash(state));
    schedule();
  }

  function numberFrom(input: HTMLInputElement): number | null {
    const value = input.valueAsNumber;
    const ok =
      input.value.trim() !== '' &&
      Number.isFinite(value) &&
      value >= Number(input.min) &&
      value <= Number(input.max);
    input.toggleAttribute('aria-invalid', !ok);
    if (!ok) input.setAttribute('aria-invalid', 'true');
    return ok ? value : null;
  }

  root.addEventListener('change', (event) => onInput(event.target as HTMLElement));
  root.addEventListener('input', (event) => {
    const target = event.target as HTMLElement;
    if (target instanceof HTMLInputElement && target.type === 'number') onInput(target);
  });

  function onInput(target: HTMLElement) {
    if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement)) return;
    const name = target.name;
    if (name === 'problem') {
      const problem = target.value as ProblemId;
      const on = OPTIMIZERS.filter((o) => state.opts[o.id].on).map((o) => o.id);
      state = {
        ...state,
        problem,
        start: [...PROBLEMS[problem].start],
        opts: defaultOptimizers(problem, on),
      };
      syncForm();
    } else if (name === 'startX' || name === 'startY') {
      const value = numberFrom(target as HTMLInputElement);
      if (value === null) return;
      state.start = name === 'startX' ? [value, state.start[1]] : [state.start[0], value];
    } else if (name === 'steps' || name === 'speed') {
      state[name] = Number(target.value);
      if (name === 'speed') {
        // a new speed keeps the current step
        clockStart = performance.now() - (step / state.speed) * 1000;
        return;
      }
    } else {
      const [id, key] = name.split('.') as [OptimizerId, string];
      const setup = state.opts[id];
      if (!setup) return;
      if (key === 'on') setup.on = (target as HTMLInputElement).checked;
      else if (key === 'schedule') setup.schedule = target.value as ScheduleKind;
      else {
        const value = numberFrom(target as HTMLInputElement);
        if (value === null) return;
        setup.h[key] = value;
      }
    }
    changed();
  }

  root.addEventListener('click', async (event) => {
    const action = (event.target as HTMLElement).closest<HTMLElement>('[data-action]')?.dataset
      .action;
    if (action === 'play') setPlaying(!playing);
    else if (action === 'restart') {
      step = 0;
      setPlaying(true);
    } else if (action === 'share') {
      const url = `${location.origin}${location.pathname}${location.search}${shareHash(state)}`;
      status.dataset.url = url;
      try {
        await navigator.clipboard.writeText(url);
        status.textContent = 'Link copied: it restores this whole setup.';
      } catch {
        status.textContent = `Copy this link: ${url}`;
      }
    }
  });

  // ---------------------------------------------------------------- dragging the start point

  function startFromPointer(event: PointerEvent) {
    const rect = mapCanvas.getBoundingClientRect();
    const px = ((event.clientX - rect.left) / rect.width) * MAP_WIDTH;
    const py = ((event.clientY - rect.top) / rect.height) * MAP_HEIGHT;
    const { x, y } = mapFrame(state.problem);
    const p = PROBLEMS[state.problem];
    const clamp = (v: number, [a, b]: readonly [number, number]) =>
      Math.round(Math.min(b, Math.max(a, v)) * 100) / 100;
    state.start = [clamp(x.invert(px), p.x), clamp(y.invert(py), p.y)];
    field<HTMLInputElement>('startX').value = String(state.start[0]);
    field<HTMLInputElement>('startY').value = String(state.start[1]);
  }

  let dragFrame = 0;
  mapCanvas.addEventListener('pointerdown', (event) => {
    dragging = true;
    mapCanvas.setPointerCapture(event.pointerId);
    startFromPointer(event);
    changed({ draft: true });
  });
  mapCanvas.addEventListener('pointermove', (event) => {
    if (!dragging) return;
    startFromPointer(event);
    if (!dragFrame)
      dragFrame = requestAnimationFrame(() => {
        dragFrame = 0;
        if (dragging) changed({ draft: true });
      });
  });
  const endDrag = () => {
    if (!dragging) return;
    dragging = false;
    changed();
  };
  mapCanvas.addEventListener('pointerup', endDrag);
  mapCanvas.addEventListener('pointercancel', endDrag);

  // ---------------------------------------------------------------- share links

  window.addEventListener('hashchange', () => {
    const shared = parseHash(location.hash);
    if (!shared) return;
    state = shared;
    syncForm();
    changed();
  });

  // A new on-screen size redraws the labels at a legible size.
  if (typeof ResizeObserver !== 'undefined')
    new ResizeObserver(() => schedule()).observe(mapCanvas);
  syncForm();
  recompute();
  if (location.hash.startsWith('#lab=') && !standalone) root.scrollIntoView();
  root.dataset.hydrated = 'true';
  schedule();
}
