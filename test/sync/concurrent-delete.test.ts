import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import type { NodeView } from '../../src/shared/contract';
import { call } from '../support/core';
import {
  createNode,
  FaultProxy,
  findNode,
  NO_FRAME_FAULTS,
  openDevice,
  PageEditor,
  signIn,
  startTestServer,
  storedDoc,
  syncStatus,
  waitFor,
  waitUpToDate,
  type Device,
} from '../support/sync';

/**
 * Deletions racing other changes (docs/sync-protocol.md §1 "Deleted parents", §8 tombstones): a page moved or
 * created under a page another device deletes, text typed offline in a section deleted meanwhile, and a late
 * stream output of a section that is already gone. Every replica and the server must end up alike, with no
 * node outside the tree and no text lost without a trace.
 */

interface World {
  server: Awaited<ReturnType<typeof startTestServer>>;
  token: string;
  a: Device;
  b: Device;
  proxyA: FaultProxy;
  proxyB: FaultProxy;
  section: NodeView;
  p: NodeView;
  x: NodeView;
}

/** Two devices of one user, each behind its own proxy; a section with pages P and X, synced everywhere. */
async function world(seed: number): Promise<World> {
  const server = await startTestServer();
  const token = server.createToken('dana');
  const proxyA = await FaultProxy.start(server.url);
  const proxyB = await FaultProxy.start(server.url);
  // Frame by frame (without faults), so a test can hold a server frame back and deliver it late.
  proxyB.frameFaults = NO_FRAME_FAULTS;
  const a = await signIn(await openDevice(seed), proxyA.url, token);
  const b = await signIn(await openDevice(seed + 1), proxyB.url, token);
  const section = await createNode(a, 'section', null, 'Projects');
  const p = await createNode(a, 'page', section.id, 'P');
  const x = await createNode(a, 'page', section.id, 'X');
  const editor = await PageEditor.open(a.core, a.accountId, x);
  await editor.type('x-base');
  await editor.close();
  await waitUpToDate(a.core, a.accountId);
  await waitFor('X and its text on B', async () =>
    (await hasNode(b, x.id)) ? (await textOf(b, x.id)).includes('x-base') : false,
  );
  await waitUpToDate(b.core, b.accountId);
  return { server, token, a, b, proxyA, proxyB, section, p, x };
}

const hasNode = async (d: Device, id: string): Promise<boolean> =>
  (await findNode(d.core, d.accountId, d.notebookId, id)) !== undefined;

const textOf = async (d: Device, id: string): Promise<string> =>
  (await storedDoc(d.core, d.accountId, id)).getXmlFragment('default').toString();

/** Every node a replica stores for the notebook (trash included), as `id parent name`, sorted. */
async function replicaTree(d: Device, rootId: string): Promise<string[]> {
  const { core, accountId, notebookId } = d;
  const nodes = [
    ...(await call(core, 'node.tree', { accountId, notebookId })),
    ...(await call(core, 'node.trashList', { accountId, notebookId })),
  ];
  const ids = new Set(nodes.map((n) => n.id));
  for (const n of nodes)
    if (n.parentId !== null) assert.ok(ids.has(n.parentId), `${n.name} (${n.id}) is outside the tree`);
  return [
    ...new Set(nodes.filter((n) => n.rootId === rootId).map((n) => `${n.id} ${n.parentId} ${n.name}`)),
  ].sort();
}

/** The server's nodes of one section, in the same shape. */
async function serverTree(w: World, rootId: string): Promise<string[]> {
  const response = await fetch(
    `${w.server.url}/api/v1/notes/notebooks/${w.a.notebookId}/nodes?rootId=${rootId}&limit=500`,
    { headers: { authorization: `Bearer ${w.token}` } },
  );
  assert.equal(response.status, 200);
  const { nodes } = (await response.json()) as {
    nodes: { id: string; parentId: string | null; name: string }[];
  };
  return nodes.map((n) => `${n.id} ${n.parentId} ${n.name}`).sort();
}

