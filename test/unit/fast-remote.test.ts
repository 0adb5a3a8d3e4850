import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fragment, type Node as PmNode } from '@tiptap/pm/model';
import { EditorState, TextSelection, type Plugin } from '@tiptap/pm/state';
import { canSplit } from '@tiptap/pm/transform';
import { initProseMirrorDoc, updateYFragment, ySyncPlugin, yUndoPlugin } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { withFastBinding } from '../../src/renderer/features/editor/fast-binding';
import { HeadlessView } from '../support/headless-view';
import { seededRandom } from '../support/random';
import { randomDoc, schema, transacted, typed } from '../support/random-docs';

interface Editor {
  doc: Y.Doc;
  view: HeadlessView;
}

const FIRST = Number(process.env.FAST_REMOTE_SEED ?? 1);
const LAST = Number(process.env.FAST_REMOTE_SEED ?? 100);

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** An editor on its own Y.Doc (client 1 for both, so the same edits make the same Yjs updates). */
function editor(fast: boolean): Editor {
  const doc = new Y.Doc();
  doc.clientID = 1;
  const plugins: Plugin[] = [ySyncPlugin(doc.getXmlFragment('default')), yUndoPlugin()];
  const state = EditorState.create({
    schema,
    plugins: fast ? withFastBinding(plugins, { moves: false }) : plugins,
  });
  return { doc, view: new HeadlessView(state) };
}

/** The other device: its next document made from what its Yjs fragment holds, synced back as y-tiptap does. */
function remoteEdit(remote: Y.Doc, random: () => number, round: number): void {
  const fragment = remote.getXmlFragment('default');
  const { doc, meta } = initProseMirrorDoc(fragment, schema);
  const next = doc.childCount === 0 ? randomDoc(random, 8) : transacted(random, doc, round);
  remote.transact(() => updateYFragment(remote, fragment, next, meta as never));
}

/** The same local edit in both editors: a caret or range somewhere, then typing, Enter or a delete. */
function localEdit(editors: Editor[], random: () => number, round: number): void {
  const size = editors[0]!.view.state.doc.content.size;
  const anchor = Math.floor(random() * (size + 1));
  const head = random() < 0.7 ? anchor : Math.floor(random() * (size + 1));
  const roll = random();
  for (const { view } of editors) {
    const { doc } = view.state;
    const tr = view.state.tr.setSelection(TextSelection.between(doc.resolve(anchor), doc.resolve(head)));
    const { from, to } = tr.selection;
    if (roll < 0.5) tr.insertText(`L${round}`, from, to);
    else if (roll < 0.7 && from === to && canSplit(tr.doc, from)) tr.split(from);
    else if (roll < 0.85) tr.delete(from, Math.min(to + 3, tr.doc.content.size));
    view.dispatch(tr);
  }
}

function assertSame(a: Editor, b: Editor, where: string): void {
  assert.ok(b.view.state.doc.eq(a.view.state.doc), `${where}: the documents differ`);
  assert.deepEqual(b.view.state.selection.toJSON(), a.view.state.selection.toJSON(), `${where}: selection`);
  assert.deepEqual(
    Buffer.from(Y.encodeStateAsUpdate(b.doc)),
    Buffer.from(Y.encodeStateAsUpdate(a.doc)),
    `${where}: the Yjs states differ`,
  );
}

describe('fast binding, Yjs to ProseMirror (only the changed blocks patched)', () => {
  it('shows what y-tiptap’s own binding shows over seeded remote and local edits (100 seeds x 40 steps)', async () => {
    for (let seed = FIRST; seed <= LAST; seed++) {
      const random = seededRandom(seed);
      const stock = editor(false);
      const fast = editor(true);
      const remote = new Y.Doc();
      remote.clientID = 2;
      const inbox: Uint8Array[] = [];
      remote.on('update', (update: Uint8Array, origin: unknown) => origin !== 'local' && inbox.push(update));
      stock.doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== 'remote') Y.applyUpdate(remote, update, 'local');
      });
      await tick();
      for (let step = 0; step < 40; step++) {
        const where = `seed ${seed}, step ${step}`;
        const roll = random();
        if (roll < 0.4) remoteEdit(remote, random, step);
        else if (roll < 0.75 && inbox.length > 0) {
          const batch = inbox.splice(0, 1 + Math.floor(random() * inbox.length));
          for (const { doc } of [stock, fast]) Y.applyUpdate(doc, Y.mergeUpdates(batch), 'remote');
        } else if (stock.view.state.doc.content.size > 0) localEdit([stock, fast], random, step);
        assertSame(stock, fast, where);
      }
      stock.view.destroy();
      fast.view.destroy();
    }
  });

  it('keeps the other blocks’ nodes when a remote keystroke lands in one block of a 10,000-paragraph page', async () => {
    const remote = new Y.Doc();
    remote.clientID = 2;
    const fragment = remote.getXmlFragment('default');
    const content = Array.from({ length: 10_000 }, (_, i) => ({
      type: 'paragraph',
      content: [{ type: 'text', text: `p${i}` }],
    }));
    const meta = { mapping: new Map(), isOMark: new Map() };
    let doc: PmNode = schema.nodeFromJSON({ type: 'doc', content });
    remote.transact(() => updateYFragment(remote, fragment, doc, meta as never));
    const fast = editor(true);
    await tick();
    Y.applyUpdate(fast.doc, Y.encodeStateAsUpdate(remote), 'remote');
    assert.equal(fast.view.state.doc.childCount, 10_000);
    for (const index of [9_999, 5_000, 0]) {
      const shown = fast.view.state.doc;
      const children: PmNode[] = [];
      doc.forEach((child) => children.push(child));
      children[index] = typed(seededRandom(index), children[index]!);
      const next = doc.copy(Fragment.from(children));
      const before = Y.encodeStateVector(fast.doc);
      remote.transact(() => updateYFragment(remote, fragment, next, meta as never));
      doc = next;
      Y.applyUpdate(fast.doc, Y.encodeStateAsUpdate(remote, before), 'remote');
      const now = fast.view.state.doc;
      assert.equal(now.child(index).textContent, `p${index}x`);
      let kept = 0;
      for (let i = 0; i < now.childCount; i++) if (now.child(i) === shown.child(i)) kept++;
      assert.equal(kept, 9_999, `a keystroke in block ${index}: blocks kept`);
    }
    fast.view.destroy();
  });
});
