import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MessageView } from '../../src/shared/contract';
import { call } from '../support/core';
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

const body = (text: string) => ({
  type: 'doc' as const,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});
const textOf = (m: MessageView): string =>
  (m.content.content ?? []).map((b) => (b.content ?? []).map((t) => t.text ?? '').join('')).join('\n');

const messages = async (d: Device, channelId: string): Promise<MessageView[]> =>
  (await call(d.core, 'channel.messages', { accountId: d.accountId, channelId })).messages;
const transcript = async (d: Device, channelId: string): Promise<string> =>
  (await messages(d, channelId)).map((m) => `${m.authorName}: ${textOf(m)}`).join(' | ');
const send = (d: Device, channelId: string, text: string) =>
  call(d.core, 'message.send', { accountId: d.accountId, channelId, body: body(text) });

/** Ann (owner) behind a fault proxy and Bob (a notebook collaborator) on the reference server, one channel. */
async function twoUsers() {
  const server = await startTestServer();
  const annToken = server.createToken('ann');
  const proxy = await FaultProxy.start(server.url);
  const ann = await signIn(await openDevice(601), proxy.url, annToken);
  await shareNotebook(server.url, annToken, ann.notebookId, 'bob');
  const bob = await signIn(await openDevice(602), server.url, server.createToken('bob'), ann.notebookId);
  const section = await createNode(ann, 'section', null, 'Team');
  const channel = await call(ann.core, 'node.create', {
    accountId: ann.accountId,
    notebookId: ann.notebookId,
    type: 'channel',
    parentId: section.id,
    name: 'general',
  });
  await waitFor('the channel on Bob’s device', () =>
    findNode(bob.core, bob.accountId, bob.notebookId, channel.id),
  );
  return { ann, bob, channel, proxy, server };
}

