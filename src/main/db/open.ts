import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Durability pragmas, asserted after setting them: WAL with synchronous=FULL (better-sqlite3 leaves WAL at
 * NORMAL, which can lose acknowledged commits on power loss), foreign keys on, and on macOS fullfsync so a
 * commit really reaches the platter rather than the drive's cache.
 */
export const REQUIRED_PRAGMAS = {
  journal_mode: 'wal',
  synchronous: 2,
  foreign_keys: 1,
} as const;

export class DatabaseOpenError extends Error {
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseOpenError';
  }
}

export function applyPragmas(db: Db, platform: NodeJS.Platform = process.platform): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  if (platform === 'darwin') db.pragma('fullfsync = ON');
  assertPragmas(db, platform);
}

export function assertPragmas(db: Db, platform: NodeJS.Platform = process.platform): void {
  const actual = {
    journal_mode: db.pragma('journal_mode', { simple: true }),
    synchronous: db.pragma('synchronous', { simple: true }),
    foreign_keys: db.pragma('foreign_keys', { simple: true }),
  };
  for (const [name, expected] of Object.entries(REQUIRED_PRAGMAS)) {
    const value = actual[name as keyof typeof actual];
    if (value !== expected)
      throw new DatabaseOpenError(`PRAGMA ${name} is ${String(value)}, expected ${expected}`, db.name);
  }
  if (platform === 'darwin' && db.pragma('fullfsync', { simple: true }) !== 1) {
    throw new DatabaseOpenError('PRAGMA fullfsync could not be enabled', db.name);
  }
}

/** Opens a SQLite file with the durability pragmas; throws DatabaseOpenError if the file is not a database. */
export function openSqlite(path: string, platform: NodeJS.Platform = process.platform): Db {
  let db: Db | undefined;
  try {
    db = new Database(path);
    applyPragmas(db, platform);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof DatabaseOpenError) throw error;
    throw new DatabaseOpenError(
      `Cannot open database: ${error instanceof Error ? error.message : String(error)}`,
      path,
      {
        cause: error,
      },
    );
  }
}
