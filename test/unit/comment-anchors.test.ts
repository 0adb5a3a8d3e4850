import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node as PmNode } from '@tiptap/pm/model';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { anchorOfSelection, locate } from '../../src/renderer/features/comments/comment-anchors';
import { editorSchema } from '../../src/shared/editor/extensions';

/**
 * Finding a comment's anchor again (the editor's comment highlights): by its blocks and offsets while they
 * still hold the quote, else by the quote — and never at the wrong one of two equal texts. A thread that cannot
 * be placed for sure is shown detached (the panel keeps it), which is always better than highlighting text it
 * is not about.
 */
const schema = editorSchema();
const p = (id: string, text: string) =>
  schema.nodes.paragraph!.create({ id }, text ? schema.text(text) : null);
const docOf = (...blocks: PmNode[]) => schema.nodes.doc!.create(null, blocks);

/** The anchor of `quote`'s `nth` occurrence in block `id`, as the app writes it from a selection. */
function anchorOf(doc: PmNode, id: string, quote: string, nth = 0) {
  let start = -1;
  doc.descendants((node, pos) => {
    if (node.attrs.id !== id) return true;
    let i = -1;
    for (let k = 0; k <= nth; k++) i = node.textContent.indexOf(quote, i + 1);
    start = pos + 1 + i;
    return false;
  });
  const state = EditorState.create({ doc });
  const anchor = anchorOfSelection(
    state.apply(state.tr.setSelection(TextSelection.create(doc, start, start + quote.length))),
  );
  assert.ok(anchor, 'an anchor');
  return anchor;
}

const textAt = (doc: PmNode, range: { from: number; to: number } | null) =>
  range ? `${doc.textBetween(range.from, range.to)}@${range.from}` : null;

test('found by its offsets while they hold the quote', () => {
  const doc = docOf(p('a', 'Meet on Friday at noon.'), p('b', 'Friday is a holiday.'));
  const anchor = anchorOf(doc, 'a', 'Friday');
  assert.equal(textAt(doc, locate(doc, anchor)), 'Friday@9');
});

test('text typed before it in its block: found again there by the quote', () => {
  const anchor = anchorOf(
    docOf(p('a', 'Meet on Friday at noon.'), p('b', 'Friday is a holiday.')),
    'a',
    'Friday',
  );
  const edited = docOf(p('a', 'Update: meet on Friday at noon.'), p('b', 'Friday is a holiday.'));
  assert.equal(textAt(edited, locate(edited, anchor)), 'Friday@17');
});

test('its block deleted: not moved to the same word in another paragraph (detached instead)', () => {
  const anchor = anchorOf(
    docOf(p('a', 'Meet on Friday at noon.'), p('b', 'Friday is a holiday.')),
    'a',
    'Friday',
  );
  const after = docOf(p('b', 'Friday is a holiday.'));
  assert.equal(locate(after, anchor), null);
});

test('its block retyped elsewhere with the same context: found there', () => {
  const anchor = anchorOf(
    docOf(p('a', 'Meet on Friday at noon.'), p('b', 'Friday is a holiday.')),
    'a',
    'Friday',
  );
  const after = docOf(p('b', 'Friday is a holiday.'), p('c', 'We meet on Friday at noon.'));
  assert.equal(textAt(after, locate(after, anchor)), 'Friday@34');
});

test('two equally likely places: ambiguous, detached rather than guessed', () => {
  const anchor = anchorOf(docOf(p('a', 'Budget'), p('x', 'Other')), 'a', 'Budget');
  const twice = docOf(p('b', 'Budget'), p('c', 'Budget'));
  assert.equal(locate(twice, anchor), null);
  const once = docOf(p('b', 'Budget'), p('c', 'Budget review'));
  assert.equal(textAt(once, locate(once, anchor)), 'Budget@1');
});

test('the second of two equal words in its block stays the second after edits before it', () => {
  const doc = docOf(p('a', 'Friday or Friday.'));
  const anchor = anchorOf(doc, 'a', 'Friday', 1);
  assert.equal(textAt(doc, locate(doc, anchor)), 'Friday@11');
  const edited = docOf(p('a', 'So: Friday or Friday.'));
  assert.equal(textAt(edited, locate(edited, anchor)), 'Friday@15');
});
