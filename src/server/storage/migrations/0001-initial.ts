import type { Migration } from '../migrate';

/** The synced tables (notebooks, nodes, documents and their updates, tombstones, reactions, interactions,
 * collaborations), accounts and tokens, and the idempotency records of mutations and REST writes. Shipped: never edit, add a new migration instead. */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  sql: `
  CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
  INSERT INTO counters (name, value) VALUES ('revision', 0);

  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    avatar TEXT,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  ) STRICT;

  CREATE TABLE notebooks (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT,
    avatar TEXT,
    status INTEGER NOT NULL,
    max_file_size INTEGER NOT NULL,
    is_default_for TEXT REFERENCES accounts(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT
  ) STRICT;
  CREATE UNIQUE INDEX notebooks_default ON notebooks(is_default_for) WHERE is_default_for IS NOT NULL;

  CREATE TABLE notebook_users (
    notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    custom_name TEXT,
    custom_avatar TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    revision INTEGER NOT NULL,
    PRIMARY KEY (notebook_id, user_id)
  ) STRICT;
  CREATE INDEX notebook_users_revision ON notebook_users(notebook_id, revision);
  CREATE INDEX notebook_users_user ON notebook_users(user_id);

  CREATE TABLE nodes (
    id TEXT PRIMARY KEY,
    notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    parent_id TEXT REFERENCES nodes(id) ON DELETE CASCADE,
    root_id TEXT NOT NULL,
    alias TEXT,
    attributes TEXT NOT NULL,
    state BLOB NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT,
    updated_by TEXT,
    revision INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX nodes_notebook ON nodes(notebook_id, type);
  CREATE INDEX nodes_parent ON nodes(parent_id);
  CREATE INDEX nodes_root ON nodes(root_id);
  CREATE UNIQUE INDEX nodes_alias ON nodes(notebook_id, alias) WHERE alias IS NOT NULL;

  CREATE TABLE node_updates (
    id TEXT PRIMARY KEY,
    node_id TEXT NOT NULL,
    root_id TEXT NOT NULL,
    notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    revision INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX node_updates_root ON node_updates(root_id, revision);
  CREATE INDEX node_updates_node ON node_updates(node_id);

  CREATE TABLE node_tombstones (
    id TEXT PRIMARY KEY,
    root_id TEXT NOT NULL,
    notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
    deleted_at TEXT NOT NULL,
    deleted_by TEXT NOT NULL,
    revision INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX node_tombstones_root ON node_tombstones(root_id, revision);

  CREATE TABLE node_reactions (
    node_id TEXT NOT NULL,
    collaborator_id TEXT NOT NULL,
    reaction TEXT NOT NULL,
    root_id TEXT NOT NULL,
    notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    deleted_at TEXT,
    revision INTEGER NOT NULL,
    PRIMARY KEY (node_id, collaborator_id, reaction)
  ) STRICT;
  CREATE INDEX node_reactions_root ON node_reactions(root_id, revision);

  CREATE TABLE node_interactions (
    node_id TEXT NOT NULL,
    collaborator_id TEXT NOT NULL,
    root_id TEXT NOT NULL,
    notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
    first_seen_at TEXT,
    last_seen_at TEXT,
    first_opened_at TEXT,
    last_opened_at TEXT,
    revision INTEGER NOT NULL,
    PRIMARY KEY (node_id, collaborator_id)
  ) STRICT;
  CREATE INDEX node_interactions_root ON node_interactions(root_id, revision);

  CREATE TABLE documents (
    id TEXT PRIMARY KEY REFERENCES nodes(id) ON DELETE CASCADE,
    notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
    root_id TEXT NOT NULL,
    state BLOB NOT NULL,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT,
    updated_by TEXT,
    revision INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE document_updates (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL,
    root_id TEXT NOT NULL,
    notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    revision INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX document_updates_root ON document_updates(root_id, revision);
  CREATE INDEX document_updates_document ON document_updates(document_id);

  CREATE TABLE collaborations (
    notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    root_id TEXT NOT NULL,
    role TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    deleted_at TEXT,
    revision INTEGER NOT NULL,
    PRIMARY KEY (notebook_id, user_id, root_id)
  ) STRICT;
  CREATE INDEX collaborations_user ON collaborations(notebook_id, user_id, revision);

  CREATE TABLE applied_mutations (
    id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    status INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, id)
  ) STRICT;

  CREATE TABLE idempotency_keys (
    user_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
  ) STRICT;
  `,
};
