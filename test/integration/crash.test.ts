import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { replicaPath } from '../../src/main/replica/replica';
import { AppCore, LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { tempDir } from '../support/temp';
import { seededRandom } from '../support/random';

/** Per-commit runs use a few trials; CRASH_TRIALS=100 (or more) for the full battery (D1). */
const TRIALS = Number(process.env.CRASH_TRIALS ?? 6);
const SEED = Number(process.env.CRASH_SEED ?? 424242);

interface Trial {
  acked: { kind: 'page' | 'doc'; id: string; detail: string }[];
}

function runUntilKilled(dataDir: string, label: string, killAfterMs: number): Promise<Trial> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/support/crash-writer.ts', dataDir, label],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const acked: Trial['acked'] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        const match = /^ack (page|doc) (\S+) (.*)$/.exec(line);
        if (match) acked.push({ kind: match[1] as 'page' | 'doc', id: match[2]!, detail: match[3]! });
        // Timed from the first acknowledged write, not from start-up, so a busy machine still gets writes in.
        if (match && acked.length === 1) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        if (line.startsWith('error')) reject(new Error(`${line}\n${stderr}`));
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited without being killed\n${stderr}`));
      else resolve({ acked });
    });
  });
}

describe('crash durability (SIGKILL during a write burst)', () => {
  it(
    `keeps every acknowledged write over ${TRIALS} kills, with integrity_check ok`,
    { timeout: 600_000 },
    async () => {
      const random = seededRandom(SEED);
      const dataDir = tempDir('crash');
      let totalAcked = 0;
      for (let trial = 0; trial < TRIALS; trial++) {
        const { acked } = await runUntilKilled(dataDir, `t${trial}`, Math.floor(random() * 50));
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
          // This trial's edits are not confirmed yet (the Local account confirms at start), so each one must
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
