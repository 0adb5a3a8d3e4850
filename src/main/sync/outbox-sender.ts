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
import { consolidatePending } from '../outbox/consolidation';
import { carryRefusedDependencies } from '../outbox/refused-changes';
import { mergeIntoState, takePendingUpdate, type YjsKind } from '../replica/confirmed-state.repository';
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
 * rejected and keeps the local content; 5xx or no answer leaves it pending. Before sending, runs of one
 * document's updates are merged (`consolidatePending`: per object only, so nothing done to one object can drop
 * another object's pending edits).
 */
export async function flushOutbox(
  db: Db,
  client: ServerClient,
  signal: AbortSignal,
  /** Called right after each batch's confirmed mutations are retired (in the same tick). */
  onConfirmed: (mutations: readonly Mutation[]) => void = () => undefined,
): Promise<FlushResult> {
  const result: FlushResult = { confirmed: 0, rejected: 0, failure: null };
  for (const notebookId of notebooksWithPending(db)) {
    // A later edit never goes without the refused ones it builds on: alone it would apply invisibly.
    carryRefusedDependencies(db, notebookId);
    consolidatePending(db, notebookId);
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
      const retired: Mutation[] = [];
      db.transaction(() => {
        const confirmed: OutboxRow[] = [];
        for (const row of batch) {
          const status = statuses.get(row.id) ?? 503;
          if (status >= 200 && status < 300) {
            confirmed.push(row);
            result.confirmed++;
          } else if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
            markRejected(db, row.id, refusal(status));
            result.rejected++;
          } else {
            recordAttempt(db, row.id, `${status}: the server could not apply it yet`);
            transient = status;
          }
        }
        retire(db, confirmed);
        retired.push(...confirmed.map((row) => row.mutation));
      })();
      onConfirmed(retired);
      if (transient !== null) {
        result.failure = new ServerRequestError('transient', `The server answered ${transient}`, transient);
        return result;
      }
    }
  }
  return result;
}

/**
 * Confirmed mutations leave the outbox and their pending Yjs updates are folded into the confirmed state —
 * per object, all of a batch's updates in one merge (a batch is mostly keystrokes of a few pages, and one
 * read-merge-write per keystroke made the fold cost more than the server's apply). Same result as
 * `confirmPendingUpdate` per row: Yjs merges are order-independent; an update no longer pending is skipped.
 */
function retire(db: Db, rows: readonly OutboxRow[]): void {
  const ids: Record<YjsKind, string[]> = { node: [], document: [] };
  for (const row of rows) {
    const update = carriedUpdate(row.mutation);
    if (update) ids[update.kind].push(update.updateId);
    deleteOutboxRow(db, row.id);
  }
  for (const kind of Object.keys(ids) as YjsKind[]) {
    const byObject = new Map<string, Uint8Array[]>();
    for (const updateId of ids[kind]) {
      const pending = takePendingUpdate(db, kind, updateId);
      if (!pending) continue;
      const group = byObject.get(pending.objectId);
      if (group) group.push(pending.data);
      else byObject.set(pending.objectId, [pending.data]);
    }
    for (const [objectId, data] of byObject) mergeIntoState(db, kind, objectId, data);
  }
}
