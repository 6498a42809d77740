/**
 * `npm run bench`: times the engine against TensorFlow.js (cpu and wasm backends) on the same
 * seeded workloads, prints a table with ratios and the PASS/MISS of each target, and writes
 * bench/results/latest.json. Not part of the tests: timings depend on the machine and its load.
 *
 * Ratios are engine time / tfjs time, so below 1 means the engine is faster.
 *
 * Options: `--quick` or BENCH_QUICK=1 (fewer, shorter repetitions); `--clock=wall` or
 * BENCH_CLOCK=wall (rank by wall-clock time instead of CPU time; see timing.ts for why CPU time
 * is the default on a shared machine).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as E from '../src/index.ts';
import * as engine from './engine.ts';
import * as tfw from './tfjs.ts';
import { time, type Timing } from './timing.ts';
import { digitsTo97, type DigitsResult } from './digits.ts';
import { digitsInChromium } from './digits-browser.ts';
import * as W from './workloads.ts';

type Step = () => number;

interface Cell {
  /** Median ms per step on the chosen clock, or null when not measured. */
  ms: number | null;
  /** Median wall-clock and CPU ms per step. */
  wallMs?: number;
  cpuMs?: number;
  /** Why there is no number ('engine: not available yet (nn.LSTM)', 'n/a: …'). */
  note?: string;
  /** First-step loss (sanity check that the frameworks compute the same thing). */
  loss?: number;
  timing?: Timing;
}

interface Row {
  id: string;
  label: string;
  /** Floating-point operations of one step, for GFLOP/s (matmul only). */
  flops?: number;
  /** The engine on its JavaScript kernels. */
  js: Cell;
  /** The engine on its wasm kernels (the default backend). */
  engine: Cell;
  /** The bare wasm gemm kernel (matmul rows). */
  kernel?: Cell;
  tfjsCpu: Cell;
  tfjsWasm: Cell;
}

// Flags, or environment variables (npm swallows flags given to the root `npm run bench`).
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const timingOptions = quick ? { warmupMs: 100, reps: 5, minRepMs: 15 } : {};
/** BENCH_ONLY=mlpSmall,lstm (or --only=…) runs just those workloads. */
const only = (
  process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ??
  process.env.BENCH_ONLY ??
  ''
)
  .split(',')
  .filter(Boolean);
const clock: 'cpu' | 'wall' =
  process.argv.includes('--clock=wall') || process.env.BENCH_CLOCK === 'wall' ? 'wall' : 'cpu';

function measure(build: () => Step): Cell {
  let step: Step;
  try {
    step = build();
  } catch (err) {
    if (err instanceof engine.Unavailable) return { ms: null, note: err.message };
    return { ms: null, note: `error: ${(err as Error).message}` };
  }
  try {
    // Start every measurement from a collected heap (npm run bench passes --expose-gc), so one
    // workload's garbage (tfjs-cpu's 512×512 products, say) is not billed to the next.
    (globalThis as { gc?: () => void }).gc?.();
    const loss = step();
    const timing = time(step, timingOptions);
    const wallMs = timing.medianMs;
    const cpuMs = timing.cpuMedianMs;
    return { ms: clock === 'cpu' ? cpuMs : wallMs, wallMs, cpuMs, loss, timing };
  } catch (err) {
    const missing = tfw.missingKernel(err);
    if (missing) return { ms: null, note: `n/a (backend lacks ${missing})` };
    return { ms: null, note: `error: ${(err as Error).message.split('\n')[0]}` };
  }
}

interface Workload {
  id: string;
  label: string;
  flops?: number;
  engine: () => Step;
  kernel?: () => Step;
  tf: (tf: unknown) => { step: Step; dispose: () => void };
}

