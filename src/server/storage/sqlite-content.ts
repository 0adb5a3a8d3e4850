import type { CommentRow, FileRow, VersionRow } from './repository';
import { present } from '../invariant';
import { SqliteAccountsRepository } from './sqlite-accounts';
import { VERSION_COLUMNS, COMMENT_COLUMNS, FILE_COLUMNS } from './sqlite-columns';

/**
 * The SQLite repository's rows beside a page's document: its versions, comments and files, with the upload log
 * that budgets files per user, and the avatars.
 */
export abstract class SqliteContentRepository extends SqliteAccountsRepository {
  insertVersion(row: VersionRow): void {
    this.run(
      `INSERT INTO document_versions (id, document_id, notebook_id, revision, content, created_at, created_by, name, kind)
       VALUES (@id, @documentId, @notebookId, @revision, @content, @createdAt, @createdBy, @name, @kind)`,
      { ...row },
    );
  }
  getVersion(id: string): VersionRow | undefined {
    return this.get(`SELECT ${VERSION_COLUMNS} FROM document_versions WHERE id = ?`, [id]);
  }
  listVersions(documentId: string, limit: number, offset: number): { rows: VersionRow[]; total: number } {
    const count = this.get<{ total: number }>(
      `SELECT count(*) AS total FROM document_versions WHERE document_id = ?`,
      [documentId],
    );
    const rows = this.all<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM document_versions WHERE document_id = ? ORDER BY revision DESC LIMIT ? OFFSET ?`,
      [documentId, limit, offset],
    );
    return { rows, total: present(count, 'count row').total };
  }
  lastVersionRevision(documentId: string): number {
    const row = this.get<{ revision: number | null }>(
      `SELECT max(revision) AS revision FROM document_versions WHERE document_id = ?`,
      [documentId],
    );
    return row?.revision ?? 0;
  }
  deleteVersion(id: string): void {
    this.run(`DELETE FROM document_versions WHERE id = ?`, [id]);
  }
  renameVersion(id: string, name: string | null): void {
    this.run(`UPDATE document_versions SET name = ? WHERE id = ?`, [name, id]);
  }
  versionAges(documentId: string): { id: string; kind: string; createdAt: string }[] {
    return this.all(`SELECT id, kind, created_at AS createdAt FROM document_versions WHERE document_id = ?`, [
      documentId,
    ]);
  }

  insertComment(row: CommentRow): void {
    const { seq: _seq, ...values } = row;
    this.run(
      `INSERT INTO comments (id, document_id, notebook_id, parent_id, anchor, anchor_status, anchor_updated_at,
         version, content, created_at, created_by, updated_at, resolved_at, resolved_by)
       VALUES (@id, @documentId, @notebookId, @parentId, @anchor, @anchorStatus, @anchorUpdatedAt, @version,
         @content, @createdAt, @createdBy, @updatedAt, @resolvedAt, @resolvedBy)`,
      values,
    );
  }
  updateComment(row: CommentRow): void {
    this.run(
      `UPDATE comments SET anchor = @anchor, anchor_status = @anchorStatus, anchor_updated_at = @anchorUpdatedAt,
         version = @version, content = @content, updated_at = @updatedAt, resolved_at = @resolvedAt,
         resolved_by = @resolvedBy WHERE id = @id`,
      { ...row },
    );
  }
  getComment(id: string): CommentRow | undefined {
    return this.get(`SELECT ${COMMENT_COLUMNS} FROM comments WHERE id = ?`, [id]);
  }
  deleteComment(id: string): void {
    this.run(`DELETE FROM comments WHERE id = ?`, [id]);
  }
  listComments(
    documentId: string,
    afterSeq: number,
    offset: number,
    limit: number,
    rootsOnly: boolean,
  ): CommentRow[] {
    return this.all(
      `SELECT ${COMMENT_COLUMNS} FROM comments WHERE document_id = ? AND seq > ?
         ${rootsOnly ? 'AND parent_id IS NULL' : ''} ORDER BY seq LIMIT ? OFFSET ?`,
      [documentId, afterSeq, limit, offset],
    );
  }

  getFile(id: string): FileRow | undefined {
    return this.get(`SELECT ${FILE_COLUMNS} FROM files WHERE id = ?`, [id]);
  }
  upsertFile(row: FileRow): void {
    this.run(
      `INSERT INTO files (id, notebook_id, name, mime_type, size, status, document_id, created_at, created_by)
       VALUES (@id, @notebookId, @name, @mimeType, @size, @status, @documentId, @createdAt, @createdBy)
       ON CONFLICT (id) DO UPDATE SET size = excluded.size, status = excluded.status`,
      { ...row },
    );
  }
  deleteFile(id: string): void {
    this.run(`DELETE FROM files WHERE id = ?`, [id]);
  }
  deleteFilesOfDocument(documentId: string): string[] {
    return this.all<{ id: string }>(`DELETE FROM files WHERE document_id = ? RETURNING id`, [documentId]).map(
      (row) => row.id,
    );
  }
  listFileIdsOfNotebook(notebookId: string): string[] {
    return this.all<{ id: string }>(`SELECT id FROM files WHERE notebook_id = ?`, [notebookId]).map(
      (row) => row.id,
    );
  }
  listReadyFiles(notebookId: string): FileRow[] {
    return this.all<FileRow>(
      `SELECT ${FILE_COLUMNS} FROM files WHERE notebook_id = ? AND status = 'ready' ORDER BY created_at DESC, id`,
      [notebookId],
    );
  }
  logUpload(userId: string, createdAt: string, bytes: number, pruneBefore: string): void {
    this.run(`DELETE FROM upload_log WHERE user_id = ? AND created_at < ?`, [userId, pruneBefore]);
    this.run(`INSERT INTO upload_log (user_id, created_at, bytes) VALUES (?, ?, ?)`, [
      userId,
      createdAt,
      bytes,
    ]);
  }
  uploadUsage(userId: string, since: string): { count: number; bytes: number; oldest: string | null } {
    return present(
      this.get<{ count: number; bytes: number; oldest: string | null }>(
        `SELECT count(*) AS count, coalesce(sum(bytes), 0) AS bytes, min(created_at) AS oldest
         FROM upload_log WHERE user_id = ? AND created_at >= ?`,
        [userId, since],
      ),
      'usage row',
    );
  }
  listFiles(notebookId: string, limit: number, offset: number): { rows: FileRow[]; total: number } {
    const count = this.get<{ total: number }>(
      `SELECT count(*) AS total FROM files WHERE notebook_id = ? AND status = 'ready'`,
      [notebookId],
    );
    const rows = this.all<FileRow>(
      `SELECT ${FILE_COLUMNS} FROM files WHERE notebook_id = ? AND status = 'ready'
       ORDER BY created_at DESC, id LIMIT ? OFFSET ?`,
      [notebookId, limit, offset],
    );
    return { rows, total: present(count, 'count row').total };
  }
  insertAvatar(id: string, createdBy: string, createdAt: string): void {
    this.run(`INSERT INTO avatars (id, created_by, created_at) VALUES (?, ?, ?)`, [id, createdBy, createdAt]);
  }
  hasAvatar(id: string): boolean {
    return this.get(`SELECT 1 FROM avatars WHERE id = ?`, [id]) !== undefined;
  }
}
