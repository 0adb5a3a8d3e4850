import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import type { Result } from '../../src/shared/lib/result';
import { MAX_FRAME_BYTES, decodeFrame, encodeFrame } from '../../src/shared/contract/wire';
import { startBrowserMode } from '../../src/main/web/server';
import { LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { openTestCore, tempDir } from '../support/temp';

/**
 * Browser mode's socket transport (`src/renderer/api.ts`) under Node: `ws` stands in for the browser's
 * WebSocket and a bare socket server for the core, so the test decides when the core answers, dies and comes
 * back (on the same port, as a restarted core does).
 */

type Frame = { t: string; id?: number; name?: string };

/**
 * The slice of `api.ts` this test uses. The module is loaded by path at run time: it is renderer code (DOM
 * types), which the Node test project does not compile.
 */
type ConnectionState = 'connected' | 'connecting' | 'disconnected' | 'no-key' | 'key-refused';
interface Client {
  api: {
    invoke(name: string, input: unknown): Promise<Result<unknown>>;
    subscribe(event: string, listener: (payload: unknown) => void): () => void;
  };
  connection: { state(): ConnectionState; onChange(listener: (state: ConnectionState) => void): () => void };
}
const API_MODULE = new URL('../../src/renderer/api.ts', import.meta.url).href;
const loadApi = async (): Promise<{ createClient(): Client }> =>
  (await import(API_MODULE)) as { createClient(): Client };

class FakeCore {
  readonly frames: Frame[] = [];
  private server: WebSocketServer | null = null;
  answer = true;
  constructor(public port = 0) {}
  async start(): Promise<void> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: this.port });
    await new Promise<void>((done) => server.once('listening', () => done()));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    server.on('connection', (ws) => {
      ws.on('message', (data) => {
        const frame = decodeFrame(String(data)) as Frame;
        this.frames.push(frame);
        if (frame.t === 'invoke' && this.answer)
          ws.send(encodeFrame({ t: 'result', id: frame.id!, result: { ok: true, value: frame.name } }));
      });
    });
  }
  emit(name: string, payload: unknown): void {
    for (const ws of this.server?.clients ?? []) ws.send(encodeFrame({ t: 'event', name, payload }));
  }
  /** Dies: every socket is cut, nothing listens on the port any more. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const ws of server.clients) ws.terminate();
    await new Promise<void>((done) => server.close(() => done()));
  }
}

/** Like the browser's: a failed connection is reported by `onclose`, never thrown. */
class BrowserLikeWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    this.on('error', () => undefined);
  }
}

/** Ends the client's reconnect loop at the end of a test: its next socket neither opens nor closes. */
class InertWebSocket {
  static readonly OPEN = 1;
  readyState = 0;
  close(): void {}
}

function browserGlobals(port: number, hash: string): void {
  const storage = new Map<string, string>();
  Object.assign(globalThis, {
    window: globalThis,
    WebSocket: BrowserLikeWebSocket,
    location: { host: `127.0.0.1:${port}`, hash, pathname: '/', search: '' },
    history: { replaceState: () => undefined },
    sessionStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => storage.set(key, value),
    },
    document: { visibilityState: 'visible', addEventListener: () => undefined },
    addEventListener: () => undefined,
  });
}

