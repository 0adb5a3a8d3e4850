import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, type Migration } from './migrate';
import { SERVER_MIGRATIONS } from './migrations';

export type Sqlite = Database.Database;

/**
 * Opens (creating if needed) the server database with durable settings and runs pending migrations (a copy of
 * the database goes to `<dataDir>/backups` first when there are any). `migrations` is for tests.
 */
export function openDatabase(dataDir: string, migrations: readonly Migration[] = SERVER_MIGRATIONS): Sqlite {
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
  if (process.platform === 'darwin') db.pragma('fullfsync = ON');
  migrate(db, migrations, join(dataDir, 'backups'));
  return db;
}
