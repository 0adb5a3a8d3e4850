import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { takeBackup } from '../../src/main/db/managed';
import { openSqlite } from '../../src/main/db/open';
import { tempDir } from '../support/temp';

/** Per-commit runs take a few backups; BACKUP_ROUNDS=100 for the full battery (D4). */
const ROUNDS = Number(process.env.BACKUP_ROUNDS ?? 10);

describe('online backup under a concurrent writer (D4)', () => {
  it(`${ROUNDS} backups each restore to a consistent, committed prefix`, { timeout: 300_000 }, async () => {
    const dir = tempDir('backup');
    const path = join(dir, 'live.db');
    const writer = spawn(process.execPath, ['--import', 'tsx', 'test/support/sequence-writer.ts', path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve) => writer.stdout.once('data', () => resolve()));
      const db = openSqlite(path);
      const prefixes: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const backupPath = await takeBackup(db, path, `round${round}`);
        const restored = new Database(backupPath, { readonly: true });
        assert.equal(restored.pragma('integrity_check', { simple: true }), 'ok');
        const { count, max } = restored
          .prepare('SELECT count(*) AS count, coalesce(max(n), 0) AS max FROM seq')
          .get() as {
          count: number;
          max: number;
        };
        restored.close();
        assert.equal(count, max, `round ${round}: rows 1..${max} with none missing`);
        prefixes.push(max);
      }
      db.close();
      assert.ok(prefixes.at(-1)! > prefixes[0]!, 'the writer kept committing during the backups');
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('the app never copies a live database file (only closed backups are copied)', () => {
    const offenders: string[] = [];
    const walk = (folder: string): void => {
      for (const name of readdirSync(folder)) {
        const file = join(folder, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (
          /\.(ts|tsx)$/.test(name) &&
          /copyFile(Sync)?\(|\.cp(Sync)?\(/.test(readFileSync(file, 'utf8'))
        )
          offenders.push(file);
      }
    };
    walk(join(import.meta.dirname, '..', '..', 'src', 'main'));
    // managed.ts copies a backup file (written by the backup API and closed) over a quarantined path;
    // file-store.ts copies a file the user picked (an attachment, never a database) into the account folder.
    assert.deepEqual(
      offenders.map((f) => f.slice(f.indexOf('src/'))),
      ['src/main/db/managed.ts', 'src/main/files/file-store.ts'],
    );
  });
});
