import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { AppCore } from '../../src/main/core/app-core';
import type { FilesOptions } from '../../src/main/files/files.service';
import type { Clock } from '../../src/main/lib/clock';
import type { SyncOptions } from '../../src/main/sync/sync-engine';
import type { AccountView, NodeView, PresenceViewerView, SyncStatusView } from '../../src/shared/contract';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/server';
import { API_PREFIX } from '../../src/shared/api/common';
import { createNodeState } from '../../src/shared/crdt/node-doc';
import { toBase64 } from '../../src/shared/lib/base64';
import { IdPrefix, newId } from '../../src/shared/lib/ids';
import { keyBetween } from '../../src/shared/model/ordering';
import { call } from './core';
import { seededRandom } from './random';
import { tempDir } from './temp';

/** Sync timings scaled down so reconnects and retries happen within a test's patience. */
export const FAST_SYNC: Partial<SyncOptions> = {
  periodicMs: 1_000,
  writeDebounceMs: 10,
  retry: { baseMs: 20, maxMs: 300 },
  reconnect: { baseMs: 20, maxMs: 300 },
  heartbeatMs: 500,
};

/** The reference server on 127.0.0.1, port 0, in a temp dir; closed after the test file. */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const server = await startServer({ port: 0, dataDir: tempDir('server'), heartbeatMs: 1_000, ...options });
  after(() => server.close());
  return server;
}

/** A desktop core (one "device") with fast, seeded sync timings, closed after the test file. */
export async function openDevice(
  seed: number,
  options: { sync?: Partial<SyncOptions>; dataDir?: string; clock?: Clock; files?: FilesOptions } = {},
): Promise<AppCore> {
  const core = await AppCore.open({
    dataDir: options.dataDir ?? tempDir('device'),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.files ? { files: options.files } : {}),
    mode: 'browser',
    sync: { ...FAST_SYNC, random: seededRandom(seed), ...options.sync },
  });
  after(() => core.close());
  return core;
}

export async function addAccount(core: AppCore, serverUrl: string, token: string): Promise<AccountView> {
  return call(core, 'account.add', { serverUrl, token });
}

/** One device signed in to one server account, looking at one notebook. */
export interface Device {
  core: AppCore;
  accountId: string;
  notebookId: string;
}

/** Signs `core` in as `token`'s user, on `notebookId` (default: the first notebook, the user's own). */
export async function signIn(
  core: AppCore,
  serverUrl: string,
  token: string,
  notebookId?: string,
): Promise<Device> {
  const account = await addAccount(core, serverUrl, token);
  const notebooks = await call(core, 'notebook.list', { accountId: account.id });
  const notebook = notebookId ? notebooks.find((n) => n.id === notebookId) : notebooks[0];
  if (!notebook) throw new Error('the notebook was not mirrored on sign-in');
  return { core, accountId: account.id, notebookId: notebook.id };
}

export const createNode = (d: Device, type: 'section' | 'page', parentId: string | null, name: string) =>
  call(d.core, 'node.create', { accountId: d.accountId, notebookId: d.notebookId, type, parentId, name });

export async function hasNode(d: Device, nodeId: string): Promise<boolean> {
  return (await findNode(d.core, d.accountId, d.notebookId, nodeId)) !== undefined;
}

/** Polls until `check` answers a value (not undefined/false), or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function syncStatus(core: AppCore, accountId: string): Promise<SyncStatusView> {
  const status = (await call(core, 'sync.status', {})).find((s) => s.accountId === accountId);
  if (!status) throw new Error(`no sync status for ${accountId}`);
  return status;
}

/** Waits until the account has nothing pending and its socket is up. */
export async function waitUpToDate(core: AppCore, accountId: string, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    `${accountId} up to date`,
    async () => (await syncStatus(core, accountId)).connection === 'up_to_date',
    timeoutMs,
  );
}

export async function findNode(core: AppCore, accountId: string, notebookId: string, nodeId: string) {
  return (await call(core, 'node.tree', { accountId, notebookId })).find((n) => n.id === nodeId);
}

