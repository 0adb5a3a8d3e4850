import type { CommentAnchorInput, CommentOutput } from '../../shared/api/comments';
import type { CommentThreadView, CommentView } from '../../shared/contract';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { AppError, ErrorCode, badRequest, notFound } from '../../shared/lib/result';
import { NodeAction, canOnNode } from '../../shared/model/permissions';
import { ServerRequestError } from '../accounts/server-client';
import { isoNow, type Clock } from '../lib/clock';
import type { EventBus } from '../lib/events';
import type { NodesService } from '../nodes/nodes.service';
import type { Replica } from '../replica/replica';
import { CommentsRepository, type CommentRow } from './comments.repository';

/** The server's comments API, as the desktop calls it (ServerClient). */
export interface CommentsRemote {
  listComments(notebookId: string, nodeId: string): Promise<CommentOutput[]>;
  createComment(
    notebookId: string,
    nodeId: string,
    body: { content: string; parentId?: string; anchor?: CommentAnchorInput },
    idempotencyKey: string,
  ): Promise<CommentOutput>;
  resolveComment(notebookId: string, nodeId: string, commentId: string): Promise<CommentOutput>;
}

const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 60_000;

const anchorStatusOf = (value: string | null): CommentRow['anchorStatus'] =>
  value === 'active' || value === 'orphaned' ? value : null;

/** The anchor as the API's create body takes it, from a comment the server answered. */
function anchorOf(out: CommentOutput): CommentAnchorInput | null {
  if (out.anchorType === 'document') return { type: 'document' };
  if (out.anchorType === 'block' && out.anchorBlockId) return { type: 'block', blockId: out.anchorBlockId };
  if (out.anchorType === 'text-range' && out.startBlockId && out.endBlockId)
    return {
      type: 'text-range',
      startBlockId: out.startBlockId,
      startOffset: out.startOffset ?? 0,
      endBlockId: out.endBlockId,
      endOffset: out.endOffset ?? 0,
      ...(out.anchorQuote === null ? {} : { quote: out.anchorQuote }),
      ...(out.anchorContextBefore === null ? {} : { contextBefore: out.anchorContextBefore }),
      ...(out.anchorContextAfter === null ? {} : { contextAfter: out.anchorContextAfter }),
    };
  return null;
}

/**
 * Comments of one account, offline-first: a comment written or resolved here is committed to the replica and
 * shown at once, then sent in order when the server can be reached; its own id is the POST's Idempotency-Key,
 * so a retry whose answer was lost never makes two. A refusal is kept beside the comment (never dropped).
 * The Local account keeps its comments (notes to self) in the replica alone.
 */
