import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import { indexDocumentText } from '../search/search-index.repository';

export interface DocumentRow {
  id: string;
  notebookId: string;
  content: string;
  contentStale: number;
  createdAt: string;
  updatedAt: string;
  localRevision: number;
}

const COLUMNS = `id, notebook_id AS notebookId, content, content_stale AS contentStale, created_at AS createdAt,
  updated_at AS updatedAt, local_revision AS localRevision`;

const EMPTY_CONTENT = JSON.stringify({ type: 'doc', content: [] });

export class DocumentsRepository {
  constructor(private readonly db: Db) {}

  get(id: string): DocumentRow | undefined {
    return prepared(this.db, `SELECT ${COLUMNS} FROM documents WHERE id = ?`).get(id) as
      DocumentRow | undefined;
  }

  insertEmpty(id: string, notebookId: string, now: string): void {
    prepared(
      this.db,
      'INSERT INTO documents (id, notebook_id, content, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    ).run(id, notebookId, EMPTY_CONTENT, now, now);
  }

  state(id: string): Uint8Array | undefined {
    return prepared(this.db, 'SELECT state FROM document_states WHERE id = ?').pluck().get(id) as
      Uint8Array | undefined;
  }

  pendingUpdates(id: string): Uint8Array[] {
    return prepared(this.db, 'SELECT data FROM document_updates WHERE document_id = ? ORDER BY rowid')
      .pluck()
      .all(id) as Uint8Array[];
  }

  hasPendingUpdates(id: string): boolean {
    return (
      prepared(this.db, 'SELECT 1 FROM document_updates WHERE document_id = ? LIMIT 1').get(id) !== undefined
    );
  }

  insertUpdate(updateId: string, documentId: string, data: Uint8Array, now: string): void {
    this.insertPendingUpdate(updateId, documentId, data, now);
    this.markStale(documentId, now);
  }

  /** Stores a pending update only: for one that replaces others of the same content (nothing new to show). */
  insertPendingUpdate(updateId: string, documentId: string, data: Uint8Array, createdAt: string): void {
    prepared(
      this.db,
      'INSERT INTO document_updates (id, document_id, data, created_at) VALUES (?, ?, ?, ?)',
    ).run(updateId, documentId, data, createdAt);
  }

  /** The Yjs rows changed: the materialised JSON must be rebuilt (and a pending rebuild must not win). */
  markStale(documentId: string, now: string): void {
    prepared(
      this.db,
      'UPDATE documents SET content_stale = 1, updated_at = ?, local_revision = local_revision + 1 WHERE id = ?',
    ).run(now, documentId);
  }

  /**
   * Stores the materialised JSON and plain text, unless newer updates landed since `localRevision`; the
   * search index takes the new text in the same transaction.
   */
  saveContent(id: string, content: string, text: string, localRevision: number): boolean {
    return this.db.transaction(() => {
      // The text before: the index's vocabulary takes only the words the change brought.
      const previous =
        (prepared(this.db, 'SELECT text FROM documents WHERE id = ?').pluck().get(id) as
          string | undefined) ?? '';
      const saved =
        prepared(
          this.db,
          'UPDATE documents SET content = ?, text = ?, content_stale = 0 WHERE id = ? AND local_revision = ?',
        ).run(content, text, id, localRevision).changes > 0;
      if (saved) indexDocumentText(this.db, id, text, previous);
      return saved;
    })();
  }

  /** Documents whose materialised text is older than their Yjs rows (the indexer's durable queue). */
  staleIds(limit: number): string[] {
    return prepared(this.db, 'SELECT id FROM documents WHERE content_stale = 1 LIMIT ?')
      .pluck()
      .all(limit) as string[];
  }

  /** The most recently changed documents, newest first. */
  recentIds(limit: number): string[] {
    return prepared(this.db, 'SELECT id FROM documents ORDER BY updated_at DESC, id LIMIT ?')
      .pluck()
      .all(limit) as string[];
  }

  delete(ids: readonly string[]): void {
    const statement = prepared(this.db, 'DELETE FROM documents WHERE id = ?');
    for (const id of ids) statement.run(id);
  }
}
