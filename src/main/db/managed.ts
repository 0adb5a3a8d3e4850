import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { migrate, type Migration, type MigrationReport } from './migrate';
import { openSqlite, type Db } from './open';

export interface RecoveryReport {
  /** Where the damaged files were moved (never deleted: support may still get data out of them). */
  quarantinedTo: string;
  reason: string;
  source: 'backup' | 'salvage' | 'none';
  backupPath: string | null;
  /** Rows copied per table when salvaging; empty when restored from a backup. */
  salvagedRows: Record<string, number>;
}

export interface ManagedDatabase {
  db: Db;
  migration: MigrationReport;
  recovery: RecoveryReport | null;
}

export interface ManagedDatabaseOptions {
  path: string;
  migrations: readonly Migration[];
  platform?: NodeJS.Platform;
}

const SIDECARS = ['', '-wal', '-shm'] as const;
const KEEP_BACKUPS = 3;

export const backupDirFor = (path: string): string => join(path, '..', 'backups');
const quarantineDirFor = (path: string): string => join(path, '..', 'quarantine');

/**
 * Opens (creating if needed) a database that must never silently lose data: integrity is checked at open;
 * a damaged file is quarantined and the newest healthy backup restored, or, with none, every readable row
 * is salvaged into a fresh database. The caller tells the user what happened from the report.
 */
