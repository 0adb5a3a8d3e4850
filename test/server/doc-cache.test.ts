import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { DocCache } from '../../src/server/services/doc-cache';

const state = (bytes: number[]) => Uint8Array.from(bytes);

describe('DocCache', () => {
  it('hands a doc out once, and only for byte-identical state', () => {
    const cache = new DocCache();
    const doc = new Y.Doc();
    cache.put('a', doc, state([1, 2, 3]));
    assert.equal(cache.take('a', state([1, 2, 4])), undefined, 'other state: miss');
    assert.equal(cache.take('a', state([1, 2, 3])), undefined, 'a miss also drops the entry');
    cache.put('a', doc, state([1, 2, 3]));
    assert.equal(cache.take('a', state([1, 2, 3])), doc);
    assert.equal(cache.take('a', state([1, 2, 3])), undefined, 'taken: gone until put back');
  });

  it('evicts the least recently written beyond its entry and byte budgets, and skips oversized states', () => {
    const cache = new DocCache(2, 80);
    const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
    docs.forEach((doc, i) => cache.put(`k${i}`, doc, state([i])));
    assert.equal(cache.take('k0', state([0])), undefined, 'oldest evicted by count');
    assert.equal(cache.take('k2', state([2])), docs[2]);
    cache.put('big', new Y.Doc(), new Uint8Array(11));
    assert.equal(cache.take('big', new Uint8Array(11)), undefined, 'over 1/8 of the budget: not cached');
    cache.put('x', docs[0]!, new Uint8Array(10));
    cache.put('y', docs[1]!, new Uint8Array(10));
    cache.delete('y');
    assert.equal(cache.take('y', new Uint8Array(10)), undefined);
    assert.equal(cache.take('x', new Uint8Array(10)), docs[0]);
  });
});
