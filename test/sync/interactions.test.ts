import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerClient } from '../../src/main/accounts/server-client';
import { LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { UNREAD_IN_NOTEBOOK } from '../../src/main/interactions/interactions.repository';
import { flushOutbox } from '../../src/main/sync/outbox-sender';
import type { Mutation, MutationResult } from '../../src/shared/model/mutations';
import { call, createLocalPage } from '../support/core';
import {
  createNode,
  FaultProxy,
  findNode,
  openDevice,
  PageEditor,
  shareNotebook,
  signIn,
  startTestServer,
  waitFor,
  waitUpToDate,
  type Device,
} from '../support/sync';
import { openTestCore } from '../support/temp';

const mark = (d: Device, nodeId: string, kind: 'opened' | 'seen') =>
  call(d.core, 'interaction.mark', { accountId: d.accountId, nodeId, kind });

const unread = (d: Device) =>
  call(d.core, 'interaction.unread', { accountId: d.accountId, notebookId: d.notebookId });

const isUnread = async (d: Device, nodeId: string): Promise<boolean> => (await unread(d)).includes(nodeId);

const db = (d: Device) => d.core.account(d.accountId).replica.db;
const userOf = (d: Device) => d.core.account(d.accountId).replica.userId;

/** The row a replica holds for `user`'s interactions with `nodeId` (what the stream delivered). */
const storedInteraction = (d: Device, nodeId: string, userId: string) =>
  db(d)
    .prepare(
      `SELECT first_opened_at AS firstOpenedAt, last_opened_at AS lastOpenedAt, last_seen_at AS lastSeenAt
       FROM node_interactions WHERE node_id = ? AND collaborator_id = ?`,
    )
    .get(nodeId, userId) as
    { firstOpenedAt: string | null; lastOpenedAt: string | null; lastSeenAt: string | null } | undefined;

const outboxMarks = (d: Device): number =>
  db(d).prepare("SELECT count(*) FROM outbox WHERE type LIKE 'node.interaction.%'").pluck().get() as number;

/** Ann on two devices (the first behind a fault proxy), Bob on one, sharing Ann's notebook and one page. */
async function team() {
  const server = await startTestServer();
  const annToken = server.createToken('ann');
  const proxy = await FaultProxy.start(server.url);
  const a1 = await signIn(await openDevice(401), proxy.url, annToken);
  await shareNotebook(server.url, annToken, a1.notebookId, 'bob');
  const a2 = await signIn(await openDevice(402), server.url, annToken, a1.notebookId);
  const b = await signIn(await openDevice(403), server.url, server.createToken('bob'), a1.notebookId);
  const section = await createNode(a1, 'section', null, 'Team');
  const page = await createNode(a1, 'page', section.id, 'Plan');
  for (const d of [a2, b])
    await waitFor(
      'the page everywhere',
      async () => (await findNode(d.core, d.accountId, d.notebookId, page.id)) !== undefined,
    );
  return { a1, a2, b, section, page, proxy, server };
}

describe('interactions (seen / opened)', () => {
  it('an open on one device reaches the server and every replica that reads the page', async () => {
    const { a1, a2, b, page } = await team();
    assert.equal(await mark(a1, page.id, 'opened'), null);
    assert.equal(outboxMarks(a1), 1, 'committed with its outbox mutation before answering');
    await waitUpToDate(a1.core, a1.accountId);
    const ann = userOf(a1);
    for (const d of [a2, b]) {
      const row = await waitFor('ann’s open on the other replicas', () => storedInteraction(d, page.id, ann));
      assert.ok(row.lastOpenedAt !== null && row.firstOpenedAt === row.lastOpenedAt);
      assert.equal(row.lastSeenAt, null);
    }
    await mark(a1, page.id, 'seen');
    await waitFor('the seen mark on B', () => storedInteraction(b, page.id, ann)?.lastSeenAt);
  });

  it('a page another user changes is unread until opened, on both of the user’s devices', async () => {
    const { a1, a2, b, section, page } = await team();
    // Created by Ann: never unread for her; unread for Bob, who has not opened it.
    assert.deepEqual(await unread(a1), []);
    assert.deepEqual(await unread(b), [page.id]);
    await mark(a1, page.id, 'opened');
    await waitUpToDate(a1.core, a1.accountId);
    await waitFor('Ann’s open on her second device', () => storedInteraction(a2, page.id, userOf(a1)));

    const announced: string[] = [];
    a2.core.events.on((event) => {
      if (event.name === 'interaction.changed')
        announced.push(...(event.payload as { nodeIds: string[] }).nodeIds);
    });
    const editor = await PageEditor.open(b.core, b.accountId, page);
    await editor.type('Bob was here');
    await editor.close();
    for (const d of [a1, a2]) await waitFor('the page unread for Ann', () => isUnread(d, page.id));
    assert.ok(announced.includes(page.id), 'the second device was told (no polling needed)');
    assert.deepEqual(await unread(b), [page.id], 'Bob’s own edit does not make it read for him');

    await mark(a1, page.id, 'opened');
    assert.equal(await isUnread(a1, page.id), false, 'read at once on the device that opened it');
    await waitFor('read on Ann’s other device', async () => !(await isUnread(a2, page.id)));
    await waitUpToDate(a1.core, a1.accountId);
    assert.equal(await isUnread(a1, page.id), false, 'still read once the server confirmed it');

    // A rename counts as a change too; sections are never listed (they are not opened).
    await call(b.core, 'node.update', { accountId: b.accountId, nodeId: page.id, name: 'Plan v2' });
    await call(b.core, 'node.update', { accountId: b.accountId, nodeId: section.id, name: 'Team!' });
    await waitFor('the renamed page unread on A2', () => isUnread(a2, page.id));
    assert.deepEqual(await unread(a2), [page.id]);
    // Seen (leaving the page after looking at it) clears it as well.
    await mark(a2, page.id, 'seen');
    assert.deepEqual(await unread(a2), []);
  });

  it('100 opens and leaves offline keep at most one outbox row per page and kind; the latest time arrives', async () => {
    const { a1, b, section, page, proxy } = await team();
    const other = await createNode(a1, 'page', section.id, 'Other');
    await waitUpToDate(a1.core, a1.accountId);
    proxy.cut();
    for (let i = 0; i < 100; i++) {
      const target = i % 2 === 0 ? page : other;
      await mark(a1, target.id, 'opened');
      await mark(a1, target.id, 'seen');
      assert.ok(outboxMarks(a1) <= 4, `outbox grew to ${outboxMarks(a1)} after ${i + 1} flips`);
    }
    const last = db(a1)
      .prepare("SELECT max(created_at) FROM outbox WHERE type = 'node.interaction.opened' AND object_id = ?")
      .pluck()
      .get(other.id) as string;
    proxy.restore();
    await call(a1.core, 'sync.now', { accountId: a1.accountId });
    await waitUpToDate(a1.core, a1.accountId);
    assert.equal(outboxMarks(a1), 0);
    const row = await waitFor('the latest open on B', () => {
      const stored = storedInteraction(b, other.id, userOf(a1));
      return stored?.lastOpenedAt === last ? stored : undefined;
    });
    assert.ok(row.firstOpenedAt !== null && row.firstOpenedAt <= last);
  });

  it('online, opening pages over and over never piles up in the outbox', async () => {
    const { a1, page } = await team();
    for (let i = 0; i < 100; i++) {
      await mark(a1, page.id, 'opened');
      assert.ok(outboxMarks(a1) <= 1, `outbox grew to ${outboxMarks(a1)}`);
    }
    await waitUpToDate(a1.core, a1.accountId);
    assert.equal(outboxMarks(a1), 0);
  });

  it('a mark replaced while the old one is in flight is still sent; once confirmed the page stays read', async () => {
    const core = await openTestCore();
    const { page, notebook } = await createLocalPage(core, 'In flight');
    const local: Device = { core, accountId: LOCAL_ACCOUNT_ID, notebookId: notebook.id };
    // As if someone else had edited the page (a server account records this from the stream).
    db(local)
      .prepare("INSERT INTO node_activity VALUES (?, ?, '2020-01-01T00:00:00.000Z', 'someone')")
      .run(page.id, notebook.id);
    assert.deepEqual(await unread(local), [page.id]);
    await mark(local, page.id, 'opened');
    const sent: Mutation[][] = [];
    let answer: (results: MutationResult[]) => void = () => undefined;
    const client: Pick<ServerClient, 'postMutations'> = {
      postMutations: (_notebookId, mutations) => {
        sent.push([...mutations]);
        return new Promise((resolve) => (answer = resolve));
      },
    };
    const replicaDb = db(local);
    // Everything but the marks is someone else's business here.
    replicaDb.prepare("DELETE FROM outbox WHERE type NOT LIKE 'node.interaction.%'").run();
    const flushing = flushOutbox(replicaDb, client as ServerClient, new AbortController().signal);
    await waitFor('the first mark in flight', () => sent.length === 1);
    await mark(local, page.id, 'opened'); // replaces the waiting row while its batch is out
    answer(sent[0]!.map((m) => ({ id: m.id, status: 200 })));
    await waitFor('the second batch', () => sent.length === 2);
    assert.notEqual(sent[1]![0]!.id, sent[0]![0]!.id);
    answer(sent[1]!.map((m) => ({ id: m.id, status: 200 })));
    await flushing;
    assert.equal(outboxMarks(local), 0);
    // Confirmed, and the server's row not streamed back yet: still read.
    assert.equal(storedInteraction(local, page.id, userOf(local)), undefined);
    assert.deepEqual(await unread(local), []);
  });

  it('bad input is refused with bad_request, an unknown page with not_found', async () => {
    const { a1, page } = await team();
    const dispatch = (input: unknown) =>
      a1.core.router.dispatch('interaction.mark', input, { senderId: 't' });
    for (const input of [
      { accountId: a1.accountId, nodeId: page.id, kind: 'closed' },
      { accountId: a1.accountId, nodeId: '../etc', kind: 'opened' },
      { accountId: a1.accountId, kind: 'opened' },
      'opened',
    ]) {
      const result = await dispatch(input);
      assert.equal(!result.ok && result.error.code, 'bad_request', JSON.stringify(input));
    }
    const unknown = await dispatch({ accountId: a1.accountId, nodeId: 'no_such_node', kind: 'opened' });
    assert.equal(!unknown.ok && unknown.error.code, 'not_found');
    const badNotebook = await a1.core.router.dispatch(
      'interaction.unread',
      { accountId: a1.accountId, notebookId: '' },
      { senderId: 't' },
    );
    assert.equal(!badNotebook.ok && badNotebook.error.code, 'bad_request');
    assert.equal(outboxMarks(a1), 0, 'nothing refused was written');
  });

  it('unread pages are one query reaching every table through an index (cheap with 100k nodes)', async () => {
    const core = await openTestCore();
    const plan = core
      .account(LOCAL_ACCOUNT_ID)
      .replica.db.prepare(`EXPLAIN QUERY PLAN ${UNREAD_IN_NOTEBOOK}`)
      .all({ notebookId: 'n', userId: 'u' }) as { detail: string }[];
    const steps = plan.map((step) => step.detail);
    assert.ok(steps.length >= 4, steps.join('\n'));
    for (const step of steps)
      assert.doesNotMatch(
        step,
        /^SCAN|TEMP B-TREE|AUTOMATIC/,
        `a step without an index: ${steps.join('\n')}`,
      );
    assert.ok(steps.some((step) => step.includes('node_activity_by_notebook')));
  });

  it('the Local account folds its own marks into node_interactions (nothing left in the outbox)', async () => {
    const core = await openTestCore();
    const { page, notebook } = await createLocalPage(core, 'Mine');
    const local: Device = { core, accountId: LOCAL_ACCOUNT_ID, notebookId: notebook.id };
    await mark(local, page.id, 'opened');
    await mark(local, page.id, 'opened');
    await mark(local, page.id, 'seen');
    assert.equal(outboxMarks(local), 2);
    core.account(LOCAL_ACCOUNT_ID).confirmLocally(60_000);
    assert.equal(outboxMarks(local), 0);
    const row = storedInteraction(local, page.id, userOf(local));
    assert.ok(row?.lastOpenedAt && row.lastSeenAt && row.firstOpenedAt === row.lastOpenedAt);
    assert.deepEqual(await unread(local), []);
  });
});