function workloads(): Workload[] {
  const list: Workload[] = [];
  for (const n of [64, 256, 512]) {
    const d = W.matmulData(n);
    list.push({
      id: `matmul${n}`,
      label: `matmul ${n}×${n}×${n} f32`,
      flops: 2 * n ** 3,
      engine: () => engine.engineMatmul(d),
      kernel: () => engine.engineGemmKernel(d),
      tf: (tf) => tfw.tfMatmul(tf, d),
    });
  }
  const small = W.mlpSmallData();
  list.push({
    id: 'mlpSmall',
    label: 'MLP 2-16-16-1 tanh, BCE, b256, SGD step',
    engine: () => engine.engineMlpSmall(small),
    tf: (tf) => tfw.tfMlpSmall(tf, small),
  });
  const m784 = W.mlp784Data();
  list.push({
    id: 'mlp784',
    label: 'MLP 784-128-10 relu, CE, b64, Adam step',
    engine: () => engine.engineMlp784(m784),
    tf: (tf) => tfw.tfMlp784(tf, m784),
  });
  const cnn = W.cnnData();
  list.push({
    id: 'cnn',
    label: 'CNN 2×(conv3×3+relu+pool)+dense, b32, Adam',
    engine: () => engine.engineCnn(cnn),
    tf: (tf) => tfw.tfCnn(tf, cnn),
  });
  const lstm = W.lstmData();
  list.push({
    id: 'lstm',
    label: 'LSTM T20 b16 in8 h32, fwd+bwd',
    engine: () => engine.engineLstm(lstm),
    tf: (tf) => tfw.tfLstm(tf, lstm),
  });
  return list;
}

async function main(): Promise<void> {
  const list = workloads().filter((w) => only.length === 0 || only.includes(w.id));
  const rows: Row[] = list.map((w) => ({
    id: w.id,
    label: w.label,
    flops: w.flops,
    js: { ms: null },
    engine: { ms: null },
    tfjsCpu: { ms: null },
    tfjsWasm: { ms: null },
  }));

  // Frameworks take turns workload by workload, so a burst of load from other processes hits
  // all three columns of a row alike instead of skewing one framework.
  const tf = tfw.loadTf();
  const backends: Record<string, string> = {};
  for (const backend of ['cpu', 'wasm'] as const)
    backends[backend] = await tfw.useBackend(tf, backend);
  for (const [i, w] of list.entries()) {
    process.stderr.write(`${w.label}: engine-js`);
    E.setBackend('js');
    rows[i].js = measure(w.engine);
    process.stderr.write(`, engine-wasm`);
    E.setBackend('wasm');
    rows[i].engine = measure(w.engine);
    if (w.kernel) rows[i].kernel = measure(w.kernel);
    for (const backend of ['cpu', 'wasm'] as const) {
      process.stderr.write(`, tfjs-${backend}`);
      await tfw.useBackend(tf, backend);
      let dispose = () => {};
      const cell = measure(() => {
        const built = w.tf(tf);
        dispose = built.dispose;
        return built.step;
      });
      dispose();
      if (backend === 'cpu') rows[i].tfjsCpu = cell;
      else rows[i].tfjsWasm = cell;
    }
    process.stderr.write('\n');
  }

  const digits = runDigits ? await measureDigits() : {};
  const targets = checkTargets(rows);
  targets.push(digitsTarget(digits.chromium));
  printTable(rows, backends);
  printDigits(digits);
  printTargets(targets);
  writeResults(rows, targets, backends, digits);
}

/** BENCH_DIGITS=0 skips the digits CNN (about 20 s of CPU in each of Node and Chromium). */
const runDigits =
  process.env.BENCH_DIGITS !== '0' && (only.length === 0 || only.includes('digits'));

interface DigitsRuns {
  node?: DigitsResult & { cpuSeconds: number };
  chromium?: DigitsResult;
  chromiumError?: string;
}

async function measureDigits(): Promise<DigitsRuns> {
  const out: DigitsRuns = {};
  process.stderr.write('digits CNN to 97%: node');
  E.setBackend('wasm');
  (globalThis as { gc?: () => void }).gc?.();
  const c0 = process.cpuUsage();
  const node = await digitsTo97();
  const c = process.cpuUsage(c0);
  out.node = { ...node, cpuSeconds: (c.user + c.system) / 1e6 };
  process.stderr.write(', headless chromium\n');
  try {
    out.chromium = await digitsInChromium('wasm');
  } catch (err) {
    out.chromiumError = (err as Error).message.split('\n')[0];
  }
  return out;
}

function digitsTarget(r: DigitsResult | undefined): Target {
  const name = 'digits CNN to 97% test accuracy in ≤ 30 s in headless Chromium';
  if (!r) return { name, pass: null, detail: 'not run' };
  return {
    name,
    pass: r.reached && r.totalSeconds <= 30,
    detail: r.reached
      ? `${r.totalSeconds.toFixed(1)} s wall (${r.trainSeconds.toFixed(1)} s training)`
      : `not reached (${(100 * r.accuracy).toFixed(1)}% after ${r.epochs} epochs)`,
  };
}

