/**
 * The lab's HTML: the controls (real, labelled form elements), the two plots as static SVG
 * (the build's first frame, readable without JavaScript), a sentence saying what the race
 * shows, and a table of where every optimizer ended. The build renders it once; the browser
 * updates the same elements.
 */
import { PROBLEMS, PROBLEM_IDS, type ProblemId } from './problems.ts';
import { OPTIMIZERS, type OptimizerSpec } from './optimizers.ts';
import { SCHEDULES, SPEED_CHOICES, STEP_CHOICES, encodeState, type LabState } from './state.ts';
import type { Run } from './simulate.ts';
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
  polylineD,
  stepTicks,
} from './view.ts';

const esc = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A number as the readout shows it: 3 decimals, or scientific when tiny or huge. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2).replace('-', '−');
  const text = v.toFixed(3);
  return (/^-0\.000$/.test(text) ? text.slice(1) : text).replace('-', '−');
}

/** The gap to the surface's minimum value after the run, as text. */
export function gapText(problem: ProblemId, run: Run): string {
  const gap = run.loss[run.loss.length - 1]! - PROBLEMS[problem].lowest;
  if (run.stopped === 'diverged') return 'diverged';
  return gap <= 0 ? '0' : gap.toExponential(2).replace('-', '−');
}

/** What one run did, for the table and the description. */
export function runSummary(problem: ProblemId, run: Run) {
  const n = run.loss.length;
  const spec = OPTIMIZERS.find((o) => o.id === run.id)!;
  return {
    label: spec.label,
    steps: n - 1,
    x: formatNumber(run.path[2 * n - 2]!),
    y: formatNumber(run.path[2 * n - 1]!),
    gap: gapText(problem, run),
    note: run.stopped === 'diverged' ? 'diverged' : run.stopped ? 'stopped: ' + run.stopped : '',
  };
}

/** A sentence or two saying what the race shows. */
export function describeRace(state: LabState, runs: Run[]): string {
  const problem = PROBLEMS[state.problem];
  const start = `(${formatNumber(state.start[0])}, ${formatNumber(state.start[1])})`;
  if (runs.length === 0) return `${problem.label} from ${start}: no optimizer is switched on.`;
  const finite = runs.filter((r) => r.stopped !== 'diverged');
  const ranked = [...finite].sort(
    (a, b) => a.loss[a.loss.length - 1]! - b.loss[b.loss.length - 1]!,
  );
  const parts = [`${problem.label} from ${start}, ${state.steps} steps.`];
  if (ranked.length) {
    const best = runSummary(state.problem, ranked[0]!);
    parts.push(
      `Closest to the minimum: ${best.label}, f − f_min = ${best.gap} at (${best.x}, ${best.y}).`,
    );
  }
  const diverged = runs
    .filter((r) => r.stopped === 'diverged')
    .map((r) => runSummary(state.problem, r).label);
  if (diverged.length) parts.push(`Diverged: ${diverged.join(', ')}.`);
  return parts.join(' ');
}

/** The rows of the results table. */
export function tableRows(state: LabState, runs: Run[]): string {
  return runs
    .map((run) => {
      const s = runSummary(state.problem, run);
      return `<tr data-row="${run.id}"><th scope="row">${esc(s.label)}</th><td>${s.x}</td><td>${s.y}</td><td>${s.gap}</td><td>${esc(s.note)}</td></tr>`;
    })
    .join('');
}

function dashAttr(spec: OptimizerSpec): string {
  return spec.dash.length ? ` stroke-dasharray="${spec.dash.join(' ')}"` : '';
}