/**
 * An editor's view of one page: a Y.Doc bound to the replica through the contract, like the renderer's.
 * `type` appends text to the page's only paragraph and saves the Yjs delta via `document.update`.
 */
export class PageEditor {
  readonly doc = new Y.Doc();
  private unsubscribe: () => void = () => undefined;

  private constructor(
    private readonly core: AppCore,
    private readonly accountId: string,
    readonly page: NodeView,
  ) {}

  static async open(core: AppCore, accountId: string, page: NodeView): Promise<PageEditor> {
    const editor = new PageEditor(core, accountId, page);
    const opened = await call(
      core,
      'document.open',
      { accountId, documentId: page.id },
      `editor-${accountId}`,
    );
    Y.applyUpdate(editor.doc, opened.state);
    editor.unsubscribe = core.events.on((event) => {
      if (event.name !== 'document.updated') return;
      const payload = event.payload as { accountId: string; documentId: string; update: Uint8Array };
      if (payload.accountId === accountId && payload.documentId === page.id)
        Y.applyUpdate(editor.doc, payload.update);
    });
    return editor;
  }

  async edit(change: (fragment: Y.XmlFragment) => void): Promise<void> {
    const before = Y.encodeStateVector(this.doc);
    change(this.doc.getXmlFragment('default'));
    const update = Y.encodeStateAsUpdate(this.doc, before);
    await call(
      this.core,
      'document.update',
      { accountId: this.accountId, documentId: this.page.id, update },
      `editor-${this.accountId}`,
    );
  }

  /** Appends `text` as a new paragraph (so concurrent edits from two devices never interleave characters). */
  async type(text: string): Promise<void> {
    await this.edit((fragment) => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(text)]);
      fragment.insert(fragment.length, [paragraph]);
    });
  }

  text(): string {
    return this.doc.getXmlFragment('default').toString();
  }

  /** Stops listening and closes the document in the core (as leaving the page does). */
  async close(): Promise<void> {
    this.unsubscribe();
    await call(
      this.core,
      'document.close',
      { accountId: this.accountId, documentId: this.page.id },
      `editor-${this.accountId}`,
    );
  }
}

/** The page's Yjs state as stored in a replica (confirmed + pending), decoded. */
export async function storedDoc(core: AppCore, accountId: string, pageId: string): Promise<Y.Doc> {
  const opened = await call(core, 'document.open', { accountId, documentId: pageId }, 'inspector');
  await call(core, 'document.close', { accountId, documentId: pageId }, 'inspector');
  const doc = new Y.Doc();
  Y.applyUpdate(doc, opened.state);
  return doc;
}

export const ProxyMode = {
  /** Forwards everything. */
  pass: 'pass',
  /** The network is gone: every connection is cut and new ones are dropped. */
  down: 'down',
  /** Mutation batches answer 503 (with `Retry-After: 0`); everything else passes. */
  failMutations: 'failMutations',
  /** Mutation batches reach the server, but its answers are lost (the connection drops before them). */
  loseMutationAnswers: 'loseMutationAnswers',
  /** Mutation batches reach the server; its answers arrive cut off (status and headers, half the body). */
  truncateMutationAnswers: 'truncateMutationAnswers',
  /** Open connections go silent (nothing is forwarded, nothing is closed); new ones are dropped. */
  stall: 'stall',
  /** Mutation batches are swallowed in flight: never forwarded, never answered (the sender dies waiting). */
  holdMutations: 'holdMutations',
  /** `POST /notebooks` reaches the server, but its answer is lost (the connection drops before it). */
  loseNotebookAnswers: 'loseNotebookAnswers',
  /** `POST …/comments` reaches the server, but its answer is lost (the connection drops before it). */
  loseCommentAnswers: 'loseCommentAnswers',
} as const;
export type ProxyMode = (typeof ProxyMode)[keyof typeof ProxyMode];

/**
 * Message-level faults on the socket, each frame (either direction) independently: sent twice, held back
 * until the next frame has gone (reordered), or dropped and retransmitted a little later.
 */
export interface FrameFaults {
  duplicate: number;
  reorder: number;
  dropRetransmit: number;
  random: () => number;
}

