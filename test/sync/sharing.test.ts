import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import type { AppCore } from '../../src/main/core/app-core';
import { call, createLocalPage } from '../support/core';
import {
  createNode,
  FaultProxy,
  findNode,
  openDevice,
  signIn,
  startTestServer,
  syncStatus,
  waitFor,
  waitUpToDate,
  type Device,
} from '../support/sync';

/** The router's error code for a call expected to fail. */
async function failure(core: AppCore, name: Parameters<typeof call>[1], input: unknown): Promise<string> {
  const result = await core.router.dispatch(name, input, { senderId: 'test' });
  assert.equal(result.ok, false, `${name} should have failed`);
  return result.ok ? '' : `${result.error.code}: ${result.error.message}`;
}

const access = (d: Device) =>
  call(d.core, 'sharing.access', { accountId: d.accountId, notebookId: d.notebookId });

describe('sharing in the app (two users, the reference server)', () => {
  it('invites, grants per section and page, and each side sees the roles and what they allow', async () => {
    const server = await startTestServer();
    const annToken = server.createToken('ann');
    const bobToken = server.createToken('bob');
    const ann = await signIn(await openDevice(111), server.url, annToken);

    // Invite from the app: one good username and one already a member, each answered on its own.
    const invite = await call(ann.core, 'sharing.invite', {
      accountId: ann.accountId,
      notebookId: ann.notebookId,
      usernames: 'bob, ann',
      role: 'guest',
    });
    assert.deepEqual(
      invite.invited.map((m) => [m.username, m.role]),
      [['bob', 'guest']],
    );
    assert.deepEqual(
      invite.errors.map((e) => e.username),
      ['ann'],
    );
    const bobId = invite.invited[0]!.userId;
    const members = await waitFor('both members listed', async () => {
      const list = await call(ann.core, 'sharing.members', {
        accountId: ann.accountId,
        notebookId: ann.notebookId,
      });
      return list.length === 2 ? list : null;
    });
    assert.deepEqual(
      members.map((m) => [m.username, m.role, m.isMe]),
      [
        ['ann', 'owner', true],
        ['bob', 'guest', false],
      ],
    );

    const section = await createNode(ann, 'section', null, 'Team');
    const page = await createNode(ann, 'page', section.id, 'Plan');
    const other = await createNode(ann, 'section', null, 'Private');
    await waitUpToDate(ann.core, ann.accountId);
    const bob = await signIn(await openDevice(112), server.url, bobToken, ann.notebookId);

    // A guest sees nothing until a section is shared; then the section as a viewer, through its grant.
    let shared = await call(ann.core, 'sharing.setRole', {
      accountId: ann.accountId,
      nodeId: section.id,
      userId: bobId,
      role: 'viewer',
    });
    assert.deepEqual(
      shared.people.map((p) => [p.username, p.role, p.source]),
      [
        ['ann', 'admin', 'notebook'],
        ['bob', 'viewer', 'here'],
      ],
    );
    await waitFor('the shared page on Bob', () => findNode(bob.core, bob.accountId, bob.notebookId, page.id));
    const bobView = await access(bob);
    assert.equal(bobView.notebookRole, 'guest');
    assert.equal(bobView.canManageMembers, false);
    assert.equal(bobView.nodes[other.id], undefined, 'the private section never reached Bob');
    assert.deepEqual(bobView.nodes[page.id], { role: 'viewer', grantedOn: section.id, can: [] });
    const people = await call(ann.core, 'sharing.people', { accountId: ann.accountId, nodeId: page.id });
    const bobOnPage = people.people.find((p) => p.userId === bobId);
    assert.deepEqual(
      [bobOnPage?.role, bobOnPage?.source, bobOnPage?.grantedOnName],
      ['viewer', 'inherited', 'Team'],
    );

    // A viewer may not manage access nor members: refused before anything is saved or sent.
    assert.match(
      await failure(bob.core, 'sharing.setRole', {
        accountId: bob.accountId,
        nodeId: page.id,
        userId: bobId,
        role: 'admin',
      }),
      /^forbidden: You cannot change who has access to “Plan”/,
    );
    assert.match(
      await failure(bob.core, 'sharing.invite', {
        accountId: bob.accountId,
        notebookId: bob.notebookId,
        usernames: 'carol',
        role: 'guest',
      }),
      /^forbidden/,
    );
    assert.equal((await syncStatus(bob.core, bob.accountId)).pending, 0, 'nothing queued on Bob');

    // Raised to editor on the page alone: Bob may now edit it (and only it), live.
    shared = await call(ann.core, 'sharing.setRole', {
      accountId: ann.accountId,
      nodeId: page.id,
      userId: bobId,
      role: 'editor',
    });
    assert.equal(shared.people.find((p) => p.userId === bobId)?.source, 'here');
    const raised = await waitFor('Bob an editor of the page', async () => {
      const view = (await access(bob)).nodes[page.id];
      return view?.role === 'editor' ? view : null;
    });
    assert.deepEqual(raised, {
      role: 'editor',
      grantedOn: page.id,
      can: ['edit', 'update', 'createChild', 'comment', 'versions'],
    });
    assert.equal((await access(bob)).nodes[section.id]?.role, 'viewer');

    // A notebook role change reaches Bob's own access live (users stream), and his member list names Ann.
    await call(ann.core, 'sharing.setMemberRole', {
      accountId: ann.accountId,
      notebookId: ann.notebookId,
      userId: bobId,
      role: 'collaborator',
    });
    await waitFor('Bob a collaborator', async () => (await access(bob)).notebookRole === 'collaborator');
    assert.equal((await access(bob)).nodes[other.id], undefined);
    const bobMembers = await waitFor('Bob’s member list', async () => {
      const list = await call(bob.core, 'sharing.members', {
        accountId: bob.accountId,
        notebookId: bob.notebookId,
      });
      return list.some((m) => m.isMe && m.role === 'collaborator') && list.length === 2 ? list : null;
    });
    assert.deepEqual(
      bobMembers.map((m) => [m.username, m.role, m.isMe]),
      [
        ['ann', 'owner', false],
        ['bob', 'collaborator', true],
      ],
    );

    // Removing the grant: back to what the notebook role gives.
    shared = await call(ann.core, 'sharing.setRole', {
      accountId: ann.accountId,
      nodeId: section.id,
      userId: bobId,
      role: null,
    });
    assert.equal(shared.people.find((p) => p.userId === bobId)?.source, 'notebook');
  });

  it('saves a grant made offline and sends it on reconnect; bad input is refused with a reason', async () => {
    const server = await startTestServer();
    const annToken = server.createToken('ann');
    server.createToken('cleo');
    const proxy = await FaultProxy.start(server.url);
    const ann = await signIn(await openDevice(113), proxy.url, annToken);
    const { invited } = await call(ann.core, 'sharing.invite', {
      accountId: ann.accountId,
      notebookId: ann.notebookId,
      usernames: 'cleo',
      role: 'guest',
    });
    const cleoId = invited[0]!.userId;
    const section = await createNode(ann, 'section', null, 'Drafts');
    await waitUpToDate(ann.core, ann.accountId);

    proxy.cut();
    await waitFor(
      'offline',
      async () => (await syncStatus(ann.core, ann.accountId)).connection === 'offline',
    );
    const offline = await call(ann.core, 'sharing.setRole', {
      accountId: ann.accountId,
      nodeId: section.id,
      userId: cleoId,
      role: 'editor',
    });
    assert.equal(offline.pending, true, 'the grant waits in the outbox');
    assert.equal(offline.people.find((p) => p.userId === cleoId)?.role, 'editor', 'shown at once');
    assert.match(
      await failure(ann.core, 'sharing.invite', {
        accountId: ann.accountId,
        notebookId: ann.notebookId,
        usernames: 'dan',
        role: 'guest',
      }),
      /^unavailable: The server cannot be reached, so nothing was changed/,
    );
    proxy.restore();
    await waitUpToDate(ann.core, ann.accountId);
    const listed = (await (
      await fetch(
        `${server.url}/api/v1/notes/notebooks/${ann.notebookId}/nodes/${section.id}/collaborators`,
        {
          headers: { authorization: `Bearer ${annToken}` },
        },
      )
    ).json()) as { collaborators: { userId: string; role: string }[] };
    assert.deepEqual(
      listed.collaborators.find((c) => c.userId === cleoId)?.role,
      'editor',
      'the server has the grant made offline',
    );

    // Bad input: unknown role, a non-member, an empty username; and the Local account shares nothing.
    assert.match(
      await failure(ann.core, 'sharing.setRole', {
        accountId: ann.accountId,
        nodeId: section.id,
        userId: cleoId,
        role: 'boss',
      }),
      /^bad_request/,
    );
    assert.match(
      await failure(ann.core, 'sharing.setRole', {
        accountId: ann.accountId,
        nodeId: section.id,
        userId: 'u_nobody',
        role: 'viewer',
      }),
      /^bad_request: Only members of the notebook can be given access/,
    );
    assert.match(
      await failure(ann.core, 'sharing.invite', {
        accountId: ann.accountId,
        notebookId: ann.notebookId,
        usernames: ' , ',
        role: 'guest',
      }),
      /^bad_request/,
    );
    assert.match(
      await failure(ann.core, 'sharing.invite', {
        accountId: ann.accountId,
        notebookId: ann.notebookId,
        usernames: 'dan, b@d',
        role: 'guest',
      }),
      /^bad_request: .*not a username: b@d/,
    );
    assert.match(
      await failure(ann.core, 'sharing.invite', {
        accountId: ann.accountId,
        notebookId: ann.notebookId,
        usernames: 'dan',
        role: 'owner',
      }),
      /^bad_request/,
    );
    const local = await createLocalPage(ann.core, 'Mine');
    const localAccess = await call(ann.core, 'sharing.access', {
      accountId: LOCAL_ACCOUNT_ID,
      notebookId: local.notebook.id,
    });
    assert.equal(localAccess.shareable, false);
    assert.deepEqual(localAccess.nodes[local.page.id]?.can, [
      'edit',
      'update',
      'delete',
      'createChild',
      'comment',
      'moderateComments',
      'versions',
    ]);
    assert.match(
      await failure(ann.core, 'sharing.setRole', {
        accountId: LOCAL_ACCOUNT_ID,
        nodeId: local.page.id,
        userId: cleoId,
        role: 'viewer',
      }),
      /^bad_request: Pages on this device are not shared/,
    );
  });
});
