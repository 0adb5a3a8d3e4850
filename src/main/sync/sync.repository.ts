import type {
  CollaborationItem,
  NodeInteractionItem,
  NodeReactionItem,
  UserItem,
} from '../../shared/api/sync-protocol';
import { TYPES_WITH_DOCUMENT } from '../../shared/model/nodes';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';

/**
 * The replica's sync bookkeeping and the rows only the server's streams write: stream cursors (and the few
 * markers kept beside them), collaborations, notebook members, streamed reactions and read marks, and the
 * purges that losing access or a notebook makes.
 */

/** A `cursors` row, exactly (epoch ms and stream cursors exceed 2^53 only as cursors: read as bigint). */
export function cursorValue(db: Db, key: string): bigint | undefined {
  return prepared(db, 'SELECT value FROM cursors WHERE key = ?').pluck().safeIntegers().get(key) as
    bigint | undefined;
}

export function saveCursor(db: Db, key: string, value: bigint | number, now: string): void {
  prepared(
    db,
    'INSERT INTO cursors (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  ).run(key, value, now);
}

/** Forgets every cursor under a stream key prefix (a dropped notebook or root). */
export function deleteCursors(db: Db, keyPrefix: string): void {
  prepared(db, 'DELETE FROM cursors WHERE key LIKE ?').run(`${keyPrefix}%`);
}

/** Roots this account can read, as the last `collaborations` items said. */
export function readableRoots(db: Db, notebookId: string): string[] {
  return prepared(db, 'SELECT node_id FROM collaborations WHERE notebook_id = ? AND deleted_at IS NULL')
    .pluck()
    .all(notebookId) as string[];
}

export function canReadRoot(db: Db, notebookId: string, rootId: string): boolean {
  return (
    prepared(
      db,
      'SELECT 1 FROM collaborations WHERE notebook_id = ? AND node_id = ? AND deleted_at IS NULL',
    ).get(notebookId, rootId) !== undefined
  );
}

export function upsertCollaboration(db: Db, item: CollaborationItem & { role: string }): void {
  prepared(
    db,
    `INSERT INTO collaborations (notebook_id, node_id, role, revision, deleted_at) VALUES (?, ?, ?, ?, NULL)
     ON CONFLICT DO UPDATE SET role = excluded.role, revision = excluded.revision, deleted_at = NULL`,
  ).run(item.notebookId, item.nodeId, item.role, BigInt(item.revision));
}

export function deleteCollaboration(db: Db, notebookId: string, rootId: string): void {
  prepared(db, 'DELETE FROM collaborations WHERE notebook_id = ? AND node_id = ?').run(notebookId, rootId);
}

export function upsertUser(db: Db, item: UserItem): void {
  prepared(
    db,
    `INSERT INTO users (id, notebook_id, username, name, avatar, role, revision) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (notebook_id, id) DO UPDATE SET username = excluded.username, name = excluded.name,
       avatar = excluded.avatar, role = excluded.role, revision = excluded.revision`,
  ).run(item.id, item.notebookId, item.username, item.name, item.avatar, item.role, BigInt(item.revision));
}

/** The user's own role in a notebook, as the users stream says it. */
export function setNotebookRole(db: Db, notebookId: string, role: string): void {
  prepared(db, 'UPDATE notebooks SET role = ? WHERE id = ?').run(role, notebookId);
}

/** A notebook member's display name (their username if the name is empty), or null. */
export function memberName(db: Db, userId: string): string | null {
  const row = prepared(db, "SELECT name, username FROM users WHERE id = ? ORDER BY name = '' LIMIT 1").get(
    userId,
  ) as { name: string; username: string } | undefined;
  return row ? row.name || row.username || null : null;
}

/** A streamed (server) reaction: stored as the server says it. */
export function upsertStreamedReaction(db: Db, item: NodeReactionItem): void {
  prepared(
    db,
    `INSERT INTO node_reactions (node_id, collaborator_id, reaction, root_id, created_at, revision)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET created_at = excluded.created_at, root_id = excluded.root_id,
       revision = excluded.revision`,
  ).run(item.nodeId, item.collaboratorId, item.reaction, item.rootId, item.createdAt, BigInt(item.revision));
}

/** A streamed (server) read mark row: stored as the server says it. */
export function upsertStreamedInteraction(db: Db, item: NodeInteractionItem): void {
  prepared(
    db,
    `INSERT INTO node_interactions (node_id, collaborator_id, root_id, first_seen_at, last_seen_at,
       first_opened_at, last_opened_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at,
       first_opened_at = excluded.first_opened_at, last_opened_at = excluded.last_opened_at,
       revision = excluded.revision`,
  ).run(
    item.nodeId,
    item.collaboratorId,
    item.rootId,
    item.firstSeenAt,
    item.lastSeenAt,
    item.firstOpenedAt,
    item.lastOpenedAt,
    BigInt(item.revision),
  );
}

/** Which nodes to look at: a notebook, one root of it, or exactly these nodes. */
export type SalvageScope = { notebookId: string; rootId: string | null } | { nodeIds: readonly string[] };

const DOCUMENT_TYPES = [...TYPES_WITH_DOCUMENT];

/** Pages in `scope` with pending Yjs updates of the page or of its document, in tree order. */
export function pagesWithPendingUpdates(db: Db, scope: SalvageScope): { id: string; name: string }[] {
  const [candidates, params] =
    'nodeIds' in scope
      ? ['SELECT n.* FROM nodes n JOIN json_each(?) ids ON ids.value = n.id', [JSON.stringify(scope.nodeIds)]]
      : [
          'SELECT * FROM nodes n WHERE n.notebook_id = ? AND (? IS NULL OR n.root_id = ?)',
          [scope.notebookId, scope.rootId, scope.rootId],
        ];
  return prepared(
    db,
    `SELECT n.id, n.name FROM (${candidates}) n
      WHERE n.type IN (${DOCUMENT_TYPES.map(() => '?').join(', ')})
        AND (EXISTS (SELECT 1 FROM document_updates u WHERE u.document_id = n.id)
          OR EXISTS (SELECT 1 FROM node_updates u WHERE u.node_id = n.id))
      ORDER BY n.root_id, n.sort_index, n.id`,
  ).all(...params, ...DOCUMENT_TYPES) as { id: string; name: string }[];
}

/**
 * The rows of a notebook that only the server's streams write (reactions and read marks of its nodes, its
 * collaborations, members and tombstones, its stream cursors under `cursorPrefix`); the caller forgets the
 * notebook's own rows in the same transaction.
 */
export function purgeStreamedRows(db: Db, notebookId: string, cursorPrefix: string): void {
  const inNotebook = 'IN (SELECT id FROM nodes WHERE notebook_id = ?)';
  prepared(db, `DELETE FROM node_reactions WHERE node_id ${inNotebook}`).run(notebookId);
  prepared(db, `DELETE FROM node_interactions WHERE node_id ${inNotebook}`).run(notebookId);
  for (const table of ['collaborations', 'users', 'tombstones'])
    prepared(db, `DELETE FROM ${table} WHERE notebook_id = ?`).run(notebookId);
  deleteCursors(db, cursorPrefix);
}

/** Nodes stored so far in a notebook (an initial download's progress). */
export function storedNodeCount(db: Db, notebookId: string): number {
  return prepared(db, 'SELECT count(*) FROM nodes WHERE notebook_id = ?').pluck().get(notebookId) as number;
}
