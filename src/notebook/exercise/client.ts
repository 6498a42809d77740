/**
 * Browser side of `components/Exercise.astro`. The server renders a readable exercise: the
 * question, then the hint and the worked solution inside `<details>`. This script upgrades it:
 * it shows the answer form, turns the two `<details>` into panels opened by the "Show hint" and
 * "Show solution" buttons, checks answers, announces the verdict and remembers progress.
 */
import {
  checkCellRun,
  checkNumber,
  loadProgress,
  saveProgress,
  type ExerciseProgress,
  type StorageLike,
} from './check.ts';

/** Detail of the `descent:cell-run` event that the cell runtime dispatches on `document`. */
interface CellRunDetail {
  id: string;
  ok: boolean;
  value?: unknown;
  text?: string;
  error?: unknown;
}

function localStore(): StorageLike | null {
  // NOTE: merely reading `window.localStorage` throws in some privacy modes, hence the try.
  try {
    const storage = window.localStorage;
    const probe = 'descent:probe';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return storage;
  } catch {
    return null;
  }
}

/** Replaces a `<details>` by a plain panel that a button shows and hides. */
function toPanel(details: HTMLDetailsElement | null, button: HTMLButtonElement | null): void {
  if (!details || !button) return;
  const panel = document.createElement('div');
  panel.id = details.id;
  panel.className = details.className;
  panel.hidden = true;
  const summary = details.querySelector(':scope > summary');
  const title = document.createElement('p');
  title.className = 'exercise-panel-title';
  title.textContent = summary?.textContent ?? '';
  panel.append(title);
  for (const node of [...details.childNodes]) if (node !== summary) panel.append(node);
  details.replaceWith(panel);
  button.hidden = false;
  button.setAttribute('aria-controls', panel.id);
  button.setAttribute('aria-expanded', 'false');
  const showLabel = button.textContent ?? '';
  const hideLabel = showLabel.replace(/^Show/, 'Hide');
  const setOpen = (open: boolean) => {
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? hideLabel : showLabel;
  };
  button.addEventListener('click', () => setOpen(Boolean(panel.hidden)));
}

function enhance(root: HTMLElement, storage: StorageLike | null) {
  if (root.dataset.enhanced === 'true') return;
  root.dataset.enhanced = 'true';
  const id = root.id;
  const form = root.querySelector<HTMLFormElement>('.exercise-form');
  const input = root.querySelector<HTMLInputElement>('.exercise-input');
  const status = root.querySelector<HTMLElement>('.exercise-status');
  const saved = root.querySelector<HTMLElement>('.exercise-saved');
  if (!form || !status) return;
  form.hidden = false;
  root.classList.add('is-enhanced');

  toPanel(
    root.querySelector<HTMLDetailsElement>('details.exercise-hint'),
    root.querySelector<HTMLButtonElement>('button.exercise-show-hint'),
  );
  toPanel(
    root.querySelector<HTMLDetailsElement>('details.exercise-solution'),
    root.querySelector<HTMLButtonElement>('button.exercise-show-solution'),
  );

  let progress: ExerciseProgress | null = loadProgress(storage, id);
  const remember = (next: ExerciseProgress) => {
    // Once solved, an exercise stays solved: a later wrong try does not undo the tick.
    if (progress?.status === 'correct' && next.status !== 'correct') {
      next = { ...next, status: 'correct' };
    }
    progress = next;
    saveProgress(storage, id, next);
  };
  const show = (correct: boolean, message: string) => {
    root.dataset.state = correct ? 'correct' : 'incorrect';
    status.textContent = message;
  };

  if (progress?.status === 'correct') {
    root.dataset.state = 'correct';
    if (saved) saved.textContent = 'You solved this one earlier.';
  }
  if (progress?.answer && input) input.value = progress.answer;

  root
    .querySelector('button.exercise-show-solution')
    ?.addEventListener('click', () =>
      remember({ ...(progress ?? { status: 'attempted' }), revealedSolution: true }),
    );

  const cellId = root.dataset.exerciseCell;
  if (cellId) {
    // Code form: the verdict comes from the cell's own run, whoever started it.
    document.addEventListener('descent:cell-run', (event) => {
      const detail = (event as CustomEvent<CellRunDetail>).detail;
      if (!detail || detail.id !== cellId) return;
      const verdict = checkCellRun(detail);
      show(verdict.correct, verdict.message);
      remember({ ...progress, status: verdict.correct ? 'correct' : 'attempted' });
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const cell = findCell(cellId);
      const run = cell ? findRunButton(cell) : null;
      if (run) {
        status.textContent = 'Running the cell…';
        run.click();
      } else {
        show(false, `Run the cell “${cellId}” above; its last line is the check.`);
      }
    });
    return;
  }

  const expected = Number(root.dataset.answer);
  const tolerance = Number(root.dataset.tolerance ?? '0');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input?.value ?? '';
    const verdict = checkNumber(text, expected, tolerance);
    show(verdict.correct, verdict.message);
    if (text.trim() !== '') {
      remember({ ...progress, status: verdict.correct ? 'correct' : 'attempted', answer: text });
    }
    if (!verdict.correct) input?.focus();
  });
}

function findCell(cellId: string): HTMLElement | null {
  // The cell runtime marks each cell's root with data-cell="<id>" (components/Cell.astro).
  return (
    document.querySelector<HTMLElement>(`[data-cell="${CSS.escape(cellId)}"]`) ??
    document.getElementById(cellId)
  );
}

function findRunButton(cell: HTMLElement): HTMLButtonElement | null {
  const buttons = [...cell.querySelectorAll<HTMLButtonElement>('button')];
  return (
    buttons.find((b) => b.dataset.action === 'run') ??
    buttons.find((b) =>
      /^run\b/i.test((b.getAttribute('aria-label') ?? b.textContent ?? '').trim()),
    ) ??
    null
  );
}

/** Upgrades every exercise on the page (idempotent, so repeated calls are harmless). */
export function enhanceExercises(doc: Document = document) {
  const storage = localStore();
  for (const root of doc.querySelectorAll<HTMLElement>('[data-exercise]')) enhance(root, storage);
}
