import type { Migration } from '../migrate';

/**
 * Per-user upload budgets: one row per upload a user started (kept even when the file is later deleted, so
 * deleting and uploading again does not refill the budget), pruned once older than any window. Files are also
 * looked up by their page when it is purged. Shipped: never edit, add a new migration instead.
 */
export const uploadLog: Migration = {
  version: 6,
  name: 'upload-log',
  sql: `
  CREATE TABLE upload_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    bytes INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX upload_log_by_user ON upload_log(user_id, created_at);
  CREATE INDEX files_by_document ON files(document_id);
  `,
};
