import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { LOCAL_ACCOUNT_ID, type AppCore } from '../../src/main/core/app-core';
import { RECOVERED_NOTEBOOK } from '../../src/main/sync/access-loss';
import { startServer } from '../../src/server/server';
import { tempDir } from '../support/temp';
import { call } from '../support/core';
import {
  createNode,
  FaultProxy,
  findNode,
  openDevice,
  PageEditor,
  shareNotebook,
  signIn,
  startTestServer,
  storedDoc,
  syncStatus,
  waitFor,
  waitUpToDate,
  type Device,
  notebookApi,
} from '../support/sync';
import type { NodeView } from '../../src/shared/contract';

/** The pages copied to Local › Recovered on this device: name → document text. */
async function recoveredPages(core: AppCore): Promise<Map<string, string>> {
  const recovered = (await call(core, 'notebook.list', { accountId: LOCAL_ACCOUNT_ID })).find(
    (n) => n.name === RECOVERED_NOTEBOOK,
  );
  assert.ok(recovered, 'a Recovered notebook in the Local account');
  const tree = await call(core, 'node.tree', { accountId: LOCAL_ACCOUNT_ID, notebookId: recovered.id });
  const pages = new Map<string, string>();
  for (const page of tree.filter((n) => n.type === 'page'))
    pages.set(
      page.name,
      (await storedDoc(core, LOCAL_ACCOUNT_ID, page.id)).getXmlFragment('default').toString(),
    );
  return pages;
}

/** Cuts the device's network, then types `text` into `page` (saved locally, waiting in the outbox). */
async function typeOffline(proxy: FaultProxy, d: Device, page: NodeView, text: string): Promise<void> {
  proxy.cut();
  await waitFor('offline', async () => (await syncStatus(d.core, d.accountId)).connection === 'offline');
  const editor = await PageEditor.open(d.core, d.accountId, page);
  await editor.type(text);
  await editor.close();
}

describe('losing access to a notebook', () => {
  it('removes it only on the server’s explicit word, and keeps the pages with unsynced changes in Local', async () => {
    const server = await startTestServer();
    const annToken = server.createToken('ann');
    const ann = await signIn(await openDevice(91), server.url, annToken);
    const bobId = await shareNotebook(server.url, annToken, ann.notebookId, 'bob');
    const proxy = await FaultProxy.start(server.url);
    const bob = await signIn(await openDevice(92), proxy.url, server.createToken('bob'), ann.notebookId);
    const section = await createNode(ann, 'section', null, 'Shared');
    const minutes = await createNode(ann, 'page', section.id, 'Minutes');
    const untouched = await createNode(ann, 'page', section.id, 'Untouched');
    const onBob = await waitFor('the pages on Bob', async () => {
      const [m, u] = await Promise.all([
        findNode(bob.core, bob.accountId, bob.notebookId, minutes.id),
        findNode(bob.core, bob.accountId, bob.notebookId, untouched.id),
      ]);
      return m && u ? m : null;
    });

    // Bob types offline; meanwhile Ann takes the notebook away from him.
    await typeOffline(proxy, bob, onBob, 'decisions only Bob has');
    const revoke = await fetch(`${server.url}/api/v1/notes/notebooks/${ann.notebookId}/users/${bobId}/role`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${annToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'none' }),
    });
    assert.equal(revoke.status, 200, await revoke.text());

    proxy.restore();
    await call(bob.core, 'sync.now', { accountId: bob.accountId });
    await waitFor('the notebook gone from Bob’s replica', async () =>
      (await call(bob.core, 'notebook.list', { accountId: bob.accountId })).every(
        (n) => n.id !== ann.notebookId,
      ),
    );

    // The unsynced page is in Local › Recovered, with Bob's text; the untouched one was not copied.
    const recovered = await recoveredPages(bob.core);
    assert.deepEqual([...recovered.keys()], ['Minutes']);
    assert.match(recovered.get('Minutes') ?? '', /decisions only Bob has/);

    // Bob was told where it went, and his account has nothing left waiting for that notebook.
    const notices = await call(bob.core, 'app.notices', {});
    const notice = notices.find((n) => n.title === 'A notebook is no longer shared with you');
    assert.ok(notice, JSON.stringify(notices));
    assert.match(
      notice.message,
      /1 page with changes the server had not confirmed was copied to Local › Recovered/,
    );
    const status = await syncStatus(bob.core, bob.accountId);
    assert.equal(status.pending + status.rejected, 0, JSON.stringify(status));
    // Ann's notebook is untouched on the server.
    const annDoc = await storedDoc(ann.core, ann.accountId, minutes.id);
    assert.doesNotMatch(annDoc.getXmlFragment('default').toString(), /decisions only Bob has/);
  });
});

