import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import type { AppCore } from '../../src/main/core/app-core';
import { call } from '../support/core';
import {
  createNode,
  FaultProxy,
  openDevice,
  PageEditor,
  shareNotebook,
  signIn,
  startTestServer,
  syncStatus,
  waitFor,
  waitUpToDate,
} from '../support/sync';

const paragraph = (id: string, text: string): Y.XmlElement => {
  const element = new Y.XmlElement('paragraph');
  element.setAttribute('id', id);
  element.insert(0, [new Y.XmlText(text)]);
  return element;
};

const range = (blockId: string, start: number, quote: string) => ({
  type: 'text-range' as const,
  startBlockId: blockId,
  startOffset: start,
  endBlockId: blockId,
  endOffset: start + quote.length,
  quote,
});

describe('re-anchoring a comment thread (offline-first, the reference server)', () => {
  it('a thread whose text was deleted is attached to new text offline, sent on reconnect, seen by the other user; only its author or an admin may', async () => {
    const server = await startTestServer();
    const annToken = server.createToken('ann');
    const proxy = await FaultProxy.start(server.url);
    const ann = await signIn(await openDevice(141), proxy.url, annToken);
    await shareNotebook(server.url, annToken, ann.notebookId, 'bob', 'collaborator');
    const bob = {
      ...(await signIn(await openDevice(142), server.url, server.createToken('bob'), ann.notebookId)),
    };
    const section = await createNode(ann, 'section', null, 'Team');
    const page = await createNode(ann, 'page', section.id, 'Plan');
    const editor = await PageEditor.open(ann.core, ann.accountId, page);
    await editor.edit((fragment) =>
      fragment.insert(0, [paragraph('p1', 'Ship on Friday'), paragraph('p2', 'Launch on Monday')]),
    );
    await waitUpToDate(ann.core, ann.accountId);
    const base = { accountId: ann.accountId, nodeId: page.id };
    const [created] = await call(ann.core, 'comment.create', {
      ...base,
      content: 'Which Friday?',
      anchor: range('p1', 8, 'Friday'),
    });
    const threadId = created!.id;
    const serverComments = async () =>
      (
        (await (
          await fetch(`${server.url}/api/v1/notes/notebooks/${ann.notebookId}/nodes/${page.id}/comments`, {
            headers: { authorization: `Bearer ${annToken}` },
          })
        ).json()) as {
          comments: { startBlockId: string | null; anchorQuote: string | null; version: number }[];
        }
      ).comments;
    await waitFor('the thread on the server', async () => (await serverComments()).length === 1);

    // Its paragraph deleted, then (offline) the thread is attached to the other one's "Monday".
    await editor.edit((fragment) => fragment.delete(0, 1));
    await waitUpToDate(ann.core, ann.accountId);
    proxy.cut();
    await waitFor(
      'offline',
      async () => (await syncStatus(ann.core, ann.accountId)).connection === 'offline',
    );
    const moved = await call(ann.core, 'comment.reanchor', {
      ...base,
      commentId: threadId,
      anchor: range('p2', 10, 'Monday'),
    });
    assert.deepEqual(
      moved.map((t) => [t.anchor, t.anchorStatus, t.pending]),
      [[range('p2', 10, 'Monday'), 'active', true]],
    );

    // Bob (a collaborator, not its author nor an admin) may not move ann's thread: refused, nothing changed.
    await waitFor('the thread on bob’s device', async () =>
      (await call(bob.core, 'comment.list', { accountId: bob.accountId, nodeId: page.id })).length === 1
        ? true
        : null,
    );
    assert.match(
      await failure(bob.core, 'comment.reanchor', {
        accountId: bob.accountId,
        nodeId: page.id,
        commentId: (await call(bob.core, 'comment.list', { accountId: bob.accountId, nodeId: page.id }))[0]!
          .id,
        anchor: range('p2', 0, 'Launch'),
      }),
      /^forbidden: Only its author or a page admin/,
    );

    proxy.restore();
    await waitFor(
      'the new anchor on the server',
      async () => {
        const [comment] = await serverComments();
        return comment?.startBlockId === 'p2' && comment.anchorQuote === 'Monday';
      },
      15_000,
    );
    await waitFor('sent', async () => {
      const [thread] = await call(ann.core, 'comment.list', base);
      return thread && !thread.pending;
    });
    await waitFor('the new anchor on bob’s device', async () => {
      const [thread] = await call(bob.core, 'comment.list', { accountId: bob.accountId, nodeId: page.id });
      return thread?.anchor?.type === 'text-range' && thread.anchor.startBlockId === 'p2';
    });
    await editor.close();
  });
});

async function failure(core: AppCore, name: Parameters<typeof call>[1], input: unknown): Promise<string> {
  const result = await core.router.dispatch(name, input, { senderId: 'test' });
  assert.equal(result.ok, false, `${name} should have failed`);
  return result.ok ? '' : `${result.error.code}: ${result.error.message}`;
}
