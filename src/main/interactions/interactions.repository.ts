import { MutationType } from '../../shared/model/mutations';
import type { Db } from '../db/open';

export type InteractionKind = 'opened' | 'seen';

export const INTERACTION_MUTATION = {
  opened: MutationType.interactionOpened,
  seen: MutationType.interactionSeen,
} as const satisfies Record<InteractionKind, MutationType>;

/** `node_interactions` columns per kind (constants, never input). */
const COLUMNS = {
  opened: { first: 'first_opened_at', last: 'last_opened_at' },
  seen: { first: 'first_seen_at', last: 'last_seen_at' },
} as const satisfies Record<InteractionKind, { first: string; last: string }>;

/**
 * When the user last opened or saw a node: the server's row for them (`node_interactions`), or their own
 * latest mark on this device (`node_reads`, written with the mark's outbox mutation and kept after the
 * server confirmed it), whichever is later. '' when never.
 */
export const READ_MARK = `max(coalesce(i.last_opened_at, ''), coalesce(i.last_seen_at, ''), coalesce(r.read_at, ''))`;

/**
 * Unread pages: someone else changed them (`node_activity`) after the user's read mark. Driven by
 * `node_activity` (pages others changed, by its notebook index), each joined by primary key: one query, no
 * per-node round trips, cheap even when a notebook holds 100k nodes.
 */
const UNREAD_FROM = `FROM node_activity a
  JOIN nodes n ON n.id = a.node_id AND n.type = 'page'
  LEFT JOIN node_interactions i ON i.node_id = a.node_id AND i.collaborator_id = @userId
  LEFT JOIN node_reads r ON r.node_id = a.node_id
  WHERE a.changed_at > ${READ_MARK}`;

/** Exported for the test that checks its query plan (every table reached through an index). */
export const UNREAD_IN_NOTEBOOK = `SELECT a.node_id ${UNREAD_FROM} AND a.notebook_id = @notebookId`;

export class InteractionsRepository {
  constructor(private readonly db: Db) {}

  unreadIn(notebookId: string, userId: string): string[] {
    return this.db.prepare(UNREAD_IN_NOTEBOOK).pluck().all({ notebookId, userId }) as string[];
  }

  isUnread(nodeId: string, userId: string): boolean {
    return (
      this.db.prepare(`SELECT 1 ${UNREAD_FROM} AND a.node_id = @nodeId`).get({ nodeId, userId }) !== undefined
    );
  }

  /** Someone else changed `nodeId` at `at`: kept if it is the latest such change. Answers whether it was. */
  recordActivity(nodeId: string, notebookId: string, at: string, by: string): boolean {
    return (
      this.db
        .prepare(
          `INSERT INTO node_activity (node_id, notebook_id, changed_at, changed_by) VALUES (?, ?, ?, ?)
           ON CONFLICT (node_id) DO UPDATE SET changed_at = excluded.changed_at, changed_by = excluded.changed_by
           WHERE excluded.changed_at > node_activity.changed_at`,
        )
        .run(nodeId, notebookId, at, by).changes > 0
    );
  }

  /** The user opened or saw `nodeId` at `at` on this device (kept if it is their latest mark). */
  recordRead(nodeId: string, at: string): void {
    this.db
      .prepare(
        `INSERT INTO node_reads (node_id, read_at) VALUES (?, ?)
         ON CONFLICT (node_id) DO UPDATE SET read_at = max(read_at, excluded.read_at)`,
      )
      .run(nodeId, at);
  }

  /** The user's seen/opened marks waiting in the outbox (to fold them, Local account). */
  ownMarks(): { id: string; type: string; nodeId: string; at: string }[] {
    return this.db
      .prepare(`SELECT id, type, object_id AS nodeId, created_at AS at FROM outbox WHERE type IN (?, ?)`)
      .all(INTERACTION_MUTATION.opened, INTERACTION_MUTATION.seen) as {
      id: string;
      type: string;
      nodeId: string;
      at: string;
    }[];
  }

  /** A node's notebook and that notebook's status, or undefined when this replica has no such node. */
  nodeNotebook(nodeId: string): { notebookId: string; status: number } | undefined {
    return this.db
      .prepare(
        `SELECT n.notebook_id AS notebookId, nb.status FROM nodes n JOIN notebooks nb ON nb.id = n.notebook_id
         WHERE n.id = ?`,
      )
      .get(nodeId) as { notebookId: string; status: number } | undefined;
  }

  /** Local account: the user's own mark becomes their stored row (first = earliest, last = latest). */
  foldMark(nodeId: string, userId: string, kind: InteractionKind, at: string): void {
    const rootId = this.db.prepare('SELECT root_id FROM nodes WHERE id = ?').pluck().get(nodeId) as
      string | undefined;
    if (rootId === undefined) return;
    const { first, last } = COLUMNS[kind];
    this.db
      .prepare(
        `INSERT INTO node_interactions (node_id, collaborator_id, root_id, ${first}, ${last}) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET
           ${first} = coalesce(min(node_interactions.${first}, excluded.${first}), excluded.${first}),
           ${last} = max(coalesce(node_interactions.${last}, ''), excluded.${last})`,
      )
      .run(nodeId, userId, rootId, at, at);
  }
}
