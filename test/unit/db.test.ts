import assert from 'node:assert/strict';
import {
  existsSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  openSync,
  writeSync,
  closeSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import {
  closeManagedDatabase,
  openManagedDatabase,
  takeBackup,
  backupDirFor,
} from '../../src/main/db/managed';
import { migrate, migrationChecksum, type Migration } from '../../src/main/db/migrate';
import { APP_MIGRATIONS } from '../../src/main/db/migrations/app';
import { REPLICA_MIGRATIONS } from '../../src/main/db/migrations/replica';
import { SERVER_MIGRATIONS } from '../../src/server/storage/migrations';
import { applyPragmas, openSqlite } from '../../src/main/db/open';
import { tempDir } from '../support/temp';

const CHECKSUMS_FILE = join(import.meta.dirname, '../fixtures/migration-checksums.json');

describe('database open', () => {
  it('asserts WAL, synchronous=FULL and foreign keys (and fullfsync on macOS)', () => {
    const db = openSqlite(join(tempDir(), 'a.db'));
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('synchronous', { simple: true }), 2);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    db.close();
  });

  it('refuses to run with a journal mode it cannot set (in-memory databases cannot be WAL)', () => {
    const db = new Database(':memory:');
    assert.throws(() => applyPragmas(db), /journal_mode is memory, expected wal/);
    db.close();
  });

  it('enables fullfsync when running on macOS', () => {
    const db = openSqlite(join(tempDir(), 'mac.db'), 'darwin');
    assert.equal(db.pragma('fullfsync', { simple: true }), 1);
    db.close();
  });
});

describe('migrations', () => {
  it('are append-only: an applied migration was not edited (checksums are pinned)', () => {
    const pinned = JSON.parse(readFileSync(CHECKSUMS_FILE, 'utf8')) as Record<string, string[]>;
    for (const [kind, list] of [
      ['app', APP_MIGRATIONS],
      ['replica', REPLICA_MIGRATIONS],
      ['server', SERVER_MIGRATIONS],
    ] as const) {
      const actual = list.map(migrationChecksum);
      const expected = pinned[kind] ?? [];
      assert.deepEqual(
        actual.slice(0, expected.length),
        expected,
        `${kind} migration edited after it shipped: add a new migration instead`,
      );
      assert.equal(
        actual.length,
        expected.length,
        `new ${kind} migration: pin its checksum in ${CHECKSUMS_FILE}`,
      );
    }
  });

  it('runs each migration in its own transaction and tracks user_version', async () => {
    const dir = tempDir();
    const db = openSqlite(join(dir, 'm.db'));
    const migrations: Migration[] = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER) STRICT;' },
      { version: 2, name: 'broken', sql: 'CREATE TABLE b (x INTEGER) STRICT; INSERT INTO nope VALUES (1);' },
    ];
    await assert.rejects(migrate(db, migrations, join(dir, 'backups')), /no such table: nope/);
    assert.equal(db.pragma('user_version', { simple: true }), 1);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type='table'").pluck().all();
    assert.deepEqual(tables, ['a'], 'the failed migration left nothing behind');
    db.close();
  });

  it('takes an online backup before migrating a database that holds data', async () => {
    const dir = tempDir();
    const path = join(dir, 'r.db');
    const first = await openManagedDatabase({ path, migrations: REPLICA_MIGRATIONS });
    assert.equal(first.migration.backupPath, null, 'a brand-new database needs no backup');
    first.db
      .prepare("INSERT INTO notebooks (id, name, created_at, updated_at) VALUES ('n1', 'Kept', 'x', 'x')")
      .run();
    first.db.close();
    const next: Migration[] = [
      ...REPLICA_MIGRATIONS,
      {
        version: REPLICA_MIGRATIONS.length + 1,
        name: 'extra',
        sql: 'CREATE TABLE extra (x INTEGER) STRICT;',
      },
    ];
    const second = await openManagedDatabase({ path, migrations: next });
    assert.ok(second.migration.backupPath && existsSync(second.migration.backupPath));
    second.db.close();
    const backup = new Database(second.migration.backupPath, { readonly: true });
    assert.equal(backup.prepare('SELECT name FROM notebooks').pluck().get(), 'Kept');
    assert.equal(backup.pragma('user_version', { simple: true }), REPLICA_MIGRATIONS.length);
    backup.close();
  });

  it('refuses a database from a newer app version instead of corrupting it', async () => {
    const dir = tempDir();
    const path = join(dir, 'new.db');
    const db = openSqlite(path);
    db.pragma('user_version = 99');
    db.close();
    await assert.rejects(openManagedDatabase({ path, migrations: APP_MIGRATIONS }), /newer than this app/);
  });
});

