import type { CommentAnchorInput, CommentOutput } from '../../shared/api/comments';
import { ServerRequestError } from '../accounts/server-client';
import { RetryLater } from '../lib/retry-later';
import type { CommentRow, CommentsRepository } from './comments.repository';

/** The server's comments API, as the desktop calls it (ServerClient). */
export interface CommentsRemote {
  listComments(notebookId: string, nodeId: string): Promise<CommentOutput[]>;
  createComment(
    notebookId: string,
    nodeId: string,
    body: { content: string; parentId?: string; anchor?: CommentAnchorInput },
    idempotencyKey: string,
  ): Promise<CommentOutput>;
  editComment(
    notebookId: string,
    nodeId: string,
    commentId: string,
    content: string,
    expectedVersion: number,
  ): Promise<CommentOutput>;
  resolveComment(notebookId: string, nodeId: string, commentId: string): Promise<CommentOutput>;
  reopenComment(notebookId: string, nodeId: string, commentId: string): Promise<CommentOutput>;
  reanchorComment(
    notebookId: string,
    nodeId: string,
    commentId: string,
    anchor: CommentAnchorInput,
  ): Promise<CommentOutput>;
  deleteComment(notebookId: string, nodeId: string, commentId: string): Promise<void>;
}

const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 60_000;

export const anchorStatusOf = (value: string | null): CommentRow['anchorStatus'] =>
  value === 'active' || value === 'orphaned' ? value : null;

/** A 409 on the anchor: its block is not on the server (yet, when the page's own edits are still on their way). */
const anchorRefused = (error: ServerRequestError): boolean =>
  error.status === 409 && error.details.some((detail) => detail.path.startsWith('anchor'));

/**
 * Sends what comments wait, one change at a time in the order written: a thread before its replies, a create
 * before the resolve, edit or delete of the same comment. Transient failures are retried with backoff; a
 * refusal is kept beside the comment (shown as refused, never dropped).
 */
export class CommentsSender {
  private remote: CommentsRemote | null = null;
  private sending: Promise<void> | null = null;
  private again = false;
  private readonly retry = new RetryLater(() => void this.flush(), RETRY_FIRST_MS, RETRY_MAX_MS);
  private stopped = false;

  constructor(
    private readonly comments: CommentsRepository,
    private readonly changed: (nodeId: string) => void,
    /** Whether the page still has its own edits to send (an anchor into new text waits for them). */
    private readonly documentPending: (nodeId: string) => boolean,
  ) {}

  connect(remote: CommentsRemote): void {
    this.remote = remote;
    void this.flush();
  }

  get connected(): CommentsRemote | null {
    return this.remote;
  }

  stop(): void {
    this.stopped = true;
    this.retry.stop();
  }

  /** Sends what waits; a second call during a run runs again after it. */
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
      if (!current || current.lastError !== null) continue;
      const parent = current.parentId === null ? null : this.comments.get(current.parentId);
      if (parent && parent.serverId === null) continue; // its thread was refused or has not gone yet
      try {
        await this.sendOne(remote, current, parent?.serverId ?? undefined);
        this.retry.succeeded();
      } catch (error) {
        if (!(error instanceof ServerRequestError)) throw error;
        if (error.transient || (anchorRefused(error) && this.documentPending(current.nodeId)))
          return this.retry.schedule();
        this.comments.update({ ...current, lastError: error.message });
      }
      this.changed(current.nodeId);
    }
  }

  /** One change of `row` (the next one it waits for); what is left of it goes in the next round. */
  private async sendOne(remote: CommentsRemote, row: CommentRow, parentServerId: string | undefined) {
    const { notebookId, nodeId } = row;
    const serverId = row.serverId ?? row.id;
    if (row.pending === 'create') {
      const body = {
        content: row.content,
        ...(parentServerId ? { parentId: parentServerId } : {}),
        ...(row.anchor ? { anchor: JSON.parse(row.anchor) as CommentAnchorInput } : {}),
      };
      const out = await remote.createComment(notebookId, nodeId, body, row.id);
      const resolveNext = row.resolvedAt !== null && out.resolvedAt === null;
      this.fromServer(row, out, {
        pending: resolveNext ? 'resolve' : 'none',
        editPending: false,
        anchorPending: false,
      });
      if (resolveNext || row.deletedAt !== null) this.again = true;
    } else if (row.deletedAt !== null) {
      try {
        await remote.deleteComment(notebookId, nodeId, serverId);
      } catch (error) {
        // Already gone (deleted elsewhere, or its thread was): what we wanted.
        if (!(error instanceof ServerRequestError) || error.status !== 404) throw error;
      }
      this.comments.remove(row.id);
    } else if (row.editPending) {
      const out = await remote.editComment(notebookId, nodeId, serverId, row.content, row.version);
      this.fromServer(row, out, { editPending: false });
      if (row.pending !== 'none') this.again = true;
    } else if (row.anchorPending && row.anchor !== null) {
      const anchor = JSON.parse(row.anchor) as CommentAnchorInput;
      const out = await remote.reanchorComment(notebookId, nodeId, serverId, anchor);
      this.fromServer(row, out, { anchorPending: false });
      if (row.pending !== 'none') this.again = true;
    } else if (row.pending === 'resolve') {
      const out =
        row.resolvedAt === null
          ? await remote.reopenComment(notebookId, nodeId, serverId)
          : await remote.resolveComment(notebookId, nodeId, serverId);
      this.fromServer(row, out, { pending: 'none' });
    }
  }

  /** The server's answer over the row, keeping what is still to be sent of it (changed meanwhile). */
  private fromServer(row: CommentRow, out: CommentOutput, sent: Partial<CommentRow>): void {
    const now = this.comments.get(row.id);
    if (!now) return;
    this.comments.update({
      ...now,
      serverId: out.id,
      version: out.version,
      anchorStatus: anchorStatusOf(out.anchorStatus),
      createdByName: out.createdByName,
      resolvedAt: sent.pending === 'none' || now.pending === 'none' ? out.resolvedAt : now.resolvedAt,
      // Changed again while this was on its way: still to be sent.
      pending: now.resolvedAt !== row.resolvedAt ? 'resolve' : (sent.pending ?? now.pending),
      editPending: now.content !== row.content ? true : (sent.editPending ?? now.editPending),
      anchorPending: now.anchor !== row.anchor ? true : (sent.anchorPending ?? now.anchorPending),
    });
  }
}
