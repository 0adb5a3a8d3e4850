import * as Y from 'yjs';
import type { Db } from '../db/open';

export interface CompactionReport {
  nodes: number;
  documents: number;
  mutations: number;
}

/**
 * The Local account has no server to confirm its edits, so the replica confirms them itself: pending Yjs
 * updates are folded into the confirmed state and their outbox rows retired — exactly what a server ack
 * does for a synced account. Without this the Local account's outbox and update rows would grow forever and
 * opening a page would replay every keystroke ever typed. One transaction per object, so a crash mid-way
 * leaves each object either compacted or untouched.
 */
export function compactConfirmedLocally(db: Db): CompactionReport {
  const report: CompactionReport = { nodes: 0, documents: 0, mutations: 0 };
  const targets = [
    { kind: 'nodes', updates: 'node_updates', key: 'node_id', states: 'node_states' },
    { kind: 'documents', updates: 'document_updates', key: 'document_id', states: 'document_states' },
  ] as const;
  for (const target of targets) {
    const ids = db.prepare(`SELECT DISTINCT ${target.key} FROM ${target.updates}`).pluck().all() as string[];
    const readState = db.prepare(`SELECT state FROM ${target.states} WHERE id = ?`).pluck();
    const readPending = db.prepare(
      `SELECT id, data FROM ${target.updates} WHERE ${target.key} = ? ORDER BY rowid`,
    );
    const writeState = db.prepare(
      `INSERT INTO ${target.states} (id, state) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state`,
    );
    const deletePending = db.prepare(`DELETE FROM ${target.updates} WHERE id = ?`);
    const retire = db.prepare(`DELETE FROM outbox WHERE object_id = ?`);
    for (const id of ids) {
      db.transaction(() => {
        const pending = readPending.all(id) as { id: string; data: Uint8Array }[];
        const state = readState.get(id) as Uint8Array | undefined;
        const merged = Y.mergeUpdates([...(state ? [state] : []), ...pending.map((p) => p.data)]);
        writeState.run(id, merged);
        for (const p of pending) deletePending.run(p.id);
        report.mutations += retire.run(id).changes;
        report[target.kind]++;
      })();
    }
  }
  // Deletions of objects that no longer exist locally have nothing to fold; retire them too.
  report.mutations += db.prepare("DELETE FROM outbox WHERE type = 'node.delete'").run().changes;
  return report;
}
