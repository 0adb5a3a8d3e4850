import type { Migration } from '../migrate';

/** Saved versions of a document (its Markdown at a revision). Shipped: never edit, add a new migration instead. */
export const documentVersions: Migration = {
  version: 3,
  name: 'document-versions',
  sql: `
  CREATE TABLE document_versions (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (document_id, revision)
  ) STRICT;
  `,
};
