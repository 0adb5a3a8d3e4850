import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { applyDocumentAsEdits } from '../../src/shared/crdt/apply-document';
import {
  documentText,
  documentToYDoc,
  normalizeDocument,
  readDocument,
  writeDocument,
  type TiptapDoc,
  type TiptapNode,
} from '../../src/shared/crdt/document';
import { createYDoc } from '../../src/shared/crdt/ydoc';
import { seededRandom } from '../support/random';
import { CORPUS } from '../support/markdown-corpus';

/** Two replicas of one document that exchange every update (devices in sync). */
function synced(doc: TiptapDoc): [Y.Doc, Y.Doc] {
  const a = documentToYDoc(doc);
  const b = createYDoc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return [a, b];
}

const exchange = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
};

const para = (id: string, text: string, marks?: TiptapNode['marks']): TiptapNode => ({
  type: 'paragraph',
  attrs: { id },
  content: text ? [{ type: 'text', text, ...(marks ? { marks } : {}) }] : [],
});

/** Types `text` at `offset` of the paragraph with block id `id`, as an editor would (a Y.XmlText insert). */
function typeInto(ydoc: Y.Doc, id: string, offset: number, text: string): void {
  const fragment = ydoc.getXmlFragment('default');
  const walk = (el: Y.XmlFragment | Y.XmlElement): Y.XmlElement | null => {
    for (const child of el.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (child.getAttribute('id') === id) return child;
      const found = walk(child);
      if (found) return found;
    }
    return null;
  };
  const block = walk(fragment);
  assert.ok(block, `block ${id}`);
  const ytext = block.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText);
  assert.ok(ytext);
  ytext.insert(offset, text);
}

describe('applyDocumentAsEdits (restore as an ordinary edit)', () => {
  it('turns any corpus document into any other', () => {
    for (const from of CORPUS) {
      for (const to of CORPUS) {
        const ydoc = documentToYDoc(normalizeDocument(from.doc));
        const target = normalizeDocument(to.doc);
        applyDocumentAsEdits(ydoc, target);
        assert.deepEqual(readDocument(ydoc), target, `${from.name} → ${to.name}`);
      }
    }
  });

  it('randomized edits of a document (seeded): the result is exactly the target', () => {
    const seed = Number(process.env.RESTORE_SEED ?? 7);
    const random = seededRandom(seed);
    for (let run = 0; run < 200; run++) {
      const base = normalizeDocument(CORPUS[Math.floor(random() * CORPUS.length)]!.doc);
      const target = mutate(base, random);
      const ydoc = documentToYDoc(base);
      applyDocumentAsEdits(ydoc, target);
      assert.deepEqual(readDocument(ydoc), target, `seed ${seed} run ${run}`);
    }
  });

  it('merges with a concurrent edit elsewhere: both the restored content and the other edit survive', () => {
    const version: TiptapDoc = {
      type: 'doc',
      content: [para('p1', 'Alpha'), para('p2', 'Beta'), para('p3', 'Gamma')],
    };
    const current: TiptapDoc = {
      type: 'doc',
      content: [
        para('p1', 'Alpha edited'),
        para('p2', 'Beta'),
        para('p4', 'Added later'),
        para('p3', 'Gamma'),
      ],
    };
    const [a, b] = synced(current);
    // Device B types into a paragraph both the version and the current page have; A restores meanwhile.
    typeInto(b, 'p2', 4, ' (typed on B)');
    applyDocumentAsEdits(a, version);
    exchange(a, b);
    const expected = ['Alpha', 'Beta (typed on B)', 'Gamma'];
    assert.deepEqual(readDocument(a).content.map(documentText), expected);
    assert.deepEqual(readDocument(b), readDocument(a));

    // Replacing the whole content instead (the old restore) loses B's typing: the test above can fail.
    const [c, d] = synced(current);
    typeInto(d, 'p2', 4, ' (typed on B)');
    writeDocument(c, normalizeDocument(version));
    exchange(c, d);
    assert.ok(!documentText(readDocument(c)).includes('typed on B'));
  });

  it('keeps a concurrent edit inside text the restore rewrites', () => {
    const [a, b] = synced({ type: 'doc', content: [para('p1', 'The quick brown fox')] });
    typeInto(b, 'p1', 4, 'very ');
    applyDocumentAsEdits(a, { type: 'doc', content: [para('p1', 'The quick red fox')] });
    exchange(a, b);
    assert.equal(documentText(readDocument(a)), 'The very quick red fox');
  });

  it('is one undoable step for an UndoManager tracking its origin', () => {
    const current: TiptapDoc = {
      type: 'doc',
      content: [para('p1', 'now', [{ type: 'bold' }]), para('p2', 'x')],
    };
    const ydoc = documentToYDoc(current);
    const origin = { restore: true };
    const undo = new Y.UndoManager(ydoc.getXmlFragment('default'), { trackedOrigins: new Set([origin]) });
    applyDocumentAsEdits(ydoc, { type: 'doc', content: [para('p0', 'then'), para('p1', 'now')] }, origin);
    assert.deepEqual(readDocument(ydoc).content.map(documentText), ['then', 'now']);
    assert.equal(undo.undoStack.length, 1);
    undo.undo();
    assert.deepEqual(readDocument(ydoc), normalizeDocument(current));
  });

  it('changes only what differs: one edited paragraph of 1,000 is a small update', () => {
    const content = Array.from({ length: 1_000 }, (_, i) => para(`p${i}`, `Paragraph number ${i}`));
    const ydoc = documentToYDoc({ type: 'doc', content });
    const target = structuredClone(content);
    target[500] = para('p500', 'Paragraph number 500, changed', [{ type: 'italic' }]);
    const before = Y.encodeStateVector(ydoc);
    applyDocumentAsEdits(ydoc, { type: 'doc', content: target });
    const update = Y.encodeStateAsUpdate(ydoc, before);
    assert.ok(update.length < 400, `update is ${update.length} bytes`);
    assert.equal(documentText(readDocument(ydoc)).split('\n')[500], 'Paragraph number 500, changed');
  });
});

/** A few random edits: delete, insert, change text, change marks, move a block, change a heading level. */
function mutate(doc: TiptapDoc, random: () => number): TiptapDoc {
  const content = structuredClone(doc.content);
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(random() * Math.max(1, content.length));
    const roll = random();
    if (roll < 0.25 && content.length > 1) content.splice(i, 1);
    else if (roll < 0.45) content.splice(i, 0, para(`new${e}${i}`, `inserted ${e}`));
    else if (roll < 0.65 && content[i]) {
      const block = content[i]!;
      const text = block.content?.find((c) => c.type === 'text');
      if (text?.text)
        text.text = text.text.slice(0, Math.floor(text.text.length / 2)) + 'X' + text.text.slice(-2);
    } else if (roll < 0.8 && (content[i]?.type === 'paragraph' || content[i]?.type === 'heading')) {
      const text = content[i]!.content?.find((c) => c.type === 'text');
      if (text) text.marks = text.marks?.length ? undefined : [{ type: 'bold' }];
    } else if (roll < 0.9 && content.length > 2) {
      const [moved] = content.splice(i, 1);
      content.splice(Math.floor(random() * content.length), 0, moved!);
    } else if (content[i]?.type === 'heading') {
      content[i]!.attrs = { ...content[i]!.attrs, level: 1 + (Number(content[i]!.attrs?.level) % 6) };
    }
  }
  return normalizeDocument({ type: 'doc', content });
}
