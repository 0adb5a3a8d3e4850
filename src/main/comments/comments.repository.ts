import type { Db } from '../db/open';
import { prepared } from '../db/statements';

export interface CommentRow {
  id: string;
  serverId: string | null;
  nodeId: string;
  notebookId: string;
  parentId: string | null;
  /** JSON of the anchor, or null. */
  anchor: string | null;
  anchorStatus: 'active' | 'orphaned' | null;
  content: string;
  createdAt: string;
  createdBy: string;
  createdByName: string;
  resolvedAt: string | null;
  version: number;
  /** `create`: not on the server yet; `resolve`: the resolution to send (resolve or reopen, per resolvedAt). */
  pending: 'none' | 'create' | 'resolve';
  /** Edited here and not sent yet (a comment still to be created sends its latest text instead). */
  editPending: boolean;
  /** Re-anchored here and not sent yet (likewise: a create sends the latest anchor). */
  anchorPending: boolean;
  /** Deleted here: hidden at once, the row goes when the server confirms. */
  deletedAt: string | null;
  lastError: string | null;
}

type StoredRow = Omit<CommentRow, 'editPending' | 'anchorPending'> & {
  editPending: number;
  anchorPending: number;
};
const fromStored = (row: StoredRow): CommentRow => ({
  ...row,
  editPending: row.editPending === 1,
  anchorPending: row.anchorPending === 1,
});
const toStored = (row: CommentRow): StoredRow => ({
  ...row,
  editPending: row.editPending ? 1 : 0,
  anchorPending: row.anchorPending ? 1 : 0,
});

const COLUMNS = `id, server_id AS serverId, node_id AS nodeId, notebook_id AS notebookId, parent_id AS parentId,
  anchor, anchor_status AS anchorStatus, content, created_at AS createdAt, created_by AS createdBy,
  created_by_name AS createdByName, resolved_at AS resolvedAt, version, pending, edit_pending AS editPending,
  anchor_pending AS anchorPending, deleted_at AS deletedAt, last_error AS lastError`;

/** All SQL of comments. */
export class CommentsRepository {
  constructor(private readonly db: Db) {}

  list(nodeId: string): CommentRow[] {
    return (
      prepared(this.db, `SELECT ${COLUMNS} FROM comments WHERE node_id = ? ORDER BY created_at, id`).all(
        nodeId,
      ) as StoredRow[]
    ).map(fromStored);
  }

  get(id: string): CommentRow | undefined {
    const row = prepared(this.db, `SELECT ${COLUMNS} FROM comments WHERE id = ?`).get(id) as
      StoredRow | undefined;
    return row && fromStored(row);
  }

  byServerId(serverId: string): CommentRow | undefined {
    const row = prepared(this.db, `SELECT ${COLUMNS} FROM comments WHERE server_id = ?`).get(serverId) as
      StoredRow | undefined;
    return row && fromStored(row);
  }

  /**
   * One of ours, still waiting to be created, that the server may already have (its answer was lost): the same
   * author, page and text, not yet matched to a server comment.
   */
  unsentTwin(nodeId: string, createdBy: string, content: string): CommentRow | undefined {
    const row = prepared(
      this.db,
      `SELECT ${COLUMNS} FROM comments WHERE node_id = ? AND created_by = ? AND content = ?
         AND server_id IS NULL AND pending = 'create' ORDER BY created_at, id LIMIT 1`,
    ).get(nodeId, createdBy, content) as StoredRow | undefined;
    return row && fromStored(row);
  }

  /** What waits to be sent (refused ones are kept aside), oldest first: a thread goes before its replies. */
  waiting(): CommentRow[] {
    return (
      prepared(
        this.db,
        `SELECT ${COLUMNS} FROM comments
           WHERE (pending != 'none' OR edit_pending = 1 OR anchor_pending = 1 OR deleted_at IS NOT NULL)
             AND last_error IS NULL
           ORDER BY created_at, id`,
      ).all() as StoredRow[]
    ).map(fromStored);
  }

  insert(row: CommentRow): void {
    prepared(
      this.db,
      `INSERT INTO comments (id, server_id, node_id, notebook_id, parent_id, anchor, anchor_status, content,
         created_at, created_by, created_by_name, resolved_at, version, pending, edit_pending, anchor_pending,
         deleted_at, last_error)
       VALUES (@id, @serverId, @nodeId, @notebookId, @parentId, @anchor, @anchorStatus, @content, @createdAt,
         @createdBy, @createdByName, @resolvedAt, @version, @pending, @editPending, @anchorPending, @deletedAt,
         @lastError)`,
    ).run(toStored(row));
  }

  /** The server's copy of a comment, over ours unless ours still waits to be sent. */
  update(row: CommentRow): void {
    prepared(
      this.db,
      `UPDATE comments SET server_id = @serverId, parent_id = @parentId, anchor = @anchor,
         anchor_status = @anchorStatus, content = @content, created_by_name = @createdByName,
         resolved_at = @resolvedAt, version = @version, pending = @pending, edit_pending = @editPending,
         anchor_pending = @anchorPending, deleted_at = @deletedAt, last_error = @lastError
       WHERE id = @id`,
    ).run(toStored(row));
  }

  /** A comment and, for a thread, its replies. */
  remove(id: string): void {
    prepared(this.db, 'DELETE FROM comments WHERE id = ? OR parent_id = ?').run(id, id);
  }
}
