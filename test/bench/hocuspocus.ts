/**
 * The peer side by side (issue 15): Hocuspocus 3.4.4 (`@hocuspocus/server` + `@hocuspocus/provider`, the
 * standard Yjs collaboration server) on this machine, in this run, for the two sync figures `npm run bench`
 * measures for us: edit-to-visible (one keystroke on A until B's doc has it, both online on one page) and
 * 10,000 offline edits (keystrokes on A while disconnected, then connect, until B has them all).
 *
 * Persisting to SQLite as Hocuspocus is usually deployed: `onLoadDocument` reads the stored state and
 * `onStoreDocument` writes the whole state (better-sqlite3, WAL, synchronous=FULL like ours), called by
 * Hocuspocus with its default debounce (2 s, at most 10 s): an edit is acknowledged and relayed before it is
 * durable, while ours are committed before the server answers. Both are reported; the ratio says how far
 * ours is from the peer, it does not make the two equal.
 *
 * The packages are loaded by name at run time (not imported statically) so a checkout whose node_modules
 * predates them still typechecks and runs every other part; run `npm install` to get them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { openSqlite } from '../../src/main/db/open';
import { summarize } from './stats';

interface HocuspocusServer {
  listen(port?: number): Promise<unknown>;
  readonly address: { port: number };
  destroy(): Promise<unknown>;
}
interface HocuspocusProvider {
  readonly document: Y.Doc;
  readonly isSynced: boolean;
  on(event: 'synced', listener: () => void): void;
  attach(): void;
  destroy(): void;
}
interface ServerModule {
  Server: new (configuration: Record<string, unknown>) => HocuspocusServer;
}
interface ProviderModule {
  HocuspocusProvider: new (configuration: Record<string, unknown>) => HocuspocusProvider;
  HocuspocusProviderWebsocket: new (configuration: Record<string, unknown>) => { destroy(): void };
}

const load = async <T>(name: string): Promise<T> => (await import(name)) as T;

const EDIT_SAMPLES = 200;
const OFFLINE_EDITS = 10_000;
const PAGES = 99;

function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      if (check()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setImmediate(poll);
    };
    poll();
  });
}

export async function hocuspocusBench(): Promise<Record<string, unknown>> {
  const { Server } = await load<ServerModule>('@hocuspocus/server');
  const { HocuspocusProvider, HocuspocusProviderWebsocket } =
    await load<ProviderModule>('@hocuspocus/provider');
  const dir = mkdtempSync(join(tmpdir(), 'hoody-hocuspocus-'));
  const db = openSqlite(join(dir, 'hocuspocus.db'));
  db.exec('CREATE TABLE documents (name TEXT PRIMARY KEY, state BLOB NOT NULL)');
  const read = db.prepare('SELECT state FROM documents WHERE name = ?').pluck();
  const write = db.prepare(
    'INSERT INTO documents (name, state) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET state = excluded.state',
  );
  let stores = 0;
  const server = new Server({
    quiet: true,
    async onLoadDocument({ documentName, document }: { documentName: string; document: Y.Doc }) {
      const state = read.get(documentName) as Uint8Array | undefined;
      if (state) Y.applyUpdate(document, state);
      return document;
    },
    async onStoreDocument({ documentName, document }: { documentName: string; document: Y.Doc }) {
      write.run(documentName, Y.encodeStateAsUpdate(document));
      stores++;
    },
  });
  await server.listen(0);
  const url = `ws://127.0.0.1:${server.address.port}`;
  const providers: HocuspocusProvider[] = [];
  const sockets: { destroy(): void }[] = [];
  const open = async (name: string): Promise<HocuspocusProvider> => {
    const provider = new HocuspocusProvider({ url, name, WebSocketPolyfill: WebSocket });
    providers.push(provider);
    await until(`${name} synced`, () => provider.isSynced);
    return provider;
  };
  try {
    // Edit-to-visible: one keystroke at a time, the next only after B saw the last.
    const a = await open('page');
    const b = await open('page');
    const textA = a.document.getText('default');
    const textB = b.document.getText('default');
    const latencies: number[] = [];
    for (let i = 0; i < EDIT_SAMPLES; i++) {
      const expected = textA.length + 1;
      const started = performance.now();
      textA.insert(textA.length, 'x');
      await until('B sees the keystroke', () => textB.length === expected);
      latencies.push(performance.now() - started);
    }

    // 10,000 offline edits, shaped like ours (test/bench/sync.ts: 99 pages typed into about 101 times each):
    // A types into its docs before it has a connection (one transaction per keystroke, as an editor does),
    // then connects one socket for all of them; timed from the connect until B's docs hold every keystroke.
    const socketB = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
    sockets.push(socketB);
    const names = Array.from({ length: PAGES }, (_, i) => `offline-${i}`);
    const perPage = names.map(
      (_, i) => Math.floor(OFFLINE_EDITS / PAGES) + (i < OFFLINE_EDITS % PAGES ? 1 : 0),
    );
    const seen: Y.Text[] = [];
    for (const name of names) {
      // A provider on a shared socket joins it only once attached.
      const provider = new HocuspocusProvider({ name, websocketProvider: socketB });
      provider.attach();
      providers.push(provider);
      seen.push(provider.document.getText('default'));
      await until(`B ${name} synced`, () => provider.isSynced);
    }
    const offline = names.map((_, i) => {
      const doc = new Y.Doc();
      const text = doc.getText('default');
      for (let k = 0; k < perPage[i]!; k++) text.insert(text.length, 'y');
      return doc;
    });
    const started = performance.now();
    const socketA = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
    sockets.push(socketA);
    names.forEach((name, i) => {
      const provider = new HocuspocusProvider({ name, document: offline[i], websocketProvider: socketA });
      provider.attach();
      providers.push(provider);
    });
    await until('B has the offline edits', () => seen.every((text, i) => text.length === perPage[i]));
    const catchUpMs = performance.now() - started;
    return {
      peer: '@hocuspocus/server + @hocuspocus/provider 3.4.4, SQLite (better-sqlite3) on onStoreDocument',
      editToVisibleMs: summarize(latencies),
      offlineEditsCatchUpMs: Math.round(catchUpMs),
      offlineEdits: OFFLINE_EDITS,
      offlinePages: PAGES,
      storesDuringRun: stores,
      durability: 'relayed before stored (onStoreDocument debounced 2 s, max 10 s); ours commits first',
    };
  } finally {
    for (const provider of providers) provider.destroy();
    for (const socket of sockets) socket.destroy();
    await server.destroy();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
