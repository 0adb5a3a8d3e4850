import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DocumentOutput } from '../../src/shared/api/documents';
import { envelope, useServer } from './helpers';

interface Version {
  id: string;
  documentId: string;
  revision: number;
  createdAt: string;
  createdBy: string;
  content?: { type: 'doc'; content: { content?: { text?: string }[] }[] };
}
const texts = (doc: { content: unknown[] }): string[] =>
  (doc.content as { content?: { text?: string }[] }[]).map((b) =>
    (b.content ?? []).map((c) => c.text ?? '').join(''),
  );

describe('document versions', () => {
  const { client } = useServer();

  async function setup() {
    const alice = client();
    const { notebookId, userId } = await alice.me();
    const section = await alice.createNode(notebookId, 'section', null);
    const page = await alice.createNode(notebookId, 'page', section.id);
    const doc = `/notebooks/${notebookId}/nodes/${page.id}/document`;
    return {
      alice,
      notebookId,
      userId,
      page,
      doc,
      base: `/notebooks/${notebookId}/nodes/${page.id}/versions`,
    };
  }

  it('snapshots, lists (revision descending), gets, restores and deletes versions', async () => {
    const { alice, userId, page, doc, base } = await setup();
    const none = await alice.post(base);
    assert.equal(none.status, 404, 'no document yet');
    assert.equal(envelope(none.body).code, 'NOT_FOUND');
    await alice.put(doc, { content: { type: 'doc', content: [{ type: 'paragraph', text: 'v1' }] } });
    const first = await alice.post<Version>(base);
    assert.equal(first.status, 201);
    assert.deepEqual(
      { documentId: first.body.documentId, revision: first.body.revision, createdBy: first.body.createdBy },
      { documentId: page.id, revision: 1, createdBy: userId },
    );
    await alice.put(doc, { content: { type: 'doc', content: [{ type: 'paragraph', text: 'v2' }] } });
    const second = await alice.post<Version>(base);
    assert.equal(second.body.revision, 2);

    const list = await alice.get<{ versions: Version[]; total: number }>(`${base}?limit=1`);
    assert.equal(list.body.total, 2);
    assert.deepEqual(
      list.body.versions.map((v) => v.revision),
      [2],
    );
    const got = await alice.get<Version>(`${base}/${first.body.id}`);
    assert.deepEqual(texts(got.body.content ?? { content: [] }), ['v1']);

    const restored = await alice.post(`${base}/${first.body.id}/restore`);
    assert.deepEqual(restored.body, { success: true });
    const current = DocumentOutput.parse((await alice.get(doc)).body);
    assert.deepEqual(texts(current.content), ['v1']);
    const afterRestore = await alice.get<{ versions: Version[]; total: number }>(base);
    assert.equal(afterRestore.body.total, 3, 'a restore is recorded as a new version');
    assert.equal(afterRestore.body.versions[0]?.revision, 3);

    assert.deepEqual((await alice.delete(`${base}/${second.body.id}`)).body, { success: true });
    const gone = await alice.get(`${base}/${second.body.id}`);
    assert.equal(gone.status, 404);
    assert.equal(envelope(gone.body).code, 'NOT_FOUND');
  });

  it('refuses other notebooks and read-only collaborators', async () => {
    const { alice, notebookId, doc, base } = await setup();
    await alice.put(doc, { content: { type: 'doc', content: [{ type: 'paragraph', text: 'x' }] } });
    const version = await alice.post<Version>(base);
    const stranger = client();
    const denied = await stranger.get(base);
    assert.equal(denied.status, 403);
    assert.equal(envelope(denied.body).code, 'FORBIDDEN');
    const viewer = client();
    const viewerId = (await viewer.me()).userId;
    await alice.post(`/notebooks/${notebookId}/users`, {
      users: [{ username: viewer.username, role: 'guest' }],
    });
    const pageId = base.split('/')[4] ?? '';
    await alice.post(`/notebooks/${notebookId}/nodes/${pageId}/collaborators`, {
      collaboratorId: viewerId,
      role: 'viewer',
    });
    assert.equal((await viewer.get(base)).status, 200, 'viewers read versions');
    assert.equal((await viewer.post(base)).status, 403);
    assert.equal((await viewer.post(`${base}/${version.body.id}/restore`)).status, 403);
    assert.equal((await viewer.delete(`${base}/${version.body.id}`)).status, 403);
    assert.equal((await alice.get(`${base}?limit=0`)).status, 400);
  });
});
