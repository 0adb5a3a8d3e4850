import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as Y from 'yjs';
import { MutationType } from '../../src/shared/model/mutations';
import { consolidatePending, MAX_CONSOLIDATED_BYTES } from '../../src/main/outbox/consolidation';
import { call } from '../support/core';
import {
  createNode,
  FaultProxy,
  openDevice,
  PageEditor,
  ProxyMode,
  signIn,
  startTestServer,
  storedDoc,
  syncStatus,
  waitFor,
  waitUpToDate,
  type Device,
} from '../support/sync';

const db = (d: Device) => d.core.account(d.accountId).replica.db;

interface Row {
  id: string;
  type: string;
  objectId: string;
  status: string;
  bytes: number;
}

const outbox = (d: Device): Row[] =>
  db(d)
    .prepare(
      `SELECT id, type, object_id AS objectId, status, length(payload) AS bytes FROM outbox ORDER BY seq`,
    )
    .all() as Row[];

const pendingUpdates = (d: Device, documentId: string): number =>
  db(d)
    .prepare('SELECT count(*) FROM document_updates WHERE document_id = ?')
    .pluck()
    .get(documentId) as number;

const paragraphs = (doc: Y.Doc): string[] =>
  doc
    .getXmlFragment('default')
    .toArray()
    .map((p) => (p as Y.XmlElement).toString());

/** A (behind a proxy it can lose the network through) and B, the same user, on one notebook with pages. */
async function setup(pageNames: string[]) {
  const server = await startTestServer();
  const proxy = await FaultProxy.start(server.url);
  const a = await signIn(await openDevice(81), proxy.url, server.createToken('ann'));
  const b = await signIn(await openDevice(82), server.url, server.createToken('ann'));
  const section = await createNode(a, 'section', null, 'Drafts');
  const pages = [];
  for (const name of pageNames) pages.push(await createNode(a, 'page', section.id, name));
  await waitUpToDate(a.core, a.accountId);
  const goOffline = async (): Promise<void> => {
    proxy.cut();
    await waitFor('A offline', async () => (await syncStatus(a.core, a.accountId)).connection === 'offline');
  };
  return { server, proxy, a, b, pages, goOffline };
}

