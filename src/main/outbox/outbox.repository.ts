import { MutationType, type Mutation } from '../../shared/model/mutations';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';

export interface OutboxRow {
  seq: number;
  id: string;
  notebookId: string;
  type: Mutation['type'];
  objectId: string;
  mutation: Mutation;
  createdAt: string;
  attempts: number;
  lastError: string | null;
  status: 'pending' | 'rejected';
}

interface RawRow {
  seq: number;
  id: string;
  notebook_id: string;
  type: Mutation['type'];
  object_id: string;
  payload: string;
  created_at: string;
  attempts: number;
  last_error: string | null;
  status: 'pending' | 'rejected';
}

const toRow = (raw: RawRow): OutboxRow => ({
  seq: raw.seq,
  id: raw.id,
  notebookId: raw.notebook_id,
  type: raw.type,
  objectId: raw.object_id,
  mutation: JSON.parse(raw.payload) as Mutation,
  createdAt: raw.created_at,
  attempts: raw.attempts,
  lastError: raw.last_error,
  status: raw.status,
});

/** The object a mutation touches: the key consolidation and per-object retries are scoped to. */
export function mutationObjectId(mutation: Mutation): string {
  return mutation.type === 'document.update' ? mutation.data.documentId : mutation.data.nodeId;
}

