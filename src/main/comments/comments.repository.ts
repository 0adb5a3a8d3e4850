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
  pending: 'none' | 'create' | 'resolve';
  lastError: string | null;
}

const COLUMNS = `id, server_id AS serverId, node_id AS nodeId, notebook_id AS notebookId, parent_id AS parentId,
  anchor, anchor_status AS anchorStatus, content, created_at AS createdAt, created_by AS createdBy,
  created_by_name AS createdByName, resolved_at AS resolvedAt, version, pending, last_error AS lastError`;

/** All SQL of comments. */
export class CommentsRepository {
  constructor(private readonly db: Db) {}

  list(nodeId: string): CommentRow[] {
    return prepared(this.db, `SELECT ${COLUMNS} FROM comments WHERE node_id = ? ORDER BY created_at, id`).all(
      nodeId,
    ) as CommentRow[];
  }

  get(id: string): CommentRow | undefined {
    return prepared(this.db, `SELECT ${COLUMNS} FROM comments WHERE id = ?`).get(id) as
      CommentRow | undefined;
  }

  byServerId(serverId: string): CommentRow | undefined {
    return prepared(this.db, `SELECT ${COLUMNS} FROM comments WHERE server_id = ?`).get(serverId) as
      CommentRow | undefined;
  }

  /**
   * One of ours, still waiting to be created, that the server may already have (its answer was lost): the same
   * author, page and text, not yet matched to a server comment.
   */
  unsentTwin(nodeId: string, createdBy: string, content: string): CommentRow | undefined {
    return prepared(
      this.db,
      `SELECT ${COLUMNS} FROM comments WHERE node_id = ? AND created_by = ? AND content = ?
         AND server_id IS NULL AND pending = 'create' ORDER BY created_at, id LIMIT 1`,
    ).get(nodeId, createdBy, content) as CommentRow | undefined;
  }

  /** What waits to be sent (refused ones are kept aside), oldest first: a thread goes before its replies. */
  waiting(): CommentRow[] {
    return prepared(
      this.db,
      `SELECT ${COLUMNS} FROM comments WHERE pending != 'none' AND last_error IS NULL ORDER BY created_at, id`,
    ).all() as CommentRow[];
  }

  insert(row: CommentRow): void {
    prepared(
      this.db,
      `INSERT INTO comments (id, server_id, node_id, notebook_id, parent_id, anchor, anchor_status, content,
         created_at, created_by, created_by_name, resolved_at, version, pending, last_error)
       VALUES (@id, @serverId, @nodeId, @notebookId, @parentId, @anchor, @anchorStatus, @content, @createdAt,
         @createdBy, @createdByName, @resolvedAt, @version, @pending, @lastError)`,
    ).run(row);
  }

  /** The server's copy of a comment, over ours unless ours still waits to be sent. */
  update(row: CommentRow): void {
    prepared(
      this.db,
      `UPDATE comments SET server_id = @serverId, parent_id = @parentId, anchor = @anchor,
         anchor_status = @anchorStatus, content = @content, created_by_name = @createdByName,
         resolved_at = @resolvedAt, version = @version, pending = @pending, last_error = @lastError
       WHERE id = @id`,
    ).run(row);
  }
}
