import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as z from 'zod';
import { parseSafely } from '../../src/shared/lib/parse-safely';

// Plain JSON whose `length` cannot be compared with a number: zod 4's length checks run after a failed
// type check and throw a TypeError out of safeParse on it.
const hostile = JSON.parse(
  '{"title":{"length":[{"toString":0,"valueOf":0}]},"ids":{"length":[{"valueOf":0,"toString":0}]}}',
);

describe('parseSafely', () => {
  const schema = z.object({ title: z.string().min(1).max(10), ids: z.array(z.string()).min(1) });

  it('turns what safeParse throws on into an ordinary failure', () => {
    assert.throws(() => schema.safeParse(hostile), TypeError, 'zod still throws: the guard is needed');
    const result = parseSafely(schema, hostile);
    assert.equal(result.success, false);
    assert.equal(result.error?.issues[0]?.message, 'Unreadable value');
  });

  it('answers exactly as safeParse does otherwise', () => {
    assert.deepEqual(
      parseSafely(schema, { title: 'a', ids: ['x'] }),
      schema.safeParse({ title: 'a', ids: ['x'] }),
    );
    const bad = parseSafely(schema, { title: '', ids: [] });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error?.issues, schema.safeParse({ title: '', ids: [] }).error?.issues);
  });
});
