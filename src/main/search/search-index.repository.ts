import type { StoredNodeType } from '../../shared/model/nodes';
import { cjkIndexText } from '../../shared/search/terms';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import { changedWords } from './changed-words';

/**
 * The full-text index's SQL (replica migration 5). One FTS5 row per node: `title` (its name), `body` (a
 * record's text fields, then its document's text) and `cjk` (the CJK runs of both, as character pairs). The
 * FTS table is contentless — the text already lives in `nodes` and `documents` — so `search_rows` maps each
 * node to its FTS rowid and keeps what a row was built from, to rebuild it when only one part changes.
 *
 * Writes happen inside the transaction that changes the text (the node's row or the document's
 * materialised text), from the repositories that own those tables. A node's deletion is a trigger, so a
 * cascade (a notebook deleted) cannot leave rows behind. A failing index write never fails the edit: it is
 * rolled back to its savepoint and the index is marked for a rebuild (`search.service.ts`).
 *
 * `search_terms` (replica migration 11) is the index's vocabulary: every token written into it, added in
 * the same savepoint, never removed (a token no longer in any note only costs an empty branch of a query).
 * Version 2 is the first whose rebuild fills it.
 */
export const SEARCH_INDEX_VERSION = '2';

/** Kept identical to migration 5's: a missing or damaged FTS table is recreated from this. */
export const SEARCH_INDEX_SQL = `CREATE VIRTUAL TABLE search_index USING fts5(
        title, body, cjk,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
      )`;
/** bm25 as migration 5 configured it; no query orders by rank any more (see `newestMatches`). */
export const SEARCH_RANK_SQL = `INSERT INTO search_index (search_index, rank) VALUES ('rank', 'bm25(10.0, 1.0, 2.0)')`;
/** Kept identical to migration 11's: recreated by a rebuild if missing. */
const SEARCH_VOCABULARY_SQL = `
  CREATE TABLE IF NOT EXISTS search_terms (term TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
  CREATE VIRTUAL TABLE IF NOT EXISTS search_tokens USING fts3tokenize('unicode61', 'remove_diacritics=2')`;
/** Kept identical to migration 11's. */
const SEARCH_TITLES_SQL = `CREATE VIRTUAL TABLE search_titles USING fts5(
        title, cjk,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
      )`;
/** The tables a healthy index has. */
const SEARCH_TABLES = ['search_index', 'search_titles', 'search_terms', 'search_tokens'] as const;

/** What a node contributes to the index. */
export interface IndexableNode {
  id: string;
  type: string;
  name: string;
  parentId: string | null;
  /** The materialised attributes JSON. */
  attributes: string;
}

interface SearchRow {
  row: number;
  title: string;
  fields: string;
}

const damageListeners = new WeakMap<Db, (error: unknown) => void>();

/** Told when an index write failed (the edit went through without it): the index needs a rebuild. */
export function onSearchIndexDamaged(db: Db, listener: (error: unknown) => void): void {
  damageListeners.set(db, listener);
}

/** Field kinds whose values are words a person would search for (not option ids, user ids or booleans). */
const TEXT_KINDS: ReadonlySet<string> = new Set(['text', 'long_text', 'url', 'email', 'number', 'date']);

/**
 * A record's searchable field text: its string, text and number values whose field is text-like in the
 * database's schema (select values are option ids, person values user ids: not words).
 */
function recordFieldText(db: Db, node: IndexableNode): string {
  let values: Record<string, { type?: unknown; value?: unknown }>;
  try {
    values = (JSON.parse(node.attributes) as { values?: typeof values }).values ?? {};
  } catch {
    return '';
  }
  let schema: Record<string, { kind?: unknown; type?: unknown }> = {};
  if (node.parentId !== null) {
    const raw = prepared(db, 'SELECT attributes FROM nodes WHERE id = ?').pluck().get(node.parentId) as
      string | undefined;
    try {
      schema = raw ? ((JSON.parse(raw) as { fields?: typeof schema }).fields ?? {}) : {};
    } catch {
      schema = {};
    }
  }
  const parts: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const field = schema[key];
    const kind = typeof field?.kind === 'string' ? field.kind : 'text';
    if (!TEXT_KINDS.has(kind)) continue;
    if (typeof value.value === 'string' || typeof value.value === 'number') parts.push(String(value.value));
  }
  return parts.join('\n');
}

function rowOf(db: Db, nodeId: string): SearchRow | undefined {
  return prepared(db, 'SELECT row, title, fields FROM search_rows WHERE node_id = ?').get(nodeId) as
    SearchRow | undefined;
}

function documentText(db: Db, nodeId: string): string {
  return (
    (prepared(db, 'SELECT text FROM documents WHERE id = ?').pluck().get(nodeId) as string | undefined) ?? ''
  );
}

/** Adds the tokens of `text` to the vocabulary (tokenized by SQLite, as the FTS table tokenizes it). */
function addTerms(db: Db, text: string): void {
  if (!text) return;
  prepared(
    db,
    'INSERT OR IGNORE INTO search_terms (term) SELECT DISTINCT token FROM search_tokens WHERE input = ?',
  ).run(text);
}

