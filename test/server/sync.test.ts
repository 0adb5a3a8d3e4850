import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import { PROTOCOL_VERSION, type ServerFrame } from '../../src/shared/api/sync-protocol';
import { envelope, useServer, type Client } from './helpers';

/** A socket client that queues frames so tests can await the next one matching a predicate. */
class FrameSocket {
  readonly frames: ServerFrame[] = [];
  private waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.frames.push(JSON.parse(data.toString('utf8')) as ServerFrame);
      for (const wake of this.waiters.splice(0)) wake();
    });
    ws.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static async open(client: Client): Promise<FrameSocket> {
    const id = await socketId(client);
    const ws = new WebSocket(`${client.baseUrl.replace('http', 'ws')}/api/v1/notes/sockets/${id}`);
    const socket = new FrameSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return socket;
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  async next<T extends ServerFrame>(
    match: (frame: ServerFrame) => frame is T,
    timeoutMs = 3_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(match);
      if (index >= 0) return this.frames.splice(index, 1)[0] as T;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching frame; have ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Asserts that nothing matching arrives within `ms`. */
  async nothing(match: (frame: ServerFrame) => boolean, ms = 200): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    assert.equal(this.frames.filter(match).length, 0, JSON.stringify(this.frames));
  }

  close(): void {
    this.ws.close();
  }
}

async function socketId(client: Client): Promise<string> {
  const response = await client.post<{ id: string }>('/sockets');
  assert.equal(response.status, 200);
  return response.body.id;
}

type Output = Extract<ServerFrame, { type: 'sync.output' }>;
const output =
  (id: string) =>
  (frame: ServerFrame): frame is Output =>
    frame.type === 'sync.output' && frame.id === id;
const syncError =
  (id: string) =>
  (frame: ServerFrame): frame is Extract<ServerFrame, { type: 'sync.error' }> =>
    frame.type === 'sync.error' && frame.id === id;
const input = (id: string, stream: Record<string, string>, cursor = '0') => ({
  v: PROTOCOL_VERSION,
  type: 'sync.input',
  id,
  stream,
  cursor,
});
const lastCursor = (frame: Output): string => frame.items.at(-1)?.cursor ?? '0';

