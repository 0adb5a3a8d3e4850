import * as Y from 'yjs';
import { MutationType, type MutationOf } from '../../shared/model/mutations';
import { fromBase64, toBase64 } from '../../shared/lib/base64';
import { IdPrefix, newId } from '../../shared/lib/ids';
import type { Db } from '../db/open';
import { DocumentsRepository } from '../documents/documents.repository';
import { dropPendingUpdate } from '../replica/confirmed-state.repository';
import { deleteOutboxSeq, pendingSequence, rewriteOutboxSeq, type PendingRow } from './outbox.repository';

/**
 * A merged document update stays below this size, so a batch of 500 stays far below the server's body limit
 * and one refusal never holds back more than a few pages of typing.
 */
export const MAX_CONSOLIDATED_BYTES = 256 * 1024;

type DocumentUpdateRow = PendingRow & { updateId: string; data: string; createdAt: string };

const isDocumentUpdate = (row: PendingRow): row is DocumentUpdateRow =>
  row.type === MutationType.documentUpdate &&
  row.updateId !== null &&
  row.data !== null &&
  row.createdAt !== null;

/**
 * Merges runs of pending `document.update` mutations of one document into one mutation, before sending
 * (docs/decisions/0008-outbox-consolidation.md). Offline typing leaves one mutation per keystroke; the server
 * would store and stream each, and every other device would apply each. A run is merged into its **last**
 * row's place, under a new mutation id and update id, in one transaction, so:
 * - only one object is ever touched by a merge (deleting page A can't drop page B's edits);
 * - a run never crosses a `node.create` or `node.delete` of the same id: the merged edit is sent before the
 *   delete that followed it, as before;
 * - a merged mutation may repeat content the server already applied (a batch whose answer was lost): Yjs
 *   updates are idempotent, and the new ids mean the server can't skip the new content as a duplicate;
 * - rejected rows are never merged: they wait, as they are, for the user's retry or discard.
 * Must run while nothing is in flight (the sender calls it between batches). Returns the rows removed.
 */
export function consolidatePending(db: Db, notebookId: string): number {
  const rows = pendingSequence(db, notebookId);
  const runs: DocumentUpdateRow[][] = [];
  const open = new Map<string, { rows: DocumentUpdateRow[]; bytes: number }>();
  for (const row of rows) {
    if (!isDocumentUpdate(row)) {
      if (row.type === MutationType.nodeCreate || row.type === MutationType.nodeDelete)
        open.delete(row.objectId);
      continue;
    }
    const bytes = row.data.length;
    const run = open.get(row.objectId);
    if (run && run.bytes + bytes <= MAX_CONSOLIDATED_BYTES) {
      run.rows.push(row);
      run.bytes += bytes;
    } else {
      const started = { rows: [row], bytes };
      open.set(row.objectId, started);
      runs.push(started.rows);
    }
  }
  const merges = runs.filter((run) => run.length > 1);
  if (merges.length === 0) return 0;
  const documents = new DocumentsRepository(db);
  let removed = 0;
  db.transaction(() => {
    for (const run of merges) {
      const last = run[run.length - 1]!;
      const documentId = last.objectId;
      const createdAt = last.createdAt;
      const merged = Y.mergeUpdates(run.map((row) => fromBase64(row.data)));
      const updateId = newId(IdPrefix.update);
      let stillPending = 0;
      for (const row of run) {
        if (dropPendingUpdate(db, 'document', row.updateId)) stillPending++;
        if (row !== last) deleteOutboxSeq(db, row.seq);
      }
      // None left when the server's echo confirmed them all, or the page was purged here (its pending rows
      // went with it, and its delete follows in the outbox): the merged mutation is still sent, as they were.
      if (stillPending > 0) documents.insertPendingUpdate(updateId, documentId, merged, createdAt);
      const mutation: MutationOf<typeof MutationType.documentUpdate> = {
        id: newId(IdPrefix.mutation),
        createdAt,
        type: MutationType.documentUpdate,
        data: { documentId, updateId, data: toBase64(merged), createdAt },
      };
      rewriteOutboxSeq(db, last.seq, mutation);
      removed += run.length - 1;
    }
  })();
  return removed;
}