/** `newWords`: the text whose tokens may be new to the vocabulary (all of it, or what an edit changed). */
function write(
  db: Db,
  nodeId: string,
  existing: SearchRow | undefined,
  next: Omit<SearchRow, 'row'>,
  body: string,
  newWords: string,
) {
  try {
    db.transaction(() => {
      addTerms(db, newWords);
      let row = existing?.row;
      if (row === undefined) {
        row = Number(
          prepared(db, 'INSERT INTO search_rows (node_id, title, fields) VALUES (?, ?, ?)').run(
            nodeId,
            next.title,
            next.fields,
          ).lastInsertRowid,
        );
      } else if (existing && (existing.title !== next.title || existing.fields !== next.fields)) {
        prepared(db, 'UPDATE search_rows SET title = ?, fields = ? WHERE row = ?').run(
          next.title,
          next.fields,
          row,
        );
      }
      if (existing?.title !== next.title)
        prepared(db, 'INSERT OR REPLACE INTO search_titles (rowid, title, cjk) VALUES (?, ?, ?)').run(
          row,
          next.title,
          cjkIndexText(next.title),
        );
      const text = next.fields ? `${next.fields}\n${body}` : body;
      prepared(db, 'INSERT OR REPLACE INTO search_index (rowid, title, body, cjk) VALUES (?, ?, ?, ?)').run(
        row,
        next.title,
        text,
        cjkIndexText(`${next.title}\n${text}`),
      );
    })();
  } catch (error) {
    damageListeners.get(db)?.(error);
  }
}

/** A node was inserted or its row rewritten: (re)index its title and fields, if they changed. */
export function indexNode(db: Db, node: IndexableNode, rebuilding = false): void {
  const fields = node.type === 'record' ? recordFieldText(db, node) : '';
  const existing = rowOf(db, node.id);
  if (existing && existing.title === node.name && existing.fields === fields) return;
  const body = documentText(db, node.id);
  // A row already indexed has its body's words in the vocabulary; a rebuild fills it at the end.
  let newWords = existing ? `${node.name}\n${fields}` : `${node.name}\n${fields}\n${body}`;
  if (rebuilding) newWords = '';
  write(db, node.id, existing, { title: node.name, fields }, body, newWords);
}

/**
 * A document's materialised text changed from `previous` (what the index holds for it) to `text`; its
 * node's row, if any, is indexed with it.
 */
export function indexDocumentText(db: Db, documentId: string, text: string, previous: string): void {
  const existing = rowOf(db, documentId);
  if (existing) write(db, documentId, existing, existing, text, changedWords(previous, text));
}

/**
 * The vocabulary's tokens that start with `prefix`, in order, at most `limit`. Strings compare as UTF-8
 * bytes, so the tokens starting with `prefix` are those from it up to it followed by the last code point.
 */
export function termsWithPrefix(db: Db, prefix: string, limit: number): string[] {
  return prepared(db, 'SELECT term FROM search_terms WHERE term >= ? AND term < ? ORDER BY term LIMIT ?')
    .pluck()
    .all(prefix, `${prefix}\u{10ffff}`, limit) as string[];
}

/** The tokens the index makes of `text` (folded as it folds them), in order. */
export function tokensOf(db: Db, text: string): string[] {
  return prepared(db, 'SELECT token FROM search_tokens WHERE input = ? ORDER BY position')
    .pluck()
    .all(text) as string[];
}

/** A candidate hit: its node, its FTS rowid (newer rows have higher ones) and the title it was indexed with. */
export interface CandidateRow {
  nodeId: string;
  row: number;
  title: string;
}

/** The FTS tables a query walks: the whole text, or the titles alone (the same expression fits both). */
export const MatchedTable = { text: 'search_index', titles: 'search_titles' } as const;
export type MatchedTable = (typeof MatchedTable)[keyof typeof MatchedTable];

/**
 * The newest `limit` rows of `table` matching an FTS5 expression, newest first, with their titles. No bm25:
 * its IDF counts every row of each term's doclist on every query (20-40 ms for a word in most of 100,000
 * notes, even to rank ten rows), so ranking is done by the caller from the titles (see `search.service.ts`).
 * Walking a doclist backwards from the newest row stops after `limit` rows.
 */
export function newestMatches(
  db: Db,
  table: MatchedTable,
  expression: string,
  limit: number,
): CandidateRow[] {
  return prepared(
    db,
    `SELECT r.node_id AS nodeId, r.row AS row, r.title AS title
       FROM (SELECT rowid FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid DESC LIMIT ?) s
       JOIN search_rows r ON r.row = s.rowid
       ORDER BY r.row DESC`,
  ).all(expression, limit) as CandidateRow[];
}

/** The plain FTS5 MATCH the bench compares against (no ranking, no joins). */
export function bareMatch(db: Db, expression: string, limit: number): number[] {
  return prepared(db, 'SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT ?')
    .pluck()
    .all(expression, limit) as number[];
}

