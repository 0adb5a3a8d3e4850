import { MutationType } from '../../shared/model/mutations';
import { isoNow, type Clock } from '../lib/clock';
import type { Db } from '../db/open';
import { foldOwnInteractions } from '../interactions/interactions.service';
import { foldOwnReactions } from '../reactions/reactions.service';
import { deleteOutboxRowsOf } from '../outbox/outbox.repository';
import {
  dropPendingUpdate,
  mergeIntoState,
  objectsWithPendingUpdates,
  pendingUpdatesOf,
  YjsTables,
  type YjsKind,
} from './confirmed-state.repository';

export interface CompactionReport {
  nodes: number;
  documents: number;
  mutations: number;
}

const REPORT_KEY = { node: 'nodes', document: 'documents' } as const satisfies Record<YjsKind, string>;

/**
 * The Local account has no server to confirm its edits, so the replica confirms them itself: pending Yjs
 * updates are folded into the confirmed state and their outbox rows retired — exactly what a server ack
 * does for a synced account. Without this the Local account's outbox and update rows would grow forever and
 * opening a page would replay every keystroke ever typed. One transaction per object, so a crash mid-way
 * leaves each object either compacted or untouched. `clock` dates the reactions it folds (the core's clock, so
 * tests can freeze or skew it like every other local write).
 */
export function compactConfirmedLocally(db: Db, userId: string, clock: Clock): CompactionReport {
  const report: CompactionReport = { nodes: 0, documents: 0, mutations: 0 };
  // First, as the Yjs fold below retires every outbox row of an object it folds.
  report.mutations += db.transaction(() => foldOwnReactions(db, userId, isoNow(clock)))();
  report.mutations += db.transaction(() => foldOwnInteractions(db, userId))();
  for (const kind of Object.keys(YjsTables) as YjsKind[]) {
    for (const id of objectsWithPendingUpdates(db, kind)) {
      db.transaction(() => {
        const pending = pendingUpdatesOf(db, kind, id);
        mergeIntoState(
          db,
          kind,
          id,
          pending.map((p) => p.data),
        );
        for (const p of pending) dropPendingUpdate(db, kind, p.id);
        report.mutations += deleteOutboxRowsOf(db, { objectId: id });
        report[REPORT_KEY[kind]]++;
      })();
    }
  }
  // Deletions of objects that no longer exist locally have nothing to fold; retire them too.
  report.mutations += deleteOutboxRowsOf(db, { type: MutationType.nodeDelete });
  return report;
}