describe('corruption at start', () => {
  async function seeded(dir: string) {
    const path = join(dir, 'replica.db');
    const { db } = await openManagedDatabase({ path, migrations: REPLICA_MIGRATIONS });
    const insert = db.prepare('INSERT INTO notebooks (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 200; i++) insert.run(`n${i}`, `Notebook ${i} ${'x'.repeat(200)}`, 't', 't');
    })();
    return { path, db };
  }

  it('quarantines a file that is not a database, never deleting it, and salvages nothing from garbage', async () => {
    const dir = tempDir();
    const path = join(dir, 'replica.db');
    writeFileSync(path, 'this is not a sqlite database '.repeat(100));
    const opened = await openManagedDatabase({ path, migrations: REPLICA_MIGRATIONS });
    assert.ok(opened.recovery);
    assert.equal(opened.recovery.source, 'none');
    const kept = join(opened.recovery.quarantinedTo, 'replica.db');
    assert.match(readFileSync(kept, 'utf8'), /this is not a sqlite database/);
    assert.equal(opened.db.pragma('quick_check', { simple: true }), 'ok');
    opened.db.close();
  });

  it('restores the newest healthy backup when the database is damaged', async () => {
    const dir = tempDir();
    const { path, db } = await seeded(dir);
    await takeBackup(db, path, 'daily');
    db.close();
    corruptPages(path);
    const opened = await openManagedDatabase({ path, migrations: REPLICA_MIGRATIONS });
    assert.equal(opened.recovery?.source, 'backup');
    assert.equal(opened.db.prepare('SELECT count(*) FROM notebooks').pluck().get(), 200);
    assert.equal(opened.db.pragma('integrity_check', { simple: true }), 'ok');
    assert.ok(readdirSync(opened.recovery!.quarantinedTo).includes('replica.db'));
    opened.db.close();
  });

  it('salvages readable rows when there is no backup', async () => {
    const dir = tempDir();
    const { path, db } = await seeded(dir);
    db.close();
    corruptPages(path);
    const opened = await openManagedDatabase({ path, migrations: REPLICA_MIGRATIONS });
    assert.ok(opened.recovery);
    assert.notEqual(opened.recovery.source, 'backup');
    assert.ok(!existsSync(backupDirFor(path)) || readdirSync(backupDirFor(path)).length === 0);
    assert.equal(opened.db.pragma('integrity_check', { simple: true }), 'ok');
    const salvaged = opened.db.prepare('SELECT count(*) FROM notebooks').pluck().get() as number;
    assert.equal(salvaged, opened.recovery.salvagedRows.notebooks ?? 0);
    opened.db.close();
  });
});

/** Overwrites the b-tree page headers of the data pages (past page 1) so SQLite's checks must notice. */
function corruptPages(path: string): void {
  const size = statSync(path).size;
  const fd = openSync(path, 'r+');
  for (let offset = 4096 * 2; offset < size; offset += 4096)
    writeSync(fd, Buffer.alloc(16, 0xff), 0, 16, offset);
  closeSync(fd);
}

describe('integrity check after a clean shutdown', () => {
  it('is skipped only for a file we closed cleanly and nothing touched since', async () => {
    const dir = tempDir();
    const path = join(dir, 'replica.db');
    const first = await openManagedDatabase({ path, migrations: REPLICA_MIGRATIONS });
    first.db
      .prepare("INSERT INTO notebooks (id, name, created_at, updated_at) VALUES ('n', 'N', 't', 't')")
      .run();
    closeManagedDatabase(first.db, path);
    assert.ok(existsSync(`${path}.clean`), 'a clean close leaves its marker');

    const second = await openManagedDatabase({ path, migrations: REPLICA_MIGRATIONS });
    assert.equal(second.recovery, null);
    assert.ok(!existsSync(`${path}.clean`), 'the marker is consumed at open, so a crash leaves none');
    closeManagedDatabase(second.db, path);

    // Damage after the clean close changes the file, so the check runs and catches it.
    corruptPages(path);
    const third = await openManagedDatabase({ path, migrations: REPLICA_MIGRATIONS });
    assert.ok(third.recovery, 'damage made after a clean close is still detected');
    third.db.close();
  });
});
