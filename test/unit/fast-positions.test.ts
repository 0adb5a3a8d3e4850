import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node as PmNode } from '@tiptap/pm/model';
import { absolutePositionToRelativePosition, updateYFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { relativePosition, type Mapping } from '../../src/renderer/features/editor/fast-positions';
import { seededRandom } from '../support/random';
import { block, randomDoc, schema, type Json } from '../support/random-docs';

/** The next version of a document: some blocks deleted, replaced, edited or inserted. */
function edited(random: () => number, doc: PmNode, round: number): PmNode {
  const out: Json[] = [];
  doc.forEach((child, _offset, i) => {
    const roll = random();
    if (roll < 0.1) return;
    if (roll < 0.2) out.push(block(random, 1000 * round + i));
    else if (roll < 0.3 && child.type.name === 'paragraph')
      out.push({ type: 'paragraph', content: [{ type: 'text', text: `${child.textContent}x` }] });
    else out.push(child.toJSON() as Json);
    if (random() < 0.1) out.push(block(random, 2000 * round + i));
  });
  if (out.length === 0) out.push({ type: 'paragraph' });
  return schema.nodeFromJSON({ type: 'doc', content: out });
}

const encoded = (position: Y.RelativePosition): string => JSON.stringify(Y.relativePositionToJSON(position));

describe('fast relative positions (y-tiptap’s walk without the blocks before the position)', () => {
  it('give exactly y-tiptap’s relative position at every position of random documents (100 seeds)', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const random = seededRandom(seed);
      const ydoc = new Y.Doc();
      const fragment = ydoc.getXmlFragment('default');
      const meta = { mapping: new Map() as Mapping, isOMark: new Map() };
      let doc = randomDoc(random, 5 + Math.floor(random() * 20));
      // Each round syncs the next version through y-tiptap's own updateYFragment, as the binding does, so
      // the Yjs list holds deleted blocks and the mapping is what the editor would have.
      for (let round = 0; round < 4; round++) {
        if (round > 0) doc = edited(random, doc, round);
        ydoc.transact(() => updateYFragment(ydoc, fragment, doc, meta as never));
        for (let pos = 0; pos <= doc.content.size; pos++) {
          const expected = encoded(absolutePositionToRelativePosition(pos, fragment, meta.mapping as never));
          const actual = encoded(relativePosition(pos, fragment, meta.mapping, doc));
          assert.equal(actual, expected, `seed ${seed}, round ${round}, position ${pos}`);
        }
      }
    }
  });

  it('fall back to y-tiptap’s walk when the document is not the synced one', () => {
    const random = seededRandom(7);
    const ydoc = new Y.Doc();
    const fragment = ydoc.getXmlFragment('default');
    const meta = { mapping: new Map() as Mapping, isOMark: new Map() };
    const synced = randomDoc(random, 12);
    ydoc.transact(() => updateYFragment(ydoc, fragment, synced, meta as never));
    // A newer document the mapping does not describe yet (the editor's state during its own update).
    const newer = edited(random, synced, 1);
    for (let pos = 0; pos <= Math.min(newer.content.size, synced.content.size); pos++) {
      const expected = encoded(absolutePositionToRelativePosition(pos, fragment, meta.mapping as never));
      assert.equal(encoded(relativePosition(pos, fragment, meta.mapping, null)), expected, `position ${pos}`);
    }
  });
});
