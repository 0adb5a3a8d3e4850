import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Fragment, Slice, type Node as PmNode } from '@tiptap/pm/model';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { blockIdsPlugin } from '../../src/shared/editor/block-ids';
import { BLOCK_TYPES_WITH_ID, editorSchema } from '../../src/shared/editor/extensions';

const schema = editorSchema();
let counter = 0;
const plugin = blockIdsPlugin(new Set(BLOCK_TYPES_WITH_ID), () => `blk_${++counter}`);

const paragraph = (text: string, id: string | null) =>
  schema.nodes.paragraph!.create({ id }, text ? schema.text(text) : null);

function stateOf(...blocks: PmNode[]): EditorState {
  return EditorState.create({ doc: schema.nodes.doc!.create(null, blocks), plugins: [plugin] });
}

const ids = (state: EditorState): (string | null)[] => {
  const out: (string | null)[] = [];
  state.doc.descendants((node) => {
    if ((BLOCK_TYPES_WITH_ID as readonly string[]).includes(node.type.name))
      out.push(node.attrs.id as string | null);
  });
  return out;
};
const texts = (state: EditorState): string[] => {
  const out: string[] = [];
  state.doc.forEach((node) => out.push(node.textContent));
  return out;
};

test('a split keeps the id on the half that has content before the caret, the other half gets a new one', () => {
  let state = stateOf(paragraph('first', 'a'), paragraph('abcdef', 'b'));
  // Enter in the middle of the second paragraph.
  state = state.apply(state.tr.split(7 + 1 + 3));
  assert.deepEqual(texts(state), ['first', 'abc', 'def']);
  const [first, left, right] = ids(state);
  assert.equal(first, 'a');
  assert.equal(left, 'b');
  assert.ok(right && right !== 'b' && right !== 'a');
});

test('Enter at the start of a paragraph: the text below keeps its id, the new empty line gets one', () => {
  let state = stateOf(paragraph('abc', 'b'));
  state = state.apply(state.tr.split(1));
  assert.deepEqual(texts(state), ['', 'abc']);
  const [empty, kept] = ids(state);
  assert.equal(kept, 'b');
  assert.ok(empty && empty !== 'b');
});

test('blocks inserted without an id get one; typing adds no step', () => {
  let state = stateOf(paragraph('one', 'a'));
  const tr = state.tr.insert(state.doc.content.size, [paragraph('two', null), paragraph('three', null)]);
  const result = state.applyTransaction(tr);
  state = result.state;
  const all = ids(state);
  assert.equal(new Set(all).size, 3);
  assert.ok(all.every((id) => typeof id === 'string'));
  const typed = state.applyTransaction(state.tr.insertText('x', 2));
  assert.equal(typed.transactions.length, 1, 'no id step for a keystroke');
});

test('remote (y-sync) changes are left as they came', () => {
  const state = stateOf(paragraph('one', 'a'));
  const tr = state.tr.insert(state.doc.content.size, paragraph('two', null)).setMeta(ySyncPluginKey, {});
  assert.deepEqual(ids(state.apply(tr)), ['a', null]);
});

test('pasted blocks without ids or with repeated ids get fresh ones; a dragged block keeps its own', () => {
  const transform = plugin.props.transformPasted!.bind(plugin) as (slice: Slice) => Slice;
  const pasted = transform(
    new Slice(Fragment.from([paragraph('x', null), paragraph('y', 'same'), paragraph('z', 'same')]), 0, 0),
  );
  const pastedIds: unknown[] = [];
  pasted.content.forEach((node) => pastedIds.push(node.attrs.id));
  assert.equal(pastedIds[1], 'same');
  assert.equal(new Set(pastedIds).size, 3);
  assert.ok(pastedIds.every((id) => typeof id === 'string' && id !== ''));
  const moved = new Slice(Fragment.from(paragraph('moved', 'keep')), 0, 0);
  assert.equal(transform(moved).content.firstChild?.attrs.id, 'keep');

  // Pasted in one step, with no id step after it.
  let state = stateOf(paragraph('', 'a'));
  state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 1)));
  const result = state.applyTransaction(state.tr.replaceSelection(pasted));
  assert.equal(result.transactions.length, 1);
  assert.equal(new Set(ids(result.state)).size, ids(result.state).length);
});

test('20,000 pasted lines: every id given in the paste step itself, no step after it', () => {
  const lines = Array.from({ length: 20_000 }, (_, i) => paragraph(`line ${i}`, null));
  const transform = plugin.props.transformPasted!.bind(plugin) as (slice: Slice) => Slice;
  const state = stateOf(paragraph('', 'a'));
  const slice = transform(new Slice(Fragment.from(lines), 0, 0));
  const result = state.applyTransaction(state.tr.replaceWith(0, state.doc.content.size, slice.content));
  assert.equal(result.transactions.length, 1);
  const all = ids(result.state);
  assert.equal(all.length, 20_000);
  assert.equal(new Set(all).size, 20_000);
});

test('Enter at the end of a list item: the new item and its paragraph get ids of their own', () => {
  const item = (text: string, itemId: string, paraId: string) =>
    schema.nodes.listItem!.create({ id: itemId }, paragraph(text, paraId));
  let state = stateOf(schema.nodes.bulletList!.create({ id: 'l' }, [item('first finding', 'i1', 'p1')]));
  // The end of "first finding": doc > bulletList(0) > listItem(1) > paragraph(2) > text(3..16).
  const end = 3 + 'first finding'.length;
  state = state.apply(state.tr.split(end, 2));
  assert.equal(state.doc.firstChild!.childCount, 2);
  const all = ids(state);
  assert.equal(all.length, 5);
  assert.equal(new Set(all).size, 5, `ids must be unique: ${all.join(', ')}`);
  assert.deepEqual(all.slice(0, 3), ['l', 'i1', 'p1']);
});
