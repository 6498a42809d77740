/**
 * The drawing pad of chapter 13 (hydrated by components/DigitPad.astro near the viewport or on
 * first touch/focus). The reader draws with a mouse, a finger or a pen, or with the keyboard
 * (arrow keys move the pen, Space puts it down or lifts it), or picks a sample test digit; on
 * every stroke segment (at most once per frame) the drawing is preprocessed like MNIST
 * (preprocess.ts) and the CNN's ten probabilities are redrawn. The book's pretrained weights
 * (public/data/digits-cnn.bin.gz, made by make-weights.ts) load at once; a network the reader
 * trains in the widget above replaces them after each epoch (bus.ts).
 */
import { CLASSES, classify, decodeWeightsFile, loadFlatWeights, makeDigitsCnn } from './cnn.ts';
import { latestWeights, onWeights, type PublishedWeights } from './bus.ts';
import { paintImage } from './draw.ts';
import { preprocessDigit } from './preprocess.ts';

const SIZE = 280;
const PEN = 18;
const KEY_STEP = 10;

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  // NOTE: the server may already have decoded the gzip; trust the magic bytes, not the name.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function hydrate(root: HTMLElement): Promise<void> {
  const q = <T extends Element>(sel: string) => root.querySelector<T>(sel)!;
  const canvas = q<HTMLCanvasElement>('[data-canvas]');
  const seen = q<HTMLCanvasElement>('[data-seen]');
  const cursor = q<HTMLElement>('[data-cursor]');
  const clearButton = q<HTMLButtonElement>('[data-action="clear"]');
  const sampleSelect = q<HTMLSelectElement>('[data-sample]');
  const networkSelect = q<HTMLSelectElement>('[data-network]');
  const verdict = q<HTMLElement>('[data-verdict]');
  const rows = [...root.querySelectorAll<HTMLElement>('[data-class]')];
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;

  const base = (import.meta as unknown as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
  const file = decodeWeightsFile(
    await gunzip(
      new Uint8Array(await (await fetch(`${base}data/digits-cnn.bin.gz`)).arrayBuffer()),
    ),
  );
  const bookModel = loadFlatWeights(makeDigitsCnn(), file.weights);
  let yourModel: ReturnType<typeof makeDigitsCnn> | null = null;
  let model = bookModel;

  let updates = 0;
  let pendingSince: number | null = null;
  let announce = false;

  const update = () => {
    const since = pendingSince ?? performance.now();
    pendingSince = null;
    const { data } = ctx.getImageData(0, 0, SIZE, SIZE);
    const ink = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < ink.length; i++) ink[i] = data[4 * i + 3] / 255;
    const image = preprocessDigit(ink, SIZE, SIZE);
    paintImage(seen, image, 28);
    const empty = image.every((v) => v === 0);
    const probs = empty ? new Array<number>(CLASSES).fill(0) : classify(model, image);
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (probs[c] > probs[best]) best = c;
    rows.forEach((row, c) => {
      row.querySelector<HTMLElement>('[data-bar]')!.style.width = `${(100 * probs[c]).toFixed(1)}%`;
      row.querySelector<HTMLElement>('[data-value]')!.textContent =
        `${(100 * probs[c]).toFixed(1)} %`;
      row.classList.toggle('is-best', !empty && c === best);
    });
    root.dataset.prediction = empty ? '' : String(best);
    root.dataset.updates = String(++updates);
    root.dataset.latency = (performance.now() - since).toFixed(1);
    if (announce) {
      verdict.textContent = empty
        ? 'Nothing drawn yet.'
        : `The network reads a ${best} (${(100 * probs[best]).toFixed(1)} %).`;
      announce = false;
    }
  };
  const schedule = (since: number, speak = false) => {
    announce ||= speak;
    if (pendingSince === null) {
      pendingSince = since;
      requestAnimationFrame(update);
    }
  };

  // drawing
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.lineWidth = PEN;
  const strokeColour = () => getComputedStyle(root).getPropertyValue('--fg') || '#000';
  const segment = (x0: number, y0: number, x1: number, y1: number) => {
    ctx.strokeStyle = ctx.fillStyle = strokeColour();
    ctx.beginPath();
    if (x0 === x1 && y0 === y1) {
      // NOTE: canvases drop zero-length strokes, caps and all, so a dot is a filled circle.
      ctx.arc(x0, y0, PEN / 2, 0, 2 * Math.PI);
      ctx.fill();
      return;
    }
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
  };
  const toCanvas = (event: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [
      ((event.clientX - r.left) * SIZE) / r.width,
      ((event.clientY - r.top) * SIZE) / r.height,
    ];
  };
  let last: [number, number] | null = null;
  canvas.addEventListener('pointerdown', (event) => {
    try {
      canvas.setPointerCapture(event.pointerId);
    } catch {
      // the pointer may already be gone (a quick tap); drawing works without capture
    }
    last = toCanvas(event);
    segment(...last, ...last);
    sampleSelect.value = '';
    schedule(performance.now());
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!last) return;
    const next = toCanvas(event);
    segment(...last, ...next);
    last = next;
    schedule(performance.now());
  });
  const end = () => {
    if (last) schedule(performance.now(), true);
    last = null;
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  // the keyboard pen
  let pen: [number, number] = [SIZE / 2, SIZE / 2];
  let penDown = false;
  const placeCursor = () => {
    const r = canvas.getBoundingClientRect();
    const scale = r.width / SIZE || 1;
    cursor.style.left = `${pen[0] * scale}px`;
    cursor.style.top = `${pen[1] * scale}px`;
    cursor.classList.toggle('is-down', penDown);
  };
  canvas.addEventListener('focus', placeCursor);
  canvas.addEventListener('keydown', (event) => {
    const step = event.shiftKey ? 3 * KEY_STEP : KEY_STEP;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    if (event.key === ' ') {
      penDown = !penDown;
      if (penDown) {
        segment(...pen, ...pen);
        sampleSelect.value = '';
        schedule(performance.now(), true);
      }
    } else if (moves[event.key]) {
      const [dx, dy] = moves[event.key];
      const next: [number, number] = [
        Math.max(0, Math.min(SIZE, pen[0] + dx)),
        Math.max(0, Math.min(SIZE, pen[1] + dy)),
      ];
      if (penDown) {
        segment(...pen, ...next);
        schedule(performance.now(), true);
      }
      pen = next;
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      clear();
    } else return;
    event.preventDefault();
    placeCursor();
  });

  const clear = () => {
    ctx.clearRect(0, 0, SIZE, SIZE);
    sampleSelect.value = '';
    schedule(performance.now(), true);
  };
  clearButton.addEventListener('click', clear);

  sampleSelect.addEventListener('change', () => {
    const c = Number(sampleSelect.value);
    if (sampleSelect.value === '' || !(c >= 0)) return;
    ctx.clearRect(0, 0, SIZE, SIZE);
    const colour = strokeColour().trim() || '#000';
    const cell = SIZE / 28;
    for (let i = 0; i < 784; i++) {
      const v = file.samples[c * 784 + i] / 255;
      if (v === 0) continue;
      ctx.globalAlpha = v;
      ctx.fillStyle = colour;
      ctx.fillRect((i % 28) * cell, Math.floor(i / 28) * cell, cell, cell);
    }
    ctx.globalAlpha = 1;
    schedule(performance.now(), true);
  });

  // the reader's own network, as soon as an epoch has finished
  const useYours = (published: PublishedWeights) => {
    yourModel = loadFlatWeights(makeDigitsCnn(), published.weights);
    const option = networkSelect.querySelector<HTMLOptionElement>('option[value="yours"]')!;
    option.textContent = published.label;
    option.disabled = false;
    networkSelect.value = 'yours';
    model = yourModel;
    schedule(performance.now(), true);
  };
  onWeights(useYours);
  const already = latestWeights();
  if (already) useYours(already);
  networkSelect.addEventListener('change', () => {
    model = networkSelect.value === 'yours' && yourModel ? yourModel : bookModel;
    schedule(performance.now(), true);
  });

  for (const el of [clearButton, sampleSelect, networkSelect]) el.disabled = false;
  networkSelect.querySelector<HTMLOptionElement>('option[value="yours"]')!.disabled = !yourModel;
  canvas.tabIndex = 0;
  root.dataset.hydrated = 'true';
  update();
}
