import { ChannelsService } from '../channels/channels.service';
import { CommentsService } from '../comments/comments.service';
import { DocumentsService } from '../documents/documents.service';
import { FilesService, type FilesOptions } from '../files/files.service';
import { ImportService } from '../import/import.service';
import { InteractionsService } from '../interactions/interactions.service';
import { NodesService } from '../nodes/nodes.service';
import { NotebooksService } from '../notebooks/notebooks.service';
import { ReactionsService } from '../reactions/reactions.service';
import { RecordsService } from '../records/records.service';
import { SearchService } from '../search/search.service';
import { SharingService } from '../sharing/sharing.service';
import type { AutoSnapshotOptions } from '../versions/auto-snapshots';
import { VersionsService } from '../versions/versions.service';
import { compactConfirmedLocally } from '../replica/compaction';
import { closeManagedDatabase } from '../db/managed';
import type { Replica } from '../replica/replica';
import type { SyncEngine } from '../sync/sync-engine';
import type { Clock } from '../lib/clock';
import type { EventBus } from '../lib/events';

/** The services of one account, all over the account's replica. */
export class AccountContext {
  readonly notebooks: NotebooksService;
  readonly nodes: NodesService;
  readonly documents: DocumentsService;
  readonly reactions: ReactionsService;
  readonly interactions: InteractionsService;
  readonly search: SearchService;
  readonly records: RecordsService;
  readonly versions: VersionsService;
  readonly sharing: SharingService;
  readonly comments: CommentsService;
  readonly channels: ChannelsService;
  readonly files: FilesService;
  readonly imports: ImportService;
  /** Server accounts only: keeps the replica in sync with the server. */
  sync: SyncEngine | null = null;
  private compactionTimer: ReturnType<typeof setInterval> | null = null;
  private firstCompaction: ReturnType<typeof setTimeout> | null = null;
  private searchUpkeep: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly replica: Replica,
    events: EventBus,
    private readonly clock: Clock,
    /** A server account: its notebooks are the server's, and nodes stay within their root (see sync-protocol.md). */
    synced = false,
    autoSnapshots?: AutoSnapshotOptions,
    files?: FilesOptions,
  ) {
    this.notebooks = new NotebooksService(replica, events, clock, synced);
    this.nodes = new NodesService(replica, events, clock, { synced });
    this.documents = new DocumentsService(replica, events, clock);
    this.reactions = new ReactionsService(replica, events, clock);
    this.interactions = new InteractionsService(replica, events, clock);
    this.records = new RecordsService(replica, events, this.nodes);
    this.search = new SearchService(replica, events, () => this.documents.materializeStaleSoon());
    this.versions = new VersionsService(replica, events, clock, this.documents, synced, autoSnapshots);
    this.sharing = new SharingService(replica, events, this.nodes, synced);
    this.comments = new CommentsService(replica, events, clock, this.nodes, synced, (nodeId) =>
      this.documents.hasPendingEdits(nodeId),
    );
    this.files = new FilesService(replica, events, clock, this.nodes, synced, files);
    this.imports = new ImportService({
      replica,
      events,
      nodes: this.nodes,
      documents: this.documents,
      files: this.files,
    });
    // Automatic versions follow this device's own edits (docs/decisions/0011).
    this.documents.onLocalEdit = (documentId) => this.versions.autoSnapshots.edited(documentId);
    this.documents.onLeft = (documentId) => this.versions.autoSnapshots.left(documentId);
    this.channels = new ChannelsService({
      replica,
      events,
      clock,
      nodes: this.nodes,
      documents: this.documents,
      reactions: this.reactions,
      synced,
    });
    // A message's text that arrived from elsewhere redraws its channel.
    this.documents.onRemoteCommitted = (documentId) => this.channels.documentChanged(documentId);
  }

  /**
   * Background upkeep of the search index, after start-up has answered its first queries: a missing,
   * damaged or outdated index is rebuilt, and documents left stale (changed elsewhere, or by a crash before
   * their text was refreshed) are materialised and indexed.
   */
  startSearchUpkeep(afterMs: number): void {
    this.searchUpkeep = setTimeout(() => {
      this.searchUpkeep = null;
      if (!this.search.verify()) this.documents.materializeStaleSoon(0);
    }, afterMs);
    this.searchUpkeep.unref();
  }

  /**
   * Local account only: it has no server, so its replica confirms its own edits (see compaction.ts), every
   * `intervalMs`, the first time now or — at start-up, so the first tree is answered before it — after
   * `firstAfterMs` (after a crash it may have many updates to fold; decision 0009).
   */
  confirmLocally(intervalMs: number, firstAfterMs = 0): void {
    const compact = () => compactConfirmedLocally(this.replica.db, this.replica.userId, this.clock);
    const every = () => {
      this.compactionTimer = setInterval(compact, intervalMs);
      this.compactionTimer.unref();
    };
    if (firstAfterMs <= 0) {
      compact();
      every();
      return;
    }
    this.firstCompaction = setTimeout(() => {
      this.firstCompaction = null;
      compact();
      every();
    }, firstAfterMs);
    this.firstCompaction.unref();
  }

  close(): void {
    this.sync?.stop();
    this.versions.stop();
    this.comments.stop();
    this.files.stop();
    if (this.compactionTimer) clearInterval(this.compactionTimer);
    if (this.firstCompaction) clearTimeout(this.firstCompaction);
    if (this.searchUpkeep) clearTimeout(this.searchUpkeep);
    this.search.stop();
    this.records.close();
    this.channels.close();
    this.documents.stop();
    closeManagedDatabase(this.replica.db, this.replica.path);
  }
}
