import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { decodeFrame, encodeFrame, type ServerFrame } from '../../src/shared/contract/wire';
import { startBrowserMode, type BrowserMode } from '../../src/main/web/server';
import { LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
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

  it('only listens on loopback', async () => {
    const core = await openTestCore();
    await assert.rejects(startBrowserMode({ core, staticDir: tempDir(), host: '0.0.0.0' }), /loopback/);
  });
});
