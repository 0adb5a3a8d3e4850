import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3…: `PRAGMA user_version` after it ran. */
  version: number;
  /** Part of the pinned checksum, like the SQL: fixed once shipped. */
  name: string;
  sql: string;
}

export interface MigrationReport {
  from: number;
  to: number;
  /** The copy taken before migrating a database that already had a schema; null when nothing ran. */
  backupPath: string | null;
}

/**
 * Brings the server database up to the latest schema, one immediate transaction per migration (a failing one
 * leaves the database at the previous version, nothing half-applied). Before changing a database that already
 * has a schema it writes a consistent copy (`VACUUM INTO`, safe with the WAL and synchronous, so the CLI's token
 * commands can open the database too) to `backupDir`, so an upgrade bug never costs an operator their data.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[],
  backupDir: string,
): MigrationReport {
  migrations.forEach((migration, i) => {
    if (migration.version !== i + 1) {
      throw new Error(`server migration ${migration.name} must have version ${i + 1}`);
    }
  });
  const from = db.pragma('user_version', { simple: true }) as number;
  const to = migrations.length;
  if (from > to) throw new Error(`database schema ${from} is newer than this server (${to})`);
  if (from === to) return { from, to, backupPath: null };
  let backupPath: string | null = null;
  if (from > 0) {
    mkdirSync(backupDir, { recursive: true });
    backupPath = join(backupDir, `before-v${to}-${new Date().toISOString().replace(/[:.]/g, '-')}.db`);
    db.prepare('VACUUM INTO ?').run(backupPath);
  }
  for (const migration of migrations.slice(from)) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to, backupPath };
}
