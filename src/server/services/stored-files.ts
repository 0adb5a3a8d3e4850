import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import type { NotesRepository } from '../storage/repository';

/** Upload ids as the TUS routes accept them; anything else in the directory is not ours to touch. */
const FILE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The bytes of uploaded files (TUS FileStore: `<id>` plus its `<id>.json` upload metadata under
 * `<dataDir>/files`). The `files` table is the truth: bytes whose row is gone are removed — after the
 * transaction that deleted the row (a rolled-back deletion keeps them), and at start-up for anything a crash
 * left behind between that commit and the removal.
 */
export class StoredFiles {
  readonly directory: string;
  readonly store: FileStore;
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    dataDir: string,
    private readonly repo: NotesRepository,
  ) {
    this.directory = join(dataDir, 'files');
    this.store = new FileStore({ directory: this.directory });
  }

  path(id: string): string {
    return join(this.directory, id);
  }

  /** Call inside the deleting transaction; the bytes go once it has committed (checked against the rows). */
  discardAfterCommit(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.removeOrphans(ids));
    this.pending = Promise.all([this.pending, run]);
  }

  /** Resolves when every removal scheduled so far has finished (tests, shutdown). */
  settled(): Promise<unknown> {
    return this.pending;
  }

  /** Removes the bytes of every file in the directory that has no row (start-up). */
  async sweep(): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch {
      return 0;
    }
    const ids = new Set(names.map((name) => name.replace(/\.json$/, '')).filter((id) => FILE_ID.test(id)));
    return this.removeOrphans([...ids]);
  }

  private async removeOrphans(ids: readonly string[]): Promise<number> {
    let removed = 0;
    for (const id of ids) {
      if (!FILE_ID.test(id) || this.repo.getFile(id)) continue;
      await rm(this.path(id), { force: true });
      await rm(`${this.path(id)}.json`, { force: true });
      removed += 1;
    }
    return removed;
  }
}
