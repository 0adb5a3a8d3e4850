import { DocumentsService } from '../documents/documents.service';
import { NodesService } from '../nodes/nodes.service';
import { NotebooksService } from '../notebooks/notebooks.service';
import { compactConfirmedLocally } from '../replica/compaction';
import type { Replica } from '../replica/replica';
import type { Clock } from './clock';
import type { EventBus } from './events';

/** The services of one account, all over the account's replica. */
export class AccountContext {
  readonly notebooks: NotebooksService;
  readonly nodes: NodesService;
  readonly documents: DocumentsService;
  private compactionTimer: ReturnType<typeof setInterval> | null = null;

  constructor(
    readonly replica: Replica,
    events: EventBus,
    clock: Clock,
  ) {
    this.notebooks = new NotebooksService(replica, events, clock);
    this.nodes = new NodesService(replica, events, clock);
    this.documents = new DocumentsService(replica, events, clock);
  }

  /** Local account only: it has no server, so its replica confirms its own edits (see compaction.ts). */
  confirmLocally(intervalMs: number): void {
    compactConfirmedLocally(this.replica.db);
    this.compactionTimer = setInterval(() => compactConfirmedLocally(this.replica.db), intervalMs);
    this.compactionTimer.unref();
  }

  close(): void {
    if (this.compactionTimer) clearInterval(this.compactionTimer);
    this.documents.stop();
    this.replica.db.close();
  }
}
