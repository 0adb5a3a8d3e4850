import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as Y from 'yjs';
import {
  documentToYDoc,
  normalizeDocument,
  readDocument,
  type TiptapNode,
} from '../../src/shared/crdt/document';
import { createNodeState, readNodeAttributes, writeNodeAttributes } from '../../src/shared/crdt/node-doc';
import { fromBase64, toBase64 } from '../../src/shared/lib/base64';
import { indexForPosition, compareOrdered } from '../../src/shared/model/ordering';

const SEED = 20261123;

// Control characters are not note text (and ProseMirror would keep them verbatim anyway).
// eslint-disable-next-line no-control-regex
const text = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[\u0000-\u001f]/.test(s));
// `code` excludes every other mark in the schema, so it comes alone.
const marks = fc.oneof(
  fc.subarray(['bold', 'italic', 'strike'] as const).map((list) => list.map((type) => ({ type }))),
  fc.constant<{ type: string }[]>([{ type: 'code' }]),
);
const inline = fc.array(fc.record({ text, marks }), { minLength: 0, maxLength: 4 }).map((runs) =>
  runs.map((r): TiptapNode => ({
    type: 'text',
    text: r.text,
    ...(r.marks.length ? { marks: r.marks } : {}),
  })),
);
const paragraph = inline.map((content): TiptapNode => ({
  type: 'paragraph',
  ...(content.length ? { content } : {}),
}));
const heading = fc.tuple(fc.integer({ min: 1, max: 6 }), inline).map(([level, content]): TiptapNode => ({
  type: 'heading',
  attrs: { level },
  ...(content.length ? { content } : {}),
}));
const list = fc.array(paragraph, { minLength: 1, maxLength: 3 }).map((items): TiptapNode => ({
  type: 'bulletList',
  content: items.map((p) => ({ type: 'listItem', content: [p] })),
}));
const block = fc.oneof(paragraph, heading, list, fc.constant<TiptapNode>({ type: 'horizontalRule' }));
const docArb = fc.array(block, { maxLength: 8 }).map((content) => ({ type: 'doc', content }));

describe('document conversion (property)', () => {
  it('TipTap JSON → Yjs → TipTap JSON is the identity on normalised documents', () => {
    fc.assert(
      fc.property(docArb, (raw) => {
        const doc = normalizeDocument(raw);
        const ydoc = documentToYDoc(doc);
        const copy = new Y.Doc();
        Y.applyUpdate(copy, Y.encodeStateAsUpdate(ydoc));
        assert.deepEqual(readDocument(copy), doc);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

describe('node attribute docs', () => {
  it('writes only what changed and merges concurrent edits of different keys', () => {
    const { doc, update } = createNodeState({ type: 'page', parentId: 'p', index: 'a0', name: 'One' });
    const other = new Y.Doc();
    Y.applyUpdate(other, update);
    assert.equal(writeNodeAttributes(doc, readNodeAttributes(doc)), null, 'no change, no update');
    const rename = writeNodeAttributes(doc, { ...readNodeAttributes(doc), name: 'Two' });
    const icon = writeNodeAttributes(other, { ...readNodeAttributes(other), icon: '🌿' });
    assert.ok(rename && icon);
    Y.applyUpdate(doc, icon);
    Y.applyUpdate(other, rename);
    assert.deepEqual(readNodeAttributes(doc), readNodeAttributes(other));
    assert.equal(readNodeAttributes(doc).name, 'Two');
    assert.equal(readNodeAttributes(doc).icon, '🌿');
  });

  it('merges collaborator maps per key', () => {
    const { doc, update } = createNodeState({
      type: 'section',
      parentId: null,
      index: 'a0',
      name: 'S',
      collaborators: { u1: 'admin' },
    });
    const other = new Y.Doc();
    Y.applyUpdate(other, update);
    const a = writeNodeAttributes(doc, {
      ...readNodeAttributes(doc),
      collaborators: { u1: 'admin', u2: 'editor' },
    });
    const b = writeNodeAttributes(other, {
      ...readNodeAttributes(other),
      collaborators: { u1: 'admin', u3: 'viewer' },
    });
    Y.applyUpdate(doc, b!);
    Y.applyUpdate(other, a!);
    assert.deepEqual(readNodeAttributes(doc).collaborators, { u1: 'admin', u2: 'editor', u3: 'viewer' });
  });
});

describe('base64', () => {
  it('round-trips any bytes and agrees with Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const encoded = toBase64(bytes);
        assert.equal(encoded, Buffer.from(bytes).toString('base64'));
        assert.deepEqual(fromBase64(encoded), bytes);
      }),
      { seed: SEED, numRuns: 300 },
    );
    assert.throws(() => fromBase64('abc'), /invalid base64/);
    assert.throws(() => fromBase64('ab-_'), /invalid base64/);
  });
});

describe('fractional ordering', () => {
  it('any sequence of inserts keeps the intended order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 60 }), (choices) => {
        const expected: string[] = [];
        const siblings: { id: string; index: string }[] = [];
        choices.forEach((choice, n) => {
          const id = `n${n}`;
          const at = expected.length === 0 ? 0 : choice % (expected.length + 1);
          const position = at < expected.length ? { beforeId: expected[at] } : {};
          siblings.push({ id, index: indexForPosition(siblings, position) });
          expected.splice(at, 0, id);
        });
        assert.deepEqual(
          [...siblings].sort(compareOrdered).map((s) => s.id),
          expected,
        );
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('places between duplicate keys from concurrent devices without throwing', () => {
    const siblings = [
      { id: 'a', index: 'a0' },
      { id: 'b', index: 'a0' },
      { id: 'c', index: 'a1' },
    ];
    const index = indexForPosition(siblings, { afterId: 'a' });
    assert.ok(index > 'a0' && index < 'a1');
  });
});