function printDigits(d: DigitsRuns): void {
  if (!d.node && !d.chromium && !d.chromiumError) return;
  const line = (r: DigitsResult) =>
    `${r.reached ? 'reached' : 'NOT reached'} ${(100 * r.accuracy).toFixed(2)}% after ${r.steps} steps ` +
    `(${r.epochs.toFixed(2)} epochs): ${r.totalSeconds.toFixed(1)} s wall, of which training ${r.trainSeconds.toFixed(1)} s ` +
    `(the rest: test-accuracy checks every 125 steps)`;
  console.log('\nDigits CNN (bench/digits.ts) to 97% test accuracy, wasm backend:');
  if (d.node) console.log(`  Node:     ${line(d.node)}; ${d.node.cpuSeconds.toFixed(1)} s CPU`);
  if (d.chromium) console.log(`  Chromium: ${line(d.chromium)} (Web Worker; wall clock only)`);
  if (d.chromiumError) console.log(`  Chromium: failed: ${d.chromiumError}`);
}

interface Target {
  name: string;
  pass: boolean | null;
  detail: string;
}

function ratio(a: Cell, b: Cell): number | null {
  return a.ms !== null && b.ms !== null ? a.ms / b.ms : null;
}

function checkTargets(rows: Row[]): Target[] {
  const none: Row = {
    id: '',
    label: '',
    js: { ms: null, note: 'not run' },
    engine: { ms: null, note: 'not run' },
    tfjsCpu: { ms: null, note: 'not run' },
    tfjsWasm: { ms: null, note: 'not run' },
  };
  const row = (id: string) => rows.find((r) => r.id === id) ?? none;
  const speedup = (id: string, vs: 'tfjsCpu' | 'tfjsWasm', need: number, name: string): Target => {
    const r = ratio(row(id).engine, row(id)[vs]);
    if (r === null) {
      const why = row(id).engine.note ?? row(id)[vs].note ?? 'no data';
      return { name, pass: null, detail: why };
    }
    return { name, pass: 1 / r >= need, detail: `${(1 / r).toFixed(2)}× faster (need ≥ ${need}×)` };
  };
  const m512 = row('matmul512');
  const gflops = m512.engine.ms !== null ? m512.flops! / m512.engine.ms / 1e6 : null;
  return [
    speedup(
      'matmul512',
      'tfjsWasm',
      1.1,
      `matmul512 f32 ≥ 1.1× tfjs-wasm (${gflops === null ? '—' : gflops.toFixed(1)} GFLOP/s)`,
    ),
    speedup('matmul64', 'tfjsWasm', 1, 'matmul64 at least as fast as tfjs-wasm'),
    speedup('mlp784', 'tfjsWasm', 3, 'MLP-784 Adam ≥ 3× faster than tfjs-wasm'),
    speedup('mlpSmall', 'tfjsWasm', 3, 'MLP-small ≥ 3× faster than tfjs-wasm'),
    speedup('cnn', 'tfjsCpu', 150, 'CNN ≥ 150× faster than tfjs-cpu'),
    speedup('lstm', 'tfjsWasm', 3, 'LSTM ≥ 3× faster than tfjs-wasm'),
  ];
}

function fmtMs(c: Cell | undefined): string {
  if (!c) return '';
  if (c.ms === null) return c.note?.startsWith('n/a') ? 'n/a' : '—';
  return c.ms < 1 ? c.ms.toFixed(3) : c.ms < 100 ? c.ms.toFixed(2) : c.ms.toFixed(0);
}

function fmtRatio(r: number | null): string {
  return r === null ? '—' : r.toFixed(2);
}

function gflopsOf(row: Row, c: Cell | undefined): string {
  return row.flops && c && c.ms !== null ? (row.flops / c.ms / 1e6).toFixed(2) : '';
}

