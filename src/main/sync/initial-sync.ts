import type { SyncStatusView } from '../../shared/contract';
import type { ServerClient } from '../accounts/server-client';
import type { Db } from '../db/open';

/** `cursors` row (epoch ms) marking a notebook whose first download finished; not a stream. */
const doneKey = (notebookId: string): string => `sync.initialDone.${notebookId}`;

/**
 * Progress of the first download of an account's notebooks, for the sync indicator: for each notebook not yet
 * downloaded once, the server's node count (`GET …/nodes?limit=1`, asked on every connect and periodically)
 * against the nodes stored so far. Resuming needs nothing extra: stream cursors are saved with every batch,
 * so an interrupted download continues where it stopped and the count picks up from what is stored.
 */
export class InitialSyncTracker {
  /** Notebook id → the server's node count, for notebooks still downloading. */
  private readonly totals = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly client: ServerClient,
  ) {}

  /** Asks the server how much there is for every notebook not downloaded once yet. */
  async refresh(notebookIds: readonly string[], signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const unknown = notebookIds.filter((id) => !this.isDone(id));
    // Unknown for now when it fails (offline, no access): asked again on the next connect or period.
    const counts = await Promise.all(
      unknown.map((id) =>
        this.client.nodeCount(id).then(
          (total) => [id, total] as const,
          () => null,
        ),
      ),
    );
    if (signal.aborted) return;
    for (const entry of counts) if (entry) this.totals.set(entry[0], entry[1]);
    this.settle(new Date());
  }

  /** Marks the notebooks whose stored node count reached the server's; answers whether anything finished. */
  settle(now: Date): boolean {
    let finished = false;
    for (const [notebookId, total] of this.totals) {
      if (this.stored(notebookId) < total) continue;
      this.db
        .prepare(
          `INSERT INTO cursors (key, value, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        )
        .run(doneKey(notebookId), now.getTime(), now.toISOString());
      this.totals.delete(notebookId);
      finished = true;
    }
    return finished;
  }

  get pending(): readonly string[] {
    return [...this.totals.keys()];
  }

  progress(): SyncStatusView['initialSync'] {
    if (this.totals.size === 0) return null;
    let done = 0;
    let total = 0;
    for (const [notebookId, count] of this.totals) {
      done += Math.min(this.stored(notebookId), count);
      total += count;
    }
    return { notebooks: this.totals.size, done, total };
  }

  private isDone(notebookId: string): boolean {
    return this.db.prepare('SELECT 1 FROM cursors WHERE key = ?').get(doneKey(notebookId)) !== undefined;
  }

  private stored(notebookId: string): number {
    return this.db
      .prepare('SELECT count(*) FROM nodes WHERE notebook_id = ?')
      .pluck()
      .get(notebookId) as number;
  }
}
