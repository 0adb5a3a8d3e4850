import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as z from 'zod';
import { CommentOutput } from '../../src/shared/api/comments';
import { DocumentOutput } from '../../src/shared/api/documents';
import { envelope, useServer } from './helpers';

const Page = z.object({
  comments: z.array(CommentOutput),
  nextCursor: z.string().nullable(),
  hasMore: z.boolean(),
});

describe('comments', () => {
  const { client } = useServer();

  async function setup() {
    const alice = client();
    const { notebookId } = await alice.me();
    const section = await alice.createNode(notebookId, 'section', null);
    const page = await alice.createNode(notebookId, 'page', section.id);
    const doc = DocumentOutput.parse(
      (
        await alice.put(`/notebooks/${notebookId}/nodes/${page.id}/document`, {
          content: {
            type: 'doc',
            content: [{ type: 'paragraph', text: 'we agreed that the implementation should be idempotent' }],
          },
        })
      ).body,
    );
    const blockId = String((doc.content.content[0] as { attrs: { id: string } }).attrs.id);
    return { alice, notebookId, page, blockId, base: `/notebooks/${notebookId}/nodes/${page.id}` };
  }

  it('creates document, block and text-range threads with replies, and lists them with anchors', async () => {
    const { alice, blockId, base } = await setup();
    const range = await alice.post(`${base}/comments`, {
      content: 'Should we add a note about the retry budget?',
      anchor: {
        type: 'text-range',
        startBlockId: blockId,
        startOffset: 15,
        endBlockId: blockId,
        endOffset: 54,
        quote: 'the implementation should be idempotent',
        contextBefore: 'we agreed that ',
      },
    });
    assert.equal(range.status, 201);
    const thread = CommentOutput.parse(range.body);
    assert.deepEqual(
      [
        thread.anchorType,
        thread.startBlockId,
        thread.startOffset,
        thread.endOffset,
        thread.anchorQuote,
        thread.version,
        thread.anchorStatus,
      ],
      ['text-range', blockId, 15, 54, 'the implementation should be idempotent', 1, 'active'],
    );
    const block = CommentOutput.parse(
      (await alice.post(`${base}/comments`, { content: 'block', anchorBlockId: blockId })).body,
    );
    assert.equal(block.anchorType, 'block');
    const whole = CommentOutput.parse((await alice.post(`${base}/comments`, { content: 'whole doc' })).body);
    assert.equal(whole.anchorType, 'document');
    const reply = CommentOutput.parse(
      (await alice.post(`${base}/comments`, { content: 'reply', parentId: thread.id })).body,
    );
    assert.equal(reply.parentId, thread.id);
    assert.equal(reply.anchorType, null);

    const first = Page.parse((await alice.get(`${base}/comments?limit=2`)).body);
    assert.deepEqual(
      first.comments.map((c) => c.content),
      ['Should we add a note about the retry budget?', 'block'],
    );
    assert.equal(first.hasMore, true);
    const second = Page.parse((await alice.get(`${base}/comments?limit=2&cursor=${first.nextCursor}`)).body);
    assert.deepEqual(
      second.comments.map((c) => c.content),
      ['whole doc', 'reply'],
    );
    assert.equal(second.hasMore, false);
    assert.equal(second.nextCursor, null);

    const anchors = await alice.get<{
      anchors: { threadId: string; anchor: { anchorType: string } }[];
      hasMore: boolean;
    }>(`${base}/comment-anchors`);
    assert.deepEqual(
      anchors.body.anchors.map((a) => [a.threadId, a.anchor.anchorType]),
      [
        [thread.id, 'text-range'],
        [block.id, 'block'],
        [whole.id, 'document'],
      ],
    );
    const badCursor = await alice.get(`${base}/comments?cursor=garbage`);
    assert.equal(badCursor.status, 400);
    assert.equal(envelope(badCursor.body).code, 'invalid_cursor');
  });

  it('validates content and anchors (invalid_request, 409 for deleted blocks)', async () => {
    const { alice, base, blockId } = await setup();
    for (const body of [
      { content: '' },
      { content: 'x'.repeat(10_001) },
      { content: 'x', anchor: { type: 'circle' } },
    ]) {
      const response = await alice.post(`${base}/comments`, body);
      assert.equal(response.status, 400, JSON.stringify(body).slice(0, 80));
      assert.equal(envelope(response.body).code, 'invalid_request');
    }
    const deleted = await alice.post(`${base}/comments`, {
      content: 'x',
      anchor: { type: 'block', blockId: 'bl_gone' },
    });
    assert.equal(deleted.status, 409);
    assert.equal(envelope(deleted.body).details[0]?.path, 'anchor.blockId');
    const thread = CommentOutput.parse(
      (await alice.post(`${base}/comments`, { content: 'root', anchorBlockId: blockId })).body,
    );
    const reply = CommentOutput.parse(
      (await alice.post(`${base}/comments`, { content: 'r', parentId: thread.id })).body,
    );
    const nested = await alice.post(`${base}/comments`, { content: 'r2', parentId: reply.id });
    assert.equal(nested.status, 400, 'replies attach to thread roots');
  });

  it('edits (author only), resolves, re-anchors and deletes with expectedVersion', async () => {
    const { alice, notebookId, blockId, base } = await setup();
    const bob = client();
    await alice.post(`/notebooks/${notebookId}/users`, {
      users: [{ username: bob.username, role: 'collaborator' }],
    });
    const thread = CommentOutput.parse((await alice.post(`${base}/comments`, { content: 'v1' })).body);
    const reply = CommentOutput.parse(
      (await bob.post(`${base}/comments`, { content: 'bob says', parentId: thread.id })).body,
    );

    const edited = CommentOutput.parse(
      (await alice.patch(`${base}/comments/${thread.id}`, { content: 'v2', expectedVersion: 1 })).body,
    );
    assert.deepEqual([edited.content, edited.version], ['v2', 2]);
    const stale = await alice.patch(`${base}/comments/${thread.id}`, { content: 'v3', expectedVersion: 1 });
    assert.equal(stale.status, 409);
    assert.equal(envelope(stale.body).code, 'version_conflict');
    assert.equal(envelope(stale.body).details[0]?.message, 'Expected version 1, found 2');
    const notAuthor = await bob.patch(`${base}/comments/${thread.id}`, { content: 'hijack' });
    assert.equal(notAuthor.status, 403);

    const resolved = CommentOutput.parse(
      (await bob.post(`${base}/comments/${thread.id}/resolve`, { expectedVersion: 2 })).body,
    );
    assert.equal(resolved.version, 3);
    assert.ok(resolved.resolvedAt);
    assert.equal(resolved.resolvedBy, reply.createdBy);

    const reanchored = CommentOutput.parse(
      (
        await alice.post(`${base}/comments/${thread.id}/reanchor`, {
          anchor: { type: 'block', blockId },
          expectedVersion: 3,
        })
      ).body,
    );
    assert.deepEqual(
      [reanchored.anchorType, reanchored.anchorBlockId, reanchored.version],
      ['block', blockId, 4],
    );
    assert.equal(
      (await bob.post(`${base}/comments/${thread.id}/reanchor`, { anchor: { type: 'document' } })).status,
      403,
    );

    assert.equal(
      (await bob.delete(`${base}/comments/${thread.id}`)).status,
      403,
      'only the author or an admin deletes',
    );
    assert.equal((await alice.delete(`${base}/comments/${thread.id}?expectedVersion=1`)).status, 409);
    assert.deepEqual((await alice.delete(`${base}/comments/${thread.id}?expectedVersion=4`)).body, {
      success: true,
    });
    const after = Page.parse((await alice.get(`${base}/comments`)).body);
    assert.deepEqual(after.comments, [], 'replies go with their thread');
    const missing = await alice.patch(`${base}/comments/${reply.id}`, { content: 'x' });
    assert.equal(missing.status, 404);
  });

  it('refuses strangers and node types without documents', async () => {
    const { alice, notebookId, base } = await setup();
    const stranger = client();
    assert.equal((await stranger.get(`${base}/comments`)).status, 403);
    assert.equal((await stranger.post(`${base}/comments`, { content: 'hi' })).status, 403);
    const section = await alice.createNode(notebookId, 'section', null);
    const onSection = await alice.post(`/notebooks/${notebookId}/nodes/${section.id}/comments`, {
      content: 'hi',
    });
    assert.equal(onSection.status, 400);
    assert.equal(envelope(onSection.body).code, 'invalid_request');
  });
});
