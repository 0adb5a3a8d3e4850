import type { TiptapDoc } from '../../shared/crdt/document';
import type {
  VersionContentView,
  VersionKind,
  VersionListView,
  VersionView,
} from '../../shared/contract/versions';
import type { VersionSummary } from '../../shared/api/versions';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { AppError, ErrorCode, notFound } from '../../shared/lib/result';
import { DEFAULT_NODE_ROLE, NodeAction, canOnNode } from '../../shared/model/permissions';
import { NODE_TYPES, type NodeType } from '../../shared/model/nodes';
import { versionsToPrune } from '../../shared/model/version-retention';
import { ServerRequestError } from '../accounts/server-client';
import { DocumentsRepository } from '../documents/documents.repository';
import { isoNow, type Clock } from '../lib/clock';
import type { EventBus } from '../lib/events';
import { NodesRepository } from '../nodes/nodes.repository';
import { NotebooksRepository } from '../notebooks/notebooks.repository';
import type { Replica } from '../replica/replica';
import { AutoSnapshots, DEFAULT_AUTO_SNAPSHOTS, type AutoSnapshotOptions } from './auto-snapshots';
import { VersionsRepository, type VersionRow } from './versions.repository';
import { RetryLater } from '../lib/retry-later';

/** The server's versions API, as the desktop calls it (ServerClient). */
export interface VersionsRemote {
  listVersions(notebookId: string, nodeId: string): Promise<VersionSummary[]>;
  getVersion(notebookId: string, nodeId: string, versionId: string): Promise<{ content: unknown }>;
  createVersion(
    notebookId: string,
    nodeId: string,
    body: { id: string; name: string | null; kind: VersionKind; content: unknown },
  ): Promise<VersionSummary>;
  renameVersion(notebookId: string, nodeId: string, versionId: string, name: string | null): Promise<void>;
  deleteVersion(notebookId: string, nodeId: string, versionId: string): Promise<void>;
}

/** The current content of a page (DocumentsService). */
export interface PageContent {
  content(documentId: string): Promise<TiptapDoc>;
}

const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 5 * 60_000;
/** Contents fetched ahead when a history is listed, so it opens offline later. */
const PREFETCH = 20;

/**
 * A page's versions (docs/decisions/0011-version-history.md). The Local account keeps them in its replica.
 * A server account's list is the server's: the replica caches it and the contents already fetched, and what
 * this device took, renamed or deleted offline is written at once and sent when the server can be reached —
 * a create with a client id (the server answers the same version again), so a retried send never makes two.
 */
export class VersionsService {
  readonly autoSnapshots: AutoSnapshots;
  private readonly versions: VersionsRepository;
  private readonly documents: DocumentsRepository;
  private readonly nodes: NodesRepository;
  private readonly notebooks: NotebooksRepository;
  private remote: VersionsRemote | null = null;
  private sending: Promise<void> | null = null;
  private readonly retry = new RetryLater(() => void this.flush(), RETRY_FIRST_MS, RETRY_MAX_MS);
  private stopped = false;

  constructor(
    private readonly replica: Replica,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly pages: PageContent,
    private readonly synced: boolean,
    autoOptions: AutoSnapshotOptions = DEFAULT_AUTO_SNAPSHOTS,
  ) {
    this.versions = new VersionsRepository(replica.db);
    this.documents = new DocumentsRepository(replica.db);
    this.nodes = new NodesRepository(replica.db);
    this.notebooks = new NotebooksRepository(replica.db);
    this.autoSnapshots = new AutoSnapshots(
      autoOptions,
      () => this.clock.now().getTime(),
      (nodeId) => {
        const last = this.versions.lastAutomatic(nodeId);
        return last === null ? null : Date.parse(last);
      },
      (nodeId) => this.takeAutomatic(nodeId),
    );
  }

  /** Server accounts: where to send and fetch versions; sends what waits at once. */
  connect(remote: VersionsRemote): void {
    this.remote = remote;
    void this.flush();
  }

