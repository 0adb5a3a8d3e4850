import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PROTOCOL_VERSION, StreamType, streamKey, type StreamSpec } from '../../src/shared/api/sync-protocol';
import { createNodeState } from '../../src/shared/crdt/node-doc';
import { toBase64 } from '../../src/shared/lib/base64';
import { IdPrefix, newId } from '../../src/shared/lib/ids';
import {
  createNode,
  FaultProxy,
  hasNode,
  NO_FRAME_FAULTS,
  openDevice,
  signIn,
  startTestServer,
  syncStatus,
  waitFor,
  waitUpToDate,
  type Device,
} from '../support/sync';

/** A hostile socket peer: the proxy relays the socket frame by frame, and the test slips its own frames in. */
async function setup(seed: number) {
  const server = await startTestServer();
  const token = server.createToken('eve');
  const injector = await FaultProxy.start(server.url);
  injector.frameFaults = NO_FRAME_FAULTS;
  const victim = await signIn(await openDevice(seed), injector.url, token);
  const other = await signIn(await openDevice(seed + 1), server.url, token);
  const section = await createNode(other, 'section', null, 'Root');
  await waitFor('the section on the victim', () => hasNode(victim, section.id));
  await waitUpToDate(victim.core, victim.accountId);
  return { injector, victim, other, section };
}

/** The frame is refused: the client resets its connection, records why, and is connected again afterwards. */
async function expectReset(victim: Device, injector: FaultProxy, frame: string | Buffer): Promise<void> {
  const before = injector.frameConnections;
  injector.inject(frame);
  await waitFor('a new connection after the bad frame', () => injector.frameConnections > before);
  await waitUpToDate(victim.core, victim.accountId);
}

const nodeCreate = (notebookId: string, rootId: string, nodeId: string, data: string, cursor: string) => ({
  cursor,
  data: {
    id: newId(IdPrefix.update),
    nodeId,
    rootId,
    notebookId,
    data,
    createdAt: new Date().toISOString(),
    createdBy: 'usr_someone',
    mergedUpdates: [],
    revision: cursor,
  },
});

const output = (stream: StreamSpec, items: unknown[], id = streamKey(stream)) =>
  JSON.stringify({ v: PROTOCOL_VERSION, type: 'sync.output', id, stream, items });

describe('the client validates every server frame', () => {
  it('hostile frames reset the connection; nothing of a refused or failing batch is applied; sync goes on', async () => {
    const { injector, victim, other, section } = await setup(301);
    const { notebookId } = victim;
    const stream: StreamSpec = { type: StreamType.nodeUpdates, notebookId, rootId: section.id };
    const key = streamKey(stream);
    const cursorOf = () =>
      victim.core
        .account(victim.accountId)
        .replica.db.prepare('SELECT value FROM cursors WHERE key = ?')
        .pluck()
        .get(key);
    const cursorBefore = cursorOf();
    const validState = toBase64(
      createNodeState({ type: 'page', parentId: section.id, index: 'a5', name: 'Planted' }).update,
    );
    const planted = newId(IdPrefix.node);
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
    after(() => {
      console.warn = warn;
    });

    const hostile: [string, string | Buffer][] = [
      ['not JSON', '{"v":1,"type":'],
      ['a binary frame', Buffer.from([1, 2, 3])],
      ['an unknown type', JSON.stringify({ v: PROTOCOL_VERSION, type: 'sync.explode' })],
      ['a wrong version', JSON.stringify({ v: 2, type: 'pong' })],
      ['a hello without ids', JSON.stringify({ v: PROTOCOL_VERSION, type: 'hello', heartbeatMs: 'soon' })],
      [
        'an output under another stream id',
        output(stream, [nodeCreate(notebookId, section.id, planted, validState, '999999')], 'x'),
      ],
      ['an output without items', output(stream, [])],
      [
        'an item missing its node id',
        output(stream, [{ cursor: '999999', data: { id: 'u1', data: validState } }]),
      ],
      [
        'a valid item followed by one of another notebook',
        output(stream, [
          nodeCreate(notebookId, section.id, planted, validState, '999998'),
          nodeCreate('nb_elsewhere', section.id, newId(IdPrefix.node), validState, '999999'),
        ]),
      ],
      [
        'cursors going backwards',
        output(stream, [
          nodeCreate(notebookId, section.id, planted, validState, '999999'),
          nodeCreate(notebookId, section.id, newId(IdPrefix.node), validState, '999998'),
        ]),
      ],
      [
        'a valid item followed by one whose Yjs data cannot be applied',
        output(stream, [
          nodeCreate(notebookId, section.id, planted, validState, '999998'),
          nodeCreate(
            notebookId,
            section.id,
            newId(IdPrefix.node),
            toBase64(new Uint8Array([255, 255, 255, 7])),
            '999999',
          ),
        ]),
      ],
      [
        'a presence frame with a bad colour',
        JSON.stringify({
          v: PROTOCOL_VERSION,
          type: 'presence',
          notebookId,
          nodeId: section.id,
          userId: 'usr_x',
          socketId: 's1',
          state: { selection: null, color: 'red' },
        }),
      ],
    ];
    for (const [what, frame] of hostile) {
      await expectReset(victim, injector, frame).catch((error: unknown) => {
        throw new Error(`${what}: ${String(error)}`);
      });
      assert.equal(await hasNode(victim, planted), false, `${what}: nothing of the batch was applied`);
      assert.deepEqual(cursorOf(), cursorBefore, `${what}: the cursor did not move`);
    }
    assert.ok(warnings.length >= hostile.length, `each refusal was logged (${warnings.length})`);
    assert.ok(
      warnings.some((w) => /another notebook or section/.test(w)) &&
        warnings.some((w) => /not JSON/.test(w)) &&
        warnings.some((w) => /Applying server changes failed/.test(w)),
      warnings.join('\n'),
    );

    // The same valid item alone is accepted: the refusals above were about their companions. (Its cursor is
    // one past ours; the write on another section below the first line makes sure that revision is not one
    // of this stream's, so nothing real is skipped.)
    await createNode(other, 'section', null, 'Elsewhere');
    await waitUpToDate(other.core, other.accountId);
    injector.inject(
      output(stream, [
        nodeCreate(
          notebookId,
          section.id,
          planted,
          validState,
          String(BigInt(String(cursorBefore ?? 0)) + 1n),
        ),
      ]),
    );
    await waitFor('the planted page', () => hasNode(victim, planted));

    // And real sync carries on.
    const page = await createNode(other, 'page', section.id, 'After the storm');
    await waitFor('a real page after the hostile frames', () => hasNode(victim, page.id));
    assert.equal((await syncStatus(victim.core, victim.accountId)).connection, 'up_to_date');
  });

  it('a server that keeps sending bad frames is retried with growing backoff, not in a tight loop', async () => {
    const { injector, victim } = await setup(311);
    const warn = console.warn;
    console.warn = () => undefined;
    after(() => {
      console.warn = warn;
    });
    injector.onHello = (client) => client.send('garbage');
    const before = injector.frameConnections;
    injector.inject('garbage');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const attempts = injector.frameConnections - before;
    // FAST_SYNC backoff: uniform in [0, min(300 ms, 20 ms · 2^n)]. Without growth (hello resetting it) the
    // client would reconnect every ~10 ms; with it, a few per second.
    assert.ok(attempts >= 2 && attempts <= 30, `${attempts} connections in 2 s`);
    const status = await syncStatus(victim.core, victim.accountId);
    assert.match(status.lastError ?? '', /unexpected/);
    injector.onHello = null;
    await waitUpToDate(victim.core, victim.accountId);
  });
});
