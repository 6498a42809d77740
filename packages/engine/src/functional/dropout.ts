/**
 * Dropout, like `torch.nn.functional.dropout`, seeded by the engine's generators.
 */
import { Tensor } from '../tensor.ts';
import { DescentError } from '../errors.ts';
import { mul } from '../ops/elementwise.ts';
import { defaultGenerator, type Generator } from '../random.ts';

/**
 * Inverted dropout: in training, zero each element with probability p and scale the survivors by
 * 1/(1 − p), so the expected activation is unchanged and evaluation needs no rescaling. Outside
 * training (or with p = 0) it returns x itself.
 *
 * NOTE: the mask comes from the engine's generator (the global one unless `generator` is given),
 * so the same seed gives the same mask in Node and the browser; the masks differ from torch's.
 *
 * @example
 * F.dropout(ones([4]), 0.5, true, new Generator(0)).toArray(); // e.g. [2, 0, 2, 2]
 */
export function dropout(
  x: Tensor,
  p: number | { p?: number; training?: boolean; generator?: Generator } = 0.5,
  training = true,
  generator?: Generator,
): Tensor {
  if (typeof p === 'object' && p !== null) {
    ({ training = true, generator } = p);
    p = p.p ?? 0.5;
  }
  if (!(p >= 0 && p <= 1)) {
    throw new DescentError(`dropout: probability p must be between 0 and 1, got ${p}`);
  }
  if (!training || p === 0) return x;
  const keep = 1 - p;
  const g = generator ?? defaultGenerator();
  const mask = x.dtype === 'float64' ? new Float64Array(x.size) : new Float32Array(x.size);
  if (keep > 0) {
    const scale = 1 / keep;
    for (let i = 0; i < mask.length; i++) mask[i] = g.uniform() < keep ? scale : 0;
  }
  return mul(x, new Tensor(mask, x.shape.slice(), x.dtype));
}
