import type { Mutation } from '../../shared/model/mutations';
import type { Db } from '../db/open';

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
  db.prepare(
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

export function listOutbox(db: Db, limit = 500): OutboxRow[] {
  return (db.prepare('SELECT * FROM outbox ORDER BY seq LIMIT ?').all(limit) as RawRow[]).map(toRow);
}

export function countOutbox(db: Db): number {
  return db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
}
