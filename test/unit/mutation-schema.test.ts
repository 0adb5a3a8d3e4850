import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBase64, toBase64 } from '../../src/shared/lib/base64';
import { Mutation } from '../../src/shared/model/mutations';

const documentUpdate = (data: string) => ({
  id: 'mu_1',
  createdAt: '2026-12-03T12:00:00.000Z',
  type: 'document.update',
  data: { documentId: 'nd_1', updateId: 'up_1', data, createdAt: '2026-12-03T12:00:00.000Z' },
});

describe('mutation schema: the Yjs update is base64, checked in linear time', () => {
  it('accepts a ~5 MB update (a 2 MB paste) and refuses one with a single bad character', () => {
    // The server validated with a regex with a repeated group, which threw RangeError (stack) on this.
    const update = new Uint8Array(3_900_000).map((_, i) => (i * 31) & 255);
    const text = toBase64(update);
    assert.ok(text.length > 5_000_000);
    const started = performance.now();
    assert.equal(Mutation.safeParse(documentUpdate(text)).success, true);
    assert.ok(performance.now() - started < 1_000, 'validated in well under a second');
    const broken = text.slice(0, 2_500_000) + '!' + text.slice(2_500_001);
    const refused = Mutation.safeParse(documentUpdate(broken));
    assert.equal(refused.success, false);
    assert.match(JSON.stringify(refused.error?.issues), /must be standard base64/);
  });

  it('means what the old pattern meant: length a multiple of 4, the standard alphabet, padding at the end', () => {
    for (const bad of ['A', 'AB=', '====', 'A===', 'AB=C', 'ABC==', 'é===', '-_AB', 'AAAA AAA', 'AA=A'])
      assert.equal(isBase64(bad), false, bad);
    for (const good of ['', 'AA==', 'AAA=', 'AAAA', '+/+/', toBase64(new Uint8Array([1, 2, 3, 4, 5]))])
      assert.equal(isBase64(good), true, good);
    assert.equal(Mutation.safeParse(documentUpdate('AAA')).success, false);
    assert.equal(Mutation.safeParse(documentUpdate('AAAA')).success, true);
  });
});
