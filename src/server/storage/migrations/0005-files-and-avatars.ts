import type { Migration } from '../migrate';

/** Uploaded files (their bytes live in `<dataDir>/files`) and avatars. Shipped: never edit, add a new migration instead. */
export const filesAndAvatars: Migration = {
  version: 5,
  name: 'files-and-avatars',
  sql: `
  CREATE TABLE files (
    id TEXT PRIMARY KEY,
    notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    status TEXT NOT NULL,
    document_id TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
  ) STRICT;
  CREATE INDEX files_notebook ON files(notebook_id, created_at);

  CREATE TABLE avatars (
    id TEXT PRIMARY KEY,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  `,
};
