import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { envelope, useServer } from './helpers';

interface Reactions {
  reactions: {
    reaction: string;
    collaboratorId: string;
    createdAt: string;
    name: string;
    username: string;
  }[];
}
interface Interaction {
  nodeId: string;
  collaboratorId: string;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  firstOpenedAt: string | null;
  lastOpenedAt: string | null;
}

describe('reactions and interactions', () => {
  const { client } = useServer();

  async function setup() {
    const alice = client();
    const { notebookId, userId } = await alice.me();
    const section = await alice.createNode(notebookId, 'section', null);
    const page = await alice.createNode(notebookId, 'page', section.id);
    return { alice, notebookId, userId, base: `/notebooks/${notebookId}/nodes/${page.id}` };
  }

  it('adds, lists and removes reactions (both body spellings), idempotently', async () => {
    const { alice, userId, base } = await setup();
    const added = await alice.post(`${base}/reactions`, { reaction: '🎉' });
    assert.equal(added.status, 201);
    assert.equal(added.body.reaction, '🎉');
    assert.equal(added.body.collaboratorId, userId);
    assert.equal((await alice.post(`${base}/reactions`, { emoji: '🚀' })).status, 201);
    assert.equal(
      (await alice.post(`${base}/reactions`, { reaction: '🎉' })).status,
      201,
      'adding twice is fine',
    );
    const listed = await alice.get<Reactions>(`${base}/reactions`);
    assert.deepEqual(
      listed.body.reactions.map((r) => [r.reaction, r.username]),
      [
        ['🎉', alice.username],
        ['🚀', alice.username],
      ],
    );
    const removed = await alice.delete(`${base}/reactions/${encodeURIComponent('🎉')}`);
    assert.deepEqual(removed.body, { success: true });
    assert.deepEqual(
      (await alice.get<Reactions>(`${base}/reactions`)).body.reactions.map((r) => r.reaction),
      ['🚀'],
    );
    for (const body of [{ reaction: '' }, { reaction: 'x'.repeat(65) }, {}]) {
      const response = await alice.post(`${base}/reactions`, body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(envelope(response.body).code, 'bad_request');
    }
  });

  it('records first and last seen/opened times for the caller', async () => {
    const { alice, userId, base } = await setup();
    const seen = await alice.post<Interaction>(`${base}/interactions/seen`, {
      seenAt: '2025-01-20T09:00:00.000Z',
    });
    assert.equal(seen.status, 200);
    assert.equal(seen.body.collaboratorId, userId);
    await alice.post(`${base}/interactions/seen`, { seenAt: '2025-02-05T11:22:18.000Z' });
    await alice.post(`${base}/interactions/seen`, { seenAt: '2025-01-25T00:00:00.000Z' });
    const opened = await alice.post<Interaction>(`${base}/interactions/opened`, {});
    assert.deepEqual(
      { first: opened.body.firstSeenAt, last: opened.body.lastSeenAt },
      { first: '2025-01-20T09:00:00.000Z', last: '2025-02-05T11:22:18.000Z' },
    );
    assert.ok(opened.body.firstOpenedAt !== null && opened.body.firstOpenedAt === opened.body.lastOpenedAt);
    const bad = await alice.post(`${base}/interactions/seen`, { seenAt: 'yesterday' });
    assert.equal(bad.status, 400);
  });

  it('refuses strangers and unknown nodes', async () => {
    const { base, notebookId } = await setup();
    const stranger = client();
    assert.equal((await stranger.post(`${base}/reactions`, { reaction: '👀' })).status, 403);
    assert.equal((await stranger.get(`${base}/reactions`)).status, 403);
    assert.equal((await stranger.post(`${base}/interactions/seen`, {})).status, 403);
    const owner = client();
    const own = (await owner.me()).notebookId;
    assert.notEqual(own, notebookId);
    const missing = await owner.post(`/notebooks/${own}/nodes/nd_missing/reactions`, { reaction: '👀' });
    assert.equal(missing.status, 404);
    assert.equal(envelope(missing.body).code, 'not_found');
  });
});
