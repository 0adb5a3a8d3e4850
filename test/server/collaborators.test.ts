import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Collaborator, CollaboratorList } from '../../src/shared/api/collaborators';
import { envelope, useServer } from './helpers';

describe('collaborators', () => {
  const { client } = useServer();

  async function setup() {
    const owner = client();
    const guest = client();
    const { notebookId } = await owner.me();
    const guestId = (await guest.me()).userId;
    await owner.post(`/notebooks/${notebookId}/users`, {
      users: [{ username: guest.username, role: 'guest' }],
    });
    const section = await owner.createNode(notebookId, 'section', null);
    const page = await owner.createNode(notebookId, 'page', section.id);
    return {
      owner,
      guest,
      guestId,
      notebookId,
      section,
      page,
      base: `/notebooks/${notebookId}/nodes/${page.id}/collaborators`,
    };
  }

  it('adds, lists, updates and removes a collaborator, granting and revoking access', async () => {
    const { owner, guest, guestId, notebookId, page, base } = await setup();
    assert.equal((await guest.get(`/notebooks/${notebookId}/nodes/${page.id}`)).status, 403);
    const added = await owner.post(base, { collaboratorId: guestId, role: 'editor' });
    assert.equal(added.status, 201);
    const collaborator = Collaborator.parse(added.body);
    assert.equal(collaborator.role, 'editor');
    assert.ok(collaborator.createdAt);
    assert.equal(collaborator.updatedAt, null);
    assert.equal((await guest.get(`/notebooks/${notebookId}/nodes/${page.id}`)).status, 200);
    const renamed = await guest.patch(`/notebooks/${notebookId}/nodes/${page.id}`, {
      attributes: { name: 'edited' },
    });
    assert.equal(renamed.status, 200, 'an editor edits');

    const list = CollaboratorList.parse((await owner.get(base)).body);
    assert.deepEqual(
      list.collaborators.map((c) => [c.userId, c.role, c.username]),
      [[guestId, 'editor', guest.username]],
    );
    const updated = Collaborator.parse((await owner.patch(`${base}/${guestId}`, { role: 'viewer' })).body);
    assert.equal(updated.role, 'viewer');
    assert.ok(updated.updatedAt);
    assert.equal(
      (await guest.patch(`/notebooks/${notebookId}/nodes/${page.id}`, { attributes: { name: 'x' } })).status,
      403,
      'a viewer cannot edit',
    );
    assert.deepEqual((await owner.delete(`${base}/${guestId}`)).body, { success: true });
    assert.equal((await guest.get(`/notebooks/${notebookId}/nodes/${page.id}`)).status, 403);
    assert.equal((await owner.delete(`${base}/${guestId}`)).status, 404);
  });

  it('validates roles, users and node types, and requires node admin', async () => {
    const { owner, guest, guestId, notebookId, page, base } = await setup();
    const badRole = await owner.post(base, { collaboratorId: guestId, role: 'owner' });
    assert.equal(badRole.status, 400);
    assert.match(envelope(badRole.body).details[0]?.message ?? '', /admin, editor, collaborator, viewer/);
    const unknownUser = await owner.post(base, { userId: 'usr_nobody', role: 'viewer' });
    assert.equal(unknownUser.status, 404);
    assert.equal(envelope(unknownUser.body).code, 'user_not_found');
    const channelParent = await owner.createNode(notebookId, 'section', null);
    const channel = await owner.createNode(notebookId, 'channel', channelParent.id);
    const onChannel = await owner.post(`/notebooks/${notebookId}/nodes/${channel.id}/collaborators`, {
      collaboratorId: guestId,
      role: 'viewer',
    });
    assert.equal(onChannel.status, 400);
    assert.equal(envelope(onChannel.body).message, 'Node type does not support collaborators.');
    await owner.post(base, { collaboratorId: guestId, role: 'editor' });
    const byEditor = await guest.post(base, { collaboratorId: guestId, role: 'admin' });
    assert.equal(byEditor.status, 403, 'an editor cannot manage collaborators');
    assert.equal(envelope(byEditor.body).code, 'forbidden');
    assert.equal((await guest.get(`/notebooks/${notebookId}/nodes/${page.id}`)).status, 200);
  });
});
