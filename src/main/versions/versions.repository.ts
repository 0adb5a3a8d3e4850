import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import type { VersionKind } from '../../shared/contract/versions';

/** What a version row still has to tell the server (server accounts); `none` on the Local account. */
export type VersionPending = 'none' | 'create' | 'rename' | 'delete';

export interface VersionRow {
  id: string;
  nodeId: string;
  notebookId: string;
  revision: number | null;
  name: string | null;
  kind: VersionKind;
  /** TipTap JSON; null: not fetched from the server yet. */
  content: string | null;
  createdAt: string;
  createdBy: string;
  pending: VersionPending;
  attempts: number;
  lastError: string | null;
}

const COLUMNS = `id, node_id AS nodeId, notebook_id AS notebookId, revision, name, kind, content,
  created_at AS createdAt, created_by AS createdBy, pending, attempts, last_error AS lastError`;

/** Every SQL statement over `versions`. */
export class VersionsRepository {
  constructor(private readonly db: Db) {}

  /** A page's versions as the user sees them (pending deletes hidden), newest first. */
  list(nodeId: string): VersionRow[] {
    return prepared(
      this.db,
      `SELECT ${COLUMNS} FROM versions WHERE node_id = ? AND pending != 'delete' ORDER BY created_at DESC, id DESC`,
    ).all(nodeId) as VersionRow[];
  }

  get(id: string): VersionRow | undefined {
    return prepared(this.db, `SELECT ${COLUMNS} FROM versions WHERE id = ?`).get(id) as
      VersionRow | undefined;
  }

  insert(row: VersionRow): void {
    prepared(
      this.db,
      `INSERT INTO versions (id, node_id, notebook_id, revision, name, kind, content, created_at, created_by, pending)
       VALUES (@id, @nodeId, @notebookId, @revision, @name, @kind, @content, @createdAt, @createdBy, @pending)`,
    ).run(row);
  }

  /** A version as the server lists it: inserted, or its fields refreshed (its cached content kept). */
  upsertFromServer(row: Omit<VersionRow, 'content' | 'pending' | 'attempts' | 'lastError'>): void {
    prepared(
      this.db,
      `INSERT INTO versions (id, node_id, notebook_id, revision, name, kind, created_at, created_by)
       VALUES (@id, @nodeId, @notebookId, @revision, @name, @kind, @createdAt, @createdBy)
       ON CONFLICT (id) DO UPDATE SET revision = excluded.revision,
         name = CASE WHEN pending = 'rename' THEN name ELSE excluded.name END,
         created_at = excluded.created_at, created_by = excluded.created_by, kind = excluded.kind`,
    ).run(row);
  }

  /** The server's list is the truth: confirmed versions of the page it no longer has are gone. */
  deleteConfirmedExcept(nodeId: string, keep: readonly string[]): number {
    const rows = prepared(
      this.db,
      `SELECT id FROM versions WHERE node_id = ? AND pending IN ('none', 'rename')`,
    )
      .pluck()
      .all(nodeId) as string[];
    const keepSet = new Set(keep);
    const statement = prepared(this.db, 'DELETE FROM versions WHERE id = ?');
    let deleted = 0;
    for (const id of rows) if (!keepSet.has(id)) deleted += statement.run(id).changes;
    return deleted;
  }

  setContent(id: string, content: string): void {
    prepared(this.db, 'UPDATE versions SET content = ? WHERE id = ?').run(content, id);
  }

  rename(id: string, name: string | null, pending: VersionPending): void {
    prepared(this.db, 'UPDATE versions SET name = ?, pending = ? WHERE id = ?').run(name, pending, id);
  }

  markPending(id: string, pending: VersionPending): void {
    prepared(this.db, 'UPDATE versions SET pending = ?, attempts = 0, last_error = NULL WHERE id = ?').run(
      pending,
      id,
    );
  }

  /**
   * The server has the version with `sentName`: nothing left to send — unless it was renamed here meanwhile
   * (while the request was on its way), which is then still to send.
   */
  confirm(id: string, revision: number | null, sentName: string | null): void {
    prepared(
      this.db,
      `UPDATE versions SET pending = CASE WHEN name IS @sentName THEN 'none' ELSE 'rename' END,
         revision = coalesce(@revision, revision), attempts = 0, last_error = NULL
       WHERE id = @id AND pending IN ('create', 'rename')`,
    ).run({ id, revision, sentName });
  }

  failed(id: string, error: string): void {
    prepared(this.db, 'UPDATE versions SET attempts = attempts + 1, last_error = ? WHERE id = ?').run(
      error,
      id,
    );
  }

  delete(id: string): void {
    prepared(this.db, 'DELETE FROM versions WHERE id = ?').run(id);
  }

  /** Versions with something to send, oldest first (a create goes before its rename or delete). */
  pending(): VersionRow[] {
    return prepared(
      this.db,
      `SELECT ${COLUMNS} FROM versions WHERE pending != 'none' ORDER BY created_at, id`,
    ).all() as VersionRow[];
  }

  /** id, kind and time of a page's versions (retention). */
  ages(nodeId: string): { id: string; kind: string; createdAt: string }[] {
    return prepared(this.db, 'SELECT id, kind, created_at AS createdAt FROM versions WHERE node_id = ?').all(
      nodeId,
    ) as { id: string; kind: string; createdAt: string }[];
  }

  /** When the page's newest automatic version was taken (the hourly limit). */
  lastAutomatic(nodeId: string): string | null {
    return (
      (prepared(this.db, "SELECT max(created_at) FROM versions WHERE node_id = ? AND kind = 'auto'")
        .pluck()
        .get(nodeId) as string | null) ?? null
    );
  }

  /** The newest version's content, if on this device (an idle snapshot of unchanged content is skipped). */
  newestContent(nodeId: string): string | null {
    return (
      (prepared(
        this.db,
        "SELECT content FROM versions WHERE node_id = ? AND pending != 'delete' ORDER BY created_at DESC LIMIT 1",
      )
        .pluck()
        .get(nodeId) as string | null) ?? null
    );
  }

  userName(userId: string): string | null {
    const row = prepared(this.db, 'SELECT name, username FROM users WHERE id = ? LIMIT 1').get(userId) as
      { name: string; username: string } | undefined;
    return row ? row.name || row.username : null;
  }
}
