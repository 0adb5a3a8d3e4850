import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { NotebookStatus } from '../../src/shared/model/roles';
import { call, createLocalPage } from '../support/core';
import {
  createNode,
  FaultProxy,
  findNode,
  openDevice,
  shareNotebook,
  signIn,
  startTestServer,
  syncStatus,
  waitFor,
  waitUpToDate,
  type Device,
} from '../support/sync';
import { openTestCore } from '../support/temp';

const reactions = async (d: Device, nodeId: string): Promise<string> =>
  (await call(d.core, 'reaction.list', { accountId: d.accountId, nodeId }))
    .map((r) => `${r.reaction}${r.count}${r.mine ? '*' : ''}`)
    .join(' ');

/**
 * As `reactions`, in emoji order: B's 👍 and 🎉 below can carry the same millisecond, and emojis first used at
 * the same moment are shown in either order (first-used order is asserted where the times differ).
 */
const reactionSet = async (d: Device, nodeId: string): Promise<string> =>
  (await reactions(d, nodeId)).split(' ').sort().join(' ');

const react = (d: Device, nodeId: string, reaction: string, on: boolean) =>
  call(d.core, 'reaction.set', { accountId: d.accountId, nodeId, reaction, on });

async function twoUsers() {
  const server = await startTestServer();
  const annToken = server.createToken('ann');
  const proxy = await FaultProxy.start(server.url);
  const a = await signIn(await openDevice(301), proxy.url, annToken);
  await shareNotebook(server.url, annToken, a.notebookId, 'bob');
  const b = await signIn(await openDevice(302), server.url, server.createToken('bob'), a.notebookId);
  const section = await createNode(a, 'section', null, 'Reactions');
  const page = await createNode(a, 'page', section.id, 'Launch');
  await waitFor(
    'the page on B',
    async () => (await findNode(b.core, b.accountId, b.notebookId, page.id)) !== undefined,
  );
  return { a, b, page, proxy, server };
}

describe('reactions', () => {
  it('are saved at once, reach the other user, count per emoji and remove', async () => {
    const { a, b, page } = await twoUsers();
    assert.equal((await react(a, page.id, '👍', true)).length, 1, 'answered with the new list');
    await react(a, page.id, '👍', true); // already set: nothing new is written
    assert.equal((await syncStatus(a.core, a.accountId)).rejected, 0);
    await waitFor('👍 on B', async () => (await reactions(b, page.id)) === '👍1');
    await react(b, page.id, '👍', true);
    await react(b, page.id, '🎉', true);
    await waitFor('both on A', async () => (await reactions(a, page.id)) === '👍2* 🎉1');
    await react(a, page.id, '👍', false);
    await waitFor('A’s 👍 gone on B', async () => (await reactionSet(b, page.id)) === '🎉1* 👍1*');
    for (const d of [a, b]) await waitUpToDate(d.core, d.accountId);
    assert.equal(await reactionSet(a, page.id), '🎉1 👍1');
  });

  it('toggled many times offline, end as the last toggle said, with no flicker back from the stream', async () => {
    const { a, b, page, proxy } = await twoUsers();
    proxy.cut();
    for (let i = 0; i < 15; i++) await react(a, page.id, '🔥', i % 2 === 0); // ends on
    assert.equal(await reactions(a, page.id), '🔥1*');
    proxy.restore();
    await call(a.core, 'sync.now', { accountId: a.accountId });
    await waitUpToDate(a.core, a.accountId);
    await waitFor('🔥 on B', async () => (await reactions(b, page.id)) === '🔥1');
    assert.equal(await reactions(a, page.id), '🔥1*');
  });

  it('a refused reaction stays shown (and listed) until discarded, which goes back to what the server kept', async () => {
    const { a, page, server } = await twoUsers();
    await react(a, page.id, '👍', true);
    await waitUpToDate(a.core, a.accountId);
    server.setNotebookStatus(a.notebookId, NotebookStatus.readonly);
    await react(a, page.id, '👍', false);
    await react(a, page.id, '🚀', true);
    await waitFor('both refused', async () => (await syncStatus(a.core, a.accountId)).rejected === 2);
    assert.equal(await reactions(a, page.id), '🚀1*', 'the refused changes are still what the user sees');
    for (const entry of await call(a.core, 'sync.outbox', { accountId: a.accountId }))
      await call(a.core, 'sync.discard', { accountId: a.accountId, mutationId: entry.id });
    assert.equal(await reactions(a, page.id), '👍1*', 'discarding shows the server’s state again');
  });

  it('the Local account keeps them and confirms them itself (nothing left in the outbox)', async () => {
    const core = await openTestCore();
    const { page } = await createLocalPage(core, 'Mine');
    const local = { core, accountId: LOCAL_ACCOUNT_ID, notebookId: page.notebookId };
    await react(local, page.id, '✅', true);
    const db = core.account(LOCAL_ACCOUNT_ID).replica.db;
    const outbox = () =>
      db.prepare("SELECT count(*) FROM outbox WHERE type LIKE 'node.reaction.%'").pluck().get() as number;
    assert.equal(outbox(), 1, 'the mutation is committed with the reaction');
    core.account(LOCAL_ACCOUNT_ID).confirmLocally(60_000);
    assert.equal(outbox(), 0);
    assert.equal(await reactions(local, page.id), '✅1*');
    const refused = await core.router.dispatch(
      'reaction.set',
      { accountId: LOCAL_ACCOUNT_ID, nodeId: page.id, reaction: 'x'.repeat(65), on: true },
      { senderId: 't' },
    );
    assert.equal(!refused.ok && refused.error.code, 'bad_request');
  });
});