/** What a hit shows of its node, and its text for the snippet (a record's fields, then its document's). */
export interface HitRow {
  notebookId: string;
  type: StoredNodeType;
  parentId: string | null;
  name: string;
  icon: string | null;
  trashedAt: string | null;
  updatedAt: string;
  body: string;
}

/** One read per hit (node, index row and document together). */
export function hitRow(db: Db, nodeId: string): HitRow | undefined {
  return prepared(
    db,
    `SELECT n.notebook_id AS notebookId, n.type, n.parent_id AS parentId, n.name, n.icon,
            n.trashed_at AS trashedAt, n.updated_at AS updatedAt,
            CASE WHEN r.fields = '' THEN coalesce(d.text, '') ELSE r.fields || char(10) || coalesce(d.text, '') END AS body
       FROM nodes n JOIN search_rows r ON r.node_id = n.id LEFT JOIN documents d ON d.id = n.id
      WHERE n.id = ?`,
  ).get(nodeId) as HitRow | undefined;
}

export interface IndexState {
  version: string | null;
  complete: boolean;
  tablePresent: boolean;
  rows: number;
  nodes: number;
}

/**
 * Whether the vocabulary holds every token of the index: a rebuild of this scheme ran to its end (it fills
 * the vocabulary last) and no write failed since.
 */
export function vocabularyComplete(db: Db): boolean {
  return (
    prepared(
      db,
      `SELECT count(*) FROM search_meta
        WHERE (key = 'version' AND value = ?) OR (key = 'complete' AND value = '1')`,
    )
      .pluck()
      .get(SEARCH_INDEX_VERSION) === 2
  );
}

export function indexState(db: Db): IndexState {
  const meta = (key: string) =>
    (prepared(db, 'SELECT value FROM search_meta WHERE key = ?').pluck().get(key) as string | undefined) ??
    null;
  return {
    version: meta('version'),
    complete: meta('complete') === '1',
    tablePresent:
      prepared(
        db,
        `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (${SEARCH_TABLES.map(() => '?').join(', ')})`,
      )
        .pluck()
        .get(...SEARCH_TABLES) === SEARCH_TABLES.length,
    rows: prepared(db, 'SELECT count(*) FROM search_rows').pluck().get() as number,
    nodes: prepared(db, 'SELECT count(*) FROM nodes').pluck().get() as number,
  };
}

function setMeta(db: Db, key: string, value: string): void {
  prepared(
    db,
    'INSERT INTO search_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

export function markIncomplete(db: Db): void {
  setMeta(db, 'complete', '0');
}

/** Empties the index (recreating the FTS table, which may be the damaged part) before a rebuild. */
export function resetIndex(db: Db): void {
  db.transaction(() => {
    db.exec('DROP TABLE IF EXISTS search_index');
    db.exec(SEARCH_INDEX_SQL);
    db.exec(SEARCH_RANK_SQL);
    db.exec('DROP TABLE IF EXISTS search_titles');
    db.exec(SEARCH_TITLES_SQL);
    db.exec(SEARCH_VOCABULARY_SQL);
    db.exec('DELETE FROM search_terms');
    db.exec('DELETE FROM search_rows');
    setMeta(db, 'version', SEARCH_INDEX_VERSION);
    setMeta(db, 'complete', '0');
  })();
}

/** Indexes the nodes after `afterId` (in id order), `count` of them, in one transaction; answers the last id. */
export function indexNodesAfter(db: Db, afterId: string, count: number): string | null {
  let last: string | null = null;
  db.transaction(() => {
    const nodes = prepared(
      db,
      `SELECT id, type, name, parent_id AS parentId, attributes FROM nodes WHERE id > ? ORDER BY id LIMIT ?`,
    ).all(afterId, count) as IndexableNode[];
    for (const node of nodes) indexNode(db, node, true);
    last = nodes.at(-1)?.id ?? null;
  })();
  return last;
}

/**
 * A rebuild's last step: the vocabulary gets the index's tokens after `afterTerm`, `count` of them, in
 * one transaction; answers the last one. FTS5 lists its tokens itself (fts5vocab), reading each token's
 * rows once, which is many times cheaper than tokenizing every note again while indexing it.
 */
export function addIndexTermsAfter(db: Db, afterTerm: string, count: number): string | null {
  db.exec(
    'CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_index_terms USING fts5vocab(main, search_index, row)',
  );
  let last: string | null = null;
  db.transaction(() => {
    const terms = prepared(
      db,
      'SELECT term FROM temp.search_index_terms WHERE term > ? ORDER BY term LIMIT ?',
    )
      .pluck()
      .all(afterTerm, count) as string[];
    const insert = prepared(db, 'INSERT OR IGNORE INTO search_terms (term) VALUES (?)');
    for (const term of terms) insert.run(term);
    last = terms.at(-1) ?? null;
  })();
  return last;
}

export function markComplete(db: Db): void {
  setMeta(db, 'complete', '1');
}

/** FTS5's own consistency check of the index structure; throws when it is damaged. */
export function checkIndexIntegrity(db: Db): void {
  db.exec("INSERT INTO search_index (search_index) VALUES ('integrity-check')");
  db.exec("INSERT INTO search_titles (search_titles) VALUES ('integrity-check')");
}
