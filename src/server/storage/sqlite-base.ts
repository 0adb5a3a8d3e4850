import type { Statement } from 'better-sqlite3';
import type { DocumentRow, NodeRow } from './repository';
import type { Sqlite } from './sqlite';
import { present } from '../invariant';
import { RowCache } from './row-cache';
import { MB, type Params } from './sqlite-columns';

/**
 * The SQLite repository's machinery: statements prepared once per SQL string, transactions (savepoints when
 * nested), the revision counter, write counting, and the caches of node and document rows that every part
 * keeps current. The domain parts extend it (sqlite-repository.ts is the whole repository).
 */
export abstract class SqliteRepositoryBase {
  private readonly statements = new Map<string, Statement>();
  /** The revision counter while a write transaction runs (read once at its start, written once at its end). */
  private revision: number | undefined;
  /**
   * Node and document rows as stored. A mutation reads its node and its document first, and permission checks
   * walk the ancestry of every mutated node, so a batch would otherwise re-read the same rows (state blobs,
   * attribute and content JSON) for every mutation and every batch. The server is the only writer of these
   * tables and every write goes through the repository, which puts the row it wrote; whatever a rollback undoes
   * (a savepoint's or a whole transaction's) or a deletion cascades to, the caches forget entirely.
   */
  protected readonly nodeCache = new RowCache<NodeRow>((row) => row.state.byteLength, 5_000, 16 * MB);
  protected readonly documentCache = new RowCache<DocumentRow>(
    (row) => row.state.byteLength + row.content.length,
    2_000,
    32 * MB,
  );
  /** Write statements started so far (see writeCount). */
  private writes = 0;

  /** One transaction wrapper for every call (better-sqlite3 builds four closures per `db.transaction`). */
  private readonly runInTransaction: ReturnType<Sqlite['transaction']>;

  constructor(protected readonly db: Sqlite) {
    this.runInTransaction = db.transaction((fn: () => unknown) => fn());
  }

  /** The prepared statement for `sql`, about to run: anything that is not read-only counts as a write. */
  protected stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    if (!statement.readonly) this.writes += 1;
    return statement;
  }
  protected get<T>(sql: string, params: Params | unknown[] = []): T | undefined {
    return this.stmt(sql).get(params) as T | undefined;
  }
  protected all<T>(sql: string, params: Params | unknown[] = []): T[] {
    return this.stmt(sql).all(params) as T[];
  }
  protected run(sql: string, params: Params | unknown[] = []): number {
    return this.stmt(sql).run(params).changes;
  }

  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) {
      // Nested: a savepoint. A failure rolls back its writes, so forget what the cache learnt meanwhile.
      try {
        return this.runInTransaction(fn) as T;
      } catch (error) {
        this.forgetRows();
        throw error;
      }
    }
    this.revision = undefined;
    try {
      // IMMEDIATE: take the write lock up front so revision allocation and reads see one consistent state.
      return this.runInTransaction.immediate(() => {
        const result = fn();
        this.flushRevision();
        return result;
      }) as T;
    } catch (error) {
      // Rolled back (or the commit failed): rows the cache learnt in it may not exist.
      this.forgetRows();
      throw error;
    } finally {
      this.revision = undefined;
    }
  }

  /**
   * Revisions come from the `counters` row, read under the write lock at the first allocation and written back
   * once before commit. A savepoint that rolls back leaves a gap in the numbers (harmless: cursors compare with
   * `>`); a rolled-back transaction rolls the counter back with the rows that used it.
   */
  nextRevision(): number {
    if (!this.db.inTransaction) throw new Error('revisions are allocated inside a write transaction');
    if (this.revision === undefined) {
      const row = this.get<{ value: number }>(`SELECT value FROM counters WHERE name = 'revision'`);
      this.revision = present(row, 'revision counter').value;
    }
    this.revision += 1;
    return this.revision;
  }

  writeCount(): number {
    return this.writes;
  }

  private flushRevision(): void {
    if (this.revision === undefined) return;
    this.run(`UPDATE counters SET value = ? WHERE name = 'revision'`, [this.revision]);
  }

  close(): void {
    this.db.close();
  }

  /** Whatever a rollback undid or a deletion cascaded to, the caches forget entirely. */
  protected forgetRows(): void {
    this.nodeCache.clear();
    this.documentCache.clear();
  }
}