  async list(nodeId: string): Promise<VersionListView> {
    const page = this.requirePage(nodeId);
    let offline = false;
    if (this.synced) {
      if (!this.remote) offline = true;
      else {
        await this.flush();
        try {
          const server = await this.remote.listVersions(page.notebookId, nodeId);
          if (this.stopped) throw new AppError(ErrorCode.unavailable, 'The account was closed');
          this.replica.db.transaction(() => {
            for (const v of server)
              this.versions.upsertFromServer({
                id: v.id,
                nodeId,
                notebookId: page.notebookId,
                revision: v.revision,
                name: v.name,
                kind: v.kind,
                createdAt: v.createdAt,
                createdBy: v.createdBy,
              });
            this.versions.deleteConfirmedExcept(
              nodeId,
              server.map((v) => v.id),
            );
          })();
          void this.prefetch(nodeId, page.notebookId);
        } catch (error) {
          if (!(error instanceof ServerRequestError)) throw error;
          // 404: the page is not on the server yet (its creation is still in the outbox): the list is ours.
          offline = error.status !== 404;
        }
      }
    }
    return {
      versions: this.versions.list(nodeId).map((row) => this.view(row)),
      canManage: this.canManage(nodeId),
      offline,
    };
  }

  async get(nodeId: string, versionId: string): Promise<VersionContentView> {
    const page = this.requirePage(nodeId);
    const row = this.requireVersion(nodeId, versionId);
    if (row.content === null) {
      if (!this.remote)
        throw new AppError(
          ErrorCode.unavailable,
          'This version is not on this device yet, and the server is out of reach',
        );
      try {
        const fetched = await this.remote.getVersion(page.notebookId, nodeId, versionId);
        row.content = JSON.stringify(fetched.content);
        this.versions.setContent(versionId, row.content);
      } catch (error) {
        if (error instanceof ServerRequestError && error.status === 404) {
          this.versions.delete(versionId);
          this.changed(nodeId);
          throw versionDeleted(versionId);
        }
        if (error instanceof ServerRequestError)
          throw new AppError(ErrorCode.unavailable, `This version could not be fetched: ${error.message}`);
        throw error;
      }
    }
    return { version: this.view(row), content: JSON.parse(row.content) as TiptapDoc };
  }

  /** A version of the page's content as it is now. */
  async create(nodeId: string, input: { name?: string | null; kind?: VersionKind }): Promise<VersionView> {
    const page = this.requirePage(nodeId);
    const content = await this.pages.content(nodeId);
    if (this.stopped) throw new AppError(ErrorCode.unavailable, 'The account was closed');
    const row: VersionRow = {
      id: newId(IdPrefix.version),
      nodeId,
      notebookId: page.notebookId,
      revision: null,
      name: input.name ? input.name : null,
      kind: input.kind ?? 'manual',
      content: JSON.stringify(content),
      createdAt: isoNow(this.clock),
      createdBy: this.replica.userId,
      pending: this.synced ? 'create' : 'none',
      attempts: 0,
      lastError: null,
    };
    this.replica.db.transaction(() => {
      this.versions.insert(row);
      // Server accounts: the server thins its own list (it is the truth there).
      if (!this.synced && row.kind !== 'manual')
        for (const id of versionsToPrune(this.versions.ages(nodeId), Date.parse(row.createdAt)))
          this.versions.delete(id);
    })();
    this.changed(nodeId);
    void this.flush();
    return this.view(row);
  }

  rename(nodeId: string, versionId: string, name: string | null): VersionView {
    const row = this.requireVersion(nodeId, versionId);
    const pending = !this.synced ? 'none' : row.pending === 'create' ? 'create' : 'rename';
    this.versions.rename(versionId, name ? name : null, pending);
    this.changed(nodeId);
    void this.flush();
    return this.view({ ...row, name: name ? name : null, pending });
  }

  delete(nodeId: string, versionId: string): void {
    const row = this.requireVersion(nodeId, versionId);
    if (!this.synced || row.pending === 'create') this.versions.delete(versionId);
    else this.versions.markPending(versionId, 'delete');
    this.changed(nodeId);
    void this.flush();
  }

  /** Sends what waits, in order; one run at a time. */
  flush(): Promise<void> {
    if (!this.remote || this.stopped) return Promise.resolve();
    this.sending ??= this.send(this.remote).finally(() => (this.sending = null));
    return this.sending;
  }

  stop(): void {
    this.stopped = true;
    this.autoSnapshots.stop();
    this.retry.stop();
  }

