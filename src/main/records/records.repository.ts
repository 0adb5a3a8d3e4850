import { foldCase } from '../../shared/model/record-query';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import type { CompiledQuery } from './record-sql';

/** A record's row as the records views read it. */
export interface RecordRow {
  id: string;
  name: string;
  icon: string | null;
  attributes: string;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
}

const registered = new WeakSet<Db>();

/** `hoody_fold`: case folding as JS does it (full Unicode), which record-query.ts defines. */
function registerFunctions(db: Db): void {
  if (registered.has(db)) return;
  db.function('hoody_fold', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? foldCase(value) : value,
  );
  registered.add(db);
}

const RECORDS = `FROM nodes n WHERE n.notebook_id = ? AND n.parent_id = ? AND n.type = 'record' AND n.trashed_at IS NULL`;

/**
 * The records of a query: each value it names read once per record into the materialised CTE `r`, then
 * selected and ordered over those columns (record-sql.ts); `key` (a board's grouping value) when asked for.
 */
function selectSql(
  notebookId: string,
  databaseId: string,
  query: CompiledQuery,
  keyPath?: string,
): { sql: string; params: unknown[] } {
  const key = keyPath === undefined ? '' : ', json_extract(n.attributes, ?) AS key';
  return {
    sql: `WITH r AS MATERIALIZED (SELECT n.id AS id, n.name AS name${key}${query.columns.sql} ${RECORDS})
      SELECT id${keyPath === undefined ? '' : ', key'} FROM r WHERE ${query.where.sql} ORDER BY ${query.order.sql}`,
    params: [
      ...(keyPath === undefined ? [] : [keyPath]),
      ...query.columns.params,
      notebookId,
      databaseId,
      ...query.where.params,
      ...query.order.params,
    ],
  };
}

/** SQL of the records views: a database's records selected and ordered in SQLite (record-sql.ts). */
export class RecordsRepository {
  constructor(private readonly db: Db) {
    registerFunctions(db);
  }

  /** Ids of the database's records (not in the trash) that the query selects, in its order. */
  queryIds(notebookId: string, databaseId: string, query: CompiledQuery): string[] {
    const { sql, params } = selectSql(notebookId, databaseId, query);
    return this.db
      .prepare(sql)
      .pluck()
      .all(...params) as string[];
  }

  /** Like queryIds, with each record's value of one field (the key a board groups by). */
  queryKeyed(
    notebookId: string,
    databaseId: string,
    query: CompiledQuery,
    keyPath: string,
  ): { id: string; key: unknown }[] {
    const { sql, params } = selectSql(notebookId, databaseId, query, keyPath);
    return this.db.prepare(sql).all(...params) as { id: string; key: unknown }[];
  }

  count(notebookId: string, databaseId: string): number {
    return prepared(this.db, `SELECT count(*) ${RECORDS}`).pluck().get(notebookId, databaseId) as number;
  }

  /** The rows of these records, in the order given (missing ones left out). */
  rows(ids: readonly string[]): RecordRow[] {
    if (ids.length === 0) return [];
    const rows = prepared(
      this.db,
      `SELECT id, name, icon, attributes, created_at AS createdAt, created_by AS createdBy, updated_at AS updatedAt
         FROM nodes WHERE id IN (SELECT value FROM json_each(?)) AND type = 'record'`,
    ).all(JSON.stringify(ids)) as RecordRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** The notebook's members (as the users stream brought them): who a person field can name. */
  members(notebookId: string): { id: string; name: string }[] {
    return prepared(
      this.db,
      "SELECT id, CASE WHEN name != '' THEN name ELSE username END AS name FROM users WHERE notebook_id = ? ORDER BY name, id",
    ).all(notebookId) as { id: string; name: string }[];
  }

  /** Which of these nodes have local edits not yet confirmed. */
  pending(ids: readonly string[]): Set<string> {
    if (ids.length === 0) return new Set();
    return new Set(
      prepared(
        this.db,
        'SELECT DISTINCT node_id FROM node_updates WHERE node_id IN (SELECT value FROM json_each(?))',
      )
        .pluck()
        .all(JSON.stringify(ids)) as string[],
    );
  }
}
