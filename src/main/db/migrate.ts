import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from './open';

export interface Migration {
  /** 1, 2, 3…: PRAGMA user_version after it ran. Append-only: never edit one that has shipped. */
  version: number;
  name: string;
  sql: string;
}

export const migrationChecksum = (migration: Migration): string =>
  createHash('sha256').update(`${migration.version}\n${migration.name}\n${migration.sql}`).digest('hex');

export function assertMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((migration, i) => {
    if (migration.version !== i + 1)
      throw new Error(`Migration ${migration.name} must have version ${i + 1}`);
  });
}

export interface MigrationReport {
  from: number;
  to: number;
  backupPath: string | null;
}

/**
 * Brings a database up to the latest version, one transaction per migration. Before touching a database
 * that already holds data it takes an online backup (SQLite's backup API: consistent even with a WAL), so a
 * migration bug never costs the user their notes.
 */
export async function migrate(
  db: Db,
  migrations: readonly Migration[],
  backupDir: string,
): Promise<MigrationReport> {
  assertMigrationList(migrations);
  const from = db.pragma('user_version', { simple: true }) as number;
  const to = migrations.length;
  if (from > to) {
    throw new Error(
      `Database version ${from} is newer than this app understands (${to}); update Hoody Notes.`,
    );
  }
  if (from === to) return { from, to, backupPath: null };
  let backupPath: string | null = null;
  if (from > 0) {
    backupPath = join(backupDir, `before-v${to}-${new Date().toISOString().replace(/[:.]/g, '-')}.db`);
    mkdirSync(dirname(backupPath), { recursive: true });
    await db.backup(backupPath);
  }
  for (const migration of migrations.slice(from)) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return { from, to, backupPath };
}
