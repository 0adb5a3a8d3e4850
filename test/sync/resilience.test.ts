import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call } from '../support/core';
import { tempDir } from '../support/temp';
import {
  createNode,
  FAST_SYNC,
  FaultProxy,
  findNode,
  hasNode,
  NO_FRAME_FAULTS,
  openDevice,
  PageEditor,
  signIn,
  startTestServer,
  storedDoc,
  syncStatus,
  waitFor,
  waitUpToDate,
  type Device,
  notebookApi,
} from '../support/sync';

const tree = async (d: Device) =>
  call(d.core, 'node.tree', { accountId: d.accountId, notebookId: d.notebookId });

describe('sync resilience', () => {
  it('a purge travels as a tombstone and deletes only that subtree on the other device', async () => {
    const server = await startTestServer();
    const token = server.createToken('hal');
    const a = await signIn(await openDevice(71), server.url, token);
    const b = await signIn(await openDevice(72), server.url, token);
    const section = await createNode(a, 'section', null, 'S');
    const doomed = await createNode(a, 'page', section.id, 'Doomed');
    const kept = await createNode(a, 'page', section.id, 'Kept');
    await waitFor(
      'both pages on B',
      async () => (await hasNode(b, doomed.id)) && (await hasNode(b, kept.id)),
    );
    await call(a.core, 'node.purge', { accountId: a.accountId, nodeId: doomed.id });
    await waitFor('the purge on B', async () => !(await hasNode(b, doomed.id)));
    assert.ok(await hasNode(b, kept.id));
    assert.ok(await hasNode(b, section.id));
    await waitUpToDate(a.core, a.accountId);
    assert.deepEqual(await call(a.core, 'sync.outbox', { accountId: a.accountId }), []);
  });

  it('losing access to a section purges it locally and tells the user', async () => {
    const server = await startTestServer();
    const ownerToken = server.createToken('ida');
    const owner = await signIn(await openDevice(81), server.url, ownerToken);
    const shared = await createNode(owner, 'section', null, 'Shared for a while');
    const page = await createNode(owner, 'page', shared.id, 'Inside');
    await waitUpToDate(owner.core, owner.accountId);
    const api = notebookApi(server.url, ownerToken, owner.notebookId);
    const guestToken = server.createToken('jon');
    const invited = (await (
      await api('POST', '/users', { users: [{ username: 'jon', role: 'guest' }] })
    ).json()) as {
      users: { id: string }[];
    };
    const guestId = invited.users[0]!.id;
    assert.ok(
      (await api('POST', `/nodes/${shared.id}/collaborators`, { collaboratorId: guestId, role: 'viewer' }))
        .ok,
    );
    const guest = await signIn(await openDevice(82), server.url, guestToken, owner.notebookId);
    await waitFor('the shared page on the guest', () => hasNode(guest, page.id));

    assert.ok((await api('DELETE', `/nodes/${shared.id}/collaborators/${guestId}`)).ok);
    await waitFor('the section purged on the guest', async () => (await tree(guest)).length === 0);
    assert.ok((await call(guest.core, 'app.notices', {})).some((n) => /no longer shared/.test(n.title)));
    assert.ok(await hasNode(owner, page.id), 'the owner keeps it');
  });

  it('heartbeats detect a silent connection; the device reconnects and resumes', async () => {
    const server = await startTestServer();
    const proxy = await FaultProxy.start(server.url);
    const token = server.createToken('kim');
    const a = await signIn(await openDevice(91), proxy.url, token);
    const b = await signIn(await openDevice(92), server.url, token);
    await waitUpToDate(a.core, a.accountId);
    proxy.stall();
    await waitFor('the dead connection noticed', async () => {
      const status = await syncStatus(a.core, a.accountId);
      return status.connection !== 'up_to_date' && /stopped answering/.test(status.lastError ?? '');
    });
    const section = await createNode(b, 'section', null, 'Made while A was stalled');
    proxy.restore();
    await waitFor('the section on A after reconnecting', () => hasNode(a, section.id));
    await waitUpToDate(a.core, a.accountId);
  });

  it('a wake-up (network back, window shown or focused) reconnects at once instead of after the backoff wait', async () => {
    const server = await startTestServer();
    const proxy = await FaultProxy.start(server.url);
    const token = server.createToken('wes');
    // A reconnect wait far longer than this test's patience: only the wake-up can bring A back in time.
    const slow = { reconnect: { baseMs: 600_000, maxMs: 600_000 } };
    const a = await signIn(await openDevice(93, { sync: slow }), proxy.url, token);
    await waitUpToDate(a.core, a.accountId);
    proxy.cut();
    await waitFor('A offline', async () => (await syncStatus(a.core, a.accountId)).connection === 'offline');
    const section = await createNode(a, 'section', null, 'Made while the network was gone');
    proxy.restore();
    assert.equal(await call(a.core, 'sync.wake', {}), null);
    await waitUpToDate(a.core, a.accountId, 5_000);
    const b = await signIn(await openDevice(94), server.url, token);
    await waitFor('the section on the server (seen by B)', () => hasNode(b, section.id));
  });

  it('a blocked event loop is not taken for a dead connection (the answer is read before it is judged)', async () => {
    const server = await startTestServer();
    const proxy = await FaultProxy.start(server.url);
    proxy.frameFaults = NO_FRAME_FAULTS;
    const token = server.createToken('noa');
    const a = await signIn(await openDevice(93), proxy.url, token);
    await waitUpToDate(a.core, a.accountId);
    const connections = proxy.frameConnections;
    // Each pong is held while this (single) process is blocked for two heartbeats, like a long apply on a
    // loaded machine: the device's heartbeat fires late with its ping still unanswered.
    let blocked = 0;
    proxy.dropToClient = (frame) => {
      if (blocked < 3 && frame.includes('"type":"pong"')) {
        blocked++;
        const until = Date.now() + 2 * (FAST_SYNC.heartbeatMs ?? 0);
        while (Date.now() < until);
      }
      return false;
    };
    await waitFor('three blocked pongs', () => blocked === 3, 20_000);
    await waitUpToDate(a.core, a.accountId);
    assert.equal(proxy.frameConnections, connections, 'the connection was never cut');
    assert.doesNotMatch((await syncStatus(a.core, a.accountId)).lastError ?? '', /stopped answering/);
  });

  it('a restarted device resumes from its saved cursors and gets what it missed', async () => {
    const server = await startTestServer();
    const token = server.createToken('lea');
    const a = await signIn(await openDevice(101), server.url, token);
    const dataDir = tempDir('restart');
    const first = await openDevice(102, { dataDir });
    const b = await signIn(first, server.url, token);
    const section = await createNode(a, 'section', null, 'S');
    const page = await createNode(a, 'page', section.id, 'P');
    const editor = await PageEditor.open(a.core, a.accountId, page);
    await editor.type('before restart');
    await waitFor('the page on B', () => hasNode(b, page.id));
    await waitUpToDate(first, b.accountId);
    first.close();

    await editor.type('while B was closed');
    await call(a.core, 'node.update', {
      accountId: a.accountId,
      nodeId: page.id,
      name: 'Renamed while closed',
    });
    await waitUpToDate(a.core, a.accountId);
    const reopened: Device = { ...b, core: await openDevice(103, { dataDir }) };
    const { lastSyncedAt } = await syncStatus(reopened.core, reopened.accountId);
    assert.ok(
      lastSyncedAt !== null && lastSyncedAt <= new Date().toISOString(),
      'remembered across the restart',
    );
    await waitFor('the rename after restart', async () => {
      const node = await findNode(reopened.core, reopened.accountId, reopened.notebookId, page.id);
      return node?.name === 'Renamed while closed';
    });
    await waitFor('the text after restart', async () =>
      (await storedDoc(reopened.core, reopened.accountId, page.id))
        .getXmlFragment('default')
        .toString()
        .includes('while B was closed'),
    );
  });

  it('devices whose clocks are a day apart still converge', async () => {
    const server = await startTestServer();
    const token = server.createToken('max');
    const DAY_MS = 24 * 60 * 60 * 1_000;
    const skewed = (offsetMs: number) => ({ now: () => new Date(Date.now() + offsetMs) });
    const ahead = await signIn(await openDevice(111, { clock: skewed(DAY_MS) }), server.url, token);
    const behind = await signIn(await openDevice(112, { clock: skewed(-DAY_MS) }), server.url, token);
    const section = await createNode(ahead, 'section', null, 'Tomorrow');
    const page = await createNode(ahead, 'page', section.id, 'Skewed');
    const editorAhead = await PageEditor.open(ahead.core, ahead.accountId, page);
    await editorAhead.type('from tomorrow');
    await waitFor('the page on the device behind', () => hasNode(behind, page.id));
    const pageBehind = await findNode(behind.core, behind.accountId, behind.notebookId, page.id);
    const editorBehind = await PageEditor.open(behind.core, behind.accountId, pageBehind!);
    await editorBehind.type('from yesterday');
    await call(behind.core, 'node.update', {
      accountId: behind.accountId,
      nodeId: page.id,
      name: 'Renamed yesterday',
    });
    for (const d of [ahead, behind]) await waitUpToDate(d.core, d.accountId);
    await waitFor('both edits on both devices', async () => {
      const texts = await Promise.all(
        [ahead, behind].map(async (d) =>
          (await storedDoc(d.core, d.accountId, page.id)).getXmlFragment('default').toString(),
        ),
      );
      return (
        texts[0] === texts[1] && texts[0]!.includes('from tomorrow') && texts[0]!.includes('from yesterday')
      );
    });
    assert.equal(
      (await findNode(ahead.core, ahead.accountId, ahead.notebookId, page.id))?.name,
      'Renamed yesterday',
    );
    for (const d of [ahead, behind]) assert.equal((await syncStatus(d.core, d.accountId)).rejected, 0);
  });

  it('a collaborator (below notebook admin) creates a section the server accepts', async () => {
    const server = await startTestServer();
    const ownerToken = server.createToken('ned');
    const owner = await signIn(await openDevice(121), server.url, ownerToken);
    const invite = await fetch(`${server.url}/api/v1/notes/notebooks/${owner.notebookId}/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ users: [{ username: 'ola', role: 'collaborator' }] }),
    });
    assert.ok(invite.ok);
    const member = await signIn(
      await openDevice(122),
      server.url,
      server.createToken('ola'),
      owner.notebookId,
    );
    const section = await createNode(member, 'section', null, 'Made by a collaborator');
    const page = await createNode(member, 'page', section.id, 'Inside');
    await waitFor('the page on the owner', () => hasNode(owner, page.id));
    await waitUpToDate(member.core, member.accountId);
    assert.equal((await syncStatus(member.core, member.accountId)).rejected, 0);
  });
});

describe('closing while sync is busy', () => {
  it('a "sync now" still waiting when the core closes answers with the last status read, not a closed-database error', async () => {
    const server = await startTestServer();
    const proxy = await FaultProxy.start(server.url);
    const d = await signIn(await openDevice(401), proxy.url, server.createToken('quitter'));
    const section = await createNode(d, 'section', null, 'Busy');
    await waitUpToDate(d.core, d.accountId);
    proxy.stall(); // the next batch hangs in flight
    await createNode(d, 'page', section.id, 'in flight');
    const engine = d.core.account(d.accountId).sync!;
    const waiting = engine.syncNow();
    d.core.close();
    const status = await waiting;
    assert.equal(status.accountId, d.accountId);
    assert.equal(status.rejected, 0);
  });
});