/** Both devices online, caught up, and showing exactly what the server has. */
async function converged(w: World): Promise<string[]> {
  for (const d of [w.a, w.b]) {
    await call(d.core, 'sync.now', { accountId: d.accountId });
    await waitUpToDate(d.core, d.accountId);
  }
  // The server is read again each time: "up to date" can come just before a last stream item (a tombstone)
  // makes a device re-home a page and send it, so a snapshot taken once may be stale, and the device is
  // quiet only once that re-home has left its outbox too.
  let expected: string[] = [];
  for (const d of [w.a, w.b])
    await waitFor(
      `${d === w.a ? 'A' : 'B'} to show what the server has, with nothing left to send`,
      async () => {
        expected = await serverTree(w, w.section.id);
        const tree = await replicaTree(d, w.section.id);
        const outbox = await call(d.core, 'sync.outbox', { accountId: d.accountId });
        return tree.join('\n') === expected.join('\n') && outbox.length === 0 ? true : undefined;
      },
    ).catch(async (error: unknown) => {
      const outbox = await call(d.core, 'sync.outbox', { accountId: d.accountId });
      throw new Error(
        `${String(error)}\nserver:\n${expected.join('\n')}\nreplica:\n${(await replicaTree(d, w.section.id)).join('\n')}\noutbox: ${JSON.stringify(outbox.map((r) => [r.type, r.status, r.lastError]))}`,
      );
    });
  // Both matched the server; it must not have moved on between the two checks.
  const final = await serverTree(w, w.section.id);
  assert.deepEqual(await replicaTree(w.a, w.section.id), final);
  assert.deepEqual(await replicaTree(w.b, w.section.id), final);
  return final;
}

/** The text of every page of the device's Local account. */
async function localTexts(d: Device): Promise<string[]> {
  const texts: string[] = [];
  for (const notebook of await call(d.core, 'notebook.list', { accountId: LOCAL_ACCOUNT_ID })) {
    const nodes = await call(d.core, 'node.tree', { accountId: LOCAL_ACCOUNT_ID, notebookId: notebook.id });
    for (const n of nodes.filter((node) => node.type === 'page'))
      texts.push((await storedDoc(d.core, LOCAL_ACCOUNT_ID, n.id)).getXmlFragment('default').toString());
  }
  return texts;
}

const purge = (d: Device, nodeId: string) => call(d.core, 'node.purge', { accountId: d.accountId, nodeId });

async function offline(d: Device, proxy: FaultProxy): Promise<void> {
  proxy.cut();
  await waitFor('offline', async () => (await syncStatus(d.core, d.accountId)).connection === 'offline');
}

/** A, offline, creates page Y under P and types `text` in it; meanwhile B purges P and the server has it. */
async function typedUnderPWhileBPurgesP(w: World, text: string) {
  await offline(w.a, w.proxyA);
  const y = await createNode(w.a, 'page', w.p.id, 'Y');
  const editor = await PageEditor.open(w.a.core, w.a.accountId, y);
  await editor.type(text);
  await editor.close();
  await purge(w.b, w.p.id);
  await waitUpToDate(w.b.core, w.b.accountId);
  return y;
}