export class CommentsService {
  private readonly comments: CommentsRepository;
  private remote: CommentsRemote | null = null;
  private sending: Promise<void> | null = null;
  private again = false;
  private retryMs = RETRY_FIRST_MS;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    private readonly replica: Replica,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly nodes: Pick<NodesService, 'get' | 'roleOn'>,
    /** A server account: comments are sent; the Local account keeps them here alone. */
    private readonly synced: boolean,
  ) {
    this.comments = new CommentsRepository(replica.db);
  }

  connect(remote: CommentsRemote): void {
    this.remote = remote;
    void this.flush();
  }

  /** The page's threads; refreshed from the server first when it answers (offline: what is here). */
  async list(nodeId: string): Promise<CommentThreadView[]> {
    const node = this.nodes.get(nodeId);
    if (this.remote) {
      try {
        await this.refresh(node.notebookId, nodeId, this.remote);
      } catch (error) {
        if (!(error instanceof ServerRequestError)) throw error;
      }
    }
    return this.view(nodeId);
  }

  create(
    nodeId: string,
    input: { content: string; parentId?: string | undefined; anchor?: CommentAnchorInput | undefined },
  ): CommentThreadView[] {
    const node = this.nodes.get(nodeId);
    const role = this.nodes.roleOn(nodeId);
    if (
      !canOnNode(role, this.replica.userId, { type: node.type as 'page', createdBy: '' }, NodeAction.comment)
        .allowed
    )
      throw new AppError(ErrorCode.forbidden, 'Your role here does not allow comments', [
        { path: 'nodeId', message: `your role is ${role ?? 'none'}` },
      ]);
    if (input.parentId !== undefined) {
      const parent = this.comments.get(input.parentId);
      if (!parent || parent.nodeId !== nodeId)
        throw badRequest('That thread is not on this page (deleted?)', [
          { path: 'parentId', message: 'unknown thread' },
        ]);
      if (parent.parentId !== null)
        throw badRequest('Reply to the thread, not to a reply', [
          { path: 'parentId', message: 'is a reply' },
        ]);
    }
    this.comments.insert({
      id: newId(IdPrefix.comment),
      serverId: null,
      nodeId,
      notebookId: node.notebookId,
      parentId: input.parentId ?? null,
      anchor: input.parentId === undefined && input.anchor ? JSON.stringify(input.anchor) : null,
      anchorStatus: input.parentId === undefined && input.anchor ? 'active' : null,
      content: input.content,
      createdAt: isoNow(this.clock),
      createdBy: this.replica.userId,
      createdByName: '',
      resolvedAt: null,
      version: 0,
      pending: this.synced ? 'create' : 'none',
      lastError: null,
    });
    this.changed(nodeId);
    void this.flush();
    return this.view(nodeId);
  }

  resolve(nodeId: string, commentId: string): CommentThreadView[] {
    const row = this.comments.get(commentId);
    if (!row || row.nodeId !== nodeId) throw notFound('Comment', commentId);
    if (row.parentId !== null)
      throw badRequest('Only a thread is resolved, not a reply', [
        { path: 'commentId', message: 'is a reply' },
      ]);
    if (row.resolvedAt !== null) return this.view(nodeId);
    // Not sent yet: it is created first, then resolved (flush does both, in that order).
    const pending = row.pending === 'create' ? 'create' : this.synced ? 'resolve' : 'none';
    this.comments.update({ ...row, resolvedAt: isoNow(this.clock), pending });
    this.changed(nodeId);
    void this.flush();
    return this.view(nodeId);
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  /** Sends what waits, one at a time, in the order it was written; a second call during a run runs again after. */
  flush(): Promise<void> {
    if (this.sending) {
      this.again = true;
      return this.sending;
    }
    const remote = this.remote;
    if (!remote || this.stopped) return Promise.resolve();
    this.sending = (async () => {
      do {
        this.again = false;
        await this.sendWaiting(remote);
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.sending = null;
    });
    return this.sending;
  }

  private async sendWaiting(remote: CommentsRemote): Promise<void> {
    for (const row of this.comments.waiting()) {
      if (this.stopped) return;
      const current = this.comments.get(row.id);
      if (!current || current.pending === 'none') continue;
      const parent = current.parentId === null ? null : this.comments.get(current.parentId);
      if (parent && parent.serverId === null) continue; // its thread was refused or has not gone yet
      try {
        const out =
          current.pending === 'create'
            ? await remote.createComment(
                current.notebookId,
                current.nodeId,
                {
                  content: current.content,
                  ...(parent?.serverId ? { parentId: parent.serverId } : {}),
                  ...(current.anchor ? { anchor: JSON.parse(current.anchor) as CommentAnchorInput } : {}),
                },
                current.id,
              )
            : await remote.resolveComment(current.notebookId, current.nodeId, current.serverId ?? current.id);
        const resolveNext =
          current.pending === 'create' && current.resolvedAt !== null && out.resolvedAt === null;
        this.comments.update({
          ...current,
          serverId: out.id,
          version: out.version,
          anchorStatus: anchorStatusOf(out.anchorStatus),
          createdByName: out.createdByName,
          resolvedAt: resolveNext ? current.resolvedAt : out.resolvedAt,
          pending: resolveNext ? 'resolve' : 'none',
        });
        if (resolveNext) this.again = true;
        this.retryMs = RETRY_FIRST_MS;
      } catch (error) {
        if (!(error instanceof ServerRequestError)) throw error;
        if (error.transient) return this.retryLater();
        this.comments.update({ ...current, lastError: error.message });
      }
      this.changed(current.nodeId);
    }
  }

  private retryLater(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.flush();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  /** The server's comments of a page, over the replica's (what waits to be sent stays as it is). */
  private async refresh(notebookId: string, nodeId: string, remote: CommentsRemote): Promise<void> {
    const outs = await remote.listComments(notebookId, nodeId);
    let changed = false;
    this.replica.db.transaction(() => {
      for (const out of outs) {
        const local = this.comments.byServerId(out.id);
        if (local && local.pending !== 'none') continue;
        // Ours, posted but its answer lost: the same comment, not a second one (the retry's idempotent answer
        // completes it).
        const twin = local ? undefined : this.comments.unsentTwin(nodeId, out.createdBy, out.content);
        if (twin) {
          this.comments.update({ ...twin, serverId: out.id });
          continue;
        }
        const parentId =
          out.parentId === null ? null : (this.comments.byServerId(out.parentId)?.id ?? out.parentId);
        const anchor = anchorOf(out);
        const row: CommentRow = {
          id: local?.id ?? out.id,
          serverId: out.id,
          nodeId,
          notebookId,
          parentId,
          anchor: anchor ? JSON.stringify(anchor) : null,
          anchorStatus: anchorStatusOf(out.anchorStatus),
          content: out.content,
          createdAt: out.createdAt,
          createdBy: out.createdBy,
          createdByName: out.createdByName,
          resolvedAt: out.resolvedAt,
          version: out.version,
          pending: 'none',
          lastError: null,
        };
        if (local && JSON.stringify(local) === JSON.stringify(row)) continue;
        if (local) this.comments.update(row);
        else this.comments.insert(row);
        changed = true;
      }
    })();
    if (changed) this.changed(nodeId);
  }

  private view(nodeId: string): CommentThreadView[] {
    const rows = this.comments.list(nodeId);
    const toView = (row: CommentRow): CommentView => ({
      id: row.id,
      content: row.content,
      createdAt: row.createdAt,
      createdBy: row.createdBy,
      createdByName: row.createdByName,
      mine: row.createdBy === this.replica.userId,
      pending: row.pending !== 'none' && row.lastError === null,
      refused: row.lastError,
    });
    return rows
      .filter((row) => row.parentId === null)
      .map((thread) => ({
        ...toView(thread),
        anchor: thread.anchor ? (JSON.parse(thread.anchor) as CommentAnchorInput) : null,
        anchorStatus: thread.anchorStatus,
        resolvedAt: thread.resolvedAt,
        replies: rows.filter((row) => row.parentId === thread.id).map(toView),
      }));
  }

  private changed(nodeId: string): void {
    this.events.emit('comment.changed', { accountId: this.replica.accountId, nodeId });
  }
}
