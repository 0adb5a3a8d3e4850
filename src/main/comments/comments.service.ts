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
import { CommentsSender, anchorStatusOf, type CommentsRemote } from './comments.sender';

/** A page's comments fetched this recently are not fetched again for a list (the stream brings changes). */
const LIST_FRESH_MS = 30_000;

/** What the server's list answers at most (ServerClient.listComments). */
const LIST_LIMIT = 1_000;

/** A change made here is still to be sent: the server's copy does not replace it. */
const waitsToSend = (row: CommentRow): boolean =>
  row.pending !== 'none' || row.editPending || row.anchorPending || row.deletedAt !== null;

const SERVER_FIELDS = [
  'serverId',
  'parentId',
  'anchor',
  'anchorStatus',
  'content',
  'createdByName',
  'resolvedAt',
  'version',
  'pending',
  'editPending',
  'anchorPending',
  'deletedAt',
  'lastError',
] as const satisfies readonly (keyof CommentRow)[];
const sameServerCopy = (a: CommentRow, b: CommentRow): boolean =>
  SERVER_FIELDS.every((key) => a[key] === b[key]);

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
 * Comments of one account, offline-first: a comment written, edited, resolved, reopened or deleted here is
 * committed to the replica and shown at once, then sent in order when the server can be reached
 * (CommentsSender); its own id is the POST's Idempotency-Key, so a retry whose answer was lost never makes
 * two. A refusal is kept beside the comment (never dropped). The Local account keeps its comments (notes to
 * self) in the replica alone.
 */
export class CommentsService {
  private readonly comments: CommentsRepository;
  private readonly sender: CommentsSender;
  /** When each page's comments were last fetched (ms). */
  private readonly pulledAt = new Map<string, number>();

  constructor(
    private readonly replica: Replica,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly nodes: Pick<NodesService, 'get' | 'roleOn'>,
    /** A server account: comments are sent; the Local account keeps them here alone. */
    private readonly synced: boolean,
    /** Whether a page still has edits of its own to send (an anchor into new text waits for them). */
    documentPending: (nodeId: string) => boolean = () => false,
  ) {
    this.comments = new CommentsRepository(replica.db);
    this.sender = new CommentsSender(this.comments, (nodeId) => this.changed(nodeId), documentPending);
  }

  connect(remote: CommentsRemote): void {
    this.sender.connect(remote);
  }

  stop(): void {
    this.sender.stop();
  }

  /** Sends what waits (tests await it; writes start it themselves). */
  flush(): Promise<void> {
    return this.sender.flush();
  }

  /** The page's threads; refreshed from the server first when it answers (offline: what is here). */
  async list(nodeId: string): Promise<CommentThreadView[]> {
    const node = this.nodes.get(nodeId);
    // The `node.comments` stream brings changes live (remoteChanged); a list asked again soon after needs no
    // second request (the panel asks on every change it hears of).
    const pulledAt = this.pulledAt.get(nodeId);
    if (pulledAt === undefined || this.clock.now().getTime() - pulledAt > LIST_FRESH_MS)
      await this.pull(node.notebookId, nodeId);
    return this.view(nodeId);
  }

  /** Someone changed the page's comments on the server (its stream said so): fetched now, the page told. */
  async remoteChanged(nodeId: string): Promise<void> {
    let notebookId: string;
    try {
      notebookId = this.nodes.get(nodeId).notebookId;
    } catch (error) {
      if (error instanceof AppError) return; // not in this replica (yet, or any more)
      throw error;
    }
    await this.pull(notebookId, nodeId);
  }