/** Frame by frame but faithful: for tests that slip their own frames in (`FaultProxy.inject`). */
export const NO_FRAME_FAULTS: FrameFaults = {
  duplicate: 0,
  reorder: 0,
  dropRetransmit: 0,
  random: Math.random,
};

/** The fuzz mix: 10% duplicated, 20% reordered, 10% dropped then retransmitted. */
export const FUZZ_FRAME_FAULTS = (random: () => number): FrameFaults => ({
  duplicate: 0.1,
  reorder: 0.2,
  dropRetransmit: 0.1,
  random,
});

/** A fault-injecting HTTP + WebSocket proxy between one device and the server. */
export class FaultProxy {
  mode: ProxyMode = ProxyMode.pass;
  /** When set, the socket is relayed frame by frame through these faults (else byte for byte). */
  frameFaults: FrameFaults | null = null;
  readonly frameStats = { duplicated: 0, reordered: 0, retransmitted: 0 };
  /** Sockets relayed frame by frame so far (each reconnect is one more). */
  frameConnections = 0;
  /** Frame mode: called for every new client socket once the server's `hello` reached it. */
  onHello: ((client: WebSocket) => void) | null = null;
  /**
   * Frame mode: a server frame for which this answers true is swallowed (`connection` counts from 1, like
   * `frameConnections`): e.g. a wedged socket that still answers pings but delivers no `sync.output`.
   */
  dropToClient: ((frame: string, connection: number) => boolean) | null = null;
  droppedToClient = 0;
  private readonly frameClients = new Set<WebSocket>();
  failedMutationBatches = 0;
  lostMutationAnswers = 0;
  truncatedMutationAnswers = 0;
  lostNotebookAnswers = 0;
  lostCommentAnswers = 0;
  /** Called when an answer to `POST /notebooks` was lost (`loseNotebookAnswers`): the server has created it. */
  onLostNotebookAnswer: (() => void) | null = null;
  heldMutationBatches = 0;
  /**
   * Sees every HTTP request before it is forwarded; a number it answers holds the request's body back that many
   * milliseconds (a slow uplink, so a test can act in the middle of an upload).
   */
  onRequest: ((req: IncomingMessage) => number | undefined) | null = null;
  /**
   * Sees every socket upgrade before it is forwarded; a promise it answers holds the upgrade until it settles
   * (so a test can act after the client read `GET /notebooks` and before its socket exists).
   */
  beforeUpgrade: ((req: IncomingMessage) => Promise<void> | undefined) | null = null;
  private readonly sockets = new Set<Socket>();

  private readonly server: Server;
  url = '';

