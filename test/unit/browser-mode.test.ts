import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WIRE_VERSION, decodeFrame, encodeFrame, type ServerFrame } from '../../src/shared/contract/wire';
import type { PresenceViewerView } from '../../src/shared/contract';
import { startBrowserMode, type BrowserMode } from '../../src/main/web/server';
import {
  BROWSER_SESSION_FILE,
  newBrowserKey,
  readBrowserSession,
  writeBrowserSession,
} from '../../src/main/web/session-file';
import { LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { createLocalPage } from '../support/core';
import { call, openTestCore, tempDir } from '../support/temp';

async function start(): Promise<{
  web: BrowserMode;
  origin: string;
  secret: string;
  core: Awaited<ReturnType<typeof openTestCore>>;
}> {
  const core = await openTestCore();
  const staticDir = tempDir('static');
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Hoody</title>');
  const web = await startBrowserMode({ core, staticDir });
  after(() => web.close());
  const url = new URL(web.url);
  return { web, core, origin: url.origin, secret: url.hash.replace('#k=', '') };
}

class Client {
  private nextId = 1;
  readonly frames: ServerFrame[] = [];
  private readonly waiters = new Map<number, (frame: ServerFrame) => void>();
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = decodeFrame(String(data)) as ServerFrame;
      this.frames.push(frame);
      if (frame.t === 'result') this.waiters.get(frame.id)?.(frame);
    });
  }
  static open(url: string, origin: string): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { origin });
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }
  invoke(name: string, input: unknown): Promise<ServerFrame> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiters.set(id, resolve);
      this.ws.send(encodeFrame({ t: 'invoke', id, name, input }));
    });
  }
}

