import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { DocumentsRepository } from '../../src/main/documents/documents.repository';
import { changedWords } from '../../src/main/search/changed-words';
import { tokensOf, vocabularyComplete } from '../../src/main/search/search-index.repository';
import { parseSearchQuery } from '../../src/shared/search/terms';
import { createLocalPage } from '../support/core';
import { call, openTestCore } from '../support/temp';

const accountId = LOCAL_ACCOUNT_ID;

/** Seeded PRNG (mulberry32): each run makes the same texts and edits. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('search vocabulary', () => {
  it('takes from an edit the words it may have made, whole', () => {
    assert.equal(changedWords('same text', 'same text'), '');
    assert.equal(changedWords('plan the day', 'plan the days'), 'days');
    assert.equal(changedWords('plan the day', 'plan then day'), 'then');
    // Deleting a letter makes a new, shorter word out of an old one.
    assert.equal(changedWords('a projectx b', 'a project b'), 'project');
    // Deleting a space joins two words; a space typed splits one.
    assert.equal(changedWords('road map here', 'roadmap here'), 'roadmap');
    assert.equal(changedWords('roadmap here', 'road map here'), 'road map');
    assert.equal(changedWords('', 'all new words'), 'all new words');
    assert.equal(changedWords('x.y z', 'x.yy z'), 'x.yy', 'punctuation is inside the widened part');
    assert.equal(changedWords('café 😀 ok', 'café 😀😀 ok'), '😀😀', 'surrogate pairs are never split');
  });

  it("tokenizes as the FTS5 table does: SQLite's FTS3 unicode61 gives the same tokens for every character", () => {
    const db = new Database(':memory:');
    db.exec(`CREATE VIRTUAL TABLE tokens USING fts3tokenize('unicode61', 'remove_diacritics=2');
      CREATE VIRTUAL TABLE fts USING fts5(x, tokenize = 'unicode61 remove_diacritics 2');
      CREATE VIRTUAL TABLE terms USING fts5vocab(fts, instance);`);
    const insert = db.prepare('INSERT INTO fts (rowid, x) VALUES (?, ?)');
    const texts: string[] = [];
    // Each character alone, inside a word, doubled and cased, so folding, marks and separators all show.
    let text = '';
    const end = (): void => {
      texts.push(text);
      insert.run(texts.length, text);
      text = '';
    };
    for (let cp = 0x21; cp < 0x30000; cp++) {
      if (cp >= 0xd800 && cp < 0xe000) continue;
      const c = String.fromCodePoint(cp);
      text += `a${c}b ${c} X${c}${c}y\n`;
      if (text.length > 4_000) end();
    }
    end();
    const fromFts5 = new Map<number, string[]>();
    for (const row of db.prepare('SELECT doc, term FROM terms ORDER BY doc, offset').iterate() as Iterable<{
      doc: number;
      term: string;
    }>) {
      let list = fromFts5.get(row.doc);
      if (!list) fromFts5.set(row.doc, (list = []));
      list.push(row.term);
    }
    const tokenize = db.prepare('SELECT token FROM tokens WHERE input = ? ORDER BY position').pluck();
    let differing = 0;
    texts.forEach((t, i) => {
      const fts3 = tokenize.all(t) as string[];
      const fts5 = fromFts5.get(i + 1) ?? [];
      if (fts3.join('\u0000') !== fts5.join('\u0000')) differing++;
    });
    assert.ok(texts.length > 100);
    assert.equal(differing, 0);
    db.close();
  });

  it('finds exactly what a prefix query finds, after random edits (seeded)', async () => {
    const core = await openTestCore(undefined, undefined, { searchUpkeepAfterMs: 0 });
    const db = core.account(accountId).replica.db;
    // The first check of a new replica's index builds it, and its vocabulary: whole words from then on.
    while (!vocabularyComplete(db)) await new Promise((resolve) => setTimeout(resolve, 10));
    const next = random(7);
    const words = ['plan', 'planning', 'planned', 'plant', 'road', 'roadmap', 'map', 'café', 'cafeteria'];
    words.push(
      'Zürich',
      'naïve',
      'projection',
      'project',
      'projects',
      'x1',
      'x12345',
      'ünïcödé',
      '2024',
      '20245',
    );
    const word = (): string => words[Math.floor(next() * words.length)]!;
    const sentence = (n: number): string => Array.from({ length: n }, word).join(next() < 0.5 ? ' ' : '. ');
    const documents = new DocumentsRepository(db);
    const pages: { id: string; text: string }[] = [];
    for (let i = 0; i < 12; i++) {
      const { page } = await createLocalPage(core, sentence(2));
      pages.push({ id: page.id, text: '' });
    }
    const save = (page: { id: string; text: string }, text: string): void => {
      documents.markStale(page.id, new Date().toISOString());
      const revision = documents.get(page.id)!.localRevision;
      assert.ok(documents.saveContent(page.id, JSON.stringify({ type: 'doc' }), text, revision));
      page.text = text;
    };
    for (const page of pages) save(page, sentence(6));
    // Edits as typing makes them: letters typed or deleted anywhere, words joined and split.
    for (let step = 0; step < 400; step++) {
      const page = pages[Math.floor(next() * pages.length)]!;
      const at = Math.floor(next() * (page.text.length + 1));
      const roll = next();
      let text: string;
      if (roll < 0.4)
        text =
          page.text.slice(0, at) +
          'abcdefghijklmnopqrstuvwxyz '[Math.floor(next() * 27)] +
          page.text.slice(at);
      else if (roll < 0.8) text = page.text.slice(0, at) + page.text.slice(at + 1 + Math.floor(next() * 6));
      else text = page.text.slice(0, at) + ` ${word()}` + page.text.slice(at);
      save(page, text);
    }
    const search = core.account(accountId).search;
    const check = (): void => {
      assert.ok(vocabularyComplete(db), 'queries ask for whole words');
      let compared = 0;
      for (const query of [
        'plan',
        'plann',
        'road',
        'roadm',
        'cafe',
        'proj',
        'projec',
        'zuri',
        'naiv',
        'unic',
      ]) {
        for (const extra of ['', ' map', ' 2024', ' x1234']) {
          const terms = parseSearchQuery(query + extra);
          const asPrefix = search.bareMatch(terms, 1_000).sort((a, b) => a - b);
          const asWholeWords = search.bareMatch(terms, 1_000, true).sort((a, b) => a - b);
          assert.deepEqual(asWholeWords, asPrefix, query + extra);
          compared += asPrefix.length;
        }
      }
      assert.ok(compared > 50, 'the queries found something');
      // Every token of every page's text is in the vocabulary (what the equality above rests on).
      const vocabulary = new Set(db.prepare('SELECT term FROM search_terms').pluck().all() as string[]);
      const missing = pages.flatMap((page) => tokensOf(db, page.text).filter((t) => !vocabulary.has(t)));
      assert.deepEqual(missing, []);
      assert.ok(vocabulary.size > words.length, `${vocabulary.size} tokens`);
    };
    check();
    // A rebuild fills the vocabulary from the index at its end (not while indexing each note).
    await call(core, 'search.rebuild', { accountId });
    assert.ok(search.indexing(), 'rebuilding');
    while (search.indexing() || !vocabularyComplete(db))
      await new Promise((resolve) => setTimeout(resolve, 10));
    check();
  });
});
