import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFrame, encodeFrame } from '../../src/shared/contract/wire';
import { fromBase64, toBase64 } from '../../src/shared/lib/base64';
import { seededRandom } from '../support/random';

describe('browser-mode wire format', () => {
  it('carries Uint8Array and Node Buffers (what SQLite returns) as bytes', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const frame = encodeFrame({
      t: 'result',
      id: 1,
      result: { ok: true, value: { a: bytes, b: Buffer.from([9, 8, 7]), nested: [{ c: Buffer.alloc(0) }] } },
    });
    const decoded = decodeFrame(frame) as {
      result: { value: { a: unknown; b: unknown; nested: { c: unknown }[] } };
    };
    assert.deepEqual(decoded.result.value.a, bytes);
    assert.ok(decoded.result.value.b instanceof Uint8Array);
    assert.deepEqual([...(decoded.result.value.b as Uint8Array)], [9, 8, 7]);
    assert.deepEqual([...(decoded.result.value.nested[0]!.c as Uint8Array)], []);
  });

  it('does not turn look-alike objects with extra keys into bytes, and rejects bad base64', () => {
    const decoded = decodeFrame('{"x":{"$bytes":"AAE=","other":1}}') as { x: unknown };
    assert.deepEqual(decoded.x, { $bytes: 'AAE=', other: 1 });
    assert.throws(() => decodeFrame('{"x":{"$bytes":"not base64!"}}'), /invalid base64/);
  });

  it('carries a multi-MB update (a 2 MB paste is a ~4 MB Yjs update) and still rejects bad base64 in one', () => {
    // The base64 check was a regex, which ran out of stack on a ~5 MB string: the core refused the frame.
    const update = new Uint8Array(4_000_000).map((_, i) => (i * 31) & 255);
    const decoded = decodeFrame(encodeFrame({ t: 'event', name: 'x', payload: update })) as {
      payload: Uint8Array;
    };
    assert.equal(decoded.payload.length, update.length);
    assert.ok(Buffer.from(decoded.payload).equals(Buffer.from(update)));
    const text = encodeFrame({ t: 'event', name: 'x', payload: update });
    const at = text.indexOf('$bytes') + 20;
    assert.throws(() => decodeFrame(text.slice(0, at) + '!' + text.slice(at + 1)), /invalid base64/);
    for (const bad of ['A', 'AB=', '====', 'A===', 'AB=C', 'ABC==', 'é===', '-_AB'])
      assert.throws(() => decodeFrame(JSON.stringify({ x: { $bytes: bad } })), /invalid base64/, bad);
    for (const good of ['', 'AA==', 'AAA=', 'AAAA', '+/+/'])
      assert.doesNotThrow(() => decodeFrame(JSON.stringify({ x: { $bytes: good } })), good);
  });

  it('encodes bytes as Node’s base64 does, every length and remainder, and back', () => {
    const random = seededRandom(64);
    for (let length = 0; length < 300; length++) {
      const bytes = Uint8Array.from({ length }, () => Math.floor(random() * 256));
      const text = toBase64(bytes);
      assert.equal(text, Buffer.from(bytes).toString('base64'), `length ${length}`);
      assert.deepEqual(fromBase64(text), bytes, `length ${length}`);
    }
    const big = Uint8Array.from({ length: 3_000_001 }, () => Math.floor(random() * 256));
    assert.equal(toBase64(big), Buffer.from(big).toString('base64'));
  });
});
