import { ServerFailure, ServerRequestError, type ServerClient } from '../accounts/server-client';
import { dropNotebook, salvageNote, type SalvageSink } from './access-loss';
import type { InitialSyncTracker } from './initial-sync';
import type { SyncRun } from './sync-run';
import type { SyncedAccount } from './synced-account';

export interface NotebookListDeps {
  context: SyncedAccount;
  client: ServerClient;
  run: SyncRun;
  initial: InitialSyncTracker;
  notify(title: string, message: string): void;
  salvage: SalvageSink;
}

/**
 * Notebooks are REST resources, not streams: the replica's list is reconciled with `GET /notebooks` on every
 * (re)connect, and a notebook the server stops listing is removed only on its explicit word.
 */
export class NotebookList {
  /** Notebooks the server answered 404 for, already told about (once per run). */
  private readonly missing = new Set<string>();

  constructor(private readonly deps: NotebookListDeps) {}

  /** Mirrors `GET /notebooks` into the replica, then checks the notebooks it no longer lists. */
  async refresh(): Promise<void> {
    const { context, run } = this.deps;
    const notebooks = await this.deps.client.notebooks();
    if (run.stopped) return;
    context.notebooks.mirror(notebooks.map((n) => ({ ...n, role: n.user.role })));
    const listed = new Set(notebooks.map((n) => n.id));
    const unlisted = context.notebooks
      .list()
      .map((n) => n.id)
      .filter((id) => !listed.has(id));
    if (unlisted.length > 0) await this.confirmLost(unlisted);
    // Before the socket opens, so the first download shows its total from the start.
    await this.deps.initial.refresh(
      notebooks.map((n) => n.id),
      run.signal,
    );
    run.publish();
  }

  /** Whether the server answered 404 for this notebook already (it is not asked again each time). */
  isKnownMissing(notebookId: string): boolean {
    return this.missing.has(notebookId);
  }

  /**
   * Notebooks the replica has that the server may no longer give us. Only a 403 from `GET /notebooks/{id}`
   * (the notebook exists and is not ours) removes one: its pages with unconfirmed changes are copied to the
   * Local account first, and the user is told. A 404 is ambiguous — deleted, or a server restored from an old
   * backup or started empty, where this device may hold the only copy — so the notebook is kept and the user
   * is told once. A missing list entry, an error or no answer never removes anything.
   */
  async confirmLost(notebookIds: readonly string[]): Promise<void> {
    const { client, run } = this.deps;
    for (const notebookId of notebookIds) {
      let status: number | null = null;
      try {
        await client.notebook(notebookId);
        this.missing.delete(notebookId);
        continue;
      } catch (error) {
        if (error instanceof ServerRequestError && error.failure === ServerFailure.rejected)
          status = error.status;
      }
      if (run.stopped) return;
      if (status === 404) this.notebookMissing(notebookId);
      if (status !== 403) continue;
      const lost = dropNotebook(this.deps.context, notebookId, this.deps.salvage, client.baseUrl);
      if (!lost) continue;
      this.deps.notify(
        'A notebook is no longer shared with you',
        `You no longer have access to “${lost.name}” on ${client.baseUrl}, so it was removed from this device.` +
          salvageNote(lost.pages, lost.savedTo),
      );
      run.publish();
    }
  }

  private notebookMissing(notebookId: string): void {
    // Gone from the replica meanwhile (the user deleted or left it here): nothing to tell.
    const name = this.deps.context.notebooks.list().find((n) => n.id === notebookId)?.name;
    if (this.missing.has(notebookId) || name === undefined) return;
    this.missing.add(notebookId);
    this.deps.notify(
      'A notebook is missing on the server',
      `${this.deps.client.baseUrl} no longer has “${name}” (deleted, or the server lost it). It is kept on this device as it was; changes to it can't be synced.`,
    );
  }
}
