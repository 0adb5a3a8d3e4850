import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { AppCore } from '../../src/main/core/app-core';
import { LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { deliversTo, type EmittedEvent } from '../../src/main/lib/events';
import { OTHER_WINDOW_NAME, colorIndexOf } from '../../src/main/presence/presence';
import type { PresenceViewerView } from '../../src/shared/contract';
import { call, createLocalPage } from '../support/core';
import {
  FaultProxy,
  createNode,
  openDevice,
  shareNotebook,
  signIn,
  startTestServer,
  waitFor,
  type Device,
} from '../support/sync';

/**
 * Presence between the windows of one device (Electron windows, quick capture, browser tabs: one IPC sender
 * each), on the real core: every window sees the page's other windows as "You (other window)" and never
 * itself; the server still gets one presence per device (the active window's selection).
 */

const PRESENCE = { presence: { minIntervalMs: 30, keepAliveMs: 150, staleMs: 600 } };
type Selection = { anchor: number; head: number } | null;

/** What each window is sent: the `presence.changed` lists a transport would deliver to `senderId`. */
function inbox(core: AppCore, documentId: string, senderIds: string[]) {
  const lists = new Map<string, PresenceViewerView[][]>(senderIds.map((s) => [s, []]));
  const off = core.events.on((event: EmittedEvent) => {
    if (event.name !== 'presence.changed') return;
    const payload = event.payload as { documentId: string; viewers: PresenceViewerView[] };
    if (payload.documentId !== documentId) return;
    assert.notEqual(event.targetSenderId, null, 'presence.changed is always addressed to one window');
    for (const [senderId, list] of lists) if (deliversTo(event, senderId)) list.push(payload.viewers);
  });
  after(off);
  return {
    of: (senderId: string) => lists.get(senderId)!,
    last: (senderId: string) => lists.get(senderId)!.at(-1),
    all: () => [...lists.values()].flat(),
  };
}

const report = (
  core: AppCore,
  accountId: string,
  senderId: string,
  documentId: string,
  selection: Selection,
) => call(core, 'presence.update', { accountId, documentId, selection }, senderId);

const carets = (viewers: PresenceViewerView[] | undefined) =>
  (viewers ?? []).map((v) => `${v.name}@${v.selection ? v.selection.head : '-'}`);

describe('presence between the windows of one device', () => {
  it('on the Local account: each window sees the others at once, never itself; leaving and closing remove it', async () => {
    const core = await openDevice(301, { sync: PRESENCE });
    const { page } = await createLocalPage(core, 'Two windows');
    const box = inbox(core, page.id, ['w1', 'w2', 'w3']);
    const update = (senderId: string, selection: Selection) =>
      report(core, LOCAL_ACCOUNT_ID, senderId, page.id, selection);

    assert.deepEqual(await update('w1', { anchor: 1, head: 1 }), [], 'alone on the page');
    const answer = await update('w2', { anchor: 3, head: 5 });
    assert.deepEqual(carets(answer), [`${OTHER_WINDOW_NAME}@1`], 'w2 is told about w1');
    const userId = core.account(LOCAL_ACCOUNT_ID).replica.userId;
    assert.deepEqual(answer[0], {
      id: 'window:w1',
      local: true,
      userId,
      name: OTHER_WINDOW_NAME,
      colorIndex: colorIndexOf(userId),
      selection: { anchor: 1, head: 1, anchorRel: null, headRel: null },
    });
    assert.deepEqual(carets(box.last('w1')), [`${OTHER_WINDOW_NAME}@5`], 'w1 sees w2 arrive, synchronously');
    assert.equal(box.of('w2').length, 0, 'w2 got its answer, no event about itself');

    // A caret move reaches the other window at once; a keep-alive (same selection) sends nothing.
    await update('w1', { anchor: 2, head: 2 });
    assert.deepEqual(carets(box.last('w2')), [`${OTHER_WINDOW_NAME}@2`]);
    const events = box.all().length;
    await update('w1', { anchor: 2, head: 2 });
    await update('w2', { anchor: 3, head: 5 });
    assert.equal(box.all().length, events, 'keep-alives publish nothing');

    // Relative positions (bytes) reach the other window as they were sent.
    const rel = new Uint8Array([7, 8, 9]);
    await call(
      core,
      'presence.update',
      {
        accountId: LOCAL_ACCOUNT_ID,
        documentId: page.id,
        selection: { anchor: 4, head: 4, anchorRel: rel, headRel: rel },
      },
      'w1',
    );
    assert.deepEqual([...(box.last('w2')?.[0]?.selection?.headRel ?? [])], [7, 8, 9]);

    // A third window: everyone sees the two others; nobody ever sees themselves.
    await update('w3', null);
    assert.equal(box.last('w1')?.length, 2);
    assert.equal(box.last('w2')?.length, 2);
    for (const senderId of ['w1', 'w2', 'w3'])
      for (const list of box.of(senderId))
        assert.ok(!list.some((v) => v.id === `window:${senderId}`), `${senderId} never sees its own caret`);

    // Leaving the page (presence.leave or document.close) and a window going away remove it at once.
    await call(core, 'presence.leave', { accountId: LOCAL_ACCOUNT_ID, documentId: page.id }, 'w3');
    assert.deepEqual(carets(box.last('w1')), [`${OTHER_WINDOW_NAME}@5`]);
    core.senderGone('w2');
    assert.deepEqual(box.last('w1'), [], 'a closed window disappears at once');
    assert.deepEqual(await update('w1', { anchor: 2, head: 2 }), []);
  });

  it('a window that goes silent times out for the others', async () => {
    const core = await openDevice(302, { sync: PRESENCE });
    const { page } = await createLocalPage(core, 'Silent window');
    const box = inbox(core, page.id, ['w1', 'w2']);
    const alive = setInterval(() => void report(core, LOCAL_ACCOUNT_ID, 'w1', page.id, null), 100);
    after(() => clearInterval(alive));
    await report(core, LOCAL_ACCOUNT_ID, 'w1', page.id, null);
    await report(core, LOCAL_ACCOUNT_ID, 'w2', page.id, { anchor: 1, head: 1 });
    assert.equal(box.last('w1')?.length, 1);
    await waitFor('w2 timed out on w1', () => box.last('w1')?.length === 0, 5_000);
  });

  it('unknown pages and accounts are refused quietly or plainly', async () => {
    const core = await openDevice(303, { sync: PRESENCE });
    assert.deepEqual(await report(core, LOCAL_ACCOUNT_ID, 'w1', 'no-such-page', null), []);
    const result = await core.router.dispatch(
      'presence.update',
      { accountId: 'nobody', documentId: 'x', selection: null },
      { senderId: 'w1' },
    );
    assert.equal(result.ok, false);
  });

  it('with a server: other devices see one viewer per device (the active window); our windows see each other and them', async () => {
    const server = await startTestServer();
    const annToken = server.createToken('ann');
    const proxy = await FaultProxy.start(server.url);
    const a = await signIn(await openDevice(304, { sync: PRESENCE }), proxy.url, annToken);
    await shareNotebook(server.url, annToken, a.notebookId, 'bob');
    const b = await signIn(
      await openDevice(305, { sync: PRESENCE }),
      server.url,
      server.createToken('bob'),
      a.notebookId,
    );
    const section = await createNode(a, 'section', null, 'Together');
    const page = await createNode(a, 'page', section.id, 'Shared page');
    await waitFor('the page on B', async () =>
      (await call(b.core, 'node.tree', { accountId: b.accountId, notebookId: b.notebookId })).some(
        (n) => n.id === page.id,
      ),
    );
    const onA = inbox(a.core, page.id, ['a1', 'a2']);
    const onB = inbox(b.core, page.id, ['b1']);
    const update = (d: Device, senderId: string, selection: Selection) =>
      report(d.core, d.accountId, senderId, page.id, selection);

    await update(b, 'b1', null);
    await update(a, 'a1', { anchor: 1, head: 1 });
    await update(a, 'a2', { anchor: 9, head: 9 });
    // B: one viewer for device A, with the window that moved last (a2).
    await waitFor('A (a2) on B', () => carets(onB.last('b1')).join() === 'ann@9');
    // A's windows: bob (remote viewers first), then each other.
    await waitFor('bob on a1', () => carets(onA.last('a1')).join() === `bob@-,${OTHER_WINDOW_NAME}@9`);
    await waitFor('bob on a2', () => carets(onA.last('a2')).join() === `bob@-,${OTHER_WINDOW_NAME}@1`);

    // The person goes back to a1 and types there: B follows a1; a2's keep-alives do not take it back.
    await update(a, 'a1', { anchor: 4, head: 4 });
    await waitFor('a1 is active on B', () => carets(onB.last('b1')).join() === 'ann@4');
    for (let i = 0; i < 5; i++) {
      await update(a, 'a2', { anchor: 9, head: 9 });
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    assert.equal(carets(onB.last('b1')).join(), 'ann@4');
    // a1 loses focus (null): the focused a2 is what B sees.
    await update(a, 'a1', null);
    await waitFor('a2 again on B', () => carets(onB.last('b1')).join() === 'ann@9');

    // a2 closes: B still sees A (a1, unfocused); a1 sees bob only.
    a.core.senderGone('a2');
    assert.deepEqual(carets(onA.last('a1')), ['bob@-']);
    await waitFor('A unfocused on B', () => carets(onB.last('b1')).join() === 'ann@-');
    // The last window leaves: A is gone from B.
    a.core.senderGone('a1');
    await waitFor('A gone on B', () => onB.last('b1')?.length === 0);
    for (const list of onB.of('b1'))
      assert.ok(
        list.every((v) => !v.local),
        'B sees no local windows',
      );
  });
});
