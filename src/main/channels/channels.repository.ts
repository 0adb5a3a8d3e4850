import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import { READ_MARK } from '../interactions/interactions.repository';

/** A message's row as the chat view reads it (its document's materialised JSON beside it). */
export interface MessageRow {
  id: string;
  notebookId: string;
  parentId: string;
  index: string;
  attributes: string;
  createdAt: string;
  createdBy: string | null;
  content: string | null;
  contentStale: number | null;
}

const MESSAGE_COLUMNS = `n.id, n.notebook_id AS notebookId, n.parent_id AS parentId, n.sort_index AS "index",
  n.attributes, n.created_at AS createdAt, n.created_by AS createdBy, d.content, d.content_stale AS contentStale`;

/**
 * A channel's messages in their synced order (the `index` attribute, then id), read from the nodes_by_parent
 * index: a window of the newest is one range scan however long the channel is.
 */
const MESSAGES = `FROM nodes n LEFT JOIN documents d ON d.id = n.id
  WHERE n.notebook_id = @notebookId AND n.parent_id = @channelId AND n.type = 'message' AND n.trashed_at IS NULL`;

/**
 * Unread messages per channel: written by someone else after the user's last read mark of the channel
 * (its `opened`/`seen` interactions, as for pages). Each channel's messages are reached through nodes_by_parent.
 */
const UNREAD_PER_CHANNEL = `SELECT c.id AS channelId, count(m.id) AS unread
  FROM nodes c
  LEFT JOIN node_interactions i ON i.node_id = c.id AND i.collaborator_id = @userId
  LEFT JOIN node_reads r ON r.node_id = c.id
  JOIN nodes m ON m.notebook_id = c.notebook_id AND m.parent_id = c.id AND m.type = 'message'
    AND m.trashed_at IS NULL AND coalesce(m.created_by, '') != @userId AND m.created_at > ${READ_MARK}
  WHERE c.notebook_id = @notebookId AND c.type = 'channel' AND c.trashed_at IS NULL
  GROUP BY c.id`;

/** SQL of the chat views. */
export class ChannelsRepository {
  constructor(private readonly db: Db) {}

  /** The newest `limit` messages before `before` (its index and id), newest first. */
  newest(
    notebookId: string,
    channelId: string,
    before: { index: string; id: string } | null,
    limit: number,
  ): MessageRow[] {
    const params = { notebookId, channelId, limit, index: before?.index ?? null, id: before?.id ?? null };
    const sql = before
      ? `SELECT ${MESSAGE_COLUMNS} ${MESSAGES} AND (n.sort_index < @index OR (n.sort_index = @index AND n.id < @id))
         ORDER BY n.sort_index DESC, n.id DESC LIMIT @limit`
      : `SELECT ${MESSAGE_COLUMNS} ${MESSAGES} ORDER BY n.sort_index DESC, n.id DESC LIMIT @limit`;
    return prepared(this.db, sql).all(params) as MessageRow[];
  }

  message(id: string): MessageRow | undefined {
    return prepared(
      this.db,
      `SELECT ${MESSAGE_COLUMNS} FROM nodes n LEFT JOIN documents d ON d.id = n.id WHERE n.id = ? AND n.type = 'message'`,
    ).get(id) as MessageRow | undefined;
  }

  count(notebookId: string, channelId: string): number {
    return prepared(this.db, `SELECT count(*) ${MESSAGES}`).pluck().get({ notebookId, channelId }) as number;
  }

  unreadPerChannel(notebookId: string, userId: string): { channelId: string; unread: number }[] {
    return prepared(this.db, UNREAD_PER_CHANNEL).all({ notebookId, userId }) as {
      channelId: string;
      unread: number;
    }[];
  }

  /** The user's last read mark of a node ('' when never). */
  readMark(nodeId: string, userId: string): string {
    return (prepared(
      this.db,
      `SELECT ${READ_MARK} FROM (SELECT 1) LEFT JOIN node_interactions i ON i.node_id = @nodeId AND i.collaborator_id = @userId
       LEFT JOIN node_reads r ON r.node_id = @nodeId`,
    )
      .pluck()
      .get({ nodeId, userId }) ?? '') as string;
  }

  /** Display names of these users as the notebook's members stream brought them. */
  names(ids: readonly string[]): Map<string, string> {
    if (ids.length === 0) return new Map();
    const rows = prepared(
      this.db,
      `SELECT id, CASE WHEN name != '' THEN name ELSE username END AS name FROM users
       WHERE id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(ids)) as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Per message with outbox rows: whether one of them was refused (else they are still on their way). */
  delivery(ids: readonly string[]): Map<string, 'sending' | 'refused'> {
    if (ids.length === 0) return new Map();
    const rows = prepared(
      this.db,
      `SELECT object_id AS id, max(status = 'rejected') AS refused FROM outbox
       WHERE object_id IN (SELECT value FROM json_each(?)) GROUP BY object_id`,
    ).all(JSON.stringify(ids)) as { id: string; refused: number }[];
    return new Map(rows.map((r) => [r.id, r.refused ? 'refused' : 'sending']));
  }

  /** The channel a message or channel id belongs to, with its notebook (null: neither). */
  channelOf(nodeId: string): { channelId: string; notebookId: string } | null {
    const row = prepared(
      this.db,
      `SELECT CASE WHEN type = 'channel' THEN id ELSE parent_id END AS channelId, notebook_id AS notebookId
       FROM nodes WHERE id = ? AND type IN ('channel', 'message')`,
    ).get(nodeId) as { channelId: string | null; notebookId: string } | undefined;
    return row?.channelId ? { channelId: row.channelId, notebookId: row.notebookId } : null;
  }
}
