import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import type { AppCore } from '../../src/main/core/app-core';
import { LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { normalizeDocument, writeDocument } from '../../src/shared/crdt/document';
import {
  cjkIndexText,
  findMatches,
  ftsExpression,
  parseSearchQuery,
  snippet,
} from '../../src/shared/search/terms';
import { createLocalPage } from '../support/core';
import { call, openTestCore, tempDir } from '../support/temp';

const accountId = LOCAL_ACCOUNT_ID;

/** Writes paragraphs into a page the way an editor does, then closes it (its text is materialised). */
async function writePage(core: AppCore, pageId: string, paragraphs: string[]): Promise<void> {
  const opened = await call(core, 'document.open', { accountId, documentId: pageId });
  const doc = new Y.Doc();
  Y.applyUpdate(doc, opened.state);
  const before = Y.encodeStateVector(doc);
  writeDocument(
    doc,
    normalizeDocument({
      type: 'doc',
      content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
    }),
  );
  await call(core, 'document.update', {
    accountId,
    documentId: pageId,
    update: Y.encodeStateAsUpdate(doc, before),
  });
  await call(core, 'document.close', { accountId, documentId: pageId });
}

async function page(core: AppCore, name: string, paragraphs: string[] = []) {
  const created = await createLocalPage(core, name);
  if (paragraphs.length > 0) await writePage(core, created.page.id, paragraphs);
  return created.page;
}

const titles = async (core: AppCore, query: string): Promise<string[]> =>
  (await call(core, 'search.query', { query })).hits.map((h) => h.title.map((p) => p.text).join(''));

const plain = (pieces: { text: string; match: boolean }[]): string =>
  pieces.map((p) => (p.match ? `[${p.text}]` : p.text)).join('');

describe('search terms', () => {
  it('treats query syntax as text: never an FTS error, only words', () => {
    assert.deepEqual(parseSearchQuery('"unbalanced'), [{ text: 'unbalanced', cjk: false }]);
    assert.deepEqual(parseSearchQuery('NEAR(a b) -x * OR "'), [
      { text: 'near', cjk: false },
      { text: 'a', cjk: false },
      { text: 'b', cjk: false },
      { text: 'x', cjk: false },
      { text: 'or', cjk: false },
    ]);
    assert.deepEqual(parseSearchQuery('" * - ( ) : ^ {}'), []);
    assert.equal(ftsExpression([]), null);
  });

  it('folds case and diacritics, keeps Hangul syllables, splits CJK runs out of words', () => {
    assert.deepEqual(parseSearchQuery('Café RÉSUMÉ'), [
      { text: 'cafe', cjk: false },
      { text: 'resume', cjk: false },
    ]);
    assert.deepEqual(parseSearchQuery('학교'), [{ text: '학교', cjk: false }]);
    assert.deepEqual(parseSearchQuery('東京タワーabc'), [
      { text: '東京タワー', cjk: true },
      { text: 'abc', cjk: false },
    ]);
  });

  it('indexes CJK runs as character pairs and finds substrings', () => {
    assert.equal(cjkIndexText('我住在东京都 ok'), '我住 住在 在东 东京 京都 都');
    assert.equal(cjkIndexText('plain text'), '');
    assert.deepEqual(findMatches('我住在东京都', parseSearchQuery('东京')), [{ start: 3, end: 5 }]);
  });

  it('marks whole words that start with a term, and cuts snippets around the first match', () => {
    const terms = parseSearchQuery('meet cafe');
    assert.equal(
      plain(snippet('We are meeting at the Café tomorrow, to meet again', terms)),
      'We are [meeting] at the [Café] tomorrow, to [meet] again',
    );
    const long = `${'lorem ipsum '.repeat(40)}the budget line ${'dolor sit '.repeat(40)}`;
    const cut = plain(snippet(long, parseSearchQuery('budget'), 80));
    assert.match(cut, /^….*\[budget\].*…$/);
    assert.ok(cut.length < 100);
  });
});

describe('search', () => {
  it('finds words in titles and documents, by prefix and without diacritics, titles first', async () => {
    const core = await openTestCore();
    await page(core, 'Notes', ['We met at the Café de Flore', 'then discussed the résumé']);
    await page(core, 'Café list', ['places']);
    await page(core, 'Other', ['nothing here']);
    assert.deepEqual(await titles(core, 'cafe'), ['Café list', 'Notes']);
    assert.deepEqual(await titles(core, 'resu'), ['Notes']);
    assert.deepEqual(await titles(core, 'DISCUSS flore'), ['Notes']);
    const [hit] = (await call(core, 'search.query', { query: 'resume' })).hits;
    assert.ok(hit);
    assert.equal(hit.accountId, accountId);
    assert.equal(hit.notebookName, 'My Notebook');
    assert.ok(hit.path.length >= 1, 'says where it lives');
    assert.match(plain(hit.snippet), /\[résumé\]/);
  });

  it('answers every kind of query syntax without an error', async () => {
    const core = await openTestCore();
    await page(core, 'Syntax', ['a "quoted" phrase with near and or']);
    for (const query of [
      '"',
      '""',
      '"quoted',
      '*',
      'quo*',
      'NEAR(',
      'NEAR(a b)',
      '-',
      '-quoted',
      'a OR b',
      'title:x',
      '{title}: x',
      '^x',
      '(((',
      'AND',
      'x AND',
      '\u0000',
      '',
      '   ',
      'é'.repeat(500),
    ]) {
      const result = await core.router.dispatch('search.query', { query }, { senderId: 't' });
      assert.ok(result.ok, `${JSON.stringify(query)}: ${result.ok ? '' : result.error.message}`);
    }
    assert.deepEqual(await titles(core, '"quoted'), ['Syntax']);
    assert.deepEqual(await titles(core, 'NEAR('), ['Syntax']);
  });

  it('finds Chinese and Japanese words inside runs without spaces', async () => {
    const core = await openTestCore();
    await page(core, '旅行', ['我住在东京都新宿区', '東京タワーに行きました']);
    assert.deepEqual(await titles(core, '东京'), ['旅行']);
    assert.deepEqual(await titles(core, '京都'), ['旅行'], 'any substring, also across word boundaries');
    assert.deepEqual(await titles(core, 'タワー'), ['旅行']);
    assert.deepEqual(await titles(core, '区'), ['旅行'], 'a single character');
    assert.deepEqual(await titles(core, '大阪'), []);
    const [hit] = (await call(core, 'search.query', { query: '新宿' })).hits;
    assert.match(plain(hit!.snippet), /\[新宿\]/);
  });

  it('follows renames, trash and purge in the same transaction as the change', async () => {
    const core = await openTestCore();
    const p = await page(core, 'Alpha', ['zebra crossing']);
    await call(core, 'node.update', { accountId, nodeId: p.id, name: 'Beta' });
    assert.deepEqual(await titles(core, 'alpha'), []);
    assert.deepEqual(await titles(core, 'beta'), ['Beta']);
    await call(core, 'node.trash', { accountId, nodeId: p.id });
    assert.deepEqual(await titles(core, 'zebra'), [], 'trashed pages are not results');
    await call(core, 'node.restore', { accountId, nodeId: p.id });
    assert.deepEqual(await titles(core, 'zebra'), ['Beta']);
    await call(core, 'node.purge', { accountId, nodeId: p.id });
    assert.deepEqual(await titles(core, 'zebra'), []);
    const db = core.account(accountId).replica.db;
    assert.equal(db.prepare('SELECT count(*) FROM search_rows WHERE node_id = ?').pluck().get(p.id), 0);
  });

  it('rebuilds an index that is missing or damaged, and keeps edits when an index write fails', async () => {
    const dir = tempDir();
    let core = await openTestCore(dir, undefined, { searchUpkeepAfterMs: 0 });
    await page(core, 'Kept', ['durable words']);
    const db = () => core.account(accountId).replica.db;
    // Missing: the FTS table dropped while the app was closed.
    db().exec('DROP TABLE search_index');
    core.close();
    core = await openTestCore(dir, undefined, { searchUpkeepAfterMs: 0 });
    await waitFor(async () => (await titles(core, 'durable')).length === 1);
    // Damaged: the FTS table's own pages overwritten (unsafe mode lifts SQLite's guard on shadow tables).
    db().unsafeMode(true);
    db().exec('UPDATE search_index_data SET block = randomblob(length(block)) WHERE id > 10');
    db().unsafeMode(false);
    let failed = false;
    try {
      db().exec("INSERT INTO search_index (search_index) VALUES ('integrity-check')");
    } catch {
      failed = true;
    }
    assert.ok(failed, 'the test really damaged the index');
    await call(core, 'search.query', { query: 'durable' });
    await waitFor(async () => (await titles(core, 'durable')).length === 1);
    db().exec("INSERT INTO search_index (search_index) VALUES ('integrity-check')");
    // A write that fails (the FTS table gone under a running app) never fails the edit.
    db().exec('DROP TABLE search_index');
    const renamed = await call(core, 'node.create', {
      accountId,
      notebookId: (await call(core, 'notebook.list', { accountId }))[0]!.id,
      type: 'section',
      parentId: null,
      name: 'Made while broken',
    });
    assert.equal(renamed.name, 'Made while broken');
    await waitFor(async () => (await titles(core, 'broken')).length === 1);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