function printTable(rows: Row[], backends: Record<string, string>): void {
  const header = [
    'workload',
    'eng-js ms',
    'eng-wasm ms',
    'tfjs-cpu ms',
    'tfjs-wasm ms',
    'wasm/js',
    'wasm/cpu',
    'wasm/tfwasm',
    'js/tfwasm',
    'GFLOP/s js|wasm|kernel|cpu|tfwasm',
  ];
  const lines = rows.map((r) => [
    r.label,
    fmtMs(r.js),
    fmtMs(r.engine),
    fmtMs(r.tfjsCpu),
    fmtMs(r.tfjsWasm),
    fmtRatio(ratio(r.engine, r.js)),
    fmtRatio(ratio(r.engine, r.tfjsCpu)),
    fmtRatio(ratio(r.engine, r.tfjsWasm)),
    fmtRatio(ratio(r.js, r.tfjsWasm)),
    r.flops
      ? [
          gflopsOf(r, r.js),
          gflopsOf(r, r.engine),
          gflopsOf(r, r.kernel),
          gflopsOf(r, r.tfjsCpu),
          gflopsOf(r, r.tfjsWasm),
        ].join(' | ')
      : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(
    `\nDescent engine vs TensorFlow.js 4.22 — Node ${process.versions.node}, ${os.cpus()[0]?.model ?? 'cpu'}`,
  );
  console.log(
    `tfjs backends: ${backends.cpu}, ${backends.wasm}. Median ${clock === 'cpu' ? 'CPU' : 'wall-clock'} ms per step; ratio = time/time (< 1: the first is faster); eng-wasm is the default backend.`,
  );
  const load = os.loadavg()[0];
  const cores = os.cpus().length;
  console.log(
    `Load average ${load.toFixed(1)} on ${cores} cores${load > cores ? ' — the machine is busy: expect noisy numbers' : ''}.\n`,
  );
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
  const other = clock === 'cpu' ? 'wall' : 'cpu';
  console.log(
    `\nSame runs, median ${other === 'cpu' ? 'CPU' : 'wall-clock'} ms (eng-js | eng-wasm | tfjs-cpu | tfjs-wasm):`,
  );
  for (const r of rows) {
    const v = (c: Cell) => {
      const ms = other === 'cpu' ? c.cpuMs : c.wallMs;
      return ms === undefined ? '—' : ms < 1 ? ms.toFixed(3) : ms.toFixed(2);
    };
    console.log(
      `  ${r.label.padEnd(widths[0])}  ${v(r.js)} | ${v(r.engine)} | ${v(r.tfjsCpu)} | ${v(r.tfjsWasm)}`,
    );
  }
  const notes = rows.flatMap((r) =>
    (['js', 'engine', 'tfjsCpu', 'tfjsWasm'] as const)
      .filter((k) => r[k].note)
      .map((k) => `  ${r.label} [${k}]: ${r[k].note}`),
  );
  if (notes.length) console.log(`\nNotes:\n${notes.join('\n')}`);
  const losses = rows
    .filter((r) => r.engine.loss !== undefined && !r.id.startsWith('matmul'))
    .map((r) => {
      const ls = [r.js.loss, r.engine.loss, r.tfjsCpu.loss, r.tfjsWasm.loss].map((l) =>
        l === undefined ? '—' : l.toFixed(6),
      );
      return `  ${r.label}: eng-js ${ls[0]}, eng-wasm ${ls[1]}, tfjs-cpu ${ls[2]}, tfjs-wasm ${ls[3]}`;
    });
  if (losses.length)
    console.log(
      `\nFirst-step losses (same seeded weights, should agree to ~1e-5):\n${losses.join('\n')}`,
    );
}

function printTargets(targets: Target[]): void {
  console.log('\nTargets:');
  for (const t of targets) {
    const mark = t.pass === null ? 'N/A ' : t.pass ? 'PASS' : 'MISS';
    console.log(`  ${mark}  ${t.name}: ${t.detail}`);
  }
}

function writeResults(
  rows: Row[],
  targets: Target[],
  backends: Record<string, string>,
  digits: DigitsRuns,
): void {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  const strip = (c: Cell | undefined) =>
    c && {
      ms: c.ms,
      note: c.note,
      loss: c.loss,
      minMs: c.timing?.minMs,
      reps: c.timing?.reps,
      inner: c.timing?.inner,
    };
  const json = {
    date: new Date().toISOString(),
    node: process.versions.node,
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    quick,
    clock,
    loadAverage: os.loadavg(),
    backends,
    rows: rows.map((r) => ({
      id: r.id,
      label: r.label,
      flops: r.flops,
      js: strip(r.js),
      engine: strip(r.engine),
      kernel: strip(r.kernel),
      tfjsCpu: strip(r.tfjsCpu),
      tfjsWasm: strip(r.tfjsWasm),
      ratioWasmJs: ratio(r.engine, r.js),
      ratioEngineCpu: ratio(r.engine, r.tfjsCpu),
      ratioEngineWasm: ratio(r.engine, r.tfjsWasm),
      ratioJsTfWasm: ratio(r.js, r.tfjsWasm),
    })),
    targets,
    digits,
  };
  const file = path.join(dir, 'latest.json');
  writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
  console.log(`\nWrote ${path.relative(process.cwd(), file)}`);
}

await main();
