/**
 * Saving a reader's edits. Each edit is stored under the chapter's path and the cell's id,
 * together with a hash of the author's code it was based on: if the author later changes the
 * cell, the page can say so instead of silently showing an outdated edit.
 *
 * Storage may be missing, disabled or full; every function here reports that as a value and
 * never throws.
 */

/** The part of the Web Storage API we use (so tests can pass a fake). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface SavedEdit {
  code: string;
  /** hashCode of the author's code when the reader made the edit. */
  original: string;
  savedAt: number;
}

export type SaveOutcome = { ok: true } | { ok: false; reason: 'unavailable' | 'full' };

/** `window.localStorage` if it works, else null (reading it can throw in privacy modes). */
export function browserStorage(): StorageLike | null {
  try {
    const storage = globalThis.localStorage;
    if (!storage) return null;
    const probe = '__descent_probe__';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return storage;
  } catch {
    return null;
  }
}

/** Pages are keyed by path without the trailing index.html or slash, so both URLs agree. */
export function normalizePath(path: string): string {
  return path.replace(/index\.html$/, '').replace(/\/+$/, '') || '/';
}

export function editKey(path: string, cellId: string): string {
  return `descent:cell:${normalizePath(path)}#${cellId}`;
}

export class EditStore {
  private storage: StorageLike | null;
  private path: string;

  constructor(storage: StorageLike | null, path: string) {
    this.storage = storage;
    this.path = path;
  }

  get available(): boolean {
    return this.storage !== null;
  }

  load(cellId: string): SavedEdit | null {
    if (!this.storage) return null;
    try {
      const raw = this.storage.getItem(editKey(this.path, cellId));
      if (!raw) return null;
      const parsed = JSON.parse(raw) as Partial<SavedEdit>;
      if (typeof parsed.code !== 'string' || typeof parsed.original !== 'string') return null;
      return { code: parsed.code, original: parsed.original, savedAt: Number(parsed.savedAt) || 0 };
    } catch {
      return null;
    }
  }

  save(cellId: string, code: string, original: string): SaveOutcome {
    if (!this.storage) return { ok: false, reason: 'unavailable' };
    const edit: SavedEdit = { code, original, savedAt: Date.now() };
    try {
      this.storage.setItem(editKey(this.path, cellId), JSON.stringify(edit));
      return { ok: true };
    } catch {
      return { ok: false, reason: 'full' };
    }
  }

  remove(cellId: string): void {
    try {
      this.storage?.removeItem(editKey(this.path, cellId));
    } catch {
      // nothing to do: the edit simply stays
    }
  }
}
