import { join } from 'node:path';
import { openManagedDatabase, type RecoveryReport } from '../db/managed';
import { REPLICA_MIGRATIONS } from '../db/migrations/replica';
import type { Db } from '../db/open';

/** One SQLite replica per account: `<dataDir>/accounts/<accountId>/replica.db`. */
export interface Replica {
  accountId: string;
  path: string;
  db: Db;
  /** Whose edits these are (`local` for the Local account, the server user id otherwise). */
  userId: string;
}

export const replicaPath = (dataDir: string, accountId: string): string =>
  join(dataDir, 'accounts', accountId, 'replica.db');

export async function openReplica(
  dataDir: string,
  accountId: string,
  userId: string,
): Promise<{ replica: Replica; recovery: RecoveryReport | null; fresh: boolean }> {
  const path = replicaPath(dataDir, accountId);
  const { db, recovery, migration } = await openManagedDatabase({ path, migrations: REPLICA_MIGRATIONS });
  return {
    replica: { accountId, path, db, userId },
    recovery,
    fresh: migration.from === 0 && recovery === null,
  };
}
