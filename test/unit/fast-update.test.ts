import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fragment, type Node as PmNode } from '@tiptap/pm/model';
import { updateYFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { Mapping } from '../../src/renderer/features/editor/fast-positions';
import { updateChangedBlocks } from '../../src/renderer/features/editor/fast-update';
import { seededRandom } from '../support/random';
import { randomDoc, schema, transacted, typed } from '../support/random-docs';

interface Side {
  ydoc: Y.Doc;
  fragment: Y.XmlFragment;
  meta: { mapping: Mapping; isOMark: Map<unknown, boolean> };
}

function side(): Side {
  const ydoc = new Y.Doc();
  ydoc.clientID = 1;
  return { ydoc, fragment: ydoc.getXmlFragment('default'), meta: { mapping: new Map(), isOMark: new Map() } };
}

/** Each top-level Yjs child is mapped to the document's block at its index (what the next update relies on). */
function assertMapped(s: Side, doc: PmNode, where: string): void {
  const children = s.fragment.toArray();
  assert.equal(children.length, doc.childCount, where);
  children.forEach((child, i) =>
    assert.equal(s.meta.mapping.get(child as never), doc.child(i), `${where}, block ${i}`),
  );
}

describe('changed-blocks update (y-tiptap’s updateYFragment on the changed top-level blocks only)', () => {
  it('makes exactly the stock function’s Yjs operations over seeded random edits (100 seeds x 30 rounds)', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const random = seededRandom(seed);
      const stock = side();
      const fast = side();
      let doc = randomDoc(random, 5 + Math.floor(random() * 35));
      let synced: PmNode | null = null;
      for (let round = 0; round < 30; round++) {
        if (round > 0) doc = transacted(random, doc, round);
        const where = `seed ${seed}, round ${round}`;
        stock.ydoc.transact(() => updateYFragment(stock.ydoc, stock.fragment, doc, stock.meta as never));
        fast.ydoc.transact(() => updateChangedBlocks(fast.ydoc, fast.fragment, doc, fast.meta, synced));
        synced = doc;
        assert.deepEqual(
          Buffer.from(Y.encodeStateAsUpdate(fast.ydoc)),
          Buffer.from(Y.encodeStateAsUpdate(stock.ydoc)),
          `${where}: the Yjs updates differ`,
        );
        assertMapped(fast, doc, where);
        assertMapped(stock, doc, where);
      }
    }
  });

  it('looks at a handful of blocks per keystroke on a 10,000-paragraph page', () => {
    const s = side();
    let doc = schema.nodeFromJSON({
      type: 'doc',
      content: Array.from({ length: 10_000 }, (_, i) => ({
        type: 'paragraph',
        content: [{ type: 'text', text: `p${i}` }],
      })),
    });
    s.ydoc.transact(() => updateYFragment(s.ydoc, s.fragment, doc, s.meta as never));
    let lookups = 0;
    const get = s.meta.mapping.get.bind(s.meta.mapping);
    s.meta.mapping.get = (key) => {
      lookups++;
      return get(key);
    };
    const random = seededRandom(3);
    for (const index of [9_999, 5_000, 0]) {
      const children: PmNode[] = [];
      doc.forEach((child) => children.push(child));
      children[index] = typed(random, children[index]!);
      const next = doc.copy(Fragment.from(children));
      lookups = 0;
      s.ydoc.transact(() => updateChangedBlocks(s.ydoc, s.fragment, next, s.meta, doc));
      assert.ok(lookups < 50, `typing into block ${index}: ${lookups} mapping lookups`);
      doc = next;
      assert.equal(
        s.fragment.get(index).toString(),
        `<paragraph>${doc.child(index).textContent}</paragraph>`,
      );
    }
  });
});
