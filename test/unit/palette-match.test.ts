import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuzzyFilter, fuzzyScore } from '../../src/renderer/features/commands/fuzzy';

describe('palette matching ignores diacritics and case', () => {
  it('finds accented titles from plain letters, and plain titles from accented letters', () => {
    const pages = ['Café notes', 'École primaire', 'Crème brûlée', 'Zürich trip', 'Plain page'];
    assert.deepEqual(
      fuzzyFilter('cafe', pages, (p) => [p]),
      ['Café notes'],
    );
    assert.deepEqual(
      fuzzyFilter('ecole', pages, (p) => [p]),
      ['École primaire'],
    );
    assert.deepEqual(
      fuzzyFilter('brulee', pages, (p) => [p]),
      ['Crème brûlée'],
    );
    assert.deepEqual(
      fuzzyFilter('ZURICH', pages, (p) => [p]),
      ['Zürich trip'],
    );
    assert.deepEqual(
      fuzzyFilter('plâin', pages, (p) => [p]),
      ['Plain page'],
    );
  });

  it('scores a folded match as the plain one (word starts and runs still count)', () => {
    assert.equal(fuzzyScore('cafe', 'Café'), fuzzyScore('cafe', 'Cafe'));
    assert.equal(fuzzyScore('xyz', 'Café'), null);
  });
});