/** Must be called inside the transaction that makes the edit, so edit and mutation commit together. */
export function enqueueMutation(db: Db, notebookId: string, mutation: Mutation): void {
  prepared(
    db,
    `INSERT INTO outbox (id, notebook_id, type, object_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(
    mutation.id,
    notebookId,
    mutation.type,
    mutationObjectId(mutation),
    JSON.stringify(mutation),
    mutation.createdAt,
  );
}

/** The latest mutation of `type` waiting (pending or rejected) for one object, if any. */
export function findMutation(db: Db, objectId: string, type: Mutation['type']): OutboxRow | undefined {
  const raw = prepared(
    db,
    'SELECT * FROM outbox WHERE object_id = ? AND type = ? ORDER BY seq DESC LIMIT 1',
  ).get(objectId, type) as RawRow | undefined;
  return raw ? toRow(raw) : undefined;
}

/**
 * Puts `mutation` in the place (and order) of the waiting row `id`, pending again. It gets a new id, so if the
 * old one is in flight, its answer retires nothing and the replacement is still sent. Only for mutations a
 * newer one fully supersedes (interactions: the server keeps the latest time).
 */
export function replaceMutation(db: Db, id: string, mutation: Mutation): void {
  prepared(
    db,
    `UPDATE outbox SET id = ?, type = ?, object_id = ?, payload = ?, created_at = ?, attempts = 0,
       last_error = NULL, status = 'pending' WHERE id = ?`,
  ).run(
    mutation.id,
    mutation.type,
    mutationObjectId(mutation),
    JSON.stringify(mutation),
    mutation.createdAt,
    id,
  );
}

export function listOutbox(db: Db, limit = 500): OutboxRow[] {
  return (prepared(db, 'SELECT * FROM outbox ORDER BY seq LIMIT ?').all(limit) as RawRow[]).map(toRow);
}

export function countOutbox(db: Db): number {
  return prepared(db, 'SELECT count(*) FROM outbox').pluck().get() as number;
}

/** Notebooks with mutations waiting to be sent. */
export function notebooksWithPending(db: Db): string[] {
  return prepared(
    db,
    "SELECT notebook_id FROM outbox WHERE status = 'pending' GROUP BY notebook_id ORDER BY min(seq)",
  )
    .pluck()
    .all() as string[];
}

/** The oldest pending mutations of one notebook, in the order they were made. */
export function pendingBatch(db: Db, notebookId: string, limit: number): OutboxRow[] {
  return (
    prepared(
      db,
      "SELECT * FROM outbox WHERE notebook_id = ? AND status = 'pending' ORDER BY seq LIMIT ?",
    ).all(notebookId, limit) as RawRow[]
  ).map(toRow);
}

export function getOutboxRow(db: Db, id: string): OutboxRow | undefined {
  const raw = prepared(db, 'SELECT * FROM outbox WHERE id = ?').get(id) as RawRow | undefined;
  return raw ? toRow(raw) : undefined;
}

/**
 * Pending and rejected rows, of the whole outbox or of one notebook (`null`, a notebook not created yet,
 * counts nothing: SQL's `= NULL` matches no row).
 */
export function outboxCounts(db: Db, notebookId?: string | null): { pending: number; rejected: number } {
  const rows = (
    notebookId === undefined
      ? prepared(db, 'SELECT status, count(*) AS n FROM outbox GROUP BY status').all()
      : prepared(db, 'SELECT status, count(*) AS n FROM outbox WHERE notebook_id = ? GROUP BY status').all(
          notebookId,
        )
  ) as { status: OutboxRow['status']; n: number }[];
  return {
    pending: rows.find((r) => r.status === 'pending')?.n ?? 0,
    rejected: rows.find((r) => r.status === 'rejected')?.n ?? 0,
  };
}

export function deleteOutboxRow(db: Db, id: string): void {
  prepared(db, 'DELETE FROM outbox WHERE id = ?').run(id);
}

/** A notebook's pending rows in order, with what consolidation needs of a document update's payload. */
export interface PendingRow {
  seq: number;
  type: string;
  objectId: string;
  /** Set for document updates only. */
  updateId: string | null;
  data: string | null;
  createdAt: string | null;
}

export function pendingSequence(db: Db, notebookId: string): PendingRow[] {
  return prepared(
    db,
    `SELECT seq, type, object_id AS objectId,
            CASE WHEN type = ? THEN json_extract(payload, '$.data.updateId') END AS updateId,
            CASE WHEN type = ? THEN json_extract(payload, '$.data.data') END AS data,
            CASE WHEN type = ? THEN json_extract(payload, '$.data.createdAt') END AS createdAt
       FROM outbox WHERE notebook_id = ? AND status = 'pending' ORDER BY seq`,
  ).all(
    MutationType.documentUpdate,
    MutationType.documentUpdate,
    MutationType.documentUpdate,
    notebookId,
  ) as PendingRow[];
}

export function deleteOutboxSeq(db: Db, seq: number): void {
  prepared(db, 'DELETE FROM outbox WHERE seq = ?').run(seq);
}

/** The row at `seq` now carries `mutation` (a new id, payload and date; its place in the order is kept). */
export function rewriteOutboxSeq(db: Db, seq: number, mutation: Mutation): void {
  prepared(db, 'UPDATE outbox SET id = ?, payload = ?, created_at = ? WHERE seq = ?').run(
    mutation.id,
    JSON.stringify(mutation),
    mutation.createdAt,
    seq,
  );
}

/** Retires every row of one object, or of one mutation type; answers how many. */
export function deleteOutboxRowsOf(db: Db, of: { objectId: string } | { type: string }): number {
  return 'objectId' in of
    ? prepared(db, 'DELETE FROM outbox WHERE object_id = ?').run(of.objectId).changes
    : prepared(db, 'DELETE FROM outbox WHERE type = ?').run(of.type).changes;
}

/** A permanent refusal: kept (with its local content) until the user retries or discards it. */
export function markRejected(db: Db, id: string, error: string): void {
  prepared(
    db,
    "UPDATE outbox SET status = 'rejected', attempts = attempts + 1, last_error = ? WHERE id = ?",
  ).run(error, id);
}

/** A transient failure: stays pending, its attempt and error are recorded for the Sync panel. */
export function recordAttempt(db: Db, id: string, error: string): void {
  prepared(db, 'UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?').run(error, id);
}

export function markPending(db: Db, id: string): boolean {
  return (
    prepared(
      db,
      "UPDATE outbox SET status = 'pending', last_error = NULL WHERE id = ? AND status = 'rejected'",
    ).run(id).changes > 0
  );
}

/** A waiting mutation that carries a Yjs update (node create/update, document update), with its bytes. */
export interface WaitingYjsRow {
  seq: number;
  id: string;
  notebookId: string;
  type: Mutation['type'];
  objectId: string;
  status: OutboxRow['status'];
  /** base64 Yjs update. */
  data: string;
}

const YJS_TYPES = "('node.create', 'node.update', 'document.update')";

/**
 * The waiting Yjs mutations of every object of `notebookId` that has a refused one (pending and refused,
 * in order). Usually none: one indexed lookup finds no refused row.
 */
export function yjsRowsBesideRefused(db: Db, notebookId: string): WaitingYjsRow[] {
  return prepared(
    db,
    `SELECT seq, id, notebook_id AS notebookId, type, object_id AS objectId, status,
            json_extract(payload, '$.data.data') AS data
       FROM outbox
      WHERE notebook_id = ? AND type IN ${YJS_TYPES}
        AND object_id IN (SELECT object_id FROM outbox
                           WHERE notebook_id = ? AND status = 'rejected' AND type IN ${YJS_TYPES})
      ORDER BY seq`,
  ).all(notebookId, notebookId) as WaitingYjsRow[];
}

/** The waiting Yjs mutations of one object (pending and refused), in order. */
export function yjsRowsOf(db: Db, objectId: string): WaitingYjsRow[] {
  return prepared(
    db,
    `SELECT seq, id, notebook_id AS notebookId, type, object_id AS objectId, status,
            json_extract(payload, '$.data.data') AS data
       FROM outbox WHERE object_id = ? AND type IN ${YJS_TYPES} ORDER BY seq`,
  ).all(objectId) as WaitingYjsRow[];
}

/** Refused mutations, oldest first: all of them, or of one notebook, or of one object. */
export function refusedRows(db: Db, scope: { notebookId?: string; objectId?: string }): OutboxRow[] {
  return (
    prepared(
      db,
      `SELECT * FROM outbox WHERE status = 'rejected'
          AND (? IS NULL OR notebook_id = ?) AND (? IS NULL OR object_id = ?) ORDER BY seq`,
    ).all(
      scope.notebookId ?? null,
      scope.notebookId ?? null,
      scope.objectId ?? null,
      scope.objectId ?? null,
    ) as RawRow[]
  ).map(toRow);
}