describe('a deletion made elsewhere', () => {
  it('keeps a copy of a page this device had unsynced changes in, and says so', async () => {
    const server = await startTestServer();
    const annToken = server.createToken('ann');
    const ann = await signIn(await openDevice(94), server.url, annToken);
    const proxy = await FaultProxy.start(server.url);
    const other = await signIn(await openDevice(95), proxy.url, server.createToken('ann'));
    const section = await createNode(ann, 'section', null, 'Work');
    const page = await createNode(ann, 'page', section.id, 'Draft');
    const onOther = await waitFor('the page on the other device', () =>
      findNode(other.core, other.accountId, other.notebookId, page.id),
    );
    await typeOffline(proxy, other, onOther, 'written on the train');
    await call(ann.core, 'node.purge', { accountId: ann.accountId, nodeId: page.id });
    // The deletion reaches the server first (else the edit would land before it and be deleted with it).
    await waitUpToDate(ann.core, ann.accountId);

    proxy.restore();
    await call(other.core, 'sync.now', { accountId: other.accountId });
    await waitFor(
      'the page deleted there too',
      async () => (await findNode(other.core, other.accountId, other.notebookId, page.id)) === undefined,
    );
    assert.match((await recoveredPages(other.core)).get('Draft') ?? '', /written on the train/);
    const notices = await call(other.core, 'app.notices', {});
    assert.ok(
      notices.some((n) => n.title === 'Something you changed was deleted elsewhere'),
      JSON.stringify(notices),
    );
    // The refused edits were not left behind as refusals: their content is in the copy.
    await waitFor('nothing waiting', async () => {
      const status = await syncStatus(other.core, other.accountId);
      return status.pending + status.rejected === 0;
    });
  });
});

describe('losing access to a section', () => {
  it('keeps the pages the guest changed offline in Local › Recovered before purging the section', async () => {
    const server = await startTestServer();
    const ownerToken = server.createToken('ida');
    const owner = await signIn(await openDevice(96), server.url, ownerToken);
    const shared = await createNode(owner, 'section', null, 'Shared for a while');
    const page = await createNode(owner, 'page', shared.id, 'Plan');
    await waitUpToDate(owner.core, owner.accountId);
    const api = notebookApi(server.url, ownerToken, owner.notebookId);
    const guestId = await shareNotebook(server.url, ownerToken, owner.notebookId, 'jon', 'guest');
    const grant = await api('POST', `/nodes/${shared.id}/collaborators`, {
      collaboratorId: guestId,
      role: 'editor',
    });
    assert.ok(grant.ok, await grant.text());
    const proxy = await FaultProxy.start(server.url);
    const guest = await signIn(await openDevice(97), proxy.url, server.createToken('jon'), owner.notebookId);
    const onGuest = await waitFor('the shared page on the guest', () =>
      findNode(guest.core, guest.accountId, guest.notebookId, page.id),
    );
    await typeOffline(proxy, guest, onGuest, 'the guest’s last thoughts');
    assert.ok((await api('DELETE', `/nodes/${shared.id}/collaborators/${guestId}`)).ok);

    proxy.restore();
    await call(guest.core, 'sync.now', { accountId: guest.accountId });
    await waitFor(
      'the section purged on the guest',
      async () => (await findNode(guest.core, guest.accountId, guest.notebookId, page.id)) === undefined,
    );
    assert.match((await recoveredPages(guest.core)).get('Plan') ?? '', /the guest’s last thoughts/);
    const notice = (await call(guest.core, 'app.notices', {})).find((n) => /no longer shared/.test(n.title));
    assert.ok(notice);
    assert.match(notice.message, /Shared for a while/);
    assert.match(notice.message, /copied to Local › Recovered/);
  });
});

describe('a server restored from an old backup', () => {
  it('answers 404 for a notebook the device holds: it is kept as it was, and the user is told', async () => {
    const live = tempDir('server-live');
    const backup = tempDir('server-backup');
    let server = await startServer({ port: 0, dataDir: live, heartbeatMs: 1_000 });
    const port = server.port;
    const token = server.createToken('ann');
    const device = await signIn(await openDevice(98), server.url, token);
    await server.close();
    cpSync(live, backup, { recursive: true }); // the backup: Ann and her default notebook only

    server = await startServer({ port, dataDir: live, heartbeatMs: 1_000 });
    const created = await fetch(`${server.url}/api/v1/notes/notebooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Thesis' }),
    });
    const body = await created.text();
    assert.equal(created.status, 201, body);
    const thesis = (JSON.parse(body) as { id: string }).id;
    await call(device.core, 'sync.now', { accountId: device.accountId });
    await waitFor('the new notebook mirrored', async () =>
      (await call(device.core, 'notebook.list', { accountId: device.accountId })).some(
        (n) => n.id === thesis,
      ),
    );
    const inThesis = { ...device, notebookId: thesis };
    const chapter = await createNode(inThesis, 'section', null, 'Chapter 1');
    const page = await createNode(inThesis, 'page', chapter.id, 'Draft');
    await waitUpToDate(device.core, device.accountId);
    await server.close();

    server = await startServer({ port, dataDir: backup, heartbeatMs: 1_000 });
    after(() => server.close());
    await call(device.core, 'sync.now', { accountId: device.accountId });
    await waitFor('the notice', async () =>
      (await call(device.core, 'app.notices', {})).some(
        (n) => n.title === 'A notebook is missing on the server',
      ),
    );
    const notebooks = await call(device.core, 'notebook.list', { accountId: device.accountId });
    assert.ok(
      notebooks.some((n) => n.id === thesis),
      'the notebook the server lost is still on the device',
    );
    assert.ok(await findNode(device.core, device.accountId, thesis, page.id), 'with its pages');
  });
});
