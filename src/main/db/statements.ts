import type { Statement } from 'better-sqlite3';
import type { Db } from './open';

const caches = new WeakMap<Db, Map<string, Statement>>();

/**
 * `db.prepare(sql)`, reused: preparing a statement costs more than running a small one, and the sync apply
 * path runs the same few thousands of times a second (a fifth of applying a big catch-up was spent preparing).
 * The cache lives as long as the connection. A reused statement comes back with its modes off (no pluck, raw,
 * expand or safe integers), so each caller sets what it needs on the spot and never inherits another's. Not
 * for statements that are iterated: a statement is busy until its iterator ends.
 */
export function prepared(db: Db, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const cached = cache.get(sql);
  if (!cached) {
    const statement = db.prepare(sql);
    cache.set(sql, statement);
    return statement;
  }
  if (cached.reader) cached.pluck(false).expand(false).raw(false);
  cached.safeIntegers(false);
  return cached;
}
