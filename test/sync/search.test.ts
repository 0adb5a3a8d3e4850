import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppCore } from '../../src/main/core/app-core';
import { call } from '../support/core';
import {
  createNode,
  findNode,
  openDevice,
  PageEditor,
  shareNotebook,
  signIn,
  startTestServer,
  waitFor,
} from '../support/sync';

const hitsFor = async (core: AppCore, query: string): Promise<string[]> =>
  (await call(core, 'search.query', { query })).hits.map((h) => h.nodeId);

/** Whether the replica has received any server update of the document (its confirmed state exists). */
const arrived = (core: AppCore, accountId: string, documentId: string): boolean =>
  core.account(accountId).replica.db.prepare('SELECT 1 FROM document_states WHERE id = ?').get(documentId) !==
  undefined;

describe('search across devices', () => {
  it('finds a word typed on another device within a second of its arrival, without opening the page', async () => {
    const server = await startTestServer();
    const token = server.createToken('ann');
    const a = await signIn(await openDevice(31), server.url, token);
    const b = await signIn(await openDevice(32), server.url, token);
    const section = await createNode(a, 'section', null, 'Work');
    const page = await createNode(a, 'page', section.id, 'Plan');
    await waitFor('the page on B', () => findNode(b.core, b.accountId, b.notebookId, page.id));
    assert.deepEqual(await hitsFor(b.core, 'xylophone'), []);

    const editor = await PageEditor.open(a.core, a.accountId, page);
    await editor.type('the xylophone quartet');
    const arrival = await waitFor('the text on B', () =>
      arrived(b.core, b.accountId, page.id) ? Date.now() : null,
    );
    const found = await waitFor('the word found on B', async () =>
      (await hitsFor(b.core, 'xyloph')).includes(page.id) ? Date.now() : null,
    );
    assert.ok(found - arrival < 1_000, `found ${found - arrival} ms after it arrived`);
    await editor.close();
  });

  it('forgets what the user lost access to: a notebook no longer shared is gone from results', async () => {
    const server = await startTestServer();
    const annToken = server.createToken('ann');
    const ann = await signIn(await openDevice(33), server.url, annToken);
    const bobId = await shareNotebook(server.url, annToken, ann.notebookId, 'bob');
    const bob = await signIn(await openDevice(34), server.url, server.createToken('bob'), ann.notebookId);
    const section = await createNode(ann, 'section', null, 'Shared');
    const page = await createNode(ann, 'page', section.id, 'Salaries');
    const editor = await PageEditor.open(ann.core, ann.accountId, page);
    await editor.type('confidential figures');
    await editor.close();
    await waitFor('the page searchable on Bob', async () =>
      (await hitsFor(bob.core, 'confidential')).includes(page.id),
    );

    const revoke = await fetch(`${server.url}/api/v1/notes/notebooks/${ann.notebookId}/users/${bobId}/role`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${annToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'none' }),
    });
    assert.equal(revoke.status, 200, await revoke.text());
    await call(bob.core, 'sync.now', { accountId: bob.accountId });
    await waitFor(
      'the page gone from Bob’s results',
      async () =>
        (await hitsFor(bob.core, 'confidential')).length === 0 &&
        (await hitsFor(bob.core, 'salaries')).length === 0,
    );
    const db = bob.core.account(bob.accountId).replica.db;
    assert.equal(db.prepare('SELECT count(*) FROM search_rows WHERE node_id = ?').pluck().get(page.id), 0);
    assert.deepEqual(await hitsFor(ann.core, 'confidential'), [page.id], 'Ann still finds it');
  });
});
