/**
 * Timing and seeded data for the benchmark. Every workload is timed the same way: a warm-up
 * (so V8 and the tfjs backends have compiled their hot paths), then several repetitions, each
 * running the step enough times to last at least `minRepMs`, and the median of the per-step
 * times. The median ignores the odd slow repetition caused by GC or a noisy neighbour.
 *
 * Each repetition records wall-clock time and this process's CPU time (user + system). All the
 * workloads run on one thread (tfjs-wasm has no threads here), so on a quiet machine the two
 * agree; on a shared, busy machine wall time mostly measures the neighbours, and CPU time is the
 * number to compare.
 */

export interface Timing {
  /** Median wall-clock time of one step, in milliseconds. */
  medianMs: number;
  /** Fastest repetition, per step, in milliseconds (wall clock). */
  minMs: number;
  /** Median CPU time of one step (this process, user + system), in milliseconds. */
  cpuMedianMs: number;
  /** Repetitions measured. */
  reps: number;
  /** Steps per repetition. */
  inner: number;
}

export interface TimingOptions {
  /** Warm-up time in milliseconds (at least 3 steps). */
  warmupMs?: number;
  /** Repetitions to take the median of. */
  reps?: number;
  /** Each repetition runs the step this long at least (short steps repeat inside it). */
  minRepMs?: number;
}

/** Times `step`; it must finish its work synchronously (read results back to force it). */
export function time(step: () => unknown, options: TimingOptions = {}): Timing {
  const { warmupMs = 300, reps = 9, minRepMs = 40 } = options;
  let warm = 0;
  const start = performance.now();
  while (warm < 3 || performance.now() - start < warmupMs) {
    step();
    warm++;
  }
  const single = (performance.now() - start) / warm;
  const inner = Math.max(1, Math.ceil(minRepMs / Math.max(single, 1e-3)));
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) step();
    wall.push((performance.now() - t0) / inner);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000 / inner);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const mid = Math.floor(reps / 2);
  return { medianMs: wall[mid], minMs: wall[0], cpuMedianMs: cpu[mid], reps, inner };
}

/** A seeded generator (LCG plus Box-Muller), so every framework sees the same numbers. */
export class SeededRandom {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return this.state / 2 ** 32;
  }

  /** Standard normal. */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = 1 - this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** n standard normals as float32. */
  normals(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal();
    return out;
  }

  /** n values uniform in [−bound, bound) as float32 (PyTorch's default layer init shape). */
  uniforms(n: number, bound: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = (2 * this.uniform() - 1) * bound;
    return out;
  }

  /** n integers in [0, k). */
  ints(n: number, k: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.uniform() * k);
    return out;
  }
}

/** Transposes a row-major rows×cols matrix (engine [out, in] weights to tfjs [in, out]). */
export function transpose2d(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}

/** Reorders a conv weight from PyTorch's [outC, inC, kH, kW] to tfjs's [kH, kW, inC, outC]. */
export function oihwToHwio(
  w: Float32Array,
  O: number,
  I: number,
  kH: number,
  kW: number,
): Float32Array {
  const out = new Float32Array(w.length);
  for (let o = 0; o < O; o++)
    for (let i = 0; i < I; i++)
      for (let h = 0; h < kH; h++)
        for (let k = 0; k < kW; k++)
          out[((h * kW + k) * I + i) * O + o] = w[((o * I + i) * kH + h) * kW + k];
  return out;
}

/** Reorders an activation from NCHW to NHWC. */
export function nchwToNhwc(
  x: Float32Array,
  N: number,
  C: number,
  H: number,
  W: number,
): Float32Array {
  const out = new Float32Array(x.length);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++)
        for (let w = 0; w < W; w++)
          out[((n * H + h) * W + w) * C + c] = x[((n * C + c) * H + h) * W + w];
  return out;
}
