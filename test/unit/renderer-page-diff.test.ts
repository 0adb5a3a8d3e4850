import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TiptapDoc, TiptapNode } from '../../src/shared/crdt/document';
import { diffPages } from '../../src/renderer/features/history/page-diff';

const t = (text: string, ...marks: string[]): TiptapNode =>
  marks.length ? { type: 'text', text, marks: marks.map((type) => ({ type })) } : { type: 'text', text };
const p = (...content: TiptapNode[]): TiptapNode => ({ type: 'paragraph', content });
const h = (level: number, text: string): TiptapNode => ({
  type: 'heading',
  attrs: { level },
  content: [t(text)],
});
const doc = (...content: TiptapNode[]): TiptapDoc => ({ type: 'doc', content });
const item = (...content: TiptapNode[]): TiptapNode => ({ type: 'listItem', content });

describe('page diff', () => {
  test('identical pages have no changes', () => {
    const page = doc(h(1, 'Title'), p(t('one')), p(t('two')));
    const diff = diffPages(page, page);
    assert.deepEqual(diff.changes, []);
    assert.deepEqual(
      diff.rows.map((r) => r.kind),
      ['same', 'same', 'same'],
    );
  });

  test('added, removed and edited lines in document order, the edited words marked', () => {
    const before = doc(h(1, 'Plan'), p(t('keep me')), p(t('drop me')), p(t('the quick fox')));
    const after = doc(h(1, 'Plan'), p(t('keep me')), p(t('the slow fox')), p(t('brand new')));
    const diff = diffPages(before, after);
    assert.deepEqual(
      diff.rows.map((r) => [r.kind, r.line.text]),
      [
        ['same', 'Plan'],
        ['same', 'keep me'],
        ['removed', 'drop me'],
        ['changed', 'the slow fox'],
        ['added', 'brand new'],
      ],
    );
    // Whatever the pairing, every old line is either kept, removed or the "before" of a change, in order.
    const old = diff.rows.flatMap((r) =>
      r.kind === 'same' || r.kind === 'removed' ? [r.line.text] : r.kind === 'changed' ? [r.before.text] : [],
    );
    assert.deepEqual(old, ['Plan', 'keep me', 'drop me', 'the quick fox']);
    const now = diff.rows.flatMap((r) => (r.kind === 'removed' ? [] : [r.line.text]));
    assert.deepEqual(now, ['Plan', 'keep me', 'the slow fox', 'brand new']);
    assert.equal(diff.changes.length, 1, 'one run of changes after the two kept lines');
    assert.equal(diff.changes[0], 2);
  });

  test('an edited paragraph is one changed line with only the differing words marked', () => {
    const diff = diffPages(doc(p(t('the quick brown fox'))), doc(p(t('the slow brown fox'))));
    assert.equal(diff.rows.length, 1);
    const row = diff.rows[0]!;
    assert.equal(row.kind, 'changed');
    if (row.kind !== 'changed') return;
    assert.deepEqual(
      row.parts.filter((part) => part.change !== 'same').map((part) => [part.change, part.text]),
      [
        ['removed', 'quick'],
        ['added', 'slow'],
      ],
    );
    assert.equal(
      row.parts
        .filter((x) => x.change !== 'added')
        .map((x) => x.text)
        .join(''),
      'the quick brown fox',
    );
    assert.equal(
      row.parts
        .filter((x) => x.change !== 'removed')
        .map((x) => x.text)
        .join(''),
      'the slow brown fox',
    );
  });

  test('formatting-only changes, list markers, task state and blocks are changes too', () => {
    const before = doc(
      p(t('plain')),
      { type: 'bulletList', content: [item(p(t('a'))), item(p(t('b')))] },
      {
        type: 'taskList',
        content: [{ type: 'taskItem', attrs: { checked: false }, content: [p(t('todo'))] }],
      },
    );
    const after = doc(
      p(t('plain', 'bold')),
      { type: 'orderedList', attrs: { start: 1 }, content: [item(p(t('a'))), item(p(t('b')))] },
      {
        type: 'taskList',
        content: [{ type: 'taskItem', attrs: { checked: true }, content: [p(t('todo'))] }],
      },
      { type: 'horizontalRule' },
      { type: 'image', attrs: { alt: 'A cat', name: 'cat.png' } },
    );
    const diff = diffPages(before, after);
    assert.ok(
      diff.rows.every((r) => r.kind !== 'same'),
      JSON.stringify(diff.rows.map((r) => r.kind)),
    );
    const now = diff.rows.filter((r) => r.kind !== 'removed').map((r) => `${r.line.marker} ${r.line.text}`);
    assert.deepEqual(now, [' plain', '1. a', '2. b', '☑ todo', ' ———', ' Image: A cat']);
  });

  test('10,000 paragraphs with 100 scattered changes: exactly those 100 lines differ', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `Paragraph number ${i} of the long page`);
    const before = doc(...lines.map((text) => p(t(text))));
    const after = doc(...lines.map((text, i) => p(t(i % 100 === 50 ? `${text}, edited` : text))));
    const diff = diffPages(before, after);
    assert.equal(diff.changed, 100);
    assert.equal(diff.added + diff.removed, 0);
    assert.equal(diff.changes.length, 100);
    assert.equal(diff.rows.length, 10_000);
  });
});