describe('channels', () => {
  it('two people chat: messages arrive live, in order, with authors, unread counts and read marks', async () => {
    const { ann, bob, channel } = await twoUsers();
    const sent = await send(ann, channel.id, 'Hello Bob');
    assert.equal(sent.authorName, 'You');
    assert.equal(textOf(sent), 'Hello Bob');
    await waitFor(
      'Ann’s message on Bob',
      async () => (await transcript(bob, channel.id)) === 'ann: Hello Bob',
    );
    const unread = await call(bob.core, 'channel.unread', {
      accountId: bob.accountId,
      notebookId: bob.notebookId,
    });
    assert.deepEqual(unread, { [channel.id]: 1 }, 'Bob has one unread message');
    assert.deepEqual(
      await call(ann.core, 'channel.unread', { accountId: ann.accountId, notebookId: ann.notebookId }),
      {},
      'her own message is not unread for Ann',
    );
    await call(bob.core, 'interaction.mark', {
      accountId: bob.accountId,
      nodeId: channel.id,
      kind: 'opened',
    });
    assert.equal(
      (await call(bob.core, 'channel.get', { accountId: bob.accountId, channelId: channel.id })).unread,
      0,
    );
    await send(bob, channel.id, 'Hi Ann');
    await send(bob, channel.id, 'Shipping today?');
    await waitFor(
      'Bob’s two messages on Ann, after hers',
      async () =>
        (await transcript(ann, channel.id)) === 'You: Hello Bob | bob: Hi Ann | bob: Shipping today?',
    );
    const view = await call(ann.core, 'channel.get', { accountId: ann.accountId, channelId: channel.id });
    assert.equal(view.unread, 2);
    assert.equal(view.messageCount, 3);
    assert.deepEqual(view.can, { post: true, rename: true });
  });

  it('written offline, messages stay shown as sending and go in order once online', async () => {
    const { ann, bob, channel, proxy } = await twoUsers();
    proxy.cut();
    for (const text of ['one', 'two', 'three', 'four']) await send(ann, channel.id, text);
    const offline = await messages(ann, channel.id);
    assert.deepEqual(
      offline.map((m) => [textOf(m), m.delivery]),
      ['one', 'two', 'three', 'four'].map((t) => [t, 'sending']),
    );
    await send(bob, channel.id, 'anyone?');
    proxy.restore();
    await call(ann.core, 'sync.now', { accountId: ann.accountId });
    await waitUpToDate(ann.core, ann.accountId);
    await waitFor('all five on both, in the same order', async () => {
      const [a, b] = [await transcript(ann, channel.id), await transcript(bob, channel.id)];
      return b.split(' | ').length === 5 && a.replaceAll('You:', 'ann:') === b.replaceAll('You:', 'bob:');
    });
    const order = (await messages(bob, channel.id)).filter((m) => !m.mine).map(textOf);
    assert.deepEqual(order, ['one', 'two', 'three', 'four'], 'Ann’s offline messages keep their order');
    assert.ok((await messages(ann, channel.id)).every((m) => m.delivery === 'sent'));
  });

  it('edit and delete follow the permission table: own messages, and anyone’s for the channel admin', async () => {
    const { ann, bob, channel } = await twoUsers();
    const annMessage = await send(ann, channel.id, 'Draft plan');
    const bobMessage = await send(bob, channel.id, 'Oops, wrong channel');
    await waitFor('both messages on both', async () =>
      [(await messages(ann, channel.id)).length, (await messages(bob, channel.id)).length].every(
        (n) => n === 2,
      ),
    );
    const onBob = await messages(bob, channel.id);
    assert.deepEqual(
      onBob.map((m) => [textOf(m), m.can]),
      [
        ['Draft plan', { edit: false, delete: false }],
        ['Oops, wrong channel', { edit: true, delete: true }],
      ],
      'Bob (an editor) may change only his own message',
    );
    const refused = await bob.core.router.dispatch(
      'message.edit',
      { accountId: bob.accountId, messageId: annMessage.id, body: body('hijacked') },
      { senderId: 'test' },
    );
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.error.code, 'forbidden');

    const edited = await call(ann.core, 'message.edit', {
      accountId: ann.accountId,
      messageId: annMessage.id,
      body: body('Final plan'),
    });
    assert.equal(textOf(edited), 'Final plan');
    assert.ok(edited.editedAt !== null, 'marked as edited');
    await waitFor('the edit on Bob', async () => {
      const m = (await messages(bob, channel.id)).find((x) => x.id === annMessage.id);
      return m !== undefined && textOf(m) === 'Final plan' && m.editedAt !== null;
    });

    assert.deepEqual(
      (await messages(ann, channel.id)).find((m) => m.id === bobMessage.id)?.can,
      { edit: true, delete: true },
      'the owner (channel admin) may remove anyone’s message',
    );
    await call(ann.core, 'message.delete', { accountId: ann.accountId, messageId: bobMessage.id });
    await waitFor(
      'the deletion on Bob',
      async () => (await transcript(bob, channel.id)) === 'ann: Final plan',
    );
    for (const d of [ann, bob]) assert.equal((await syncStatus(d.core, d.accountId)).rejected, 0);
  });

  it('bad input gets readable answers: empty, too long, not a channel; nothing is half-saved', async () => {
    const { ann, channel } = await twoUsers();
    const invoke = (input: Record<string, unknown>) =>
      ann.core.router.dispatch(
        'message.send',
        { accountId: ann.accountId, channelId: channel.id, ...input },
        { senderId: 'test' },
      );
    const empty = await invoke({ body: body('   ') });
    assert.equal(!empty.ok && empty.error.code, 'bad_request');
    const long = await invoke({ body: body('x'.repeat(100_001)) });
    assert.match(!long.ok ? long.error.message : '', /at most 100,000 characters/);
    const maximal = await send(ann, channel.id, 'y'.repeat(100_000));
    assert.equal(textOf(maximal).length, 100_000, 'a message of 100,000 characters is kept whole');
    const notChannel = await ann.core.router.dispatch(
      'message.send',
      { accountId: ann.accountId, channelId: channel.parentId!, body: body('hi') },
      { senderId: 'test' },
    );
    assert.equal(!notChannel.ok && notChannel.error.code, 'not_found');
    assert.equal((await messages(ann, channel.id)).length, 1, 'only the valid message was saved');
  });
});
