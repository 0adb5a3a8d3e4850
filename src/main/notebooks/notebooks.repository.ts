import type { NotebookRole } from '../../shared/model/roles';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';

export interface NotebookRow {
  id: string;
  name: string;
  description: string;
  role: NotebookRole;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = 'id, name, description, role, created_at AS createdAt, updated_at AS updatedAt';

export class NotebooksRepository {
  constructor(private readonly db: Db) {}

  list(): NotebookRow[] {
    return prepared(
      this.db,
      `SELECT ${COLUMNS} FROM notebooks ORDER BY created_at, id`,
    ).all() as NotebookRow[];
  }

  get(id: string): NotebookRow | undefined {
    return prepared(this.db, `SELECT ${COLUMNS} FROM notebooks WHERE id = ?`).get(id) as
      NotebookRow | undefined;
  }

  insert(row: NotebookRow): void {
    this.db
      .prepare(
        `INSERT INTO notebooks (id, name, description, role, created_at, updated_at)
         VALUES (@id, @name, @description, @role, @createdAt, @updatedAt)`,
      )
      .run(row);
  }

  /** A notebook as the server lists it: created or refreshed, never deleted by its absence. */
  upsert(row: NotebookRow): void {
    this.db
      .prepare(
        `INSERT INTO notebooks (id, name, description, role, created_at, updated_at)
         VALUES (@id, @name, @description, @role, @createdAt, @updatedAt)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
           role = excluded.role, updated_at = excluded.updated_at`,
      )
      .run(row);
  }

  /** The largest file the server accepts in this notebook, bytes (null: not known, e.g. the Local account). */
  maxFileSize(id: string): number | null {
    const value = prepared(this.db, 'SELECT max_file_size FROM notebooks WHERE id = ?').pluck().get(id) as
      string | null | undefined;
    const bytes = value == null ? Number.NaN : Number(value);
    return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
  }

  setMaxFileSize(id: string, bytes: string | null): void {
    prepared(this.db, 'UPDATE notebooks SET max_file_size = ? WHERE id = ?').run(bytes, id);
  }

  update(row: NotebookRow): void {
    this.db
      .prepare(
        'UPDATE notebooks SET name = @name, description = @description, updated_at = @updatedAt WHERE id = @id',
      )
      .run(row);
  }

  /** Cascades (foreign keys) to the notebook's nodes, documents and their Yjs rows. */
  delete(id: string): void {
    this.db.prepare('DELETE FROM notebooks WHERE id = ?').run(id);
    this.db.prepare('DELETE FROM outbox WHERE notebook_id = ?').run(id);
  }
}
