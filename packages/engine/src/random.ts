/**
 * Seeded random numbers that are identical in Node and every browser: xoshiro128** on
 * 32-bit integers (Math.imul and unsigned shifts only), seeded through splitmix32.
 */

/** A seeded pseudo-random generator, like `torch.Generator`. Its numbers differ from torch's. */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  /**
   * @example
   * const g = new Generator(42);
   * g.uniform(); // same number on every machine
   */
  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /** Resets the state from `seed` (any number; non-integers are truncated). */
  manualSeed(seed: number): this {
    // splitmix32 expands one seed into four well-mixed state words.
    let x = Math.trunc(seed) >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spareNormal = null;
    return this;
  }

  /** The next 32 random bits as an unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [0, 1) with 24 random bits: exactly representable in float32, never 1. */
  uniform24(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** Standard normal by the Box–Muller transform (pairs are used in order). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    // NOTE: 1 - u lies in (0, 1], so the log is finite.
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Integer uniform in [low, high). */
  integer(low: number, high: number): number {
    return low + Math.floor(this.uniform() * (high - low));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

let globalGenerator = new Generator(0);

/**
 * Seeds the global generator used when no `generator` option is given, like
 * `torch.manual_seed`.
 *
 * @example
 * manualSeed(0);
 * const a = randn([3]);
 * manualSeed(0);
 * randn([3]).toArray(); // same as a
 */
export function manualSeed(seed: number): Generator {
  globalGenerator = new Generator(seed);
  return globalGenerator;
}

/** The global generator (what `manualSeed` resets). @example defaultGenerator().uniform() < 1; // true */
export function defaultGenerator(): Generator {
  return globalGenerator;
}
