import type { Migration } from '../migrate';

/** When each explicit node collaborator was added and last changed. Shipped: never edit, add a new migration instead. */
export const nodeCollaborators: Migration = {
  version: 2,
  name: 'node-collaborators',
  sql: `
  -- When each explicit node collaborator was added and last changed (the role itself lives in the node's
  -- Yjs attributes; this only keeps the timestamps the collaborators API reports).
  CREATE TABLE node_collaborators (
    node_id TEXT NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    PRIMARY KEY (node_id, user_id)
  ) STRICT;
  `,
};
