import type { Migration } from '../migrate';

/** app.db: what is not per account. Append-only: add a new entry, never edit a shipped one. */
export const APP_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('local', 'server')),
        name TEXT NOT NULL,
        server_url TEXT,
        user_id TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      CREATE TABLE notices (
        id TEXT PRIMARY KEY,
        level TEXT NOT NULL CHECK (level IN ('info', 'warning', 'error')),
        title TEXT NOT NULL,
        message TEXT NOT NULL,
        created_at TEXT NOT NULL,
        dismissed_at TEXT
      ) STRICT;
    `,
  },
];
