/**
 * Real handwritten digits: 10,000 MNIST images (28×28, grayscale) shipped with the site as
 * `public/data/mnist-10k.bin.gz` (see `public/data/README.md` for provenance and license).
 * `loadDigits` reads the file in Node (from the repository) and in the browser (fetched from the
 * site's `data/` folder), so the same chapter code runs in both.
 */
import type { Tensor } from '../tensor.ts';
import { fromData } from './random-source.ts';
import { readDataFile } from './files.ts';

/** The file name under `public/data/`. */
export const DIGITS_FILE = 'mnist-10k.bin.gz';
/** How many of the shipped images form the training split; the rest are the test split. */
export const DIGITS_TRAIN_COUNT = 8000;

/** The decoded file: raw bytes, one label per image, pixels 0..255 row-major. */
export interface DigitsRaw {
  count: number;
  rows: number;
  cols: number;
  /** Labels 0..9, one per image. */
  labels: Uint8Array;
  /** Pixels, count·rows·cols bytes; 0 is background, 255 ink. */
  pixels: Uint8Array;
}

/** Digits as tensors, split into training and test images. */
export interface Digits {
  /** [nTrain, 1, 28, 28] (or [nTrain, 784] with `flatten`) float32 in [0, 1]. */
  trainX: Tensor;
  /** [nTrain] float32 class indices 0..9. */
  trainY: Tensor;
  testX: Tensor;
  testY: Tensor;
  /** The decoded file, for drawing images. */
  raw: DigitsRaw;
}

/** Options of {@link loadDigits}. */
export interface LoadDigitsOptions {
  /** Use only the first `trainCount` training images (default all 8,000). */
  trainCount?: number;
  /** Use only the first `testCount` test images (default all 2,000). */
  testCount?: number;
  /** Return images as rows of 784 values instead of [1, 28, 28]. Default false. */
  flatten?: boolean;
  /**
   * Where the site is served from, e.g. '/descent/' (the file is fetched from
   * `${base}data/mnist-10k.bin.gz`). Default: Vite's `import.meta.env.BASE_URL`, else '/'.
   */
  base?: string;
  /** Fetch or read from this URL or path instead. */
  url?: string;
}

async function gunzipIfNeeded(bytes: Uint8Array): Promise<Uint8Array> {
  // NOTE: a server may already have decoded the gzip (Content-Encoding), so look at the magic
  // bytes instead of trusting the file name.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes] as unknown as ConstructorParameters<typeof Blob>[0])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Decode the binary format (after gunzip) written by `scripts/digits/convert-mnist.ts`.
 *
 * @example
 * const bytes = new Uint8Array([68, 71, 84, 49, 1, 0, 0, 0, 1, 0, 2, 0, 7, 0, 255]);
 * decodeDigits(bytes).labels[0]; // 7
 */
export function decodeDigits(bytes: Uint8Array): DigitsRaw {
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== 'DGT1') throw new Error(`decodeDigits: expected magic "DGT1", got "${magic}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  const rows = view.getUint16(8, true);
  const cols = view.getUint16(10, true);
  const expected = 12 + count + count * rows * cols;
  if (bytes.length !== expected) {
    throw new Error(
      `decodeDigits: expected ${expected} bytes for ${count} images, got ${bytes.length}`,
    );
  }
  return {
    count,
    rows,
    cols,
    labels: bytes.subarray(12, 12 + count),
    pixels: bytes.subarray(12 + count),
  };
}

let cache: Promise<DigitsRaw> | null = null;

/**
 * Load and decode the digits file once (later calls share the result).
 *
 * @example
 * const raw = await loadDigitsRaw();
 * [raw.count, raw.rows, raw.cols]; // [10000, 28, 28]
 */
export function loadDigitsRaw(opts: LoadDigitsOptions = {}): Promise<DigitsRaw> {
  if (opts.url || opts.base)
    return readDataFile(DIGITS_FILE, 'loadDigits', opts).then(gunzipIfNeeded).then(decodeDigits);
  cache ??= readDataFile(DIGITS_FILE, 'loadDigits', opts).then(gunzipIfNeeded).then(decodeDigits);
  return cache;
}

function toTensors(raw: DigitsRaw, from: number, count: number, flatten: boolean) {
  const size = raw.rows * raw.cols;
  const x = new Float32Array(count * size);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    y[i] = raw.labels[from + i];
    const base = (from + i) * size;
    for (let p = 0; p < size; p++) x[i * size + p] = raw.pixels[base + p] / 255;
  }
  const shape = flatten ? [count, size] : [count, 1, raw.rows, raw.cols];
  return { x: fromData(x, shape), y: fromData(y, [count]) };
}

/**
 * Load the shipped MNIST digits as tensors: 8,000 training and 2,000 test images, pixels scaled
 * to [0, 1], labels as float32 class indices (what `F.crossEntropy` takes).
 *
 * @example
 * const { trainX, trainY, testX, testY } = await loadDigits({ trainCount: 2000 });
 * trainX.shape; // [2000, 1, 28, 28]
 */
export async function loadDigits(opts: LoadDigitsOptions = {}): Promise<Digits> {
  const raw = await loadDigitsRaw(opts);
  const nTrain = Math.min(opts.trainCount ?? DIGITS_TRAIN_COUNT, DIGITS_TRAIN_COUNT);
  const nTest = Math.min(
    opts.testCount ?? raw.count - DIGITS_TRAIN_COUNT,
    raw.count - DIGITS_TRAIN_COUNT,
  );
  const flatten = opts.flatten ?? false;
  const train = toTensors(raw, 0, nTrain, flatten);
  const test = toTensors(raw, DIGITS_TRAIN_COUNT, nTest, flatten);
  return { trainX: train.x, trainY: train.y, testX: test.x, testY: test.y, raw };
}
