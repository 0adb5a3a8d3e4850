import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { dayKey, timestampLabel } from '../../src/main/capture/capture.service';
import { listOutbox } from '../../src/main/outbox/outbox.repository';
import { documentText } from '../../src/shared/crdt/document';
import { startServer } from '../../src/server/server';
import { hasNode, openDevice, signIn, syncStatus, waitFor, waitUpToDate } from '../support/sync';
import { call, openTestCore, tempDir } from '../support/temp';

const accountId = LOCAL_ACCOUNT_ID;
const body = (text: string) => ({
  type: 'doc' as const,
  content: [{ type: 'paragraph', content: [{ type: 'text', text, marks: [{ type: 'bold' }] }] }],
});

/** `capture.save` into the Local account's Inbox of `notebookId`. */
const toInbox = (
  core: Awaited<ReturnType<typeof openTestCore>>,
  notebookId: string,
  title: string,
  text: string,
) =>
  call(core, 'capture.save', {
    accountId,
    destination: { kind: 'inbox', notebookId },
    title,
    body: body(text),
  });

async function firstNotebook(core: Awaited<ReturnType<typeof openTestCore>>) {
  const [notebook] = await call(core, 'notebook.list', { accountId });
  assert.ok(notebook);
  return notebook;
}

describe('quick capture (capture.save)', () => {
  it('creates the Inbox page on first use, appends heading + timestamp + body, reuses it after', async () => {
    const clock = { now: () => new Date(2026, 10, 23, 18, 45) };
    const core = await openTestCore(tempDir('capture'), clock);
    const notebook = await firstNotebook(core);
    const outboxBefore = listOutbox(core.account(accountId).replica.db).length;
    const first = await toInbox(core, notebook.id, 'Call Ana', 'about the launch');
    assert.equal(first.createdPage, true);
    assert.equal(first.pageName, 'Inbox');
    const second = await toInbox(core, notebook.id, '', 'second thought');
    assert.equal(second.nodeId, first.nodeId);
    assert.equal(second.createdPage, false);

    const tree = await call(core, 'node.tree', { accountId, notebookId: notebook.id });
    assert.equal(tree.filter((n) => n.name === 'Inbox').length, 1);
    const content = await core.account(accountId).documents.content(first.nodeId);
    assert.deepEqual(
      content.content.map((b) => b.type),
      ['heading', 'paragraph', 'paragraph', 'heading', 'paragraph', 'paragraph'],
    );
    const text = documentText(content);
    assert.match(
      text,
      /Call Ana\n2026-11-23 18:45\nabout the launch\nQuick note\n2026-11-23 18:45\nsecond thought/,
    );
    // Page create + document updates all went to the outbox (synced later; nothing needs a server now).
    assert.ok(listOutbox(core.account(accountId).replica.db).length >= outboxBefore + 3);
  });

  it('appends to today’s daily note under "Daily notes", and to a chosen page', async () => {
    const clock = { now: () => new Date(2026, 0, 5, 9, 3) };
    const core = await openTestCore(tempDir('capture'), clock);
    const notebook = await firstNotebook(core);
    const daily = await call(core, 'capture.save', {
      accountId,
      destination: { kind: 'daily', notebookId: notebook.id },
      title: 'Standup',
      body: body('ship it'),
    });
    assert.equal(daily.pageName, '2026-01-05');
    assert.equal(dayKey(clock.now()), '2026-01-05');
    assert.equal(timestampLabel(clock.now()), '2026-01-05 09:03');
    const tree = await call(core, 'node.tree', { accountId, notebookId: notebook.id });
    const parent = tree.find((n) => n.name === 'Daily notes');
    assert.equal(tree.find((n) => n.id === daily.nodeId)?.parentId, parent?.id);

    const onPage = await call(core, 'capture.save', {
      accountId,
      destination: { kind: 'page', nodeId: daily.nodeId },
      title: 'Later',
      body: { type: 'doc', content: [] },
    });
    assert.equal(onPage.nodeId, daily.nodeId);
    const text = documentText(await core.account(accountId).documents.content(daily.nodeId));
    assert.match(text, /Standup[\s\S]*ship it[\s\S]*Later/);
  });

  it('refuses empty notes, trashed or non-page destinations, hostile bodies — with bad_request', async () => {
    const core = await openTestCore();
    const notebook = await firstNotebook(core);
    const section = (await call(core, 'node.tree', { accountId, notebookId: notebook.id })).find(
      (n) => n.type === 'section',
    );
    assert.ok(section);
    let deep: Record<string, unknown> = { type: 'paragraph' };
    for (let i = 0; i < 5_000; i++) deep = { type: 'blockquote', content: [deep] };
    const cases = [
      {
        destination: { kind: 'inbox', notebookId: notebook.id },
        title: '  ',
        body: { type: 'doc', content: [] },
      },
      { destination: { kind: 'page', nodeId: section.id }, title: 'x', body: { type: 'doc', content: [] } },
      {
        destination: { kind: 'inbox', notebookId: notebook.id },
        title: 'x',
        body: { type: 'doc', content: [deep] },
      },
      {
        destination: { kind: 'inbox', notebookId: notebook.id },
        title: 'x',
        body: { type: 'doc', content: [{ type: 'script', text: 'alert(1)' }] },
      },
    ];
    for (const [i, input] of cases.entries()) {
      const result = await core.router.dispatch('capture.save', { accountId, ...input }, { senderId: 't' });
      assert.equal(result.ok, false, `case ${i}`);
      assert.equal(!result.ok && result.error.code, 'bad_request');
    }
    const tree = await call(core, 'node.tree', { accountId, notebookId: notebook.id });
    assert.equal(tree.filter((n) => n.name === 'Inbox').length, 0, 'a refused capture creates nothing');
  });

  it('is one transaction: a failure after the Inbox was created leaves no Inbox behind', async () => {
    const core = await openTestCore();
    const notebook = await firstNotebook(core);
    const documents = core.account(accountId).documents;
    const original = documents.applyUpdate.bind(documents);
    documents.applyUpdate = () => {
      throw new Error('disk full');
    };
    const result = await core.router.dispatch(
      'capture.save',
      { accountId, destination: { kind: 'inbox', notebookId: notebook.id }, title: 'x', body: body('y') },
      { senderId: 't' },
    );
    documents.applyUpdate = original;
    assert.equal(result.ok, false);
    const tree = await call(core, 'node.tree', { accountId, notebookId: notebook.id });
    assert.equal(tree.filter((n) => n.name === 'Inbox').length, 0);

    // Failing on an existing page: main's in-memory copy drops the rolled-back note too.
    const first = await toInbox(core, notebook.id, 'kept one', 'first');
    documents.applyUpdate = () => {
      throw new Error('disk full');
    };
    const failed = await core.router.dispatch(
      'capture.save',
      { accountId, destination: { kind: 'page', nodeId: first.nodeId }, title: 'lost', body: body('never') },
      { senderId: 't' },
    );
    documents.applyUpdate = original;
    assert.equal(failed.ok, false);
    await toInbox(core, notebook.id, 'kept two', 'third');
    const text = documentText(await documents.content(first.nodeId));
    assert.match(text, /kept one[\s\S]*kept two/);
    assert.doesNotMatch(text, /lost|never/);
  });

  it('is durable when it answers: a restarted core has the note', async () => {
    const dir = tempDir('capture');
    const core = await openTestCore(dir);
    const notebook = await firstNotebook(core);
    const saved = await toInbox(core, notebook.id, 'Persist me', 'please');
    core.close();
    const again = await openTestCore(dir);
    const text = documentText(await again.account(accountId).documents.content(saved.nodeId));
    assert.match(text, /Persist me[\s\S]*please/);
  });

  it('lists notebooks and recently edited pages as destinations', async () => {
    const core = await openTestCore();
    const notebook = await firstNotebook(core);
    const saved = await toInbox(core, notebook.id, 'x', 'y');
    const destinations = await call(core, 'capture.destinations', { accountId });
    assert.deepEqual(
      destinations.notebooks.map((n) => n.id),
      [notebook.id],
    );
    assert.equal(destinations.recentPages[0]?.id, saved.nodeId);
    assert.equal(destinations.recentPages[0]?.notebookName, notebook.name);
  });
});