/** The static contour plot with every path drawn in full (the build's first frame). */
export function mapSvg(id: string, state: LabState, runs: Run[]): string {
  const { x, y } = mapFrame(state.problem);
  const parts: string[] = [];
  parts.push(
    `<svg class="lab__svg" viewBox="0 0 ${MAP_WIDTH} ${MAP_HEIGHT}" width="${MAP_WIDTH}" height="${MAP_HEIGHT}" role="img" aria-label="Contours of the ${esc(PROBLEMS[state.problem].label)} surface with the optimizers' paths">`,
  );
  parts.push(
    `<rect x="${x.range[0]}" y="${y.range[1]}" width="${x.range[1] - x.range[0]}" height="${y.range[0] - y.range[1]}" fill="none" stroke="currentColor" stroke-opacity="0.3"/>`,
  );
  for (const { d } of contourPaths(state.problem))
    parts.push(
      `<path d="${d}" fill="none" stroke="currentColor" stroke-opacity="0.28" stroke-width="1"/>`,
    );
  for (const t of integerTicks(x.domain))
    parts.push(
      `<text x="${x.apply(t).toFixed(1)}" y="${(y.range[0] + 16).toFixed(1)}" text-anchor="middle" font-size="11" fill="currentColor">${formatTick(t)}</text>`,
    );
  for (const t of integerTicks(y.domain))
    parts.push(
      `<text x="${(x.range[0] - 6).toFixed(1)}" y="${(y.apply(t) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="currentColor">${formatTick(t)}</text>`,
    );
  for (const [mx, my] of PROBLEMS[state.problem].minima)
    parts.push(
      `<path d="M${x.apply(mx) - 5},${y.apply(my)}h10M${x.apply(mx)},${y.apply(my) - 5}v10" stroke="currentColor" stroke-width="2"/>`,
    );
  parts.push(clip(`${id}-map-clip`, x.range, y.range));
  for (const run of runs) {
    const spec = OPTIMIZERS.find((o) => o.id === run.id)!;
    parts.push(
      `<path data-path="${run.id}" d="${polylineD(pathPixels(run, state.problem))}" fill="none" stroke="${spec.color}" stroke-width="2"${dashAttr(spec)} stroke-linejoin="round"/>`,
    );
  }
  parts.push('</g>');
  parts.push(
    `<circle cx="${x.apply(state.start[0]).toFixed(1)}" cy="${y.apply(state.start[1]).toFixed(1)}" r="6" fill="none" stroke="currentColor" stroke-width="2"/>`,
  );
  parts.push('</svg>');
  return parts.join('');
}

/** Opens a group clipped to the plotted rectangle (grown by 4 px); close it with `</g>`. */
function clip(
  clipId: string,
  xr: readonly [number, number],
  yr: readonly [number, number],
): string {
  const [x0, x1] = xr;
  const [y0, y1] = yr;
  return `<clipPath id="${clipId}"><rect x="${x0 - 4}" y="${y1 - 4}" width="${x1 - x0 + 8}" height="${y0 - y1 + 8}"/></clipPath><g clip-path="url(#${clipId})">`;
}

function formatTick(v: number): string {
  return String(v).replace('-', '−');
}

/** The static loss chart: log₁₀(f − f_min) against step for every run. */
export function lossSvg(id: string, state: LabState, runs: Run[]): string {
  const frame = lossFrame(state.problem, runs, state.steps);
  const parts: string[] = [];
  parts.push(
    `<svg class="lab__svg" viewBox="0 0 ${LOSS_WIDTH} ${LOSS_HEIGHT}" width="${LOSS_WIDTH}" height="${LOSS_HEIGHT}" role="img" aria-label="The gap f − f_min on a log scale against the step, one line per optimizer">`,
  );
  const [x0, x1] = frame.x.range;
  const [yb, yt] = frame.y.range;
  parts.push(
    `<path d="M${x0},${yt}V${yb}H${x1}" fill="none" stroke="currentColor" stroke-opacity="0.5"/>`,
  );
  for (const d of frame.decades)
    parts.push(
      `<text x="${x0 - 4}" y="${(frame.y.apply(d) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="currentColor">${decadeLabel(d)}</text>`,
    );
  for (const t of stepTicks(state.steps))
    parts.push(
      `<text x="${frame.x.apply(t).toFixed(1)}" y="${yb + 16}" text-anchor="middle" font-size="11" fill="currentColor">${t}</text>`,
    );
  parts.push(clip(`${id}-loss-clip`, frame.x.range, frame.y.range));
  for (const run of runs) {
    const spec = OPTIMIZERS.find((o) => o.id === run.id)!;
    parts.push(
      `<path d="${polylineD(lossPixels(run, state.problem, frame))}" fill="none" stroke="${spec.color}" stroke-width="1.5"${dashAttr(spec)}/>`,
    );
  }
  parts.push('</g>');
  parts.push('</svg>');
  return parts.join('');
}

const option = (value: string | number, label: string, selected: boolean) =>
  `<option value="${value}"${selected ? ' selected' : ''}>${esc(label)}</option>`;

