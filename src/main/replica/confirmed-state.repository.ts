import * as Y from 'yjs';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';

/** Where each kind of Yjs object keeps its confirmed state and its pending (unconfirmed) local updates. */
export const YjsTables = {
  node: { states: 'node_states', updates: 'node_updates', key: 'node_id' },
  document: { states: 'document_states', updates: 'document_updates', key: 'document_id' },
} as const;
export type YjsKind = keyof typeof YjsTables;

/** Merges `updates` into the object's confirmed state (Yjs merges are idempotent, so an echo is harmless). */
export function mergeIntoState(
  db: Db,
  kind: YjsKind,
  objectId: string,
  updates: readonly Uint8Array[],
): void {
  const { states } = YjsTables[kind];
  const state = prepared(db, `SELECT state FROM ${states} WHERE id = ?`).pluck().get(objectId) as
    Uint8Array | undefined;
  const merged = Y.mergeUpdates([...(state ? [state] : []), ...updates]);
  prepared(
    db,
    `INSERT INTO ${states} (id, state) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state`,
  ).run(objectId, merged);
}

/**
 * The server confirmed the pending update `updateId`: fold it into the confirmed state and drop the pending
 * row. Returns false when there was nothing pending under that id (already confirmed, or the object is gone).
 */
export function confirmPendingUpdate(db: Db, kind: YjsKind, updateId: string): boolean {
  const pending = takePendingUpdate(db, kind, updateId);
  if (!pending) return false;
  mergeIntoState(db, kind, pending.objectId, [pending.data]);
  return true;
}

/** Removes the pending update `updateId` and answers what it held (undefined when nothing was pending). */
export function takePendingUpdate(
  db: Db,
  kind: YjsKind,
  updateId: string,
): { objectId: string; data: Uint8Array } | undefined {
  const { updates, key } = YjsTables[kind];
  const pending = prepared(db, `SELECT ${key} AS objectId, data FROM ${updates} WHERE id = ?`).get(
    updateId,
  ) as { objectId: string; data: Uint8Array } | undefined;
  if (pending) dropPendingUpdate(db, kind, updateId);
  return pending;
}

/**
 * Drops a pending update without confirming it (the user discarded a rejected change, or a merged update
 * replaces it); answers whether there was one.
 */
export function dropPendingUpdate(db: Db, kind: YjsKind, updateId: string): boolean {
  return prepared(db, `DELETE FROM ${YjsTables[kind].updates} WHERE id = ?`).run(updateId).changes > 0;
}

/** The objects of a kind with pending updates. */
export function objectsWithPendingUpdates(db: Db, kind: YjsKind): string[] {
  const { updates, key } = YjsTables[kind];
  return prepared(db, `SELECT DISTINCT ${key} FROM ${updates}`).pluck().all() as string[];
}

/** An object's pending updates, oldest first. */
export function pendingUpdatesOf(
  db: Db,
  kind: YjsKind,
  objectId: string,
): { id: string; data: Uint8Array }[] {
  const { updates, key } = YjsTables[kind];
  return prepared(db, `SELECT id, data FROM ${updates} WHERE ${key} = ? ORDER BY rowid`).all(objectId) as {
    id: string;
    data: Uint8Array;
  }[];
}