describe('sockets and sync streams', () => {
  const { server, client } = useServer();

  it('socket ids work once; unknown ids get 401 INVALID_SOCKET_ID', async () => {
    const alice = client();
    const id = await socketId(alice);
    const url = `${server().url.replace('http', 'ws')}/api/v1/notes/sockets/${id}`;
    const first = new FrameSocket(new WebSocket(url));
    const hello = await first.next((f): f is Extract<ServerFrame, { type: 'hello' }> => f.type === 'hello');
    assert.equal(hello.socketId, id);
    assert.equal(hello.v, PROTOCOL_VERSION);
    for (const target of [url, url.replace(id, 'sk_unknown')]) {
      const status = await new Promise<{ status: number; body: string }>((resolve) => {
        const ws = new WebSocket(target);
        ws.on('error', () => undefined);
        ws.on('unexpected-response', (_request, response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
      });
      assert.equal(status.status, 401);
      assert.equal(envelope(JSON.parse(status.body)).code, 'INVALID_SOCKET_ID');
    }
    const plain = await alice.get(`/sockets/${id}`);
    assert.equal(plain.status, 426);
    assert.equal(envelope(plain.body).code, 'WS_UPGRADE_FAILED');
    first.close();
  });

  it('answers ping with pong', async () => {
    const socket = await FrameSocket.open(client());
    socket.send({ v: PROTOCOL_VERSION, type: 'ping', nonce: 'n1' });
    const pong = await socket.next((f): f is Extract<ServerFrame, { type: 'pong' }> => f.type === 'pong');
    assert.equal(pong.nonce, 'n1');
    socket.close();
  });

  it('streams users and collaborations, then node updates and documents of a root; parked inputs wake on commits', async () => {
    const alice = client();
    const { notebookId, userId } = await alice.me();
    const socket = await FrameSocket.open(alice);
    socket.send(input('users', { type: 'users', notebookId }));
    const users = await socket.next(output('users'));
    assert.deepEqual(
      users.items.map((item) => (item.data as { id: string }).id),
      [userId],
    );

    socket.send(input('collab', { type: 'collaborations', notebookId }));
    await socket.nothing((f) => f.type === 'sync.output' && f.id === 'collab', 100);
    const section = await alice.createNode(notebookId, 'section', null);
    const collab = await socket.next(output('collab'));
    assert.equal(collab.items.length, 1);
    const { createdAt, ...grant } = collab.items[0]?.data as { createdAt: string };
    assert.ok(!Number.isNaN(Date.parse(createdAt)));
    assert.deepEqual(grant, {
      notebookId,
      collaboratorId: userId,
      nodeId: section.id,
      role: 'admin',
      updatedAt: null,
      deletedAt: null,
      revision: collab.items[0]?.cursor,
    });

    const rootStream = (type: string) => ({ type, notebookId, rootId: section.id });
    socket.send(input('nodes', rootStream('node.updates')));
    const nodes = await socket.next(output('nodes'));
    assert.deepEqual(
      nodes.items.map((item) => (item.data as { nodeId: string }).nodeId),
      [section.id],
    );
    assert.match((nodes.items[0]?.data as { data: string }).data, /^[A-Za-z0-9+/]+=*$/);

    // The next input with the advanced cursor is the ack; with nothing new it parks until a commit.
    socket.send(input('nodes', rootStream('node.updates'), lastCursor(nodes)));
    socket.send(input('docs', rootStream('document.updates')));
    socket.send(input('tombs', rootStream('node.tombstones')));
    socket.send(input('reactions', rootStream('node.reactions')));
    await socket.nothing((f) => f.type === 'sync.output', 100);
    const page = await alice.createNode(notebookId, 'page', section.id);
    const woke = await socket.next(output('nodes'));
    assert.deepEqual(
      woke.items.map((item) => (item.data as { nodeId: string }).nodeId),
      [page.id],
    );
    assert.ok(Number(lastCursor(woke)) > Number(lastCursor(nodes)));

    await alice.put(`/notebooks/${notebookId}/nodes/${page.id}/document`, {
      content: { type: 'doc', content: [{ type: 'paragraph', text: 'hi' }] },
    });
    const docs = await socket.next(output('docs'));
    assert.equal((docs.items[0]?.data as { documentId: string }).documentId, page.id);

    await alice.post(`/notebooks/${notebookId}/nodes/${page.id}/reactions`, { reaction: '🎉' });
    const reactions = await socket.next(output('reactions'));
    assert.equal((reactions.items[0]?.data as { reaction: string }).reaction, '🎉');

    await alice.delete(`/notebooks/${notebookId}/nodes/${page.id}`);
    const tombs = await socket.next(output('tombs'));
    assert.deepEqual(
      tombs.items.map((item) => (item.data as { id: string }).id),
      [page.id],
    );

    // Resending with an old cursor re-delivers (a lost output is recovered by asking again).
    socket.send(input('nodes-again', rootStream('node.updates'), '0'));
    const replay = await socket.next(output('nodes-again'));
    assert.ok(replay.items.length >= 1);
    socket.close();
  });

  it('refuses streams of notebooks and roots the user cannot read', async () => {
    const alice = client();
    const mallory = client();
    const { notebookId } = await alice.me();
    const section = await alice.createNode(notebookId, 'section', null);
    const socket = await FrameSocket.open(mallory);
    socket.send(input('spy', { type: 'users', notebookId }));
    assert.equal((await socket.next(syncError('spy'))).code, 'forbidden');
    const malloryNotebook = (await mallory.me()).notebookId;
    socket.send(input('spy2', { type: 'node.updates', notebookId: malloryNotebook, rootId: section.id }));
    assert.equal((await socket.next(syncError('spy2'))).code, 'forbidden');
    socket.close();
  });

  it('relays presence to the other viewers of a page and announces leaving', async () => {
    const alice = client();
    const bob = client();
    const { notebookId } = await alice.me();
    await alice.post(`/notebooks/${notebookId}/users`, {
      users: [{ username: bob.username, role: 'collaborator' }],
    });
    const section = await alice.createNode(notebookId, 'section', null);
    const page = await alice.createNode(notebookId, 'page', section.id);
    const aliceSocket = await FrameSocket.open(alice);
    const bobSocket = await FrameSocket.open(bob);
    const presence = (frame: ServerFrame): frame is Extract<ServerFrame, { type: 'presence' }> =>
      frame.type === 'presence';
    const join = (state: unknown) => ({
      v: PROTOCOL_VERSION,
      type: 'presence',
      notebookId,
      nodeId: page.id,
      state,
    });
    aliceSocket.send(join({ selection: null, name: 'Alice' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    bobSocket.send(join({ selection: { anchor: 3, head: 5 }, name: 'Bob', color: '#ff8800' }));
    const seen = await aliceSocket.next(presence);
    assert.equal(seen.nodeId, page.id);
    assert.deepEqual(seen.state, { selection: { anchor: 3, head: 5 }, name: 'Bob', color: '#ff8800' });
    const alreadyThere = await bobSocket.next(presence);
    assert.deepEqual(
      alreadyThere.state,
      { selection: null, name: 'Alice' },
      'a newcomer learns who is there',
    );
    assert.equal(alreadyThere.userId, (await alice.me()).userId);
    bobSocket.close();
    const left = await aliceSocket.next(presence);
    assert.equal(left.state, null);
    aliceSocket.close();
  });

  it('closes sockets on bad frames with the right code and stays healthy', async () => {
    const alice = client();
    const cases: [string, (ws: WebSocket) => void, number][] = [
      ['bad JSON', (ws) => ws.send('{"v":1,'), 1007],
      ['invalid UTF-8', (ws) => ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false }), 1007],
      ['unknown type', (ws) => ws.send(JSON.stringify({ v: 1, type: 'explode' })), 1008],
      ['wrong version', (ws) => ws.send(JSON.stringify({ v: 99, type: 'ping' })), 1008],
      [
        'wrong types',
        (ws) => ws.send(JSON.stringify({ v: 1, type: 'sync.input', id: 5, stream: [], cursor: -1 })),
        1008,
      ],
      ['deep nesting', (ws) => ws.send('['.repeat(10_000) + ']'.repeat(10_000)), 1008],
      ['binary', (ws) => ws.send(Buffer.from([1, 2, 3]), { binary: true }), 1003],
      ['too big', (ws) => ws.send('x'.repeat(300 * 1024)), 1009],
    ];
    for (const [name, misbehave, code] of cases) {
      const socket = await FrameSocket.open(alice);
      misbehave(socket.ws);
      assert.equal((await socket.closed).code, code, name);
    }
    const flood = await FrameSocket.open(alice);
    for (let i = 0; i < 400; i++) flood.send({ v: PROTOCOL_VERSION, type: 'ping' });
    assert.equal((await flood.closed).code, 1008, 'flood');
    assert.equal((await alice.get('/health')).status, 200);
    const healthy = await FrameSocket.open(alice);
    healthy.send({ v: PROTOCOL_VERSION, type: 'ping' });
    await healthy.next((f): f is Extract<ServerFrame, { type: 'pong' }> => f.type === 'pong');
    healthy.close();
  });
});

describe('heartbeat', () => {
  const { server, client } = useServer({ heartbeatMs: 100 });

  it('terminates a peer that stops answering pings within two intervals', async () => {
    const alice = client();
    const id = await socketId(alice);
    const { port } = server();
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `GET /api/v1/notes/sockets/${id} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const started = Date.now();
    // A timer of ours for the same two intervals: how late it fires is how late the server's can be, so a
    // loaded machine widens the bound by exactly its own timer drift.
    let lateness = 0;
    const reference = setTimeout(() => (lateness = Date.now() - started - 2 * 100), 2 * 100);
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
    await new Promise((resolve) => socket.once('close', resolve));
    clearTimeout(reference);
    assert.match(response, /^HTTP\/1\.1 101/);
    const elapsed = Date.now() - started;
    assert.ok(
      elapsed <= 2 * 100 + 100 + lateness,
      `terminated after ${elapsed} ms (timers ${lateness} ms late)`,
    );
  });
});
