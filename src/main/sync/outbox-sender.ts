import { MAX_MUTATIONS_PER_BATCH, MutationType, type Mutation } from '../../shared/model/mutations';
import type { Db } from '../db/open';
import {
  deleteOutboxRow,
  markRejected,
  notebooksWithPending,
  pendingBatch,
  recordAttempt,
  type OutboxRow,
} from '../outbox/outbox.repository';
import { confirmPendingUpdate, type YjsKind } from '../replica/confirmed-state';
import { ServerRequestError, type ServerClient } from '../accounts/server-client';

export interface FlushResult {
  confirmed: number;
  rejected: number;
  /** Set when sending stopped on a transient failure (or a refused token): retry later with backoff. */
  failure: ServerRequestError | null;
}

/** The pending Yjs update a mutation carries, if any: confirming the mutation folds it into the state. */
export function carriedUpdate(mutation: Mutation): { kind: YjsKind; updateId: string } | null {
  switch (mutation.type) {
    case MutationType.nodeCreate:
    case MutationType.nodeUpdate:
      return { kind: 'node', updateId: mutation.data.updateId };
    case MutationType.documentUpdate:
      return { kind: 'document', updateId: mutation.data.updateId };
    default:
      return null;
  }
}

const REFUSAL: Readonly<Record<number, string>> = {
  400: 'the server found the change invalid',
  403: 'you are not allowed to make this change',
  404: 'the server does not know this item (it may have been deleted)',
  405: 'the server does not support this kind of change',
  409: 'the change conflicts with the server (e.g. the item was deleted for good)',
};
const refusal = (status: number): string => `${status}: ${REFUSAL[status] ?? 'refused by the server'}`;

/**
 * Sends every pending mutation, oldest first, in batches of ≤ 500 per notebook. Per mutation: 2xx retires
 * it (outbox row deleted, its Yjs update folded into the confirmed state, in one transaction); 4xx marks it
 * rejected and keeps the local content; 5xx or no answer leaves it pending. Mutations are never merged, so
 * nothing done to one object can drop another object's pending edits.
 */
export async function flushOutbox(db: Db, client: ServerClient, signal: AbortSignal): Promise<FlushResult> {
  const result: FlushResult = { confirmed: 0, rejected: 0, failure: null };
  for (const notebookId of notebooksWithPending(db)) {
    // Each round retires or rejects every row it sent (or returns), so the loop always progresses.
    for (;;) {
      const batch = pendingBatch(db, notebookId, MAX_MUTATIONS_PER_BATCH);
      if (batch.length === 0) break;
      let statuses: Map<string, number>;
      try {
        const results = await client.postMutations(
          notebookId,
          batch.map((row) => row.mutation),
        );
        // Stopped meanwhile (sign-out, quit): the replica may be closed. The server's answer is not lost:
        // the mutations are sent again next time and answered idempotently.
        if (signal.aborted) return result;
        statuses = new Map(results.map((r) => [r.id, r.status]));
      } catch (error) {
        if (signal.aborted) return result;
        if (!(error instanceof ServerRequestError)) throw error;
        if (error.transient || error.status === 401) {
          db.transaction(() => batch.forEach((row) => recordAttempt(db, row.id, error.message)))();
          result.failure = error;
          return result;
        }
        // The whole batch was refused (notebook gone or no longer writable): each mutation is kept, rejected.
        db.transaction(() => batch.forEach((row) => markRejected(db, row.id, error.message)))();
        result.rejected += batch.length;
        continue;
      }
      let transient: number | null = null;
      db.transaction(() => {
        for (const row of batch) {
          const status = statuses.get(row.id) ?? 503;
          if (status >= 200 && status < 300) {
            retire(db, row);
            result.confirmed++;
          } else if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
            markRejected(db, row.id, refusal(status));
            result.rejected++;
          } else {
            recordAttempt(db, row.id, `${status}: the server could not apply it yet`);
            transient = status;
          }
        }
      })();
      if (transient !== null) {
        result.failure = new ServerRequestError('transient', `The server answered ${transient}`, transient);
        return result;
      }
    }
  }
  return result;
}

function retire(db: Db, row: OutboxRow): void {
  const update = carriedUpdate(row.mutation);
  if (update) confirmPendingUpdate(db, update.kind, update.updateId);
  deleteOutboxRow(db, row.id);
}
