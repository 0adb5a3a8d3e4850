import type { Migration } from '../migrate';

/** Comment threads on documents. Shipped: never edit, add a new migration instead. */
export const comments: Migration = {
  version: 4,
  name: 'comments',
  sql: `
  CREATE TABLE comments (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    document_id TEXT NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
    parent_id TEXT REFERENCES comments(id) ON DELETE CASCADE,
    anchor TEXT,
    anchor_status TEXT,
    anchor_updated_at TEXT,
    version INTEGER NOT NULL,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT,
    resolved_at TEXT,
    resolved_by TEXT
  ) STRICT;
  CREATE INDEX comments_document ON comments(document_id, seq);
  `,
};