describe('outbox consolidation (docs/decisions/0008-outbox-consolidation.md)', () => {
  it('merges each page’s offline keystrokes into one mutation, per page only, never past its delete', async () => {
    const { proxy, a, b, pages, goOffline } = await setup(['P', 'Q', 'R']);
    const [p, q, r] = pages as [(typeof pages)[0], (typeof pages)[0], (typeof pages)[0]];
    await goOffline();
    const onP = await PageEditor.open(a.core, a.accountId, p);
    const onQ = await PageEditor.open(a.core, a.accountId, q);
    const onR = await PageEditor.open(a.core, a.accountId, r);
    // Interleaved typing: P's and Q's keystrokes alternate in the outbox.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 10; i++) await onP.type(`p${round}.${i}`);
      for (let i = 0; i < 10; i++) await onQ.type(`q${round}.${i}`);
    }
    for (let i = 0; i < 5; i++) await onR.type(`r${i}`);
    await onR.close();
    await call(a.core, 'node.purge', { accountId: a.accountId, nodeId: r.id });
    const pBefore = onP.text();
    // The sender's retries while offline may have merged some already; merging again changes nothing more.
    consolidatePending(db(a), a.notebookId);
    assert.equal(consolidatePending(db(a), a.notebookId), 0);
    const rows = outbox(a);
    // Each run takes its last keystroke's place: P's, then Q's (the last round), R's, then R's delete.
    assert.deepEqual(
      rows.map((row) => [row.type, row.objectId]),
      [
        [MutationType.documentUpdate, p.id],
        [MutationType.documentUpdate, q.id],
        [MutationType.documentUpdate, r.id],
        [MutationType.nodeDelete, r.id],
      ],
    );
    // Local state is what it was: one pending update per page instead of thirty, same content.
    assert.equal(pendingUpdates(a, p.id), 1);
    assert.equal(pendingUpdates(a, q.id), 1);
    assert.equal(fragment(await storedDoc(a.core, a.accountId, p.id)), pBefore);

    proxy.restore();
    await call(a.core, 'sync.now', { accountId: a.accountId });
    await waitUpToDate(a.core, a.accountId);
    assert.equal((await syncStatus(a.core, a.accountId)).rejected, 0, 'nothing refused');
    await waitFor('P and Q on B', async () => {
      const [pOnB, qOnB] = await Promise.all([
        storedDoc(b.core, b.accountId, p.id),
        storedDoc(b.core, b.accountId, q.id),
      ]);
      return fragment(pOnB) === pBefore && fragment(qOnB) === onQ.text();
    });
    await onP.close();
    await onQ.close();
  });

  it('a merge that repeats content the server already applied (its answer was lost) duplicates nothing', async () => {
    const { proxy, a, b, pages, goOffline } = await setup(['P']);
    const page = pages[0]!;
    const onA = await PageEditor.open(a.core, a.accountId, page);
    // The server applies these, but A never hears it: they stay pending, maybe delivered.
    proxy.mode = ProxyMode.loseMutationAnswers;
    for (let i = 0; i < 10; i++) await onA.type(`lost-answer ${i}`);
    await waitFor('a lost answer', () => proxy.lostMutationAnswers > 0);
    await goOffline();
    for (let i = 0; i < 10; i++) await onA.type(`offline ${i}`);
    assert.ok(outbox(a).length > 0, 'the unconfirmed keystrokes are still pending');
    proxy.restore();
    await call(a.core, 'sync.now', { accountId: a.accountId });
    await waitUpToDate(a.core, a.accountId);

    const onServer = await waitFor('every keystroke on B', async () => {
      const doc = await storedDoc(b.core, b.accountId, page.id);
      return paragraphs(doc).length >= 20 ? doc : null;
    });
    const texts = paragraphs(onServer);
    for (const expected of [
      ...Array.from({ length: 10 }, (_, i) => `lost-answer ${i}`),
      ...Array.from({ length: 10 }, (_, i) => `offline ${i}`),
    ])
      assert.equal(texts.filter((t) => t.includes(`>${expected}<`)).length, 1, `"${expected}" exactly once`);
    assert.equal(fragment(onServer), onA.text());
    await onA.close();
  });

  it('leaves rejected mutations as they are and splits runs above the size cap', async () => {
    const { a, pages, goOffline } = await setup(['P']);
    const page = pages[0]!;
    await goOffline();
    const onA = await PageEditor.open(a.core, a.accountId, page);
    for (let i = 0; i < 6; i++) await onA.type(`before ${i}`);
    const third = outbox(a)[2]!;
    db(a).prepare("UPDATE outbox SET status = 'rejected' WHERE id = ?").run(third.id);
    // 40 keystrokes of ~10 KB: 400 KB, above the cap for one merged update.
    const big = 'x'.repeat(10 * 1024);
    for (let i = 0; i < 40; i++) await onA.type(`${i} ${big}`);

    consolidatePending(db(a), a.notebookId);
    const rows = outbox(a);
    const rejected = rows.filter((row) => row.status === 'rejected');
    assert.deepEqual(
      rejected.map((row) => row.id),
      [third.id],
      'the rejected row is untouched',
    );
    const pending = rows.filter((row) => row.status === 'pending');
    assert.ok(
      pending.length >= 2,
      `a run above ${MAX_CONSOLIDATED_BYTES} bytes is split (${pending.length})`,
    );
    assert.ok(pending.length <= 3, `but not more than needed (${pending.length})`);
    for (const row of pending)
      assert.ok(row.bytes < MAX_CONSOLIDATED_BYTES * 1.4 + 20 * 1024, `merged row of ${row.bytes} bytes`);
    assert.equal(fragment(await storedDoc(a.core, a.accountId, page.id)), onA.text());
    await onA.close();
  });
});

function fragment(doc: Y.Doc): string {
  return doc.getXmlFragment('default').toString();
}