  private async send(remote: VersionsRemote): Promise<void> {
    let failed = false;
    for (const row of this.versions.pending()) {
      // Closed while a request was out: the replica is gone, what waits is sent next time.
      if (this.stopped) return;
      try {
        if (row.pending === 'create') {
          const made = await remote.createVersion(row.notebookId, row.nodeId, {
            id: row.id,
            name: row.name,
            kind: row.kind,
            content: JSON.parse(row.content ?? '{"type":"doc","content":[]}') as unknown,
          });
          if (this.stopped) return;
          // Deleted here while it was on its way: delete it there too.
          if (!this.versions.get(row.id)) await remote.deleteVersion(row.notebookId, row.nodeId, row.id);
          else this.versions.confirm(row.id, made.revision, row.name);
        } else if (row.pending === 'rename') {
          await remote.renameVersion(row.notebookId, row.nodeId, row.id, row.name);
          if (this.stopped) return;
          this.versions.confirm(row.id, null, row.name);
        } else {
          await remote.deleteVersion(row.notebookId, row.nodeId, row.id);
          if (this.stopped) return;
          this.versions.delete(row.id);
        }
        this.changed(row.nodeId);
      } catch (error) {
        if (this.stopped) return;
        if (!(error instanceof ServerRequestError)) throw error;
        // Gone there already: a rename or delete has nothing left to do.
        if (error.status === 404 && row.pending !== 'create') {
          this.versions.delete(row.id);
          this.changed(row.nodeId);
          continue;
        }
        // Unreachable, busy, the page not on the server yet (404 on create), or refused: kept, tried again later.
        this.versions.failed(row.id, error.message);
        failed = true;
        if (error.transient) break;
      }
    }
    if (failed) this.retry.schedule();
    else this.retry.succeeded();
  }

  /** Fetches the newest versions' contents in the background, so the history opens offline later. */
  private async prefetch(nodeId: string, notebookId: string): Promise<void> {
    const missing = this.versions
      .list(nodeId)
      .filter((row) => row.content === null)
      .slice(0, PREFETCH);
    for (const row of missing) {
      if (!this.remote || this.stopped) return;
      try {
        const fetched = await this.remote.getVersion(notebookId, nodeId, row.id);
        this.versions.setContent(row.id, JSON.stringify(fetched.content));
      } catch {
        return; // offline or gone: the next listing tries again
      }
    }
    if (missing.length > 0) this.changed(nodeId);
  }

  private async takeAutomatic(nodeId: string): Promise<void> {
    if (!this.documents.get(nodeId)) return;
    const content = JSON.stringify(await this.pages.content(nodeId));
    if (this.stopped || this.versions.newestContent(nodeId) === content) return;
    await this.create(nodeId, { kind: 'auto' });
  }

  private canManage(nodeId: string): boolean {
    const node = this.nodes.get(nodeId);
    const notebook = node ? this.notebooks.get(node.notebookId) : undefined;
    // A type this version does not know (written by a newer app) is not a page with versions here.
    if (!node || !notebook || !(NODE_TYPES as readonly string[]).includes(node.type)) return false;
    const role = DEFAULT_NODE_ROLE[notebook.role];
    return canOnNode(
      role,
      this.replica.userId,
      { type: node.type as NodeType, createdBy: node.createdBy ?? '' },
      NodeAction.manageVersions,
    ).allowed;
  }

  private view(row: VersionRow): VersionView {
    return {
      id: row.id,
      nodeId: row.nodeId,
      name: row.name,
      kind: row.kind,
      createdAt: row.createdAt,
      createdBy: row.createdBy,
      createdByName:
        row.createdBy === this.replica.userId
          ? 'You'
          : (this.versions.userName(row.createdBy) ?? 'Someone else'),
      pending: row.pending !== 'none',
      available: row.content !== null,
    };
  }

  private requirePage(nodeId: string): { notebookId: string } {
    const document = this.documents.get(nodeId);
    if (!document) throw notFound('Page', nodeId);
    return document;
  }

  private requireVersion(nodeId: string, versionId: string): VersionRow {
    const row = this.versions.get(versionId);
    if (!row || row.nodeId !== nodeId || row.pending === 'delete') throw versionDeleted(versionId);
    return row;
  }

  private changed(nodeId: string): void {
    this.events.emit('version.changed', { accountId: this.replica.accountId, nodeId });
  }
}

const versionDeleted = (versionId: string): AppError =>
  new AppError(ErrorCode.notFound, 'This version was deleted', [{ path: 'versionId', message: versionId }]);
