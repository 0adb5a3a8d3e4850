import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as Y from 'yjs';
import type { CommandInput, NodeView, PresenceViewerView } from '../../src/shared/contract';
import { colorIndexOf } from '../../src/main/presence/presence';
import { call } from '../support/core';
import { seededRandom } from '../support/random';
import {
  addAccount,
  createNode,
  FaultProxy,
  findNode,
  openDevice,
  PageEditor,
  presenceLog,
  ProxyMode,
  shareNotebook,
  signIn,
  startTestServer,
  storedDoc,
  syncStatus,
  waitFor,
  waitUpToDate,
  type Device,
} from '../support/sync';

/** A new device signed in to `serverUrl` as `token`'s user, on that user's default notebook. */
const device = async (seed: number, serverUrl: string, token: string): Promise<Device> =>
  signIn(await openDevice(seed), serverUrl, token);

async function waitForNode(d: Device, nodeId: string, what = nodeId): Promise<NodeView> {
  return waitFor(`${what} on ${d.accountId}`, () => findNode(d.core, d.accountId, d.notebookId, nodeId));
}

/** A REST call as `token`'s user (what another client or the web app would do). */
async function rest(serverUrl: string, token: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${serverUrl}/api/v1/notes${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
  return (await response.json()) as unknown;
}

const fragmentText = (doc: Y.Doc): string => doc.getXmlFragment('default').toString();

describe('sync between two devices through the reference server', () => {
  it('a page created and typed on A appears on B', async () => {
    const server = await startTestServer();
    const token = server.createToken('ann');
    const a = await device(11, server.url, token);
    const b = await device(12, server.url, server.createToken('ann'));
    const section = await createNode(a, 'section', null, 'Work');
    const page = await createNode(a, 'page', section.id, 'Plan');
    const editorA = await PageEditor.open(a.core, a.accountId, page);
    await editorA.type('hello from A');

    const onB = await waitForNode(b, page.id, 'the page');
    assert.equal(onB.name, 'Plan');
    assert.equal(onB.parentId, section.id);
    assert.equal(onB.rootId, section.id);
    await waitFor('the text on B', async () =>
      fragmentText(await storedDoc(b.core, b.accountId, page.id)).includes('hello from A'),
    );
    await waitUpToDate(a.core, a.accountId);
    const status = await syncStatus(a.core, a.accountId);
    assert.equal(status.pending, 0);
    assert.ok(status.lastSyncedAt !== null);

    // Renames travel as node updates; B's open editor receives A's keystrokes live.
    const editorB = await PageEditor.open(b.core, b.accountId, onB);
    await call(a.core, 'node.update', { accountId: a.accountId, nodeId: page.id, name: 'Plan v2' });
    await editorA.type('second line');
    await waitFor('the rename on B', async () => (await waitForNode(b, page.id)).name === 'Plan v2');
    await waitFor('the live edit in B’s editor', () => editorB.text().includes('second line'));
  });

  it('offline edits on A and concurrent edits on B converge to the same state with every edit', async () => {
    const server = await startTestServer();
    const proxy = await FaultProxy.start(server.url);
    const a = await device(21, proxy.url, server.createToken('cat'));
    const b = await device(22, server.url, server.createToken('cat'));
    const section = await createNode(a, 'section', null, 'Shared');
    const page = await createNode(a, 'page', section.id, 'Draft');
    const editorA = await PageEditor.open(a.core, a.accountId, page);
    await editorA.type('base');
    const pageOnB = await waitForNode(b, page.id, 'the page');
    const editorB = await PageEditor.open(b.core, b.accountId, pageOnB);
    await waitFor('the base text on B', () => editorB.text().includes('base'));

    proxy.cut();
    await waitFor('A offline', async () => (await syncStatus(a.core, a.accountId)).connection === 'offline');
    const random = seededRandom(2024);
    const words = (prefix: string) =>
      Array.from({ length: 25 }, (_, i) => `${prefix}${i}-${Math.floor(random() * 1e6)}`);
    const fromA = words('a');
    const fromB = words('b');
    for (let i = 0; i < fromA.length; i++) {
      await editorA.type(fromA[i]!);
      await editorB.type(fromB[i]!);
    }
    await call(a.core, 'node.update', { accountId: a.accountId, nodeId: page.id, name: 'Renamed offline' });
    const offline = await syncStatus(a.core, a.accountId);
    assert.equal(offline.connection, 'offline');
    assert.equal(offline.pending, fromA.length + 1);

    proxy.restore();
    await waitUpToDate(a.core, a.accountId);
    await waitUpToDate(b.core, b.accountId);
    const expected = [...fromA, ...fromB];
    const converged = async (d: Device) => {
      const text = fragmentText(await storedDoc(d.core, d.accountId, page.id));
      return expected.every((w) => text.includes(w));
    };
    await waitFor('every edit on A', () => converged(a));
    await waitFor('every edit on B', () => converged(b));
    const docA = await storedDoc(a.core, a.accountId, page.id);
    const docB = await storedDoc(b.core, b.accountId, page.id);
    assert.equal(fragmentText(docA), fragmentText(docB));
    assert.deepEqual(Y.encodeStateVector(docA), Y.encodeStateVector(docB));
    assert.equal(editorA.text(), editorB.text());
    assert.equal((await waitForNode(b, page.id)).name, 'Renamed offline');
  });

  it('a permanent rejection is kept with its local content and listed; discard is explicit', async () => {
    const server = await startTestServer();
    const ownerToken = server.createToken('olga');
    const viewerToken = server.createToken('vic');
    const owner = await device(31, server.url, ownerToken);
    const section = await createNode(owner, 'section', null, 'Read-only for Vic');
    const page = await createNode(owner, 'page', section.id, 'Original');
    await waitUpToDate(owner.core, owner.accountId);
    // Vic is a guest of Olga's notebook with an explicit viewer grant on the section: he may read, not edit.
    const invited = (await rest(server.url, ownerToken, 'POST', `/notebooks/${owner.notebookId}/users`, {
      users: [{ username: 'vic', role: 'guest' }],
    })) as { users: { id: string }[] };
    await rest(
      server.url,
      ownerToken,
      'POST',
      `/notebooks/${owner.notebookId}/nodes/${section.id}/collaborators`,
      {
        collaboratorId: invited.users[0]!.id,
        role: 'viewer',
      },
    );
    const core = await openDevice(32);
    const account = await addAccount(core, server.url, viewerToken);
    const viewer: Device = { core, accountId: account.id, notebookId: owner.notebookId };
    await waitForNode(viewer, page.id, 'the shared page');

    await call(core, 'node.update', { accountId: viewer.accountId, nodeId: page.id, name: 'Renamed by Vic' });
    await waitFor('the rejection', async () => (await syncStatus(core, viewer.accountId)).rejected === 1);
    const [rejected, ...others] = await call(core, 'sync.outbox', { accountId: viewer.accountId });
    assert.equal(others.length, 0);
    assert.equal(rejected!.status, 'rejected');
    assert.equal(rejected!.type, 'node.update');
    assert.equal(rejected!.objectId, page.id);
    assert.match(rejected!.lastError ?? '', /^403: you are not allowed/);
    assert.match(rejected!.payload, /"updateId"/);
    assert.equal((await waitForNode(viewer, page.id)).name, 'Renamed by Vic', 'kept locally, not reverted');
    assert.equal((await syncStatus(core, viewer.accountId)).pending, 0);
    assert.equal((await waitForNode(owner, page.id)).name, 'Original');

    // Retry sends it again (still refused); only discard reverts, and only this change.
    await call(core, 'sync.retry', { accountId: viewer.accountId, mutationId: rejected!.id });
    await waitFor('the second refusal', async () => {
      const [row] = await call(core, 'sync.outbox', { accountId: viewer.accountId });
      return row?.status === 'rejected' && row.attempts === 2;
    });
    await call(core, 'sync.discard', { accountId: viewer.accountId, mutationId: rejected!.id });
    assert.deepEqual(await call(core, 'sync.outbox', { accountId: viewer.accountId }), []);
    assert.equal((await waitForNode(viewer, page.id)).name, 'Original');
  });

  it('retries transient 503s with backoff until the server accepts', async () => {
    const server = await startTestServer();
    const proxy = await FaultProxy.start(server.url);
    const a = await device(41, proxy.url, server.createToken('eve'));
    const b = await device(42, server.url, server.createToken('eve'));
    await waitUpToDate(a.core, a.accountId);
    proxy.mode = ProxyMode.failMutations;
    const section = await createNode(a, 'section', null, 'Through the outage');
    const waiting = await waitFor('three refused attempts', async () => {
      const [row] = await call(a.core, 'sync.outbox', { accountId: a.accountId });
      return row && row.attempts >= 3 ? row : undefined;
    });
    assert.ok(proxy.failedMutationBatches >= 3);
    assert.equal(waiting.status, 'pending');
    assert.match(waiting.lastError ?? '', /503/);
    assert.match((await syncStatus(a.core, a.accountId)).lastError ?? '', /503/);
    proxy.restore();
    await waitUpToDate(a.core, a.accountId);
    await waitForNode(b, section.id, 'the section on B');
  });

  it('a batch applied by the server whose answer was lost is re-sent and confirmed once', async () => {
    const server = await startTestServer();
    const proxy = await FaultProxy.start(server.url);
    const a = await device(45, proxy.url, server.createToken('ivy'));
    const b = await device(46, server.url, server.createToken('ivy'));
    const section = await createNode(a, 'section', null, 'S');
    const page = await createNode(a, 'page', section.id, 'P');
    const editor = await PageEditor.open(a.core, a.accountId, page);
    await waitUpToDate(a.core, a.accountId);
    proxy.mode = ProxyMode.loseMutationAnswers;
    await editor.type('exactly-once');
    await waitFor('a lost answer', () => proxy.lostMutationAnswers >= 1);
    proxy.restore();
    await waitUpToDate(a.core, a.accountId);
    assert.deepEqual(await call(a.core, 'sync.outbox', { accountId: a.accountId }), []);
    await waitForNode(b, page.id);
    const onB = await waitFor('the text on B', async () => {
      const text = fragmentText(await storedDoc(b.core, b.accountId, page.id));
      return text.includes('exactly-once') ? text : undefined;
    });
    assert.equal(onB.split('exactly-once').length - 1, 1);
    assert.equal(fragmentText(await storedDoc(a.core, a.accountId, page.id)), onB);
  });

  it('cross-section moves are refused on server accounts', async () => {
    const server = await startTestServer();
    const a = await device(51, server.url, server.createToken('fay'));
    const one = await createNode(a, 'section', null, 'One');
    const two = await createNode(a, 'section', null, 'Two');
    const page = await createNode(a, 'page', one.id, 'P');
    const result = await a.core.router.dispatch(
      'node.move',
      { accountId: a.accountId, nodeId: page.id, parentId: two.id, position: {} },
      { senderId: 't' },
    );
    assert.equal(!result.ok && result.error.code, 'bad_request');
    assert.match(!result.ok ? result.error.message : '', /within their section/);
  });

  it('an empty replica joining a full notebook deletes nothing', async () => {
    const server = await startTestServer();
    const token = server.createToken('gus');
    const a = await device(61, server.url, token);
    const random = seededRandom(61);
    const sections = [await createNode(a, 'section', null, 'S1'), await createNode(a, 'section', null, 'S2')];
    const pages: NodeView[] = [];
    for (let i = 0; i < 12; i++) {
      const page = await createNode(a, 'page', sections[Math.floor(random() * 2)]!.id, `Page ${i}`);
      pages.push(page);
      await (await PageEditor.open(a.core, a.accountId, page)).type(`content ${i}`);
    }
    await call(a.core, 'node.trash', { accountId: a.accountId, nodeId: pages[0]!.id });
    await waitUpToDate(a.core, a.accountId);
    const treeOf = async (d: Device) =>
      (await call(d.core, 'node.tree', { accountId: d.accountId, notebookId: d.notebookId }))
        .map((n) => `${n.id}:${n.name}:${n.parentId}`)
        .sort();
    const before = await treeOf(a);

    const c = await device(62, server.url, token);
    await waitFor('the whole tree on the new device', async () => (await treeOf(c)).length === before.length);
    await waitUpToDate(c.core, c.accountId);
    assert.deepEqual(await treeOf(c), before);
    for (const page of pages.slice(1))
      assert.ok(
        fragmentText(await storedDoc(c.core, c.accountId, page.id)).includes(
          `content ${pages.indexOf(page)}`,
        ),
      );
    // Nothing the joining device did (or did not have) removed anything on A or on the server.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(await treeOf(a), before);
    assert.deepEqual(await call(c.core, 'sync.outbox', { accountId: c.accountId }), []);
    const d = await device(63, server.url, token);
    await waitFor(
      'a third device sees the same tree',
      async () => (await treeOf(d)).length === before.length,
    );
  });
});

describe('live presence between two users through the reference server', () => {
  const PRESENCE = { presence: { minIntervalMs: 30, keepAliveMs: 150, staleMs: 600 } };

  async function twoViewers() {
    const server = await startTestServer();
    const annToken = server.createToken('ann');
    const proxy = await FaultProxy.start(server.url);
    const a = await signIn(await openDevice(201, { sync: PRESENCE }), proxy.url, annToken);
    await shareNotebook(server.url, annToken, a.notebookId, 'bob');
    const b = await signIn(
      await openDevice(202, { sync: PRESENCE }),
      server.url,
      server.createToken('bob'),
      a.notebookId,
    );
    const section = await createNode(a, 'section', null, 'Together');
    const page = await createNode(a, 'page', section.id, 'Shared page');
    await waitForNode(b, page.id, 'the shared page');
    const annId = a.core.account(a.accountId).replica.userId;
    return { a, b, page, proxy, annId };
  }

  const update = (
    d: Device,
    senderId: string,
    documentId: string,
    selection: CommandInput<'presence.update'>['selection'],
  ) => call(d.core, 'presence.update', { accountId: d.accountId, documentId, selection }, senderId);

  it('B sees A join with its name, colour and caret, follows the caret (rate-limited) and sees A leave', async () => {
    const { a, b, page, annId } = await twoViewers();
    const onB = presenceLog(b.core, page.id);
    // Where the first list B was shown from `from` on that `match` accepts is in B's log (not only the latest:
    // a later list may already say something else by the time a poll looks).
    const shownOnB = (from: number, match: (list: PresenceViewerView[]) => boolean) => () => {
      const at = onB.lists.findIndex((list, i) => i >= from && match(list));
      return at < 0 ? undefined : at;
    };
    await update(b, 'window-b', page.id, null);
    const joined = onB.lists.length;
    // Window a keeps reporting its caret, as the renderer does: reported once, it goes stale on A after 600 ms,
    // and on a loaded machine (a late tick, a socket re-opened) that came before the next frame reached B.
    type Selection = Parameters<typeof update>[3];
    let caretA: Selection = { anchor: 1, head: 3 };
    const moveA = (selection: Selection) => {
      caretA = selection;
      return update(a, 'window-a', page.id, selection);
    };
    let lastReport: Promise<unknown> = Promise.resolve();
    const aAlive = setInterval(() => {
      lastReport = update(a, 'window-a', page.id, caretA);
    }, 100);
    after(() => clearInterval(aAlive));
    await moveA(caretA);
    const ann =
      onB.lists[
        await waitFor(
          'A on B',
          shownOnB(joined, (list) => list.length === 1),
        )
      ]![0]!;
    assert.equal(ann.userId, annId);
    assert.equal(ann.name, 'ann');
    assert.equal(ann.colorIndex, colorIndexOf(annId));
    assert.deepEqual(ann.selection, { anchor: 1, head: 3, anchorRel: null, headRel: null });
    // A newcomer is told who is already there: A's `presence.update` answers B.
    await waitFor(
      'B in the answer to A',
      async () => (await update(a, 'window-a', page.id, { anchor: 1, head: 3 })).length === 1,
    );

    // 200 caret moves in a burst reach B rate-limited (at most one frame per minIntervalMs, 30 ms here), the
    // last one being the final caret. The bound follows the time the burst took: a fixed 40 frames (1.2 s of
    // moves) could fail whenever a loaded machine took longer than that over the 200 calls.
    const before = onB.lists.length;
    const startedAt = Date.now();
    for (let i = 1; i <= 200; i++) await moveA({ anchor: i, head: i });
    const final = await waitFor(
      'the final caret on B',
      shownOnB(before, (list) => list[0]?.selection?.head === 200),
    );
    const frames = final - before + 1;
    const allowed = Math.ceil((Date.now() - startedAt) / PRESENCE.presence.minIntervalMs) + 1;
    assert.ok(frames <= allowed, `${frames} presence frames for 200 caret moves (${allowed} allowed)`);

    // Relative positions travel as bytes and come back as bytes.
    const rel = new Uint8Array([1, 2, 3, 4]);
    const relSent = onB.lists.length;
    await moveA({ anchor: 2, head: 2, anchorRel: rel, headRel: rel });
    await waitFor(
      'relative positions on B',
      shownOnB(relSent, (list) => list[0]?.selection?.headRel?.join() === '1,2,3,4'),
    );

    // No report may land after the leave (it would bring window a back until it goes stale).
    clearInterval(aAlive);
    await lastReport;
    await call(a.core, 'presence.leave', { accountId: a.accountId, documentId: page.id }, 'window-a');
    await waitFor('A gone on B', () => onB.lists.at(-1)?.length === 0);

    // A window that goes away without a word (closed tab, crashed renderer) leaves at once, not after a timeout.
    const back = onB.lists.length;
    await update(a, 'window-a2', page.id, { anchor: 1, head: 1 });
    await waitFor(
      'A back on B',
      shownOnB(back, (list) => list.length === 1),
    );
    a.core.senderGone('window-a2');
    await waitFor('A gone on B at once', () => onB.lists.at(-1)?.length === 0, 500);
  });

  it('a viewer leaves when its window goes silent and when its connection drops; invalid input is refused', async () => {
    const { a, b, page, proxy } = await twoViewers();
    const onB = presenceLog(b.core, page.id);
    await update(b, 'window-b', page.id, null);
    // B's window keeps reporting, as the renderer does.
    const bAlive = setInterval(() => void update(b, 'window-b', page.id, null), 100);
    after(() => clearInterval(bAlive));
    // Window a reports once and then never again (a crashed renderer): it times out.
    await update(a, 'window-a', page.id, { anchor: 1, head: 1 });
    await waitFor('A on B', () => onB.lists.at(-1)?.length === 1);
    await waitFor('A timed out on B', () => onB.lists.at(-1)?.length === 0, 5_000);

    // A keeps reporting, then its socket is cut: the server tells B that A left.
    const keepAlive = setInterval(() => void update(a, 'window-a', page.id, { anchor: 1, head: 1 }), 100);
    try {
      await waitFor('A back on B', () => onB.lists.at(-1)?.length === 1);
      proxy.cut();
      await waitFor('A gone after the cut', () => onB.lists.at(-1)?.length === 0, 5_000);
      proxy.restore();
      await waitFor('A back after reconnecting', () => onB.lists.at(-1)?.length === 1, 10_000);
    } finally {
      clearInterval(keepAlive);
    }

    const refused = await a.core.router.dispatch(
      'presence.update',
      { accountId: a.accountId, documentId: page.id, selection: { anchor: -1, head: 'x' } },
      { senderId: 'window-a' },
    );
    assert.equal(refused.ok, false);
    const tooBig = await a.core.router.dispatch(
      'presence.update',
      {
        accountId: a.accountId,
        documentId: page.id,
        selection: { anchor: 1, head: 1, headRel: new Uint8Array(300) },
      },
      { senderId: 'window-a' },
    );
    assert.equal(tooBig.ok, false);
  });
});
