import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { replicaPath } from '../../src/main/replica/replica';
import { AppCore, LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { tempDir } from '../support/temp';
import { seededRandom } from '../support/random';
import { runUntilKilled } from '../support/kill-harness';

/** Per-commit runs use a few trials; CRASH_TRIALS=100 (or more) for the full battery (D1). */
const TRIALS = Number(process.env.CRASH_TRIALS ?? 6);
const SEED = Number(process.env.CRASH_SEED ?? 424242);

describe('crash durability (SIGKILL during a write burst)', () => {
  it(
    `keeps every acknowledged write over ${TRIALS} kills, with integrity_check ok`,
    { timeout: 600_000 },
    async () => {
      const random = seededRandom(SEED);
      const dataDir = tempDir('crash');
      let totalAcked = 0;
      for (let trial = 0; trial < TRIALS; trial++) {
        // The kill is timed from the first acknowledged write, so a busy machine still gets writes in.
        const killAfterMs = Math.floor(random() * 50);
        let firstAckAt: number | null = null;
        const acked = await runUntilKilled('test/support/crash-writer.ts', [dataDir, `t${trial}`], (acks) => {
          if (acks.length > 0) firstAckAt ??= Date.now();
          return firstAckAt !== null && Date.now() - firstAckAt >= killAfterMs;
        });
        totalAcked += acked.length;
        const db = new Database(replicaPath(dataDir, LOCAL_ACCOUNT_ID), { readonly: true });
        assert.equal(db.pragma('integrity_check', { simple: true }), 'ok', `trial ${trial} (seed ${SEED})`);
        const names = new Set(db.prepare('SELECT name FROM nodes').pluck().all() as string[]);
        const documentText = (id: string): string => {
          const blobs = db
            .prepare(
              'SELECT state FROM document_states WHERE id = ? UNION ALL SELECT data FROM document_updates WHERE document_id = ?',
            )
            .pluck()
            .all(id, id) as Uint8Array[];
          const doc = new Y.Doc();
          for (const blob of blobs) Y.applyUpdate(doc, blob);
          return doc.getXmlFragment('default').toString();
        };
        const pendingObjects = new Set(db.prepare('SELECT object_id FROM outbox').pluck().all() as string[]);
        for (const ack of acked) {
          const lost = `trial ${trial}: acked ${ack.kind} ${ack.detail} lost (seed ${SEED})`;
          if (ack.kind === 'page') assert.ok(names.has(ack.detail), lost);
          else assert.ok(documentText(ack.id).includes(ack.detail), lost);
          // This trial's edits are not confirmed yet (the Local account confirms seconds after start), so each must
          // still have the outbox mutation committed with it.
          assert.ok(pendingObjects.has(ack.id), `trial ${trial}: no outbox mutation for ${ack.id}`);
        }
        db.close();
      }
      assert.ok(totalAcked > 0, 'the writer acknowledged writes before being killed');
      // The app itself reopens cleanly after all those kills, with no recovery needed.
      const core = await AppCore.open({ dataDir, mode: 'browser' });
      assert.equal(core.store.notices().length, 0, 'no damage was detected');
      core.close();
    },
  );
});
