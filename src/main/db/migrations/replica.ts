import type { Migration } from '../migrate';

/**
 * replica.db, one per account. Per synced object: the confirmed server state (+ revision), pending local
 * Yjs updates, a materialised JSON row for queries, and the outbox row — always written in one
 * transaction by the domain services. Append-only: add a new entry, never edit a shipped one.
 */
export const REPLICA_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE notebooks (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL DEFAULT 'owner',
        status INTEGER NOT NULL DEFAULT 1,
        user_id TEXT,
        max_file_size TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        server_revision INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      -- Materialised node rows; the truth is node_states + node_updates (Yjs).
      CREATE TABLE nodes (
        id TEXT PRIMARY KEY,
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        parent_id TEXT,
        root_id TEXT NOT NULL,
        sort_index TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        icon TEXT,
        trashed_at TEXT,
        attributes TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT,
        updated_at TEXT NOT NULL,
        updated_by TEXT,
        server_revision INTEGER NOT NULL DEFAULT 0,
        local_revision INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX nodes_by_parent ON nodes (notebook_id, parent_id, sort_index);
      CREATE INDEX nodes_by_root ON nodes (root_id);

      -- Confirmed server state of a node's Yjs doc (absent until the server confirms a create).
      CREATE TABLE node_states (
        id TEXT PRIMARY KEY REFERENCES nodes(id) ON DELETE CASCADE,
        state BLOB NOT NULL,
        revision INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      -- Local Yjs updates not yet confirmed; retired when the server echoes their id.
      CREATE TABLE node_updates (
        id TEXT PRIMARY KEY,
        node_id TEXT NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
        data BLOB NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX node_updates_by_node ON node_updates (node_id);

      -- Documents are keyed by their node id (pages, records, messages).
      CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        content TEXT NOT NULL,
        content_stale INTEGER NOT NULL DEFAULT 0,
        text TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        server_revision INTEGER NOT NULL DEFAULT 0,
        local_revision INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE TABLE document_states (
        id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        state BLOB NOT NULL,
        revision INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE TABLE document_updates (
        id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        data BLOB NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX document_updates_by_document ON document_updates (document_id);

      CREATE TABLE node_reactions (
        node_id TEXT NOT NULL,
        collaborator_id TEXT NOT NULL,
        reaction TEXT NOT NULL,
        root_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (node_id, collaborator_id, reaction)
      ) STRICT;
      CREATE TABLE node_interactions (
        node_id TEXT NOT NULL,
        collaborator_id TEXT NOT NULL,
        root_id TEXT NOT NULL,
        first_seen_at TEXT,
        last_seen_at TEXT,
        first_opened_at TEXT,
        last_opened_at TEXT,
        revision INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (node_id, collaborator_id)
      ) STRICT;
      CREATE TABLE collaborations (
        notebook_id TEXT NOT NULL,
        node_id TEXT NOT NULL,
        role TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 0,
        deleted_at TEXT,
        PRIMARY KEY (notebook_id, node_id)
      ) STRICT;
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        notebook_id TEXT NOT NULL,
        username TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        avatar TEXT,
        role TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      -- Deletions only travel as explicit tombstones; kept so a purge can be explained and never inferred.
      CREATE TABLE tombstones (
        id TEXT PRIMARY KEY,
        notebook_id TEXT NOT NULL,
        root_id TEXT,
        data TEXT NOT NULL,
        deleted_at TEXT NOT NULL
      ) STRICT;
      -- One revision cursor per socket stream (e.g. "<rootId>.node.updates").
      CREATE TABLE cursors (
        key TEXT PRIMARY KEY,
        value INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- Mutations in the Hoody wire format, in order; written in the same transaction as the edit.
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        notebook_id TEXT NOT NULL,
        type TEXT NOT NULL,
        object_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'rejected'))
      ) STRICT;
      CREATE INDEX outbox_by_object ON outbox (object_id);
    `,
  },
  {
    version: 2,
    name: 'node activity',
    sql: `
      -- Unread markers: per node, the latest change (its attributes or its document) by someone other than
      -- this account's user, as the server streamed it. Written in the stream batch's transaction; derived,
      -- so no foreign keys (a document's updates may arrive before its node).
      CREATE TABLE node_activity (
        node_id TEXT PRIMARY KEY,
        notebook_id TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        changed_by TEXT NOT NULL
      ) STRICT;
      CREATE INDEX node_activity_by_notebook ON node_activity (notebook_id);
      CREATE TRIGGER node_activity_gone AFTER DELETE ON nodes BEGIN
        DELETE FROM node_activity WHERE node_id = old.id;
      END;
    `,
  },
  {
    version: 3,
    name: 'node reads',
    sql: `
      -- When the user last opened or saw a node, as marked on this device (the latest of their marks). Kept
      -- after the server confirmed a mark: until the stream brings the server's row back, the page must not
      -- look unread again.
      CREATE TABLE node_reads (
        node_id TEXT PRIMARY KEY,
        read_at TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER node_reads_gone AFTER DELETE ON nodes BEGIN
        DELETE FROM node_reads WHERE node_id = old.id;
      END;
    `,
  },
  {
    version: 4,
    name: 'tree order index',
    sql: `
      -- node.tree (start-up's first query) reads a notebook in (sort_index, id) order: from this index, without
      -- sorting the notebook's rows (decision 0009).
      CREATE INDEX nodes_by_order ON nodes (notebook_id, sort_index, id);
    `,
  },
  {
    version: 5,
    name: 'search index',
    sql: `
      -- Full-text search (src/main/search). search_rows maps a node to its FTS rowid and keeps what its row
      -- was built from; the FTS table is contentless (the text lives in nodes and documents). Written in the
      -- transaction that changes the text; a node's deletion (a cascade too) removes its row here.
      CREATE TABLE search_rows (
        row INTEGER PRIMARY KEY,
        node_id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        fields TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE VIRTUAL TABLE search_index USING fts5(
        title, body, cjk,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
      );
      INSERT INTO search_index (search_index, rank) VALUES ('rank', 'bm25(10.0, 1.0, 2.0)');
      -- version: the index's scheme; complete = '1' once every node is in it (a rebuild sets it last).
      CREATE TABLE search_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER search_node_gone AFTER DELETE ON nodes BEGIN
        DELETE FROM search_index WHERE rowid = (SELECT row FROM search_rows WHERE node_id = old.id);
        DELETE FROM search_rows WHERE node_id = old.id;
      END;
      -- The durable queue of documents whose text must be re-materialised (and re-indexed).
      CREATE INDEX documents_stale ON documents (id) WHERE content_stale = 1;
    `,
  },
  {
    version: 6,
    name: 'versions',
    sql: `
      -- A page's versions (docs/decisions/0011). Local account: the truth. Server accounts: a cache of the server's
      -- list (content null until fetched) plus what this device did offline and has yet to send (pending).
      CREATE TABLE versions (
        id TEXT PRIMARY KEY,
        node_id TEXT NOT NULL,
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        revision INTEGER,
        name TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('manual', 'auto', 'restore', 'import')),
        content TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        pending TEXT NOT NULL DEFAULT 'none' CHECK (pending IN ('none', 'create', 'rename', 'delete')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
      ) STRICT;
      CREATE INDEX versions_by_node ON versions (node_id, created_at);
      CREATE TRIGGER versions_gone AFTER DELETE ON nodes BEGIN
        DELETE FROM versions WHERE node_id = old.id;
      END;
    `,
  },
  {
    version: 7,
    name: 'members per notebook',
    sql: `
      -- A user id is the same in every notebook of a server: keyed by id alone, a member of two notebooks was
      -- listed in whichever one the users stream named last. One row per (notebook, user) now.
      CREATE TABLE members (
        notebook_id TEXT NOT NULL,
        id TEXT NOT NULL,
        username TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        avatar TEXT,
        role TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (notebook_id, id)
      ) STRICT;
      INSERT INTO members (notebook_id, id, username, name, avatar, role, revision)
        SELECT notebook_id, id, username, name, avatar, role, revision FROM users;
      DROP TABLE users;
      ALTER TABLE members RENAME TO users;
    `,
  },
  {
    version: 8,
    name: 'comments',
    sql: `
      -- Comments on pages and records. Server accounts: the server's (server_id set) plus what this device wrote
      -- or resolved and has yet to send (pending); its own id is the Idempotency-Key, so a retry never posts
      -- twice. Local account: the truth.
      CREATE TABLE comments (
        id TEXT PRIMARY KEY,
        server_id TEXT UNIQUE,
        node_id TEXT NOT NULL,
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        parent_id TEXT,
        anchor TEXT,
        anchor_status TEXT,
        content TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_by_name TEXT NOT NULL DEFAULT '',
        resolved_at TEXT,
        version INTEGER NOT NULL DEFAULT 0,
        pending TEXT NOT NULL DEFAULT 'none' CHECK (pending IN ('none', 'create', 'resolve')),
        last_error TEXT
      ) STRICT;
      CREATE INDEX comments_by_node ON comments (node_id, created_at);
      CREATE INDEX comments_pending ON comments (created_at) WHERE pending != 'none';
      CREATE TRIGGER comments_gone AFTER DELETE ON nodes BEGIN
        DELETE FROM comments WHERE node_id = old.id;
      END;
    `,
  },
  {
    version: 9,
    name: 'comment edits and deletions',
    sql: `
      -- Edited or deleted here and not sent yet (offline-first like create/resolve). pending = 'resolve' now
      -- means "the resolution to send": resolve or reopen, as resolved_at says. A deleted comment is hidden
      -- at once and its row removed when the server confirms (or at once if it never reached the server).
      ALTER TABLE comments ADD COLUMN edit_pending INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE comments ADD COLUMN deleted_at TEXT;
      CREATE INDEX comments_changed ON comments (created_at) WHERE edit_pending = 1 OR deleted_at IS NOT NULL;
    `,
  },
  {
    version: 10,
    name: 'files',
    sql: `
      -- Files attached to pages. The bytes live in the account folder (files/<id>, named by id only) while
      -- cached = 1; an upload is a durable job here (state 'uploading' with the TUS upload URL once the server
      -- made one), so a restart resumes it from the server's offset. sent_bytes: what the server acknowledged.
      CREATE TABLE files (
        id TEXT PRIMARY KEY,
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        node_id TEXT,
        name TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        state TEXT NOT NULL
          CHECK (state IN ('uploading', 'paused', 'failed', 'uploaded', 'local', 'remote')),
        upload_url TEXT,
        sent_bytes INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        cached INTEGER NOT NULL DEFAULT 0,
        last_used_at TEXT
      ) STRICT;
      CREATE INDEX files_by_node ON files (notebook_id, node_id);
      CREATE INDEX files_waiting ON files (created_at) WHERE state = 'uploading';
    `,
  },
  {
    version: 11,
    name: 'search vocabulary and titles',
    sql: `
      -- The search index's vocabulary (src/main/search): every token given to search_index, so a word typed
      -- as a prefix ("proj") is asked of FTS5 as the few whole tokens it begins ("project" OR "projects"),
      -- which FTS5 reads newest-first and stops early, instead of a prefix query that merges every matching
      -- doclist first. search_tokens is SQLite's unicode61 tokenizer as a table (FTS3's, the same tokens as
      -- the FTS5 table's): the vocabulary and the query's words are tokenized exactly as the index is.
      CREATE TABLE search_terms (term TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
      CREATE VIRTUAL TABLE search_tokens USING fts3tokenize('unicode61', 'remove_diacritics=2');
      -- The titles alone (same rowids as search_index): "pages with the words in their title" is asked of
      -- doclists that hold titles only; a column filter on search_index reads every row of each word first.
      CREATE VIRTUAL TABLE search_titles USING fts5(
        title, cjk,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
      );
      DROP TRIGGER search_node_gone;
      CREATE TRIGGER search_node_gone AFTER DELETE ON nodes BEGIN
        DELETE FROM search_index WHERE rowid = (SELECT row FROM search_rows WHERE node_id = old.id);
        DELETE FROM search_titles WHERE rowid = (SELECT row FROM search_rows WHERE node_id = old.id);
        DELETE FROM search_rows WHERE node_id = old.id;
      END;
    `,
  },
  {
    version: 12,
    name: 'comment re-anchoring',
    sql: `
      -- A thread re-anchored here (its text was deleted; new text chosen) and not sent yet, offline-first like
      -- edits: anchor holds the new anchor, sent by POST …/reanchor (a comment not created yet sends it in its
      -- create).
      ALTER TABLE comments ADD COLUMN anchor_pending INTEGER NOT NULL DEFAULT 0;
    `,
  },
];