  create(
    nodeId: string,
    input: { content: string; parentId?: string | undefined; anchor?: CommentAnchorInput | undefined },
  ): CommentThreadView[] {
    const node = this.nodes.get(nodeId);
    this.mayComment(nodeId, node.type);
    if (input.parentId !== undefined) {
      const parent = this.comments.get(input.parentId);
      if (!parent || parent.nodeId !== nodeId || parent.deletedAt !== null)
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
      editPending: false,
      anchorPending: false,
      deletedAt: null,
      lastError: null,
    });
    return this.written(nodeId);
  }

  /** The author's new text (sent with the version it was written on: someone else's change meanwhile is a 409). */
  edit(nodeId: string, commentId: string, content: string): CommentThreadView[] {
    const row = this.own(nodeId, commentId, 'edit');
    if (row.content === content) return this.view(nodeId);
    const editPending = this.synced && row.pending !== 'create';
    this.comments.update({ ...row, content, editPending, lastError: null });
    return this.written(nodeId);
  }

  /** Deletes a comment (a thread with its replies): hidden at once, gone from the server when sent. */
  delete(nodeId: string, commentId: string): CommentThreadView[] {
    const row = this.own(nodeId, commentId, 'delete');
    // Never reached the server (Local account, or refused): nothing to tell it.
    if (!this.synced || (row.serverId === null && row.lastError !== null)) this.comments.remove(row.id);
    else this.comments.update({ ...row, deletedAt: isoNow(this.clock), lastError: null });
    return this.written(nodeId);
  }

  /**
   * A thread attached to new text (its own was deleted): its author or whoever may moderate the page's comments
   * (as the server decides). Shown at once, sent when online.
   */
  reanchor(nodeId: string, commentId: string, anchor: CommentAnchorInput): CommentThreadView[] {
    const row = this.comments.get(commentId);
    if (!row || row.nodeId !== nodeId || row.deletedAt !== null) throw notFound('Comment', commentId);
    const node = this.nodes.get(nodeId);
    this.mayComment(nodeId, node.type);
    if (row.parentId !== null)
      throw badRequest('Only a thread has an anchor, not a reply', [
        { path: 'commentId', message: 'is a reply' },
      ]);
    const role = this.nodes.roleOn(nodeId);
    const moderator = canOnNode(
      role,
      this.replica.userId,
      { type: node.type as 'page', createdBy: '' },
      NodeAction.moderateComments,
    ).allowed;
    if (row.createdBy !== this.replica.userId && !moderator)
      throw new AppError(ErrorCode.forbidden, 'Only its author or a page admin can move a thread', [
        { path: 'commentId', message: 'written by someone else' },
      ]);
    const anchorPending = this.synced && row.pending !== 'create';
    this.comments.update({
      ...row,
      anchor: JSON.stringify(anchor),
      anchorStatus: 'active',
      anchorPending,
      lastError: null,
    });
    return this.written(nodeId);
  }

  resolve(nodeId: string, commentId: string): CommentThreadView[] {
    return this.setResolved(nodeId, commentId, true);
  }

  reopen(nodeId: string, commentId: string): CommentThreadView[] {
    return this.setResolved(nodeId, commentId, false);
  }

  private setResolved(nodeId: string, commentId: string, resolved: boolean): CommentThreadView[] {
    const row = this.comments.get(commentId);
    if (!row || row.nodeId !== nodeId || row.deletedAt !== null) throw notFound('Comment', commentId);
    this.mayComment(nodeId, this.nodes.get(nodeId).type);
    if (row.parentId !== null)
      throw badRequest('Only a thread is resolved, not a reply', [
        { path: 'commentId', message: 'is a reply' },
      ]);
    if ((row.resolvedAt !== null) === resolved) return this.view(nodeId);
    // Not sent yet: it is created first, then resolved (the sender does both, in that order).
    const pending = row.pending === 'create' ? 'create' : this.synced ? 'resolve' : 'none';
    this.comments.update({ ...row, resolvedAt: resolved ? isoNow(this.clock) : null, pending });
    return this.written(nodeId);
  }

  private mayComment(nodeId: string, type: string): void {
    const role = this.nodes.roleOn(nodeId);
    if (
      !canOnNode(role, this.replica.userId, { type: type as 'page', createdBy: '' }, NodeAction.comment)
        .allowed
    )
      throw new AppError(ErrorCode.forbidden, 'Your role here does not allow comments', [
        { path: 'nodeId', message: `your role is ${role ?? 'none'}` },
      ]);
  }

  /** A comment of the user's own on this page (only the author edits or deletes one here). */
  private own(nodeId: string, commentId: string, what: string): CommentRow {
    const row = this.comments.get(commentId);
    if (!row || row.nodeId !== nodeId || row.deletedAt !== null) throw notFound('Comment', commentId);
    if (row.createdBy !== this.replica.userId)
      throw new AppError(ErrorCode.forbidden, `Only its author can ${what} a comment`, [
        { path: 'commentId', message: 'written by someone else' },
      ]);
    return row;
  }

  private written(nodeId: string): CommentThreadView[] {
    this.changed(nodeId);
    void this.sender.flush();
    return this.view(nodeId);
  }

  private async pull(notebookId: string, nodeId: string): Promise<void> {
    const remote = this.sender.connected;
    if (!remote) return;
    try {
      const startedAt = this.clock.now().getTime();
      await this.refresh(notebookId, nodeId, remote);
      this.pulledAt.set(nodeId, startedAt);
    } catch (error) {
      if (!(error instanceof ServerRequestError)) throw error;
    }
  }

  /** The server's comments of a page, over the replica's (what waits to be sent stays as it is). */
  private async refresh(notebookId: string, nodeId: string, remote: CommentsRemote): Promise<void> {
    // Only what was on the server before the list was asked can be missing from it because it was deleted there
    // (one sent meanwhile may be missing because the answer was read before it arrived).
    const knownBefore = new Set(
      this.comments
        .list(nodeId)
        .filter((row) => row.serverId !== null)
        .map((row) => row.id),
    );
    const outs = await remote.listComments(notebookId, nodeId);
    let changed = false;
    this.replica.db.transaction(() => {
      for (const out of outs) {
        const local = this.comments.byServerId(out.id);
        // Ours still to be sent, or newer than this answer (a change sent while it was on its way).
        if (local && (waitsToSend(local) || local.version > out.version)) continue;
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
          editPending: false,
          anchorPending: false,
          deletedAt: null,
          lastError: null,
        };
        // What update() writes, unchanged: nothing to tell (a page's list is asked again on every change; a
        // difference update() cannot remove, like our own createdAt, would make that a loop).
        if (local && sameServerCopy(local, row)) continue;
        if (local) this.comments.update(row);
        else this.comments.insert(row);
        changed = true;
      }
      // Deleted on the server (by its author or a moderator; a thread takes its replies): gone here too. Only
      // from a whole list: a page cut at the limit says nothing about what it left out.
      if (outs.length >= LIST_LIMIT) return;
      const onServer = new Set(outs.map((out) => out.id));
      for (const local of this.comments.list(nodeId)) {
        if (!knownBefore.has(local.id) || onServer.has(local.serverId!) || waitsToSend(local)) continue;
        this.comments.remove(local.id);
        changed = true;
      }
    })();
    if (changed) this.changed(nodeId);
  }

  private view(nodeId: string): CommentThreadView[] {
    const rows = this.comments.list(nodeId).filter((row) => row.deletedAt === null);
    const toView = (row: CommentRow): CommentView => ({
      id: row.id,
      content: row.content,
      createdAt: row.createdAt,
      createdBy: row.createdBy,
      createdByName: row.createdByName,
      mine: row.createdBy === this.replica.userId,
      pending: (row.pending !== 'none' || row.editPending || row.anchorPending) && row.lastError === null,
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
