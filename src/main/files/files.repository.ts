import type { FileState } from '../../shared/contract/files';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';

export interface FileRow {
  id: string;
  notebookId: string;
  nodeId: string | null;
  name: string;
  mimeType: string;
  size: number;
  createdAt: string;
  createdBy: string;
  state: FileState;
  uploadUrl: string | null;
  sentBytes: number;
  lastError: string | null;
  cached: number;
  lastUsedAt: string | null;
}

const COLUMNS = `id, notebook_id AS notebookId, node_id AS nodeId, name, mime_type AS mimeType, size,
  created_at AS createdAt, created_by AS createdBy, state, upload_url AS uploadUrl, sent_bytes AS sentBytes,
  last_error AS lastError, cached, last_used_at AS lastUsedAt`;

/** All SQL of files. */
export class FilesRepository {
  constructor(private readonly db: Db) {}

  insert(row: FileRow): void {
    prepared(
      this.db,
      `INSERT INTO files (id, notebook_id, node_id, name, mime_type, size, created_at, created_by, state,
         upload_url, sent_bytes, last_error, cached, last_used_at)
       VALUES (@id, @notebookId, @nodeId, @name, @mimeType, @size, @createdAt, @createdBy, @state, @uploadUrl,
         @sentBytes, @lastError, @cached, @lastUsedAt)`,
    ).run(row);
  }

  get(id: string): FileRow | undefined {
    return prepared(this.db, `SELECT ${COLUMNS} FROM files WHERE id = ?`).get(id) as FileRow | undefined;
  }

  list(notebookId: string, nodeId?: string): FileRow[] {
    if (nodeId === undefined)
      return prepared(
        this.db,
        `SELECT ${COLUMNS} FROM files WHERE notebook_id = ? ORDER BY created_at, id`,
      ).all(notebookId) as FileRow[];
    return prepared(
      this.db,
      `SELECT ${COLUMNS} FROM files WHERE notebook_id = ? AND node_id = ? ORDER BY created_at, id`,
    ).all(notebookId, nodeId) as FileRow[];
  }

  /** Uploads to send, oldest first. */
  waiting(): FileRow[] {
    return prepared(
      this.db,
      `SELECT ${COLUMNS} FROM files WHERE state = 'uploading' ORDER BY created_at, id`,
    ).all() as FileRow[];
  }

  /** Uploads not done yet (to send, paused, failed), oldest first: the Transfers view. */
  unfinished(): FileRow[] {
    return prepared(
      this.db,
      `SELECT ${COLUMNS} FROM files WHERE state IN ('uploading', 'paused', 'failed') ORDER BY created_at, id`,
    ).all() as FileRow[];
  }

  /** Every id with bytes on disk (start-up cleanup keeps these and removes anything else in the folder). */
  cachedIds(): Set<string> {
    const ids = prepared(this.db, `SELECT id FROM files WHERE cached = 1`).pluck().all() as string[];
    return new Set(ids);
  }

  /** Cached files the cache may drop (on the server, not in use by an upload), least recently used first. */
  evictable(): Pick<FileRow, 'id' | 'size'>[] {
    return prepared(
      this.db,
      `SELECT id, size FROM files WHERE cached = 1 AND state IN ('uploaded', 'remote')
       ORDER BY COALESCE(last_used_at, created_at), id`,
    ).all() as Pick<FileRow, 'id' | 'size'>[];
  }

  cachedBytes(): number {
    return (
      (prepared(this.db, `SELECT COALESCE(SUM(size), 0) FROM files WHERE cached = 1`).pluck().get() as
        number | undefined) ?? 0
    );
  }

  setState(id: string, state: FileState, lastError: string | null): void {
    prepared(this.db, `UPDATE files SET state = ?, last_error = ? WHERE id = ?`).run(state, lastError, id);
  }

  setUploadUrl(id: string, url: string): void {
    prepared(this.db, `UPDATE files SET upload_url = ? WHERE id = ?`).run(url, id);
  }

  /** Never goes back: a late progress report of an older attempt cannot lower it. */
  setSentBytes(id: string, sent: number): void {
    prepared(this.db, `UPDATE files SET sent_bytes = MAX(sent_bytes, ?) WHERE id = ?`).run(sent, id);
  }

  setCached(id: string, cached: boolean, usedAt: string | null): void {
    prepared(
      this.db,
      `UPDATE files SET cached = ?, last_used_at = COALESCE(?, last_used_at) WHERE id = ?`,
    ).run(cached ? 1 : 0, usedAt, id);
  }

  touch(id: string, usedAt: string): void {
    prepared(this.db, `UPDATE files SET last_used_at = ? WHERE id = ?`).run(usedAt, id);
  }

  delete(id: string): void {
    prepared(this.db, `DELETE FROM files WHERE id = ?`).run(id);
  }
}
