import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeAttributes } from '../../src/shared/model/nodes';
import { NodeList, NodeOutput } from '../../src/shared/api/nodes';
import { createNodeState } from '../../src/shared/crdt/node-doc';
import { toBase64 } from '../../src/shared/lib/base64';
import { envelope, useServer } from './helpers';

describe('nodes', () => {
  const { client } = useServer();

  it('creates a section and a page with the documented shape (201) and reads them back', async () => {
    const alice = client();
    const { notebookId } = await alice.me();
    const section = await alice.createNode(notebookId, 'section', null, { name: 'Engineering' });
    assert.equal(section.rootId, section.id);
    const created = await alice.post(`/notebooks/${notebookId}/nodes`, {
      type: 'page',
      parentId: section.id,
      attributes: { name: 'Onboarding', icon: '🚀', alias: 'onboarding' },
    });
    assert.equal(created.status, 201);
    const page = NodeOutput.parse(created.body);
    assert.equal(page.name, 'Onboarding');
    assert.equal(page.icon, '🚀');
    assert.equal(page.parentId, section.id);
    assert.equal(page.rootId, section.id);
    assert.equal(page.attributes.type, 'page');
    assert.equal(typeof page.attributes.index, 'string');
    const fetched = await alice.get(`/notebooks/${notebookId}/nodes/${page.id}`);
    assert.deepEqual(NodeOutput.parse(fetched.body), page);
    const byAlias = await alice.get(`/notebooks/${notebookId}/nodes/alias/onboarding`);
    assert.equal(byAlias.status, 200);
    assert.equal(NodeOutput.parse(byAlias.body).id, page.id);
    // The alias is a page attribute of the shared model, so replicas keep it too.
    assert.equal(page.attributes.alias, 'onboarding');
    const parsed = NodeAttributes.parse({
      type: 'page',
      parentId: 'x',
      index: 'a0',
      name: 'p',
      alias: 'q4-plan',
    });
    assert.equal(parsed.type === 'page' && parsed.alias, 'q4-plan');
  });

  it('lists with type/parentId/rootId filters and limit/offset, in sibling order', async () => {
    const alice = client();
    const { notebookId } = await alice.me();
    const section = await alice.createNode(notebookId, 'section', null);
    const pages = [];
    for (let i = 0; i < 5; i++)
      pages.push(await alice.createNode(notebookId, 'page', section.id, { name: `p${i}` }));
    const nested = await alice.createNode(notebookId, 'page', pages[0]?.id ?? '', { name: 'nested' });

    const all = NodeList.parse((await alice.get(`/notebooks/${notebookId}/nodes?rootId=${section.id}`)).body);
    assert.equal(all.total, 7);
    const pageList = NodeList.parse(
      (await alice.get(`/notebooks/${notebookId}/nodes?type=page&limit=2&offset=1`)).body,
    );
    assert.equal(pageList.total, 6);
    assert.equal(pageList.nodes.length, 2);
    const children = NodeList.parse(
      (await alice.get(`/notebooks/${notebookId}/nodes/${section.id}/children?limit=10`)).body,
    );
    assert.deepEqual(
      children.nodes.map((n) => n.name),
      ['p0', 'p1', 'p2', 'p3', 'p4'],
    );
    const byParent = NodeList.parse(
      (await alice.get(`/notebooks/${notebookId}/nodes?parentId=${pages[0]?.id}`)).body,
    );
    assert.deepEqual(
      byParent.nodes.map((n) => n.id),
      [nested.id],
    );
    for (const query of ['limit=0', 'limit=abc', 'offset=-1', 'type=folder']) {
      const response = await alice.get(`/notebooks/${notebookId}/nodes?${query}`);
      assert.equal(response.status, 400, query);
      assert.equal(envelope(response.body).code, 'bad_request');
    }
  });

  it('rejects bad node input with bad_request and details', async () => {
    const alice = client();
    const { notebookId } = await alice.me();
    const section = await alice.createNode(notebookId, 'section', null);
    const folder = await alice.post(`/notebooks/${notebookId}/nodes`, {
      type: 'folder',
      attributes: { name: 'x' },
    });
    assert.equal(folder.status, 400);
    assert.equal(envelope(folder.body).details[0]?.message, "Unsupported type 'folder'");
    const cases: [unknown, string][] = [
      [{ type: 'page', parentId: null, attributes: { name: 'orphan' } }, 'parentId'],
      [{ type: 'record', parentId: section.id, attributes: { name: 'x' } }, 'parentId'],
      [{ type: 'page', parentId: 'nd_missing', attributes: { name: 'x' } }, 'parentId'],
      [{ type: 'page', parentId: section.id, attributes: { name: 7 } }, 'attributes.name'],
      [{ type: 'page', parentId: section.id }, 'body.attributes'],
      [
        { type: 'page', parentId: section.id, attributes: { name: 'x', alias: 'Bad Alias' } },
        'attributes.alias',
      ],
      [
        { type: 'database', parentId: section.id, attributes: { name: 'x', alias: 'db' } },
        'attributes.alias',
      ],
    ];
    for (const [body, path] of cases) {
      const response = await alice.post(`/notebooks/${notebookId}/nodes`, body);
      assert.equal(response.status, 400, JSON.stringify(body));
      const error = envelope(response.body);
      assert.equal(error.code, 'bad_request');
      assert.ok(
        error.details.some((d) => d.path.startsWith(path)),
        `${JSON.stringify(error.details)} mentions ${path}`,
      );
    }
    const badAlias = await alice.get(`/notebooks/${notebookId}/nodes/alias/Not_Valid`);
    assert.equal(badAlias.status, 400);
    const noAlias = await alice.get(`/notebooks/${notebookId}/nodes/alias/nothing-here`);
    assert.equal(noAlias.status, 404);
    assert.equal(envelope(noAlias.body).code, 'not_found');
    const missing = await alice.get(`/notebooks/${notebookId}/nodes/nd_missing`);
    assert.equal(missing.status, 404);
    assert.equal(envelope(missing.body).code, 'not_found');
  });

  it('merges attribute updates; type and parentId are immutable', async () => {
    const alice = client();
    const { notebookId } = await alice.me();
    const section = await alice.createNode(notebookId, 'section', null);
    const other = await alice.createNode(notebookId, 'section', null);
    const page = await alice.createNode(notebookId, 'page', section.id, { name: 'Onboarding', icon: '🚀' });
    const updated = await alice.patch(`/notebooks/${notebookId}/nodes/${page.id}`, {
      attributes: { name: 'Onboarding Guide' },
    });
    assert.equal(updated.status, 200);
    const node = NodeOutput.parse(updated.body);
    assert.equal(node.name, 'Onboarding Guide');
    assert.equal(node.icon, '🚀', 'unmentioned attributes are kept');
    assert.ok(Number(node.revision) > Number(page.revision));
    for (const attributes of [{ type: 'section' }, { parentId: other.id }, { name: 5 }]) {
      const response = await alice.patch(`/notebooks/${notebookId}/nodes/${page.id}`, { attributes });
      assert.equal(response.status, 400, JSON.stringify(attributes));
    }
    const unchanged = NodeOutput.parse((await alice.get(`/notebooks/${notebookId}/nodes/${page.id}`)).body);
    assert.equal(unchanged.revision, node.revision, 'refused updates change nothing');
  });

  it('refuses an empty name over REST with the reference envelope; the app may still sync an Untitled page', async () => {
    const alice = client();
    const { notebookId } = await alice.me();
    const section = await alice.createNode(notebookId, 'section', null);
    const page = await alice.createNode(notebookId, 'page', section.id, { name: 'Kept' });
    const url = `/notebooks/${notebookId}/nodes/${page.id}`;
    for (const name of ['', '   ', '\t\n']) {
      const response = await alice.patch(url, { attributes: { name } });
      assert.equal(response.status, 400, JSON.stringify(name));
      assert.deepEqual(response.body, {
        message: 'Invalid attributes payload.',
        code: 'bad_request',
        details: [{ path: 'attributes', message: 'name must be a non-empty string' }],
      });
    }
    const created = await alice.post(`/notebooks/${notebookId}/nodes`, {
      type: 'page',
      parentId: section.id,
      attributes: { name: ' ' },
    });
    assert.equal(created.status, 400);
    assert.equal(envelope(created.body).details[0]?.message, 'name must be a non-empty string');
    const after = NodeOutput.parse((await alice.get(url)).body);
    assert.equal(after.name, 'Kept');
    assert.equal(after.revision, page.revision, 'nothing was written');
    assert.equal((await alice.patch(url, { attributes: { name: null } })).status, 400);
    assert.equal((await alice.patch(url, { attributes: { icon: '📘' } })).status, 200, 'no name, no check');
    // A page made in the app starts with an empty name (shown as Untitled) and reaches the server as a Yjs
    // update: that stays valid.
    const untitled = createNodeState({ type: 'page', parentId: section.id, index: 'a5', name: '' });
    const synced = await alice.post<{ results: { status: number }[] }>(`/notebooks/${notebookId}/mutations`, {
      mutations: [
        {
          id: 'mu_untitled1',
          createdAt: new Date().toISOString(),
          type: 'node.create',
          data: {
            nodeId: 'nd_untitled1',
            updateId: 'up_untitled1',
            createdAt: new Date().toISOString(),
            data: toBase64(untitled.update),
          },
        },
      ],
    });
    assert.deepEqual(
      synced.body.results.map((r) => r.status),
      [201],
    );
  });

  it('deletes a node with its subtree, and other notebooks never see or touch it', async () => {
    const alice = client();
    const mallory = client();
    const { notebookId } = await alice.me();
    const malloryNotebook = (await mallory.me()).notebookId;
    const section = await alice.createNode(notebookId, 'section', null);
    const page = await alice.createNode(notebookId, 'page', section.id);
    const child = await alice.createNode(notebookId, 'page', page.id);
    await alice.put(`/notebooks/${notebookId}/nodes/${child.id}/document`, {
      content: { type: 'doc', content: [] },
    });

    assert.equal((await mallory.get(`/notebooks/${notebookId}/nodes/${page.id}`)).status, 403);
    const viaOwnNotebook = await mallory.get(`/notebooks/${malloryNotebook}/nodes/${page.id}`);
    assert.equal(viaOwnNotebook.status, 404, 'a foreign node id is unknown inside your own notebook');
    assert.equal((await mallory.delete(`/notebooks/${malloryNotebook}/nodes/${page.id}`)).status, 404);

    const deleted = await alice.delete(`/notebooks/${notebookId}/nodes/${page.id}`);
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body, { success: true });
    assert.equal((await alice.get(`/notebooks/${notebookId}/nodes/${page.id}`)).status, 404);
    assert.equal((await alice.get(`/notebooks/${notebookId}/nodes/${child.id}`)).status, 404);
    assert.equal((await alice.get(`/notebooks/${notebookId}/nodes/${child.id}/document`)).status, 404);
    assert.equal((await alice.delete(`/notebooks/${notebookId}/nodes/${page.id}`)).status, 404);
    const recreate = await alice.post(`/notebooks/${notebookId}/nodes`, {
      id: page.id,
      type: 'page',
      parentId: section.id,
      attributes: { name: 'again' },
    });
    assert.equal(recreate.status, 409, 'deleted ids are never reused');
  });

  it('applies node roles: guests see only granted sections, viewers cannot edit', async () => {
    const owner = client();
    const guest = client();
    const { notebookId } = await owner.me();
    const guestIdentity = await guest.me();
    await owner.post(`/notebooks/${notebookId}/users`, {
      users: [{ username: guest.username, role: 'guest' }],
    });
    const secret = await owner.createNode(notebookId, 'section', null, { name: 'Secret' });
    const shared = await owner.createNode(notebookId, 'section', null, {
      name: 'Shared',
      collaborators: { [guestIdentity.userId]: 'viewer' },
    });
    const page = await owner.createNode(notebookId, 'page', shared.id);
    const list = NodeList.parse((await guest.get(`/notebooks/${notebookId}/nodes`)).body);
    assert.deepEqual(list.nodes.map((n) => n.id).sort(), [shared.id, page.id].sort());
    assert.equal((await guest.get(`/notebooks/${notebookId}/nodes/${secret.id}`)).status, 403);
    assert.equal((await guest.get(`/notebooks/${notebookId}/nodes/${page.id}`)).status, 200);
    const edit = await guest.patch(`/notebooks/${notebookId}/nodes/${page.id}`, {
      attributes: { name: 'mine' },
    });
    assert.equal(edit.status, 403);
    assert.equal(envelope(edit.body).code, 'forbidden');
    const create = await guest.post(`/notebooks/${notebookId}/nodes`, {
      type: 'page',
      parentId: shared.id,
      attributes: { name: 'x' },
    });
    assert.equal(create.status, 403);
  });

  it('honours Idempotency-Key on create', async () => {
    const alice = client();
    const { notebookId } = await alice.me();
    const section = await alice.createNode(notebookId, 'section', null);
    const body = { type: 'page', parentId: section.id, attributes: { name: 'once' } };
    const first = await alice.post(`/notebooks/${notebookId}/nodes`, body, { 'idempotency-key': 'k1' });
    const second = await alice.post(`/notebooks/${notebookId}/nodes`, body, { 'idempotency-key': 'k1' });
    assert.equal(first.status, 201);
    assert.deepEqual(second.body, first.body);
    const children = NodeList.parse(
      (await alice.get(`/notebooks/${notebookId}/nodes/${section.id}/children`)).body,
    );
    assert.equal(children.total, 1);
    const conflict = await alice.post(
      `/notebooks/${notebookId}/nodes`,
      { ...body, attributes: { name: 'different' } },
      { 'idempotency-key': 'k1' },
    );
    assert.equal(conflict.status, 400);
    assert.equal(envelope(conflict.body).message, 'Idempotency key conflict.');
  });
});
