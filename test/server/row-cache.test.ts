import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RowCache } from '../../src/server/storage/row-cache';

describe('RowCache (the repository caches of node and document rows)', () => {
  it('keeps the most recently used rows within its entry and byte bounds', () => {
    const cache = new RowCache<{ bytes: number }>((row) => row.bytes, 3, 100);
    cache.set('a', { bytes: 10 });
    cache.set('b', { bytes: 10 });
    cache.set('c', null);
    assert.deepEqual(cache.get('a'), { bytes: 10 }, 'a read moves a to the newest end');
    cache.set('d', { bytes: 10 });
    assert.equal(cache.peek('b'), undefined, 'the least recently used entry went');
    assert.equal(cache.peek('c'), null, 'known absent is remembered');
    cache.set('e', { bytes: 85 });
    assert.equal(cache.peek('a'), undefined, 'over the byte bound: oldest out first');
    assert.equal(cache.peek('c'), undefined);
    assert.deepEqual(cache.peek('e'), { bytes: 85 });
    cache.set('e', { bytes: 5 });
    cache.set('f', { bytes: 80 });
    assert.deepEqual(cache.peek('d'), { bytes: 10 }, 'a replaced row gives its bytes back');
    cache.clear();
    assert.equal(cache.peek('f'), undefined);
  });
});