async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('browser mode transport (renderer api.ts)', () => {
  it('fails calls in flight when the core dies, fails calls while it is away at once, and reconnects to the restarted core with the same listeners', async () => {
    const core = new FakeCore();
    await core.start();
    after(() => core.stop());
    browserGlobals(core.port, '#k=secret-key');
    const { createClient } = await loadApi();
    const { api, connection } = createClient();
    const states: ConnectionState[] = [];
    connection.onChange((state) => states.push(state));
    await until('connected', () => connection.state() === 'connected');
    assert.equal((await api.invoke('app.info', {})).ok, true);

    const events: unknown[] = [];
    api.subscribe('app.notice', (payload) => events.push(payload));
    core.emit('app.notice', { n: 1 });
    await until('the first event', () => events.length === 1);

    // A call the core never answers, then the core dies: the call fails (it does not hang), with a reason.
    core.answer = false;
    const inFlight = api.invoke('app.info', {});
    await until('the call reached the core', () => core.frames.filter((f) => f.t === 'invoke').length === 2);
    await core.stop();
    const lost = await inFlight;
    assert.equal(lost.ok, false);
    assert.ok(!lost.ok && lost.error.code === 'unavailable');
    assert.match(!lost.ok ? lost.error.message : '', /connection to the Hoody Notes core was lost/);
    await until('disconnected', () => connection.state() === 'disconnected');

    const whileAway = await api.invoke('app.info', {});
    assert.ok(!whileAway.ok && /Not connected to the Hoody Notes core/.test(whileAway.error.message));

    // The core comes back on the same port: the client reconnects by itself; its listeners still hear events.
    const restarted = new FakeCore(core.port);
    await restarted.start();
    after(() => restarted.stop());
    await until('reconnected', () => connection.state() === 'connected', 10_000);
    assert.deepEqual(states.slice(0, 2), ['connected', 'disconnected']);
    assert.equal(states.at(-1), 'connected');
    assert.equal((await api.invoke('app.info', {})).ok, true);
    restarted.emit('app.notice', { n: 2 });
    await until('the event after reconnecting', () => events.length === 2);
    assert.deepEqual(events, [{ n: 1 }, { n: 2 }]);
    Object.assign(globalThis, { WebSocket: InertWebSocket });
  });

  it('says when the core refuses the key (restarted with a new one) and when there is no key at all', async () => {
    const core = new FakeCore();
    await core.start();
    const port = core.port;
    await core.stop(); // nothing listens: the socket fails, and the key check answers 403 (stubbed)
    browserGlobals(port, '#k=old-key');
    const realFetch = globalThis.fetch;
    const checked: string[] = [];
    globalThis.fetch = ((url: string, init: RequestInit) => {
      checked.push(`${init.method} ${url}`);
      return Promise.resolve(new Response(null, { status: 403 }));
    }) as typeof fetch;
    after(() => {
      globalThis.fetch = realFetch;
    });
    const { createClient } = await loadApi();
    const { connection } = createClient();
    await until('key-refused', () => connection.state() === 'key-refused');
    assert.equal(checked[0], 'HEAD /ipc?k=old-key');
    Object.assign(globalThis, { WebSocket: InertWebSocket });

    browserGlobals(port, '');
    Object.assign(globalThis, { WebSocket: InertWebSocket });
    assert.equal(createClient().connection.state(), 'no-key');
  });

  it('a request the real core cannot read fails at once with its reason; one too large is refused before it is sent', async () => {
    const core = await openTestCore();
    const web = await startBrowserMode({ core, staticDir: tempDir('static') });
    after(() => web.close());
    const url = new URL(web.url);
    browserGlobals(web.port, url.hash);
    // The core takes only sockets from its own origin, as a browser sends it.
    Object.assign(globalThis, {
      WebSocket: class extends WebSocket {
        constructor(address: string) {
          super(address, { origin: url.origin });
          this.on('error', () => undefined);
        }
      },
    });
    const { createClient } = await loadApi();
    const { api, connection } = createClient();
    await until('connected', () => connection.state() === 'connected');

    // Bytes that are not base64: the frame does not decode, and before, this call waited for good.
    const unreadable = await api.invoke('document.update', {
      accountId: LOCAL_ACCOUNT_ID,
      documentId: 'x',
      update: { $bytes: 'not base64!' },
    });
    assert.ok(!unreadable.ok);
    assert.equal(unreadable.error.code, 'bad_request');
    assert.match(unreadable.error.message, /could not read this request/);

    const huge = await api.invoke('notebook.create', {
      accountId: LOCAL_ACCOUNT_ID,
      name: 'x'.repeat(MAX_FRAME_BYTES),
    });
    assert.ok(!huge.ok);
    assert.equal(huge.error.code, 'payload_too_large');
    assert.match(huge.error.message, /too large to send to the app core \(65 MB, at most 64 MB at once\)/);

    // Neither cost the connection: the next call is answered.
    assert.equal(connection.state(), 'connected');
    assert.equal((await api.invoke('notebook.list', { accountId: LOCAL_ACCOUNT_ID })).ok, true);
    Object.assign(globalThis, { WebSocket: InertWebSocket });
  });
});
