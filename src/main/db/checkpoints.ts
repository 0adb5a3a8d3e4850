import { statSync } from 'node:fs';
import type { Db } from './open';

export interface CheckpointPolicy {
  /** How often the WAL's size is looked at; a size unchanged since the last look means the app is idle. */
  everyMs: number;
  /** Below this the WAL is left alone (SQLite's own default checkpoint point is about 4 MB). */
  idleAboveBytes: number;
  /** At this size the WAL is folded even while writes continue, so it can never grow without bound. */
  forceAboveBytes: number;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = {
  everyMs: 250,
  idleAboveBytes: 4 * 1024 * 1024,
  forceAboveBytes: 64 * 1024 * 1024,
};

/**
 * Moves WAL checkpoints off the write path. SQLite's automatic checkpoint runs inside the commit that
 * crosses ~1,000 WAL pages, so roughly one page create in sixty paid for copying 4 MB into the main file
 * and an extra fsync: the p99 of a write was a checkpoint. Here auto-checkpoints are off and the WAL is
 * folded (and truncated) from a timer once writes pause, or at `forceAboveBytes` regardless. Durability is
 * unchanged: a commit is durable in the WAL (synchronous=FULL); a checkpoint only copies it into the main
 * file. The timer stops by itself once the database is closed.
 */
export function scheduleCheckpoints(
  db: Db,
  path: string,
  policy: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY,
): void {
  db.pragma('wal_autocheckpoint = 0');
  const walPath = `${path}-wal`;
  let lastSize = 0;
  const timer = setInterval(() => {
    if (!db.open) {
      clearInterval(timer);
      return;
    }
    const size = walSize(walPath);
    const idle = size === lastSize;
    lastSize = size;
    if (size >= policy.forceAboveBytes || (idle && size >= policy.idleAboveBytes)) {
      // TRUNCATE also empties the file, so the size read next time measures new writes only. It cannot be
      // refused by a reader mid-statement: this connection is the only one and the timer runs between calls.
      db.pragma('wal_checkpoint(TRUNCATE)');
      lastSize = walSize(walPath);
    }
  }, policy.everyMs);
  timer.unref();
}

function walSize(walPath: string): number {
  try {
    return statSync(walPath).size;
  } catch {
    return 0;
  }
}