describe('quick capture on a server account', () => {
  it('saves while the server is down; the note reaches the server when it is back', async () => {
    const serverDir = tempDir('server');
    let server = await startServer({ port: 0, dataDir: serverDir, heartbeatMs: 1_000 });
    const { port } = server;
    const token = server.createToken('ana');
    const device = await signIn(await openDevice(7), server.url, token);
    await waitUpToDate(device.core, device.accountId);
    await server.close();
    await waitFor(
      'offline',
      async () => (await syncStatus(device.core, device.accountId)).connection !== 'up_to_date',
    );

    const saved = await call(device.core, 'capture.save', {
      accountId: device.accountId,
      destination: { kind: 'inbox', notebookId: device.notebookId },
      title: 'Offline idea',
      body: body('written on the train'),
    });
    assert.equal(saved.createdPage, true);
    assert.ok((await syncStatus(device.core, device.accountId)).pending > 0, 'waiting in the outbox');

    server = await startServer({ port, dataDir: serverDir, heartbeatMs: 1_000 });
    after(() => server.close());
    await waitUpToDate(device.core, device.accountId, 20_000);
    const other = await signIn(await openDevice(8), server.url, token, device.notebookId);
    await waitFor('the Inbox on the other device', () => hasNode(other, saved.nodeId), 15_000);
    const text = await waitFor('its text on the other device', async () => {
      const content = documentText(await other.core.account(other.accountId).documents.content(saved.nodeId));
      return content.includes('written on the train') ? content : undefined;
    });
    assert.match(text, /Offline idea/);
  });
});
