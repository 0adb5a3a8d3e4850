import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { prepared } from '../../src/main/db/statements';

describe('prepared statements', () => {
  it('are reused per connection and come back with their modes off', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
    prepared(db, 'INSERT INTO t (id, name) VALUES (?, ?)').run(1, 'one');
    const sql = 'SELECT id, name FROM t WHERE id = ?';
    const first = prepared(db, sql);
    assert.equal(first.pluck().get(1), 1, 'a caller may pluck');
    assert.equal(prepared(db, sql), first, 'the same statement again');
    assert.deepEqual(
      prepared(db, sql).get(1),
      { id: 1, name: 'one' },
      'the next caller gets rows, not plucked',
    );
    prepared(db, sql).safeIntegers();
    assert.equal(
      typeof (prepared(db, sql).get(1) as { id: unknown }).id,
      'number',
      'and numbers, not bigints',
    );
    const other = new Database(':memory:');
    other.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
    assert.notEqual(prepared(other, sql), first, 'never shared across connections');
    db.close();
    other.close();
  });
});
