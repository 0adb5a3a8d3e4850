import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Notebook,
  NotebookList,
  NotebookUser,
  InviteUsersResponse,
  Identity,
} from '../../src/shared/api/notebooks';
import { envelope, useServer } from './helpers';

describe('identity and notebooks', () => {
  const { client, server } = useServer();

  it('/me provisions the user and one default notebook, stable across calls', async () => {
    const dave = client('dave');
    const first = await dave.get('/me');
    assert.equal(first.status, 200);
    const identity = Identity.parse(first.body);
    assert.equal(identity.username, 'dave');
    assert.equal(identity.role, 'owner');
    assert.deepEqual(Identity.parse((await dave.get('/me')).body), identity);
    const list = NotebookList.parse((await dave.get('/notebooks')).body);
    assert.deepEqual(
      list.notebooks.map((n) => n.id),
      [identity.notebookId],
    );
  });

  it('creates (201), reads, updates and lists notebooks with the documented shape', async () => {
    const erin = client();
    const created = await erin.post('/notebooks', {
      name: 'Research Notes',
      description: 'Q4',
      avatar: null,
    });
    assert.equal(created.status, 201);
    const notebook = Notebook.parse(created.body);
    assert.equal(notebook.name, 'Research Notes');
    assert.equal(notebook.status, 1);
    assert.equal(typeof notebook.maxFileSize, 'string');
    assert.equal(notebook.user.role, 'owner');
    const fetched = await erin.get(`/notebooks/${notebook.id}`);
    assert.deepEqual(Notebook.parse(fetched.body), notebook);
    const updated = await erin.patch(`/notebooks/${notebook.id}`, { name: 'Research Notes (2024)' });
    assert.equal(updated.status, 200);
    assert.equal(Notebook.parse(updated.body).name, 'Research Notes (2024)');
    assert.equal(Notebook.parse(updated.body).description, 'Q4', 'omitted fields keep their value');
    const list = NotebookList.parse((await erin.get('/notebooks')).body);
    assert.ok(list.notebooks.some((n) => n.id === notebook.id && n.name === 'Research Notes (2024)'));
  });

  it('POST /notebooks with an Idempotency-Key answers the first notebook again instead of a second', async () => {
    const gail = client();
    const body = { name: 'Moved here', description: '' };
    const first = await gail.post('/notebooks', body, { 'idempotency-key': 'move-1' });
    const again = await gail.post('/notebooks', body, { 'idempotency-key': 'move-1' });
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.deepEqual(Notebook.parse(again.body), Notebook.parse(first.body));
    const conflict = await gail.post('/notebooks', { name: 'Other' }, { 'idempotency-key': 'move-1' });
    assert.equal(conflict.status, 400);
    const list = NotebookList.parse((await gail.get('/notebooks')).body);
    assert.equal(list.notebooks.filter((n) => n.name === 'Moved here').length, 1);
    assert.ok(!list.notebooks.some((n) => n.name === 'Other'));
  });

  it('requires a name (notebook_name_required) and validates bodies', async () => {
    const frank = client();
    for (const body of [{}, { name: '   ' }]) {
      const response = await frank.post('/notebooks', body);
      assert.equal(response.status, 400);
      assert.equal(envelope(response.body).code, 'notebook_name_required');
    }
    const wrongType = await frank.post('/notebooks', { name: 42 });
    assert.equal(wrongType.status, 400);
    assert.equal(envelope(wrongType.body).code, 'bad_request');
    assert.equal(envelope(wrongType.body).details[0]?.path, 'body.name');
    const badJson = await frank.request('POST', '/notebooks', '{"name":');
    assert.equal(badJson.status, 400);
    assert.equal(envelope(badJson.body).code, 'bad_request');
    const proto = await frank.request('POST', '/notebooks', '{"name":"x","__proto__":{"polluted":true}}');
    assert.equal(proto.status, 400);
    const wrongMedia = await frank.request('POST', '/notebooks', 'name=x', { 'content-type': 'text/plain' });
    assert.equal(wrongMedia.status, 415);
    assert.equal(envelope(wrongMedia.body).code, 'unsupported_media_type');
  });

  it('answers notebook_not_found and notebook_no_access for unknown and foreign notebooks', async () => {
    const owner = client();
    const stranger = client();
    const { notebookId } = await owner.me();
    const missing = await stranger.get('/notebooks/nb_doesnotexist');
    assert.equal(missing.status, 404);
    assert.equal(envelope(missing.body).code, 'notebook_not_found');
    for (const response of [
      await stranger.get(`/notebooks/${notebookId}`),
      await stranger.patch(`/notebooks/${notebookId}`, { name: 'mine now' }),
      await stranger.delete(`/notebooks/${notebookId}`),
    ]) {
      assert.equal(response.status, 403);
      assert.equal(envelope(response.body).code, 'notebook_no_access');
    }
  });

  it('invites users (per-user errors, ≤50), changes roles, and enforces owner/admin rules', async () => {
    const owner = client();
    const { notebookId } = await owner.me();
    const grace = client('grace');
    const linus = client('linus');
    await grace.me();
    const invited = await owner.post(`/notebooks/${notebookId}/users`, {
      users: [
        { username: 'grace', role: 'collaborator' },
        { username: 'linus', role: 'guest' },
      ],
    });
    assert.equal(invited.status, 200);
    const result = InviteUsersResponse.parse(invited.body);
    assert.deepEqual(
      result.users.map((u) => [u.username, u.role]),
      [
        ['grace', 'collaborator'],
        ['linus', 'guest'],
      ],
    );
    const again = InviteUsersResponse.parse(
      (await owner.post(`/notebooks/${notebookId}/users`, { usernames: ['grace'] })).body,
    );
    assert.deepEqual(again.users, []);
    assert.deepEqual(again.errors, [{ username: 'grace', error: 'Username already exists in notebook' }]);

    const graceView = await grace.get(`/notebooks/${notebookId}`);
    assert.equal(Notebook.parse(graceView.body).user.role, 'collaborator');

    const empty = await owner.post(`/notebooks/${notebookId}/users`, { users: [] });
    assert.equal(empty.status, 400);
    assert.equal(envelope(empty.body).code, 'user_input_required');
    const tooMany = await owner.post(`/notebooks/${notebookId}/users`, {
      usernames: Array.from({ length: 51 }, (_, i) => `bulk${i}`),
    });
    assert.equal(tooMany.status, 400);
    const badRole = await owner.post(`/notebooks/${notebookId}/users`, {
      users: [{ username: 'x1', role: 'editor' }],
    });
    assert.equal(badRole.status, 400);
    assert.match(envelope(badRole.body).details[0]?.message ?? '', /owner, admin, collaborator, guest, none/);

    const denied = await grace.post(`/notebooks/${notebookId}/users`, { usernames: ['mallory'] });
    assert.equal(denied.status, 403);
    assert.equal(envelope(denied.body).code, 'user_invite_no_access');
    const deniedRole = await grace.patch(`/notebooks/${notebookId}/users/${result.users[1]?.id}/role`, {
      role: 'admin',
    });
    assert.equal(deniedRole.status, 403);
    assert.equal(envelope(deniedRole.body).code, 'user_update_no_access');

    const graceId = result.users[0]?.id ?? '';
    const promoted = await owner.patch(`/notebooks/${notebookId}/users/${graceId}/role`, { role: 'admin' });
    assert.equal(promoted.status, 200);
    const user = NotebookUser.parse(promoted.body);
    assert.equal(user.role, 'admin');
    assert.ok(Number(user.revision) > Number(result.users[0]?.revision));
    const updateByAdmin = await grace.patch(`/notebooks/${notebookId}`, { name: 'renamed by admin' });
    assert.equal(updateByAdmin.status, 200);
    const deleteByAdmin = await grace.delete(`/notebooks/${notebookId}`);
    assert.equal(deleteByAdmin.status, 403);
    assert.equal(envelope(deleteByAdmin.body).code, 'notebook_delete_not_allowed');
    const adminMakesOwner = await grace.patch(`/notebooks/${notebookId}/users/${graceId}/role`, {
      role: 'owner',
    });
    assert.equal(adminMakesOwner.status, 403);

    const missingUser = await owner.patch(`/notebooks/${notebookId}/users/usr_missing/role`, {
      role: 'guest',
    });
    assert.equal(missingUser.status, 404);
    assert.equal(envelope(missingUser.body).code, 'user_not_found');

    // A member may leave (their own role to none) but not change it otherwise; the last owner cannot leave.
    const linusId = result.users[1]?.id ?? '';
    const linusUp = await linus.patch(`/notebooks/${notebookId}/users/${linusId}/role`, { role: 'admin' });
    assert.equal(linusUp.status, 403);
    assert.equal(envelope(linusUp.body).code, 'user_update_no_access');
    const ownerId = (await owner.me()).userId;
    const lastOwner = await owner.patch(`/notebooks/${notebookId}/users/${ownerId}/role`, { role: 'none' });
    assert.equal(lastOwner.status, 400);
    assert.match(envelope(lastOwner.body).message, /at least one owner/);
    const left = await linus.patch(`/notebooks/${notebookId}/users/${linusId}/role`, { role: 'none' });
    assert.equal(left.status, 200);
    assert.equal(NotebookUser.parse(left.body).role, 'none');
    assert.equal((await linus.get(`/notebooks/${notebookId}`)).status, 403);
    const leaveAgain = await linus.patch(`/notebooks/${notebookId}/users/${linusId}/role`, { role: 'none' });
    assert.equal(leaveAgain.status, 403, 'no longer a member');

    const removed = await owner.patch(`/notebooks/${notebookId}/users/${graceId}/role`, { role: 'none' });
    assert.equal(NotebookUser.parse(removed.body).status, 2);
    assert.equal((await grace.get(`/notebooks/${notebookId}`)).status, 403);
    assert.ok(
      !NotebookList.parse((await grace.get('/notebooks')).body).notebooks.some((n) => n.id === notebookId),
    );
    await linus.me();
  });

  it('lets only the owner delete a notebook, and then it is gone', async () => {
    const owner = client();
    const notebook = Notebook.parse((await owner.post('/notebooks', { name: 'Doomed' })).body);
    const deleted = await owner.delete(`/notebooks/${notebook.id}`);
    assert.equal(deleted.status, 200);
    assert.equal(Notebook.parse(deleted.body).id, notebook.id);
    const after = await owner.get(`/notebooks/${notebook.id}`);
    assert.equal(after.status, 404);
    assert.equal(envelope(after.body).code, 'notebook_not_found');
  });

  it('read-only notebooks serve reads and refuse writes; inactive ones disappear', async () => {
    const owner = client();
    const { notebookId } = await owner.me();
    const section = await owner.createNode(notebookId, 'section', null);
    server().setNotebookStatus(notebookId, 3);
    assert.equal(Notebook.parse((await owner.get(`/notebooks/${notebookId}`)).body).status, 3);
    assert.equal((await owner.get(`/notebooks/${notebookId}/nodes/${section.id}`)).status, 200);
    for (const response of [
      await owner.patch(`/notebooks/${notebookId}`, { name: 'x' }),
      await owner.post(`/notebooks/${notebookId}/nodes`, {
        type: 'page',
        parentId: section.id,
        attributes: { name: 'x' },
      }),
      await owner.post(`/notebooks/${notebookId}/nodes`, { type: 'section', attributes: { name: 'x' } }),
      await owner.patch(`/notebooks/${notebookId}/nodes/${section.id}`, { attributes: { name: 'x' } }),
      await owner.post(`/notebooks/${notebookId}/users`, { usernames: ['someone'] }),
    ]) {
      assert.equal(response.status, 403);
      assert.equal(envelope(response.body).code, 'notebook_readonly');
    }
    server().setNotebookStatus(notebookId, 2);
    assert.equal((await owner.get(`/notebooks/${notebookId}`)).status, 403);
    assert.ok(
      !NotebookList.parse((await owner.get('/notebooks')).body).notebooks.some((n) => n.id === notebookId),
    );
  });
});