export async function openManagedDatabase(options: ManagedDatabaseOptions): Promise<ManagedDatabase> {
  const { path, migrations, platform = process.platform } = options;
  mkdirSync(join(path, '..'), { recursive: true });
  let recovery: RecoveryReport | null = null;
  let db: Db;
  const opened = openChecked(path, platform, closedCleanly(path));
  rmSync(cleanMarkerFor(path), { force: true });
  if ('db' in opened) {
    db = opened.db;
  } else {
    const problem = opened.problem;
    const quarantinedTo = quarantine(path);
    const restored = restoreNewestBackup(path, platform);
    if (restored) {
      db = openSqlite(path, platform);
      recovery = { quarantinedTo, reason: problem, source: 'backup', backupPath: restored, salvagedRows: {} };
    } else {
      db = openSqlite(path, platform);
      await migrate(db, migrations, backupDirFor(path));
      const salvagedRows = salvage(db, join(quarantinedTo, basename(path)));
      const any = Object.values(salvagedRows).some((n) => n > 0);
      recovery = {
        quarantinedTo,
        reason: problem,
        source: any ? 'salvage' : 'none',
        backupPath: null,
        salvagedRows,
      };
    }
  }
  try {
    const migration = await migrate(db, migrations, backupDirFor(path));
    return { db, migration, recovery };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The open database when it passes SQLite's quick_check, otherwise why not. The check (~135 ms at 100k
 * nodes) is skipped when we closed the file cleanly ourselves and nothing has touched it since; after a
 * crash, a kill, or any change to the file while we were not running, it always runs.
 */
function openChecked(
  path: string,
  platform: NodeJS.Platform,
  trusted = false,
): { db: Db } | { problem: string } {
  let db: Db | undefined;
  try {
    db = openSqlite(path, platform);
    if (trusted) {
      // Still read the schema: a file that is not a database at all fails here.
      db.prepare('SELECT count(*) FROM sqlite_schema').get();
      return { db };
    }
    const result = db.pragma('quick_check', { simple: true });
    if (result === 'ok') return { db };
    db.close();
    return { problem: `integrity check failed: ${String(result)}` };
  } catch (error) {
    db?.close();
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

function checkHealth(path: string, platform: NodeJS.Platform): string | null {
  const opened = openChecked(path, platform);
  if ('problem' in opened) return opened.problem;
  opened.db.close();
  return null;
}

function quarantine(path: string): string {
  const dir = join(quarantineDirFor(path), new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(dir, { recursive: true });
  for (const suffix of SIDECARS) {
    if (existsSync(path + suffix)) renameSync(path + suffix, join(dir, basename(path) + suffix));
  }
  return dir;
}

function listBackups(path: string): string[] {
  const dir = backupDirFor(path);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.db'))
    .map((name) => join(dir, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
}

function restoreNewestBackup(path: string, platform: NodeJS.Platform): string | null {
  for (const backup of listBackups(path)) {
    // Backups are closed files written by the backup API, so a plain copy of one is consistent.
    if (checkHealth(backup, platform) !== null) continue;
    copyFileSync(backup, path);
    return backup;
  }
  return null;
}

function salvage(db: Db, damagedPath: string): Record<string, number> {
  const rows: Record<string, number> = {};
  if (!existsSync(damagedPath)) return rows;
  try {
    db.prepare('ATTACH DATABASE ? AS damaged').run(damagedPath);
  } catch {
    return rows;
  }
  try {
    const tables = db
      .prepare("SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    for (const table of tables) {
      rows[table] = salvageTable(db, table);
    }
  } finally {
    db.exec('DETACH DATABASE damaged');
  }
  return rows;
}

function salvageTable(db: Db, table: string): number {
  const quoted = `"${table.replaceAll('"', '""')}"`;
  try {
    const columns = (db.prepare(`PRAGMA main.table_info(${quoted})`).all() as { name: string }[]).map(
      (c) => `"${c.name.replaceAll('"', '""')}"`,
    );
    const list = columns.join(', ');
    return db
      .prepare(`INSERT OR IGNORE INTO main.${quoted} (${list}) SELECT ${list} FROM damaged.${quoted}`)
      .run().changes;
  } catch {
    return salvageRowByRow(db, quoted);
  }
}

/** When a bulk copy hits a damaged page, copy rows one at a time until the damage, keeping what reads. */
function salvageRowByRow(db: Db, quoted: string): number {
  let copied = 0;
  try {
    for (const row of db.prepare(`SELECT * FROM damaged.${quoted}`).iterate() as Iterable<
      Record<string, unknown>
    >) {
      const keys = Object.keys(row);
      try {
        db.prepare(
          `INSERT OR IGNORE INTO main.${quoted} (${keys.map((k) => `"${k}"`).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`,
        ).run(...keys.map((k) => row[k]));
        copied++;
      } catch {
        // A row that violates the schema is skipped; the quarantined file keeps it.
      }
    }
  } catch {
    // Reading stopped at the damage; what was copied stays.
  }
  return copied;
}

const cleanMarkerFor = (path: string): string => `${path}.clean`;

interface CleanMarker {
  size: number;
  mtimeMs: number;
}

function closedCleanly(path: string): boolean {
  try {
    const marker = JSON.parse(readFileSync(cleanMarkerFor(path), 'utf8')) as CleanMarker;
    const info = statSync(path);
    return marker.size === info.size && marker.mtimeMs === info.mtimeMs && !existsSync(`${path}-wal`);
  } catch {
    return false;
  }
}

/**
 * Closes a managed database after folding the WAL into the main file, and records its size and mtime so
 * the next start can trust it without a full integrity check (see openChecked).
 */
export function closeManagedDatabase(db: Db, path: string): void {
  if (!db.open) return;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  if (!existsSync(path)) return;
  const info = statSync(path);
  const marker: CleanMarker = { size: info.size, mtimeMs: info.mtimeMs };
  writeFileSync(cleanMarkerFor(path), JSON.stringify(marker));
}

/** An online backup (consistent under concurrent writes), keeping the newest few. */
export async function takeBackup(db: Db, path: string, label: string): Promise<string> {
  const dir = backupDirFor(path);
  mkdirSync(dir, { recursive: true });
  const target = join(dir, `${label}-${new Date().toISOString().replace(/[:.]/g, '-')}.db`);
  await db.backup(target);
  for (const old of listBackups(path).slice(KEEP_BACKUPS)) rmSync(old, { force: true });
  return target;
}
