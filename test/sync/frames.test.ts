import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { PROTOCOL_VERSION, StreamType, type StreamSpec } from '../../src/shared/api/sync-protocol';
import { createNodeState } from '../../src/shared/crdt/node-doc';
import { toBase64 } from '../../src/shared/lib/base64';
import { IdPrefix, newId } from '../../src/shared/lib/ids';
import { streamKey } from '../../src/main/sync/stream-applier';
import {
  createNode,
  hasNode,
  openDevice,
  signIn,
  startTestServer,
  syncStatus,
  waitFor,
  waitUpToDate,
  type Device,
} from '../support/sync';

/**
 * A hostile socket peer: REST passes through to the real server, and the socket is relayed frame by frame
 * through a WebSocket server of our own, so the test can slip any frame in front of the client.
 */
class FrameInjector {
  url = '';
  connections = 0;
  /** Called for every new client socket, after the server's `hello` was relayed. */
  onHello: ((client: WebSocket) => void) | null = null;
  private readonly clients = new Set<WebSocket>();
  private readonly server: Server;

  private constructor(target: URL) {
    const wss = new WebSocketServer({ noServer: true });
    this.server = createServer((req, res) => {
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer: IncomingMessage) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      const upstream = new WebSocket(`ws://${target.host}${req.url ?? '/'}`, {
        maxPayload: 64 * 1024 * 1024,
      });
      upstream.once('error', () => socket.destroy());
      upstream.once('open', () =>
        wss.handleUpgrade(req, socket, head, (client) => {
          this.connections++;
          this.clients.add(client);
          let greeted = false;
          upstream.on('message', (data, isBinary) => {
            if (client.readyState !== WebSocket.OPEN) return;
            client.send(data, { binary: isBinary });
            if (!greeted) {
              greeted = true;
              this.onHello?.(client);
            }
          });
          client.on('message', (data, isBinary) => {
            if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary: isBinary });
          });
          client.on('close', () => {
            this.clients.delete(client);
            upstream.close();
          });
          client.on('error', () => upstream.terminate());
          upstream.on('close', () => client.terminate());
        }),
      );
    });
  }

  static async start(target: string): Promise<FrameInjector> {
    const injector = new FrameInjector(new URL(target));
    await new Promise<void>((resolve) => injector.server.listen(0, '127.0.0.1', resolve));
    const address = injector.server.address();
    injector.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    after(() => injector.close());
    return injector;
  }

  /** Sends `frame` (text, or a binary buffer) to every connected client, as if the server had. */
  inject(frame: string | Buffer): void {
    for (const client of this.clients) client.send(frame, { binary: typeof frame !== 'string' });
  }

  close(): Promise<void> {
    for (const client of this.clients) client.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function setup(seed: number) {
  const server = await startTestServer();
  const token = server.createToken('eve');
  const injector = await FrameInjector.start(server.url);
  const victim = await signIn(await openDevice(seed), injector.url, token);
  const other = await signIn(await openDevice(seed + 1), server.url, token);
  const section = await createNode(other, 'section', null, 'Root');
  await waitFor('the section on the victim', () => hasNode(victim, section.id));
  await waitUpToDate(victim.core, victim.accountId);
  return { injector, victim, other, section };
}

/** The frame is refused: the client resets its connection, records why, and is connected again afterwards. */
async function expectReset(victim: Device, injector: FrameInjector, frame: string | Buffer): Promise<void> {
  const before = injector.connections;
  injector.inject(frame);
  await waitFor('a new connection after the bad frame', () => injector.connections > before);
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

    // The same valid item alone is accepted: the refusals above were about their companions.
    injector.inject(
      output(stream, [
        nodeCreate(
          notebookId,
          section.id,
          planted,
          validState,
          cursorBefore === undefined ? '1' : String(cursorBefore),
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
    const before = injector.connections;
    injector.inject('garbage');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const attempts = injector.connections - before;
    // FAST_SYNC backoff: uniform in [0, min(300 ms, 20 ms · 2^n)]. Without growth (hello resetting it) the
    // client would reconnect every ~10 ms; with it, a few per second.
    assert.ok(attempts >= 2 && attempts <= 30, `${attempts} connections in 2 s`);
    const status = await syncStatus(victim.core, victim.accountId);
    assert.match(status.lastError ?? '', /unexpected/);
    injector.onHello = null;
    await waitUpToDate(victim.core, victim.accountId);
  });
});
