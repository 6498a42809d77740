/**
 * Turns a drawing into an MNIST-like 28×28 image, the way the MNIST digits were made
 * (LeCun et al.): crop to the bounding box of the ink, scale it (keeping its aspect ratio) so
 * that its longer side is 20 pixels, with anti-aliasing (each target pixel averages the source
 * area it covers), then place it in a 28×28 field so that its centre of mass is at the centre.
 * DOM-free, so the tests run it in Node.
 */

/** Ink below this (on a 0..1 scale) counts as background when finding the bounding box. */
const INK_THRESHOLD = 0.05;

/**
 * @param ink  one value per source pixel, 0 = background, 1 = full ink (e.g. canvas alpha/255)
 * @param width  source width in pixels
 * @param height source height in pixels
 * @returns 784 values in [0, 1], row-major, or all zeros when there is no ink
 */
export function preprocessDigit(
  ink: ArrayLike<number>,
  width: number,
  height: number,
): Float32Array {
  if (ink.length !== width * height) {
    throw new Error(`preprocessDigit: expected ${width * height} values, got ${ink.length}`);
  }
  const out = new Float32Array(784);
  // 1. bounding box of the ink
  let top = height,
    bottom = -1,
    left = width,
    right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > INK_THRESHOLD) {
        if (y < top) top = y;
        if (y > bottom) bottom = y;
        if (x < left) left = x;
        if (x > right) right = x;
      }
    }
  }
  if (bottom < 0) return out;
  const boxW = right - left + 1;
  const boxH = bottom - top + 1;

  // 2. scale the longer side to 20 pixels; each target pixel averages its source area
  const scale = 20 / Math.max(boxW, boxH);
  const tw = Math.max(1, Math.round(boxW * scale));
  const th = Math.max(1, Math.round(boxH * scale));
  const small = new Float32Array(tw * th);
  for (let ty = 0; ty < th; ty++) {
    const y0 = top + (ty * boxH) / th;
    const y1 = top + ((ty + 1) * boxH) / th;
    for (let tx = 0; tx < tw; tx++) {
      const x0 = left + (tx * boxW) / tw;
      const x1 = left + ((tx + 1) * boxW) / tw;
      small[ty * tw + tx] = areaAverage(ink, width, x0, x1, y0, y1);
    }
  }

  // 3. centre of mass (pixel centres at i + 0.5) goes to (14, 14) of the 28×28 field
  let mass = 0,
    mx = 0,
    my = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = small[y * tw + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const dx = Math.round(14 - mx / mass);
  const dy = Math.round(14 - my / mass);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const X = x + dx;
      const Y = y + dy;
      if (X >= 0 && X < 28 && Y >= 0 && Y < 28) out[Y * 28 + X] = Math.min(1, small[y * tw + x]);
    }
  }
  return out;
}

/** The mean of `ink` over the rectangle [x0, x1) × [y0, y1), weighting partly covered pixels. */
function areaAverage(
  ink: ArrayLike<number>,
  width: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
): number {
  let sum = 0;
  for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
    const wy = Math.min(y + 1, y1) - Math.max(y, y0);
    for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
      const wx = Math.min(x + 1, x1) - Math.max(x, x0);
      sum += wx * wy * ink[y * width + x];
    }
  }
  return sum / ((x1 - x0) * (y1 - y0));
}

/** Centre of mass of a 28×28 image, (x, y) with pixel centres at i + 0.5. */
export function centreOfMass(image: ArrayLike<number>): [number, number] {
  let mass = 0,
    mx = 0,
    my = 0;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = image[y * 28 + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  return [mx / mass, my / mass];
}