  private constructor(target: URL) {
    this.server = createServer((req, res) => {
      if (this.mode === ProxyMode.down || this.mode === ProxyMode.stall) return req.socket.destroy();
      if (this.mode === ProxyMode.failMutations && req.method === 'POST' && req.url?.endsWith('/mutations')) {
        this.failedMutationBatches++;
        req.resume();
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
        return res.end(JSON.stringify({ message: 'injected outage', code: 'unavailable', details: [] }));
      }
      if (this.mode === ProxyMode.holdMutations && req.method === 'POST' && req.url?.endsWith('/mutations')) {
        this.heldMutationBatches++;
        return req.resume();
      }
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer: IncomingMessage) => {
          if (this.mode === ProxyMode.loseMutationAnswers && req.url?.endsWith('/mutations')) {
            this.lostMutationAnswers++;
            answer.resume();
            return req.socket.destroy();
          }
          if (this.mode === ProxyMode.truncateMutationAnswers && req.url?.endsWith('/mutations')) {
            this.truncatedMutationAnswers++;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            return void answer.once('data', (chunk: Buffer) => {
              answer.resume();
              res.write(chunk.subarray(0, Math.floor(chunk.length / 2)), () => req.socket.destroy());
            });
          }
          if (
            this.mode === ProxyMode.loseNotebookAnswers &&
            req.method === 'POST' &&
            req.url?.endsWith('/notebooks')
          ) {
            this.lostNotebookAnswers++;
            answer.resume();
            req.socket.destroy();
            return this.onLostNotebookAnswer?.();
          }
          if (
            this.mode === ProxyMode.loseCommentAnswers &&
            req.method === 'POST' &&
            req.url?.endsWith('/comments')
          ) {
            this.lostCommentAnswers++;
            answer.resume();
            return req.socket.destroy();
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      const holdMs = this.onRequest?.(req) ?? 0;
      if (holdMs > 0) setTimeout(() => req.pipe(upstream), holdMs);
      else req.pipe(upstream);
    });
    this.server.on('connection', (socket: Socket) => this.track(socket));
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      const hold = this.beforeUpgrade?.(req);
      if (hold) return void hold.then(() => this.upgrade(target, req, socket, head));
      this.upgrade(target, req, socket, head);
    });
  }

  private upgrade(target: URL, req: IncomingMessage, socket: Socket, head: Buffer): void {
    if (this.mode === ProxyMode.down || this.mode === ProxyMode.stall) return void socket.destroy();
    if (this.frameFaults) return this.relayFrames(target, req, socket, head, this.frameFaults);
    const upstream = connect(Number(target.port), target.hostname, () => {
      const headers = Object.entries(req.headers).map(
        ([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : (v ?? '')}`,
      );
      upstream.write(`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    this.track(upstream);
    upstream.on('close', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  }

  static async start(target: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(target));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    const address = proxy.server.address();
    proxy.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    after(() => proxy.close());
    return proxy;
  }

  private readonly frameServer = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });

  /** Terminates the WebSocket on both sides and forwards each message through `faults`. */
  private relayFrames(
    target: URL,
    req: IncomingMessage,
    socket: Socket,
    head: Buffer,
    faults: FrameFaults,
  ): void {
    this.track(socket);
    const upstream = new WebSocket(`ws://${target.host}${req.url ?? '/'}`, { maxPayload: 64 * 1024 * 1024 });
    upstream.once('error', () => socket.destroy());
    upstream.once('open', () => {
      if (socket.destroyed) return upstream.terminate();
      this.frameServer.handleUpgrade(req, socket, head, (client) => {
        const connection = ++this.frameConnections;
        this.frameClients.add(client);
        client.on('close', () => this.frameClients.delete(client));
        let greeted = false;
        const toClient = this.faultyLink(faults, (data) => {
          if (client.readyState !== WebSocket.OPEN) return;
          client.send(data);
          if (!greeted) {
            greeted = true;
            this.onHello?.(client);
          }
        });
        const toServer = this.faultyLink(
          faults,
          (data) => upstream.readyState === WebSocket.OPEN && upstream.send(data),
        );
        upstream.on('message', (data) => {
          const frame = String(data);
          if (this.dropToClient?.(frame, connection)) this.droppedToClient++;
          else toClient(frame);
        });
        client.on('message', (data) => toServer(String(data)));
        client.on('close', () => upstream.close());
        upstream.on('close', () => client.terminate());
        client.on('error', () => upstream.terminate());
        upstream.on('error', () => client.terminate());
      });
    });
  }

  /** One direction of a faulty link. The first frame (hello) is always delivered in order. */
  private faultyLink(faults: FrameFaults, deliver: (data: string) => void): (data: string) => void {
    let held: string | null = null;
    let heldTimer: ReturnType<typeof setTimeout> | null = null;
    let first = true;
    const release = (): void => {
      if (heldTimer) clearTimeout(heldTimer);
      heldTimer = null;
      if (held !== null) deliver(held);
      held = null;
    };
    return (data) => {
      if (this.mode !== ProxyMode.pass) return; // cut or stalled: the frame is lost like the connection
      const roll = faults.random();
      const { dropRetransmit, reorder, duplicate } = faults;
      if (first) {
        first = false;
        deliver(data);
      } else if (roll < dropRetransmit) {
        this.frameStats.retransmitted++;
        setTimeout(() => this.mode === ProxyMode.pass && deliver(data), 5 + faults.random() * 40);
      } else if (roll < dropRetransmit + reorder && held === null) {
        this.frameStats.reordered++;
        held = data;
        heldTimer = setTimeout(release, 30);
        return;
      } else {
        deliver(data);
        const twice = roll >= dropRetransmit + reorder && roll < dropRetransmit + reorder + duplicate;
        if (twice) {
          this.frameStats.duplicated++;
          deliver(data);
        }
      }
      release();
    };
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** Frame mode: sends `frame` (text, or binary for a Buffer) to every connected client, as if the server had. */
  inject(frame: string | Buffer): void {
    for (const client of this.frameClients) client.send(frame, { binary: typeof frame !== 'string' });
  }

  /** Cuts every open connection (sockets included) and refuses new ones until `restore`. */
  cut(): void {
    this.mode = ProxyMode.down;
    for (const socket of this.sockets) socket.destroy();
  }

  /** A half-dead network: connections stay open but carry nothing (only heartbeats can tell). */
  stall(): void {
    this.mode = ProxyMode.stall;
    for (const socket of this.sockets) socket.pause();
  }

  restore(): void {
    this.mode = ProxyMode.pass;
    for (const socket of this.sockets) socket.resume();
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** REST calls under one notebook as `token`'s user (what another client or the web app would do). */
export function notebookApi(serverUrl: string, token: string, notebookId: string) {
  return (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${serverUrl}/api/v1/notes/notebooks/${notebookId}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}

/** Invites `username` into the owner's notebook with a notebook role (collaborator: edits every section). */
export async function shareNotebook(
  serverUrl: string,
  ownerToken: string,
  notebookId: string,
  username: string,
  role: 'collaborator' | 'guest' = 'collaborator',
): Promise<string> {
  const response = await notebookApi(serverUrl, ownerToken, notebookId)('POST', '/users', {
    users: [{ username, role }],
  });
  if (!response.ok) throw new Error(`inviting ${username}: ${response.status} ${await response.text()}`);
  const invited = (await response.json()) as { users: { id: string }[] };
  const userId = invited.users[0]?.id;
  if (!userId) throw new Error(`inviting ${username}: no user in the answer`);
  return userId;
}

/** Records the `presence.changed` lists a core publishes for one page (latest last). */
export function presenceLog(core: AppCore, documentId: string): { lists: PresenceViewerView[][] } {
  const log = { lists: [] as PresenceViewerView[][] };
  const off = core.events.on((event) => {
    if (event.name !== 'presence.changed') return;
    const payload = event.payload as { documentId: string; viewers: PresenceViewerView[] };
    if (payload.documentId === documentId) log.lists.push(payload.viewers);
  });
  after(off);
  return log;
}

/**
 * A large notebook made elsewhere, in `token`'s user's default notebook: one section and `count - 1` pages,
 * posted as mutation batches straight to the server. Answers the notebook id.
 */
export async function seedLargeNotebook(serverUrl: string, token: string, count: number): Promise<string> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const me = (await (await fetch(`${serverUrl}${API_PREFIX}/me`, { headers })).json()) as {
    notebookId: string;
  };
  const sectionId = newId(IdPrefix.node);
  let index: string | null = null;
  const nodes = Array.from({ length: count }, (_, i) => {
    index = keyBetween(index, null);
    const attributes =
      i === 0
        ? { type: 'section', parentId: null, index, name: 'Archive' }
        : { type: 'page', parentId: sectionId, index, name: `Page ${i}` };
    const now = new Date().toISOString();
    const data = toBase64(createNodeState(attributes).update);
    const nodeId = i === 0 ? sectionId : newId(IdPrefix.node);
    return {
      id: newId(IdPrefix.mutation),
      createdAt: now,
      type: 'node.create',
      data: { nodeId, updateId: newId(IdPrefix.update), createdAt: now, data },
    };
  });
  for (let i = 0; i < nodes.length; i += 250) {
    const response = await fetch(`${serverUrl}${API_PREFIX}/notebooks/${me.notebookId}/mutations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ mutations: nodes.slice(i, i + 250) }),
    });
    if (response.status !== 200) throw new Error(`seeding: ${response.status} ${await response.text()}`);
  }
  return me.notebookId;
}
