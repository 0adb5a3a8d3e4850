import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppCore } from '../../src/main/core/app-core';
import { call } from '../support/core';
import {
  createNode,
  FaultProxy,
  findNode,
  openDevice,
  shareNotebook,
  signIn,
  startTestServer,
  waitFor,
  waitUpToDate,
} from '../support/sync';

/** The router's error for a call expected to fail: `code: message`. */
async function failure(core: AppCore, name: Parameters<typeof call>[1], input: unknown): Promise<string> {
  const result = await core.router.dispatch(name, input, { senderId: 'test' });
  assert.equal(result.ok, false, `${name} should have failed`);
  return result.ok ? '' : `${result.error.code}: ${result.error.message}`;
}

/** The notebooks `token`'s user has on the server, by name. */
async function serverNotebooks(serverUrl: string, token: string): Promise<string[]> {
  const response = await fetch(`${serverUrl}/api/v1/notes/notebooks`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { notebooks: { name: string }[] };
  return body.notebooks.map((n) => n.name).sort();
}

const names = async (core: AppCore, accountId: string) =>
  (await call(core, 'notebook.list', { accountId })).map((n) => n.name).sort();

describe('server notebooks from the app (the reference server)', () => {
  it('creates, renames and deletes on the server; offline each says why and changes nothing', async () => {
    const server = await startTestServer();
    const token = server.createToken('nia');
    const proxy = await FaultProxy.start(server.url);
    const nia = await signIn(await openDevice(301), proxy.url, token);
    const { accountId } = nia;
    const own = (await call(nia.core, 'notebook.list', { accountId }))[0]!.name;

    const created = await call(nia.core, 'notebook.create', { accountId, name: 'Team wiki' });
    assert.equal(created.role, 'owner');
    assert.deepEqual(await serverNotebooks(server.url, token), [own, 'Team wiki'].sort());
    // Subscribed at once: a section made in it reaches the server.
    const wiki = { ...nia, notebookId: created.id };
    const section = await createNode(wiki, 'section', null, 'Onboarding');
    await waitUpToDate(nia.core, accountId);
    const nodes = (await (
      await fetch(`${server.url}/api/v1/notes/notebooks/${created.id}/nodes`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { nodes: { id: string }[] };
    assert.ok(
      nodes.nodes.some((n) => n.id === section.id),
      'the new notebook syncs',
    );

    const renamed = await call(nia.core, 'notebook.update', {
      accountId,
      notebookId: created.id,
      name: 'Handbook',
    });
    assert.equal(renamed.name, 'Handbook');
    assert.deepEqual(await serverNotebooks(server.url, token), [own, 'Handbook'].sort());

    // Offline: refused with the reason, nothing half-done here or there.
    proxy.cut();
    const before = await names(nia.core, accountId);
    assert.match(
      await failure(nia.core, 'notebook.create', { accountId, name: 'Offline idea' }),
      /^unavailable: The server cannot be reached, so nothing was changed/,
    );
    assert.match(
      await failure(nia.core, 'notebook.update', { accountId, notebookId: created.id, name: 'Nope' }),
      /^unavailable: .*nothing was changed/,
    );
    assert.match(
      await failure(nia.core, 'notebook.delete', { accountId, notebookId: created.id }),
      /^unavailable: .*nothing was changed/,
    );
    assert.deepEqual(await names(nia.core, accountId), before);
    assert.ok(await findNode(nia.core, accountId, created.id, section.id), 'its content is still here');
    proxy.restore();
    assert.deepEqual(await serverNotebooks(server.url, token), [own, 'Handbook'].sort());

    // A bad name is the server's readable refusal, not a half-renamed notebook.
    assert.match(
      await failure(nia.core, 'notebook.update', {
        accountId,
        notebookId: created.id,
        name: 'x'.repeat(300),
      }),
      /^bad_request: /,
    );

    await call(nia.core, 'notebook.delete', { accountId, notebookId: created.id });
    assert.deepEqual(await names(nia.core, accountId), [own]);
    assert.deepEqual(await serverNotebooks(server.url, token), [own]);
    // No "missing on the server" notice for a notebook the user deleted.
    await waitUpToDate(nia.core, accountId);
    const notices = await call(nia.core, 'app.notices', {});
    assert.equal(
      notices.filter((n) => /missing|no longer/.test(n.title)).length,
      0,
      JSON.stringify(notices.map((n) => n.title)),
    );
  });

  it('a member leaves a notebook, an admin removes one; the last owner cannot leave', async () => {
    const server = await startTestServer();
    const annToken = server.createToken('ann');
    const bobToken = server.createToken('bob');
    const ann = await signIn(await openDevice(311), server.url, annToken);
    const bob = {
      ...(await signIn(await openDevice(312), server.url, bobToken)),
      notebookId: ann.notebookId,
    };
    await waitUpToDate(bob.core, bob.accountId);
    const bobList = async () =>
      (await call(bob.core, 'notebook.list', { accountId: bob.accountId })).map((n) => n.id);
    const [bobOwn] = await bobList();
    // Shared while bob's app is connected: it arrives without a reconnect (the notebooks.changed frame).
    await shareNotebook(server.url, annToken, ann.notebookId, 'bob', 'collaborator');
    await waitFor('ann’s notebook on bob’s list', async () =>
      (await bobList()).includes(ann.notebookId) ? true : null,
    );

    assert.match(
      await failure(ann.core, 'sharing.leave', { accountId: ann.accountId, notebookId: ann.notebookId }),
      /at least one owner/,
    );
    await call(bob.core, 'sharing.leave', { accountId: bob.accountId, notebookId: ann.notebookId });
    assert.deepEqual(await bobList(), [bobOwn]);
    await waitFor('bob gone from ann’s members', async () => {
      const members = await call(ann.core, 'sharing.members', {
        accountId: ann.accountId,
        notebookId: ann.notebookId,
      });
      return members.every((m) => m.username !== 'bob') ? true : null;
    });

    // Invited again, then removed by the owner (role none): gone from her list at once.
    const invited = await call(ann.core, 'sharing.invite', {
      accountId: ann.accountId,
      notebookId: ann.notebookId,
      usernames: 'bob',
      role: 'guest',
    });
    assert.deepEqual(invited.errors, []);
    const after = await call(ann.core, 'sharing.setMemberRole', {
      accountId: ann.accountId,
      notebookId: ann.notebookId,
      userId: invited.invited[0]!.userId,
      role: 'none',
    });
    assert.deepEqual(
      after.map((m) => m.username),
      ['ann'],
    );
    // Bob's app saw the invite and then the removal, live.
    await waitFor('removed from bob’s list again', async () =>
      (await bobList()).includes(ann.notebookId) ? null : true,
    );
  });

  it('a notebook shared with a connected user, then taken away, reaches their list both times', async () => {
    const server = await startTestServer();
    const annToken = server.createToken('ann');
    const ann = await signIn(await openDevice(321), server.url, annToken);
    const cy = await signIn(await openDevice(322), server.url, server.createToken('cy'));
    await waitUpToDate(cy.core, cy.accountId);
    const cyList = async () =>
      (await call(cy.core, 'notebook.list', { accountId: cy.accountId })).map((n) => n.id);
    const invited = await call(ann.core, 'sharing.invite', {
      accountId: ann.accountId,
      notebookId: ann.notebookId,
      usernames: 'cy',
      role: 'guest',
    });
    await waitFor('shared', async () => ((await cyList()).includes(ann.notebookId) ? true : null));
    await call(ann.core, 'sharing.setMemberRole', {
      accountId: ann.accountId,
      notebookId: ann.notebookId,
      userId: invited.invited[0]!.userId,
      role: 'none',
    });
    await waitFor('taken away', async () => ((await cyList()).includes(ann.notebookId) ? null : true));
  });
});

describe('a membership change before the socket is greeted (the reference server)', () => {
  it('a notebook shared after the app listed its notebooks and before its socket opened still arrives', async () => {
    const server = await startTestServer();
    const annToken = server.createToken('ann');
    const ann = await signIn(await openDevice(331), server.url, annToken);
    const proxy = await FaultProxy.start(server.url);
    // Dee's first socket is held at the proxy: by then her app has read GET /notebooks (it lists before it
    // asks for a socket), and the server has no socket of hers to push the change to.
    let reached!: () => void;
    const atUpgrade = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let upgrades = 0;
    proxy.beforeUpgrade = () => {
      if (++upgrades > 1) return undefined;
      reached();
      return released;
    };
    const dee = await signIn(await openDevice(332), proxy.url, server.createToken('dee'));
    const deeList = async () =>
      (await call(dee.core, 'notebook.list', { accountId: dee.accountId })).map((n) => n.id);
    await atUpgrade;
    assert.deepEqual(await deeList(), [dee.notebookId], 'only her own notebook was listed');
    await shareNotebook(server.url, annToken, ann.notebookId, 'dee', 'collaborator');
    release();
    await waitFor('ann’s notebook on dee’s list without a reconnect', async () =>
      (await deeList()).includes(ann.notebookId) ? true : null,
    );
    // Subscribed too: a section ann makes reaches dee.
    const section = await createNode(ann, 'section', null, 'Agenda');
    await waitFor('ann’s section on dee’s device', () =>
      findNode(dee.core, dee.accountId, ann.notebookId, section.id),
    );
    assert.equal(upgrades, 1, 'on the same socket: no reconnect');
  });
});
