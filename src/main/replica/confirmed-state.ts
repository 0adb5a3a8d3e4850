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
  const { updates, key } = YjsTables[kind];
  const pending = prepared(db, `SELECT ${key} AS objectId, data FROM ${updates} WHERE id = ?`).get(
    updateId,
  ) as { objectId: string; data: Uint8Array } | undefined;
  if (!pending) return false;
  mergeIntoState(db, kind, pending.objectId, [pending.data]);
  prepared(db, `DELETE FROM ${updates} WHERE id = ?`).run(updateId);
  return true;
}

/** Drops a pending update without confirming it (the user discarded a rejected change). */
export function dropPendingUpdate(db: Db, kind: YjsKind, updateId: string): void {
  prepared(db, `DELETE FROM ${YjsTables[kind].updates} WHERE id = ?`).run(updateId);
}