/** The optimizer rows: a switch each, and its hyperparameters and schedule behind a disclosure. */
function optimizerControls(id: string, state: LabState): string {
  return OPTIMIZERS.map((spec) => {
    const setup = state.opts[spec.id];
    const fields = spec.params
      .map(
        (h) =>
          `<span class="lab__field"><label for="${id}-${spec.id}-${h.key}"><span class="visually-hidden">${esc(spec.label)} </span>${esc(h.label)}</label><input type="number" id="${id}-${spec.id}-${h.key}" name="${spec.id}.${h.key}" value="${setup.h[h.key]}" min="${h.min}" max="${h.max}" step="${h.step}" inputmode="decimal"></span>`,
      )
      .join('');
    const schedule = spec.schedulable
      ? `<span class="lab__field"><label for="${id}-${spec.id}-schedule"><span class="visually-hidden">${esc(spec.label)} </span>Schedule</label><select id="${id}-${spec.id}-schedule" name="${spec.id}.schedule">${SCHEDULES.map((s) => option(s.value, s.label, s.value === setup.schedule)).join('')}</select></span>`
      : `<p class="lab__note">It adapts its own rate, so it takes no schedule.</p>`;
    return `<div class="lab__opt" data-opt="${spec.id}">
<label class="lab__switch"><input type="checkbox" name="${spec.id}.on"${setup.on ? ' checked' : ''}><svg class="lab__swatch" width="28" height="10" aria-hidden="true"><path d="M1,5H27" stroke="${spec.color}" stroke-width="3"${dashAttr(spec)}/></svg>${esc(spec.label)}</label>
<details><summary>Settings<span class="visually-hidden"> of ${esc(spec.label)}</span></summary><div class="lab__fields" id="${id}-${spec.id}-fields">${fields}${schedule}</div></details>
</div>`;
  }).join('\n');
}

/** The lab's whole markup for a state and its runs. */
export function labHTML(
  id: string,
  state: LabState,
  runs: Run[],
  { standalone = false } = {},
): string {
  const problem = PROBLEMS[state.problem];
  const [sx, sy] = state.start;
  return `<section class="lab" id="${id}" data-lab="${id}" data-state="${esc(encodeState(state))}"${standalone ? ' data-standalone' : ''} aria-label="Optimizer lab">
<div class="lab__bar">
<span class="lab__field"><label for="${id}-problem">Surface</label><select id="${id}-problem" name="problem">${PROBLEM_IDS.map((p) => option(p, PROBLEMS[p].label, p === state.problem)).join('')}</select></span>
<span class="lab__field"><label for="${id}-startX">Start x</label><input type="number" id="${id}-startX" name="startX" value="${sx}" min="${problem.x[0]}" max="${problem.x[1]}" step="0.1" inputmode="decimal"></span>
<span class="lab__field"><label for="${id}-startY">Start y</label><input type="number" id="${id}-startY" name="startY" value="${sy}" min="${problem.y[0]}" max="${problem.y[1]}" step="0.1" inputmode="decimal"></span>
<span class="lab__field"><label for="${id}-steps">Steps</label><select id="${id}-steps" name="steps">${STEP_CHOICES.map((n) => option(n, String(n), n === state.steps)).join('')}</select></span>
<span class="lab__field"><label for="${id}-speed">Speed</label><select id="${id}-speed" name="speed">${SPEED_CHOICES.map((n) => option(n, `${n} steps/s`, n === state.speed)).join('')}</select></span>
</div>
<div class="lab__bar lab__actions">
<button type="button" class="lab__button" data-action="play" aria-pressed="false">Play</button>
<button type="button" class="lab__button" data-action="restart">Restart</button>
<button type="button" class="lab__button" data-action="share">Copy share link</button>
<output class="lab__status" data-status aria-live="polite"></output>
<span class="lab__step" data-step aria-live="off">step ${state.steps} of ${state.steps}</span>
</div>
<p class="lab__blurb" data-blurb>${esc(problem.blurb)} Drag on the plot to move the common start point.</p>
<div class="lab__plot lab__map" data-map>${mapSvg(id, state, runs)}</div>
<div class="lab__plot lab__loss" data-loss>${lossSvg(id, state, runs)}</div>
<p class="lab__describe" data-describe>${esc(describeRace(state, runs))}</p>
<fieldset class="lab__optimizers"><legend>Optimizers (each path is the engine's own <code>optim</code> class)</legend>
${optimizerControls(id, state)}
</fieldset>
<table class="lab__table"><caption>Where each optimizer ends: position and gap f − f_min</caption>
<thead><tr><th scope="col">Optimizer</th><th scope="col">x</th><th scope="col">y</th><th scope="col">f − f_min</th><th scope="col">Note</th></tr></thead>
<tbody data-table>${tableRows(state, runs)}</tbody></table>
</section>`;
}
