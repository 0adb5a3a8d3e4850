import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { scheduleCheckpoints, type CheckpointPolicy } from '../../src/main/db/checkpoints';
import { openSqlite, type Db } from '../../src/main/db/open';
import { tempDir } from '../support/temp';

const PAGE = 4096;
const walBytes = (path: string): number => {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
};

function openWithTable(path: string): Db {
  const db = openSqlite(path);
  db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL)');
  return db;
}

/** One commit per row, as the app's writes are: each adds at least one full page to the WAL. */
function commitRows(db: Db, count: number): void {
  const insert = db.prepare('INSERT INTO blobs (data) VALUES (?)');
  const blob = new Uint8Array(PAGE);
  for (let i = 0; i < count; i++) insert.run(blob);
}

describe('WAL checkpoints off the write path', () => {
  it('no commit pays for a checkpoint; once writes pause the WAL is folded and emptied', async () => {
    const path = join(tempDir(), 'idle.db');
    const db = openWithTable(path);
    const policy: CheckpointPolicy = { everyMs: 20, idleAboveBytes: 256 * 1024, forceAboveBytes: 1 << 30 };
    scheduleCheckpoints(db, path, policy);
    commitRows(db, 1_500);
    // SQLite's automatic checkpoint (at 1,000 pages) would have restarted the WAL at about 4 MB.
    assert.ok(walBytes(path) > 6 * 1024 * 1024, `WAL grew to ${walBytes(path)} bytes`);
    for (let i = 0; i < 50 && walBytes(path) > 0; i++) await sleep(policy.everyMs);
    assert.equal(walBytes(path), 0, 'the idle WAL was checkpointed and truncated');
    assert.equal(db.prepare('SELECT count(*) FROM blobs').pluck().get(), 1_500);
    db.close();
    const reopened = openSqlite(path);
    assert.equal(reopened.prepare('SELECT count(*) FROM blobs').pluck().get(), 1_500);
    reopened.close();
  });

  it('leaves a small WAL alone', async () => {
    const path = join(tempDir(), 'small.db');
    const db = openWithTable(path);
    scheduleCheckpoints(db, path, { everyMs: 20, idleAboveBytes: 1024 * 1024, forceAboveBytes: 1 << 30 });
    commitRows(db, 10);
    const before = walBytes(path);
    await sleep(100);
    assert.ok(before > 0);
    assert.equal(walBytes(path), before, 'no checkpoint for a WAL under the idle threshold');
    db.close();
  });

  it('folds the WAL at the hard limit even while writes never pause', async () => {
    const path = join(tempDir(), 'busy.db');
    const db = openWithTable(path);
    const policy: CheckpointPolicy = { everyMs: 10, idleAboveBytes: 1 << 30, forceAboveBytes: 1024 * 1024 };
    scheduleCheckpoints(db, path, policy);
    let largest = 0;
    let folded = 0;
    const deadline = Date.now() + 1_000;
    while (Date.now() < deadline) {
      const before = walBytes(path);
      commitRows(db, 20);
      largest = Math.max(largest, walBytes(path));
      await sleep(policy.everyMs + 2);
      if (walBytes(path) < before) folded++;
    }
    assert.ok(folded > 0, 'the WAL was folded while writes went on');
    // Between two looks about one batch (20 pages) lands beyond the limit; the margin allows a late timer.
    assert.ok(largest < policy.forceAboveBytes + 100 * PAGE, `WAL reached ${largest} bytes`);
    db.close();
  });

  it('stops by itself when the database is closed', async () => {
    const path = join(tempDir(), 'closed.db');
    const db = openWithTable(path);
    scheduleCheckpoints(db, path, { everyMs: 5, idleAboveBytes: 0, forceAboveBytes: 1 << 30 });
    db.close();
    // A tick on a closed handle would throw from the timer and fail this test file.
    await sleep(50);
  });
});