describe('deletions racing moves, creates and edits', () => {
  it('(a1) A moves X under P, the server applies it, then B (offline) purges P: X goes with P everywhere', async () => {
    const w = await world(301);
    await offline(w.b, w.proxyB);
    await call(w.a.core, 'node.move', {
      accountId: w.a.accountId,
      nodeId: w.x.id,
      parentId: w.p.id,
      position: {},
    });
    await waitUpToDate(w.a.core, w.a.accountId);
    await purge(w.b, w.p.id);
    w.proxyB.restore();
    const tree = await converged(w);
    assert.deepEqual(tree, [`${w.section.id} null Projects`]);
    assert.deepEqual(await call(w.b.core, 'sync.outbox', { accountId: w.b.accountId }), []);
  });

  it('(a2) B purges P first, then A (offline) moves X under P: X stays, at the section root, with its text', async () => {
    const w = await world(311);
    await offline(w.a, w.proxyA);
    await call(w.a.core, 'node.move', {
      accountId: w.a.accountId,
      nodeId: w.x.id,
      parentId: w.p.id,
      position: {},
    });
    await purge(w.b, w.p.id);
    await waitUpToDate(w.b.core, w.b.accountId);
    w.proxyA.restore();
    const tree = await converged(w);
    const shape = tree.map((row) => row.split(' ').slice(1).join(' ')).sort();
    assert.deepEqual(shape, ['null Projects', `${w.section.id} X`].sort());
    assert.ok(tree.some((row) => row.startsWith(`${w.x.id} ${w.section.id} `)));
    for (const d of [w.a, w.b]) assert.match(await textOf(d, w.x.id), /x-base/);
    assert.deepEqual(await call(w.a.core, 'sync.outbox', { accountId: w.a.accountId }), []);
  });

  it('(b) A creates a page under P offline and types in it while B purges P: the page and its text survive', async () => {
    const w = await world(321);
    const y = await typedUnderPWhileBPurgesP(w, 'typed-offline-under-P');
    w.proxyA.restore();
    const tree = await converged(w);
    assert.ok(
      tree.some((row) => row.startsWith(`${y.id} ${w.section.id} `)),
      tree.join('\n'),
    );
    assert.ok(!tree.some((row) => row.startsWith(`${w.p.id} `)));
    for (const d of [w.a, w.b])
      await waitFor('Y’s text', async () => (await textOf(d, y.id)).includes('typed-offline-under-P'));
    assert.deepEqual(await call(w.a.core, 'sync.outbox', { accountId: w.a.accountId }), []);
    // Y was re-homed, not deleted: no second copy of it in Local › Recovered.
    assert.ok(!(await localTexts(w.a)).some((text) => text.includes('typed-offline-under-P')));
  });

  it('(b2) the same, but A’s create reaches the server (and is refused) before A hears of the purge', async () => {
    const w = await world(331);
    const y = await typedUnderPWhileBPurgesP(w, 'typed-before-refusal');
    // A's socket stays away (its HTTP works): the create is refused before any tombstone arrives.
    w.proxyA.mode = 'pass';
    w.proxyA.frameFaults = NO_FRAME_FAULTS;
    w.proxyA.dropToClient = (frame) => frame.includes('"sync.output"');
    await call(w.a.core, 'sync.now', { accountId: w.a.accountId });
    const refused = await waitFor('the refused create', async () =>
      (await call(w.a.core, 'sync.outbox', { accountId: w.a.accountId })).find(
        (row) => row.type === 'node.create' && row.status === 'rejected',
      ),
    );
    assert.match(refused.lastError ?? '', /^409/);
    assert.ok(await hasNode(w.a, y.id), 'kept locally while refused');
    w.proxyA.dropToClient = null;
    w.proxyA.cut();
    w.proxyA.restore();
    const tree = await converged(w);
    assert.ok(
      tree.some((row) => row.startsWith(`${y.id} ${w.section.id} `)),
      tree.join('\n'),
    );
    for (const d of [w.a, w.b])
      await waitFor('Y’s text', async () => (await textOf(d, y.id)).includes('typed-before-refusal'));
    assert.deepEqual(await call(w.a.core, 'sync.outbox', { accountId: w.a.accountId }), []);
  });

  it('(c) A types in X offline while B purges X’s section: the section goes everywhere, the text is kept where the user can find it', async () => {
    const w = await world(341);
    await offline(w.a, w.proxyA);
    const editor = await PageEditor.open(w.a.core, w.a.accountId, w.x);
    await editor.type('typed-in-a-deleted-section');
    await editor.close();
    await purge(w.b, w.section.id);
    await waitUpToDate(w.b.core, w.b.accountId);
    w.proxyA.restore();
    await call(w.a.core, 'sync.now', { accountId: w.a.accountId });
    for (const d of [w.a, w.b])
      await waitFor('the section gone', async () => (await replicaTree(d, w.section.id)).length === 0);
    assert.deepEqual(await serverTree(w, w.section.id), []);
    // The text typed offline is not silently lost: the refused edit stays listed in the Sync panel, or the page
    // was copied to the Local account (a deletion elsewhere that took pages with unconfirmed changes).
    await waitFor('the typed text kept somewhere recoverable', async () => {
      const outbox = await call(w.a.core, 'sync.outbox', { accountId: w.a.accountId });
      if (
        outbox.some(
          (row) => row.type === 'document.update' && row.objectId === w.x.id && row.status === 'rejected',
        )
      )
        return true;
      return (await localTexts(w.a)).some((text) => text.includes('typed-in-a-deleted-section'));
    });
    // Nothing of the section comes back afterwards (late or re-sent outputs).
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const d of [w.a, w.b]) assert.deepEqual(await replicaTree(d, w.section.id), []);
  });

  it('a late copy of a node.updates output of a section purged meanwhile does not bring its pages back (fuzz seed 325)', async () => {
    const w = await world(351);
    // B gets the output creating Z, and a copy of it is kept to be delivered again later (a retransmission).
    const z = { id: '' };
    let copy: string | null = null;
    w.proxyB.dropToClient = (frame) => {
      if (copy === null && z.id !== '' && frame.includes('"node.updates"') && frame.includes(z.id))
        copy = frame;
      return false;
    };
    z.id = (await createNode(w.a, 'page', w.section.id, 'Z')).id;
    await waitFor('Z on B', () => hasNode(w.b, z.id));
    assert.ok(copy !== null);
    await purge(w.a, w.section.id);
    await waitFor('the section gone on B', async () => (await replicaTree(w.b, w.section.id)).length === 0);
    await waitUpToDate(w.b.core, w.b.accountId);
    w.proxyB.inject(copy);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(await replicaTree(w.b, w.section.id), []);
  });
});
