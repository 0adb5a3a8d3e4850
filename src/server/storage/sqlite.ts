import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from './migrations';
import { present } from '../invariant';

export type Sqlite = Database.Database;

/** Opens (creating if needed) the server database with durable settings and runs pending migrations. */
export function openDatabase(dataDir: string): Sqlite {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'notes.db'));
  db.pragma('journal_mode = WAL');
  // FULL: an acknowledged mutation survives power loss, not only a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Each mutation runs in a savepoint; its sub-journal (page copies for rolling that savepoint back) goes to a
  // temp file by default, ~24 small pwrite()s per mutation. In memory it costs nothing; durability is the
  // WAL's business, not the sub-journal's (it is discarded at commit either way).
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -32000');
  db.pragma('temp_store = MEMORY');
  if (process.platform === 'darwin') db.pragma('fullfsync = ON');
  migrate(db);
  return db;
}

function migrate(db: Sqlite): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema ${current} is newer than this server (${MIGRATIONS.length})`);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(present(MIGRATIONS[version], `migration ${version}`));
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