describe('browser mode', () => {
  it('serves the renderer with the security headers', async () => {
    const { origin } = await start();
    const response = await fetch(`${origin}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal((await fetch(`${origin}/%2e%2e/%2e%2e/etc/passwd`)).status, 404);
  });

  it('refuses sockets with a wrong secret or a foreign Origin', async () => {
    const { origin, secret, web } = await start();
    const ws = `ws://127.0.0.1:${web.port}/ipc`;
    await assert.rejects(Client.open(`${ws}?k=${secret}`, 'http://evil.example'), /403/);
    await assert.rejects(Client.open(`${ws}?k=${secret.slice(1)}x`, origin), /403/);
    await assert.rejects(Client.open(`${ws}`, origin), /403/);
    await assert.rejects(Client.open(`ws://127.0.0.1:${web.port}/other?k=${secret}`, origin), /403/);
  });

  it('speaks the contract, answers malformed frames with an error and stays usable', async () => {
    const { origin, secret, web } = await start();
    const client = await Client.open(`ws://127.0.0.1:${web.port}/ipc?k=${secret}`, origin);
    client.ws.send('{not json');
    client.ws.send(JSON.stringify({ t: 'invoke', id: 'x' }));
    client.ws.send(Buffer.from([1, 2, 3]));
    const result = await client.invoke('notebook.list', { accountId: LOCAL_ACCOUNT_ID });
    assert.ok(result.t === 'result' && result.result.ok);
    assert.equal(client.frames.filter((f) => f.t === 'error').length, 3);
    const bad = await client.invoke('notebook.create', { accountId: LOCAL_ACCOUNT_ID, name: '' });
    assert.ok(bad.t === 'result' && !bad.result.ok && bad.result.error.details[0]?.path === 'input.name');
    client.ws.close();
  });

  it('pushes events to every window, but a document update not back to its author', async () => {
    const { origin, secret, web, core } = await start();
    const url = `ws://127.0.0.1:${web.port}/ipc?k=${secret}`;
    const a = await Client.open(url, origin);
    const b = await Client.open(url, origin);
    const [notebook] = await call(core, 'notebook.list', { accountId: LOCAL_ACCOUNT_ID });
    const [section] = await call(core, 'node.tree', {
      accountId: LOCAL_ACCOUNT_ID,
      notebookId: notebook!.id,
    });
    const created = await a.invoke('node.create', {
      accountId: LOCAL_ACCOUNT_ID,
      notebookId: notebook!.id,
      type: 'page',
      parentId: section!.id,
      name: 'P',
    });
    assert.ok(created.t === 'result' && created.result.ok);
    const pageId = (created.result.value as { id: string }).id;
    const doc = new Y.Doc();
    doc.getXmlFragment('default').insert(0, [new Y.XmlElement('paragraph')]);
    const saved = await a.invoke('document.update', {
      accountId: LOCAL_ACCOUNT_ID,
      documentId: pageId,
      update: Y.encodeStateAsUpdate(doc),
    });
    assert.ok(saved.t === 'result' && saved.result.ok);
    await new Promise((r) => setTimeout(r, 50));
    const eventsOf = (c: Client) =>
      c.frames.filter((f) => f.t === 'event').map((f) => (f.t === 'event' ? f.name : ''));
    assert.ok(eventsOf(a).includes('node.changed') && eventsOf(b).includes('node.changed'));
    assert.ok(!eventsOf(a).includes('document.updated'), 'the author is not sent its own update');
    const pushed = b.frames.find((f) => f.t === 'event' && f.name === 'document.updated');
    assert.ok(pushed && pushed.t === 'event');
    assert.ok((pushed.payload as { update: unknown }).update instanceof Uint8Array, 'bytes survive the wire');
    a.ws.close();
    b.ws.close();
  });

  it('sends presence to each tab on its own: two tabs see each other’s caret, never their own', async () => {
    const { origin, secret, web, core } = await start();
    const url = `ws://127.0.0.1:${web.port}/ipc?k=${secret}`;
    const a = await Client.open(url, origin);
    const b = await Client.open(url, origin);
    const { page } = await createLocalPage(core, 'Tabs');
    const update = (c: Client, head: number) =>
      c.invoke('presence.update', {
        accountId: LOCAL_ACCOUNT_ID,
        documentId: page.id,
        selection: { anchor: head, head },
      });
    await update(a, 1);
    const answer = await update(b, 2);
    assert.ok(answer.t === 'result' && answer.result.ok);
    assert.deepEqual(
      (answer.result.value as PresenceViewerView[]).map((v) => [v.name, v.selection?.head]),
      [['You (other window)', 1]],
    );
    await new Promise((r) => setTimeout(r, 50));
    const presenceOf = (c: Client) =>
      c.frames.flatMap((f) =>
        f.t === 'event' && f.name === 'presence.changed'
          ? [(f.payload as { viewers: PresenceViewerView[] }).viewers.map((v) => v.selection?.head)]
          : [],
      );
    assert.deepEqual(presenceOf(a), [[2]], 'a is told about b');
    assert.deepEqual(presenceOf(b), [], 'b got its answer and nothing about itself');
    // b's socket closes: a is told at once.
    b.ws.close();
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(presenceOf(a).at(-1), []);
    a.ws.close();
  });

  it('keeps a given key, says whether a key is still valid, and answers the tab’s heartbeat', async () => {
    const core = await openTestCore();
    const staticDir = tempDir('static');
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Hoody</title>');
    const key = newBrowserKey();
    const web = await startBrowserMode({ core, staticDir, secret: key });
    after(() => web.close());
    const { origin } = new URL(web.url);
    assert.equal(web.url, `${origin}/#k=${key}`);
    assert.equal((await fetch(`${origin}/ipc?k=${key}`, { method: 'HEAD' })).status, 204);
    assert.equal((await fetch(`${origin}/ipc?k=${newBrowserKey()}`, { method: 'HEAD' })).status, 403);
    assert.equal((await fetch(`${origin}/ipc`, { method: 'HEAD' })).status, 403);
    const client = await Client.open(`ws://127.0.0.1:${web.port}/ipc?k=${key}`, origin);
    client.ws.send(encodeFrame({ t: 'hello', v: WIRE_VERSION }));
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(client.frames, [{ t: 'welcome', v: WIRE_VERSION }]);
    client.ws.close();
  });

  it('remembers its key and port per data dir in a file only the user can read; garbage is ignored', () => {
    const dir = tempDir('session');
    assert.equal(readBrowserSession(dir), null);
    const key = newBrowserKey();
    writeBrowserSession(dir, { key, port: 43_210 });
    assert.deepEqual(readBrowserSession(dir), { key, port: 43_210 });
    if (process.platform !== 'win32')
      assert.equal(statSync(join(dir, BROWSER_SESSION_FILE)).mode & 0o777, 0o600);
    writeFileSync(join(dir, BROWSER_SESSION_FILE), JSON.stringify({ key: 'short', port: 1 }));
    assert.equal(readBrowserSession(dir), null);
    writeFileSync(join(dir, BROWSER_SESSION_FILE), JSON.stringify({ key, port: 'x' }));
    assert.deepEqual(readBrowserSession(dir), { key, port: null });
    writeFileSync(join(dir, BROWSER_SESSION_FILE), '{not json');
    assert.equal(readBrowserSession(dir), null);
  });

  it('only listens on loopback', async () => {
    const core = await openTestCore();
    await assert.rejects(startBrowserMode({ core, staticDir: tempDir(), host: '0.0.0.0' }), /loopback/);
  });
});
