import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCAL_ACCOUNT_ID, type AppCore } from '../../src/main/core/app-core';
import { call, createLocalPage } from '../support/core';
import {
  createNode,
  FaultProxy,
  openDevice,
  ProxyMode,
  shareNotebook,
  signIn,
  startTestServer,
  syncStatus,
  waitFor,
  waitUpToDate,
} from '../support/sync';

async function failure(core: AppCore, name: Parameters<typeof call>[1], input: unknown): Promise<string> {
  const result = await core.router.dispatch(name, input, { senderId: 'test' });
  assert.equal(result.ok, false, `${name} should have failed`);
  return result.ok ? '' : `${result.error.code}: ${result.error.message}`;
}

describe('comments in the app (offline-first, the reference server)', () => {
  it('a thread written offline shows at once, is delivered once on reconnect, and round-trips between two users', async () => {
    const server = await startTestServer();
    const annToken = server.createToken('ann');
    const proxy = await FaultProxy.start(server.url);
    const ann = await signIn(await openDevice(121), proxy.url, annToken);
    await shareNotebook(server.url, annToken, ann.notebookId, 'bob');
    const section = await createNode(ann, 'section', null, 'Team');
    const page = await createNode(ann, 'page', section.id, 'Plan');
    await waitUpToDate(ann.core, ann.accountId);
    const list = (core: AppCore, accountId: string) =>
      call(core, 'comment.list', { accountId, nodeId: page.id });

    // Offline: the thread and its reply are on screen at once, waiting.
    proxy.cut();
    await waitFor(
      'offline',
      async () => (await syncStatus(ann.core, ann.accountId)).connection === 'offline',
    );
    let threads = await call(ann.core, 'comment.create', {
      accountId: ann.accountId,
      nodeId: page.id,
      content: 'Is the date right?',
      anchor: { type: 'document' },
    });
    const threadId = threads[0]!.id;
    threads = await call(ann.core, 'comment.create', {
      accountId: ann.accountId,
      nodeId: page.id,
      content: 'I think so.',
      parentId: threadId,
    });
    assert.deepEqual(
      threads.map((t) => [t.content, t.pending, t.replies.map((r) => [r.content, r.pending])]),
      [['Is the date right?', true, [['I think so.', true]]]],
    );

    // Back online, but the server's first answer is lost: the retry must not post the thread twice.
    proxy.restore();
    proxy.mode = ProxyMode.loseCommentAnswers;
    await waitFor('an answer lost', () => proxy.lostCommentAnswers > 0);
    proxy.mode = ProxyMode.pass;
    await waitFor(
      'both sent',
      async () => {
        const [thread] = await list(ann.core, ann.accountId);
        return thread && !thread.pending && thread.replies.every((r) => !r.pending);
      },
      15_000,
    );
    const onServer = (await (
      await fetch(`${server.url}/api/v1/notes/notebooks/${ann.notebookId}/nodes/${page.id}/comments`, {
        headers: { authorization: `Bearer ${annToken}` },
      })
    ).json()) as { comments: { content: string; parentId: string | null }[] };
    assert.deepEqual(
      onServer.comments.map((c) => [c.content, c.parentId === null]),
      [
        ['Is the date right?', true],
        ['I think so.', false],
      ],
      'each comment exactly once on the server',
    );

    // Bob sees the thread, replies and resolves it; Ann sees both.
    const bob = await signIn(await openDevice(122), server.url, server.createToken('bob'), ann.notebookId);
    await waitFor('the page on Bob', async () =>
      (await call(bob.core, 'node.tree', { accountId: bob.accountId, notebookId: bob.notebookId })).some(
        (n) => n.id === page.id,
      ),
    );
    const [bobThread] = await list(bob.core, bob.accountId);
    assert.equal(bobThread?.content, 'Is the date right?');
    assert.equal(bobThread?.createdByName, 'ann');
    assert.equal(bobThread?.mine, false);
    await call(bob.core, 'comment.create', {
      accountId: bob.accountId,
      nodeId: page.id,
      content: 'Moved to Friday.',
      parentId: bobThread!.id,
    });
    await call(bob.core, 'comment.resolve', {
      accountId: bob.accountId,
      nodeId: page.id,
      commentId: bobThread!.id,
    });
    const seen = await waitFor('Bob’s reply and resolve on Ann', async () => {
      const [thread] = await list(ann.core, ann.accountId);
      return thread?.resolvedAt && thread.replies.length === 2 ? thread : null;
    });
    assert.deepEqual(
      seen.replies.map((r) => [r.content, r.mine]),
      [
        ['I think so.', true],
        ['Moved to Friday.', false],
      ],
    );

    // Bad input: empty, too long, a reply to a reply or to an unknown thread.
    const base = { accountId: ann.accountId, nodeId: page.id };
    assert.match(await failure(ann.core, 'comment.create', { ...base, content: '   ' }), /^bad_request/);
    assert.match(
      await failure(ann.core, 'comment.create', { ...base, content: 'x'.repeat(10_001) }),
      /^bad_request/,
    );
    assert.match(
      await failure(ann.core, 'comment.create', { ...base, content: 'hi', parentId: seen.replies[0]!.id }),
      /^bad_request: Reply to the thread, not to a reply/,
    );
    assert.match(
      await failure(ann.core, 'comment.create', { ...base, content: 'hi', parentId: 'cm_gone' }),
      /^bad_request: That thread is not on this page/,
    );
  });

  it('edits, deletes and reopens made offline are sent in order when online; a refused edit is kept and shown', async () => {
    const server = await startTestServer();
    const annToken = server.createToken('ann');
    const proxy = await FaultProxy.start(server.url);
    const ann = await signIn(await openDevice(124), proxy.url, annToken);
    const section = await createNode(ann, 'section', null, 'Team');
    const page = await createNode(ann, 'page', section.id, 'Plan');
    await waitUpToDate(ann.core, ann.accountId);
    const base = { accountId: ann.accountId, nodeId: page.id };
    const api = `${server.url}/api/v1/notes/notebooks/${ann.notebookId}/nodes/${page.id}/comments`;
    const onServer = async () =>
      (
        (await (await fetch(api, { headers: { authorization: `Bearer ${annToken}` } })).json()) as {
          comments: { id: string; content: string; resolvedAt: string | null; version: number }[];
        }
      ).comments;
    let threads = await call(ann.core, 'comment.create', {
      ...base,
      content: 'First',
      anchor: { type: 'document' },
    });
    const first = threads[0]!.id;
    await call(ann.core, 'comment.create', { ...base, content: 'Reply', parentId: first });
    threads = await call(ann.core, 'comment.create', {
      ...base,
      content: 'Second',
      anchor: { type: 'document' },
    });
    await call(ann.core, 'comment.resolve', { ...base, commentId: first });
    await waitFor(
      'sent',
      async () =>
        (await onServer()).length === 3 &&
        !(await call(ann.core, 'comment.list', base)).some((t) => t.pending),
    );
    const second = threads[1]!.id;
    const reply = threads[0]!.replies[0]!.id;

    // Offline: First edited and reopened, its reply deleted, Second deleted: shown at once.
    proxy.cut();
    await waitFor(
      'offline',
      async () => (await syncStatus(ann.core, ann.accountId)).connection === 'offline',
    );
    await call(ann.core, 'comment.edit', { ...base, commentId: first, content: 'First, edited' });
    await call(ann.core, 'comment.reopen', { ...base, commentId: first });
    await call(ann.core, 'comment.delete', { ...base, commentId: reply });
    threads = await call(ann.core, 'comment.delete', { ...base, commentId: second });
    assert.deepEqual(
      threads.map((t) => [t.content, t.pending, t.resolvedAt, t.replies.length]),
      [['First, edited', true, null, 0]],
    );
    proxy.restore();
    await waitFor('all sent', async () => {
      const comments = await onServer();
      return (
        comments.length === 1 && comments[0]!.content === 'First, edited' && comments[0]!.resolvedAt === null
      );
    });
    await waitFor('confirmed here', async () => !(await call(ann.core, 'comment.list', base))[0]!.pending);
    // Reading an unchanged list announces nothing (the panel reloads on every announcement: it would loop).
    let announced = 0;
    const off = ann.core.events.on((event) => {
      if (event.name === 'comment.changed') announced++;
    });
    await call(ann.core, 'comment.list', base);
    await call(ann.core, 'comment.list', base);
    off();
    assert.equal(announced, 0, 'an unchanged list changes nothing');

    // Refused: edited elsewhere meanwhile (another device of ann, through the API), then edited here offline.
    proxy.cut();
    await waitFor(
      'offline again',
      async () => (await syncStatus(ann.core, ann.accountId)).connection === 'offline',
    );
    const [serverCopy] = await onServer();
    const patched = await fetch(`${api}/${serverCopy!.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${annToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'From the phone' }),
    });
    assert.equal(patched.status, 200);
    await call(ann.core, 'comment.edit', { ...base, commentId: first, content: 'From the laptop' });
    proxy.restore();
    const refused = await waitFor('refused', async () => {
      const [thread] = await call(ann.core, 'comment.list', base);
      return thread?.refused ? thread : null;
    });
    assert.equal(refused.content, 'From the laptop', 'the refused text is kept, not replaced');
    assert.match(refused.refused ?? '', /version/i);
    assert.equal((await onServer())[0]!.content, 'From the phone');
    // Bad input: someone else's comment is not edited or deleted here.
    assert.match(
      await failure(ann.core, 'comment.edit', { ...base, commentId: 'cm_gone', content: 'x' }),
      /^not_found/,
    );
  });

  it('the Local account keeps comments as notes to self', async () => {
    const core = await openDevice(123);
    const { page } = await createLocalPage(core, 'Mine');
    await call(core, 'comment.create', {
      accountId: LOCAL_ACCOUNT_ID,
      nodeId: page.id,
      content: 'todo: check',
    });
    const [thread] = await call(core, 'comment.list', { accountId: LOCAL_ACCOUNT_ID, nodeId: page.id });
    assert.deepEqual([thread?.content, thread?.pending, thread?.mine], ['todo: check', false, true]);
    const resolved = await call(core, 'comment.resolve', {
      accountId: LOCAL_ACCOUNT_ID,
      nodeId: page.id,
      commentId: thread!.id,
    });
    assert.ok(resolved[0]?.resolvedAt);
  });
});
