import { MutationType } from '../../shared/model/mutations';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';

export interface OwnReactionChange {
  nodeId: string;
  reaction: string;
  on: boolean;
}

/** The user's reaction changes not yet confirmed, oldest first (per node when `nodeId` is given). */
export function ownReactionChanges(db: Db, nodeId?: string): OwnReactionChange[] {
  const rows = prepared(
    db,
    `SELECT type, json_extract(payload, '$.data.nodeId') AS nodeId, json_extract(payload, '$.data.reaction') AS reaction
     FROM outbox WHERE type IN (?, ?) ${nodeId === undefined ? '' : 'AND object_id = ?'} ORDER BY seq`,
  ).all(
    MutationType.reactionCreate,
    MutationType.reactionDelete,
    ...(nodeId === undefined ? [] : [nodeId]),
  ) as {
    type: string;
    nodeId: string;
    reaction: string;
  }[];
  return rows.map((r) => ({
    nodeId: r.nodeId,
    reaction: r.reaction,
    on: r.type === MutationType.reactionCreate,
  }));
}

/** Retires every reaction change from the outbox; answers how many rows left. */
export function retireOwnReactionChanges(db: Db): number {
  return prepared(db, 'DELETE FROM outbox WHERE type IN (?, ?)').run(
    MutationType.reactionCreate,
    MutationType.reactionDelete,
  ).changes;
}

/** Sets (`on`) or removes one user's reaction in `node_reactions` (setting what holds is a no-op). */
export function writeReaction(
  db: Db,
  userId: string,
  node: { id: string; rootId: string },
  reaction: string,
  on: boolean,
  at: string,
): void {
  if (on)
    prepared(
      db,
      `INSERT INTO node_reactions (node_id, collaborator_id, reaction, root_id, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ).run(node.id, userId, reaction, node.rootId, at);
  else
    prepared(db, 'DELETE FROM node_reactions WHERE node_id = ? AND collaborator_id = ? AND reaction = ?').run(
      node.id,
      userId,
      reaction,
    );
}

/** The stored reactions on a node (what the server streamed), one row per user and emoji. */
export function reactionRows(db: Db, nodeId: string): { reaction: string; userId: string; at: string }[] {
  return prepared(
    db,
    'SELECT reaction, collaborator_id AS userId, created_at AS at FROM node_reactions WHERE node_id = ?',
  ).all(nodeId) as { reaction: string; userId: string; at: string }[];
}

/** Where a node sits (notebook and root), or undefined when this replica has no such node. */
export function nodePlace(
  db: Db,
  nodeId: string,
): { id: string; notebookId: string; rootId: string } | undefined {
  return prepared(db, 'SELECT id, notebook_id AS notebookId, root_id AS rootId FROM nodes WHERE id = ?').get(
    nodeId,
  ) as { id: string; notebookId: string; rootId: string } | undefined;
}
