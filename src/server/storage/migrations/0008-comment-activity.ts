import type { Migration } from '../migrate';

/**
 * One row per page whose comments changed, with the revision of the latest change: the `node.comments` root
 * stream reads it (`revision > cursor`), so a client learns which pages' comments to fetch again, live and after
 * being offline. Deletions need no tombstones: the client fetches the page's whole list.
 * Shipped: never edit, add a new migration instead.
 */
export const commentActivity: Migration = {
  version: 8,
  name: 'comment-activity',
  sql: `
  CREATE TABLE comment_activity (
    node_id TEXT PRIMARY KEY,
    root_id TEXT NOT NULL,
    notebook_id TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    revision INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX comment_activity_root ON comment_activity (root_id, revision);
  `,
};
