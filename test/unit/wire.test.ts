import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFrame, encodeFrame } from '../../src/shared/contract/wire';

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
});
