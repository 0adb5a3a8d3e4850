import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import {
  addedRanges,
  buildingOn,
  neededRanges,
  neededRefused,
  overlaps,
} from '../../src/main/outbox/yjs-dependencies';

/** A doc that records each transaction's update, seeded with one confirmed paragraph. */
function editor(base: Uint8Array) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, base, 'remote');
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') updates.push(update);
  });
  const fragment = doc.getXmlFragment('default');
  const paragraph = (text: string, at = fragment.length) => {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(text)]);
    fragment.insert(at, [p]);
    return updates.at(-1)!;
  };
  return { doc, fragment, paragraph };
}

function baseState(): Uint8Array {
  const doc = new Y.Doc();
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText('confirmed')]);
  doc.getXmlFragment('default').insert(0, [p]);
  return Y.encodeStateAsUpdate(doc);
}

/** Whether `update` shows on a replica that has `state` (else Yjs keeps it aside as pending structs). */
function integrates(state: Uint8Array, update: Uint8Array): boolean {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  Y.applyUpdate(doc, update);
  return doc.store.pendingStructs === null && doc.store.pendingDs === null;
}

describe('Yjs dependencies of waiting updates', () => {
  const base = baseState();

  it('a later edit of the same editor needs the refused one (clock chain), even far from it', () => {
    const e = editor(base);
    const refused = e.paragraph('refused', 1);
    const later = e.paragraph('elsewhere', 0);
    assert.equal(integrates(base, later), false, 'what the server does with it alone: keeps it invisible');
    assert.ok(overlaps(neededRanges(later), addedRanges(refused)));
    assert.deepEqual(
      neededRefused([{ seq: 2, update: later }], [{ seq: 1, update: refused }]).map((r) => r.seq),
      [1],
    );
  });

  it('another editor typing next to refused text needs it (origin); elsewhere it does not', () => {
    const a = editor(base);
    const refused = a.paragraph('refused');
    const b = editor(Y.mergeUpdates([base, refused]));
    const next = b.paragraph('right after it');
    const c = editor(Y.mergeUpdates([base, refused]));
    const first = c.paragraph('at the top', 0);
    assert.ok(overlaps(neededRanges(next), addedRanges(refused)));
    assert.equal(integrates(base, first), true);
    assert.equal(overlaps(neededRanges(first), addedRanges(refused)), false);
  });

  it('deleting refused text needs it (delete set)', () => {
    const a = editor(base);
    const refused = a.paragraph('refused');
    const b = editor(Y.mergeUpdates([base, refused]));
    b.doc.transact(() => b.fragment.delete(1, 1));
    const deletion = Y.encodeStateAsUpdate(
      b.doc,
      Y.encodeStateVectorFromUpdate(Y.mergeUpdates([base, refused])),
    );
    assert.ok(overlaps(neededRanges(deletion), addedRanges(refused)));
  });

  it('follows chains of refused updates, never a later one', () => {
    const e = editor(base);
    const r1 = e.paragraph('one');
    const r2 = e.paragraph('two');
    const p = e.paragraph('three');
    const refused = [
      { seq: 1, update: r1 },
      { seq: 2, update: r2 },
      { seq: 9, update: e.paragraph('after') },
    ];
    assert.deepEqual(
      neededRefused([{ seq: 3, update: p }], refused).map((r) => r.seq),
      [1, 2],
    );
    // Discarding the first takes the ones built on it; they could never apply without it.
    assert.deepEqual(
      buildingOn(refused[0]!, [...refused, { seq: 3, update: p }]).map((r) => r.seq),
      [2, 3, 9],
    );
  });
});
