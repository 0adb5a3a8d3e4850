/**
 * Sync figures for `npm run bench` (issue 4), each beside a baseline from the same run:
 *
 * - `offlineCatchUp`: device A makes 10,000 mutations offline (creates, renames, keystroke-sized document
 *   updates); its network comes back; time until device B shows all of them. Baseline: the reference server
 *   applying exactly those 10,000 mutations posted straight to it (batches of 500) — its own apply time.
 *   A's sender merges each page's pending keystrokes before sending; `mutationsSentByA` says how many went.
 * - `offlineCreatesCatchUp`: the same with 10,000 page creates, where nothing merges (reported, no target).
 * - `editToVisible`: A and B online with the same page open; one keystroke on A until B's core publishes
 *   it to its editors. Baseline: one direct `POST …/mutations` round trip of the same kind of mutation.
 *
 * Everything is real (in-process server on 127.0.0.1, SQLite, the sync engine); "offline" is a TCP relay in
 * front of the server that drops every connection while down.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { AppCore } from '../../src/main/core/app-core';
import type { EmittedEvent } from '../../src/main/lib/events';
import { startServer, type RunningServer } from '../../src/server/server';
import type { NodeView } from '../../src/shared/contract';
import { DOCUMENT_FRAGMENT } from '../../src/shared/crdt/document';
import { createNodeState } from '../../src/shared/crdt/node-doc';
import { toBase64 } from '../../src/shared/lib/base64';
import { IdPrefix, newId } from '../../src/shared/lib/ids';
import type { Mutation } from '../../src/shared/model/mutations';
import { call } from '../support/core';
import { ratio, summarize } from './stats';

const TOTAL = 10_000;
const PAGES = 99;
const BATCH = 500;
const RUNS = Number(process.env.BENCH_SYNC_RUNS ?? 3);
const LATENCY_SAMPLES = Number(process.env.BENCH_SYNC_SAMPLES ?? 200);

/** A TCP relay that can drop the network: while down, every connection is cut and new ones are refused. */
class Relay {
  up = true;
  port = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  constructor(targetPort: number) {
    this.server = createServer((client) => {
      if (!this.up) return client.destroy();
      const upstream = connect(targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  down(): void {
    this.up = false;
    for (const socket of this.sockets) socket.destroy();
  }

  close(): Promise<void> {
    this.down();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

interface Device {
  core: AppCore;
  accountId: string;
  notebookId: string;
}

async function device(dataDir: string, serverUrl: string, token: string): Promise<Device> {
  const core = await AppCore.open({ dataDir, mode: 'browser' });
  const account = await call(core, 'account.add', { serverUrl, token });
  const [notebook] = await call(core, 'notebook.list', { accountId: account.id });
  if (!notebook) throw new Error('no notebook mirrored');
  return { core, accountId: account.id, notebookId: notebook.id };
}

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 300_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const syncStatus = async (d: Device) =>
  (await call(d.core, 'sync.status', {})).find((s) => s.accountId === d.accountId);

const node = (d: Device, nodeId: string) =>
  call(d.core, 'node.get', { accountId: d.accountId, nodeId }).catch(() => null);

/** An open editor's view of a page on one device: a Y.Doc fed by the core's `document.updated` events. */
async function mirror(d: Device, pageId: string, senderId: string) {
  const doc = new Y.Doc();
  const opened = await call(
    d.core,
    'document.open',
    { accountId: d.accountId, documentId: pageId },
    senderId,
  );
  Y.applyUpdate(doc, opened.state);
  const listeners = new Set<() => void>();
  const off = d.core.events.on((event: EmittedEvent) => {
    if (event.name !== 'document.updated') return;
    const payload = event.payload as { accountId: string; documentId: string; update: Uint8Array };
    if (payload.accountId !== d.accountId || payload.documentId !== pageId) return;
    Y.applyUpdate(doc, payload.update);
    for (const listener of listeners) listener();
  });
  const text = (): string => doc.getXmlFragment(DOCUMENT_FRAGMENT).toString();
  /** Resolves at the first update after which `check` holds (checked at once, too). */
  const when = (check: () => boolean): Promise<number> =>
    new Promise((resolve) => {
      if (check()) return resolve(performance.now());
      const listener = (): void => {
        if (!check()) return;
        listeners.delete(listener);
        resolve(performance.now());
      };
      listeners.add(listener);
    });
  /**
   * Appends one character to the page's first paragraph and saves it, as a keystroke in the editor does.
   * Returns the Yjs update it saved.
   */
  const keystroke = async (char: string): Promise<Uint8Array> => {
    const before = Y.encodeStateVector(doc);
    const fragment = doc.getXmlFragment(DOCUMENT_FRAGMENT);
    let paragraph = fragment.get(0) as Y.XmlElement | undefined;
    if (!paragraph) {
      paragraph = new Y.XmlElement('paragraph');
      fragment.insert(0, [paragraph]);
    }
    let textNode = paragraph.get(0) as Y.XmlText | undefined;
    if (!textNode) {
      textNode = new Y.XmlText();
      paragraph.insert(0, [textNode]);
    }
    textNode.insert(textNode.length, char);
    const update = Y.encodeStateAsUpdate(doc, before);
    await call(d.core, 'document.update', { accountId: d.accountId, documentId: pageId, update }, senderId);
    return update;
  };
  return { doc, text, when, keystroke, close: off };
}

/** The wire mutation of one keystroke, as A's outbox held it before merging. */
function documentUpdate(documentId: string, update: Uint8Array): Mutation {
  const at = new Date().toISOString();
  return {
    id: newId(IdPrefix.mutation),
    createdAt: at,
    type: 'document.update',
    data: { documentId, updateId: newId(IdPrefix.update), data: toBase64(update), createdAt: at },
  };
}

/**
 * `BENCH_SYNC_PROFILE=<dir>`: a CPU profile of each catch-up (server, A and B share this process, so it shows
 * where the time of the whole pipeline goes). Returns the function that stops it and writes the file.
 */
async function startProfile(): Promise<((name: string) => Promise<void>) | null> {
  const dir = process.env.BENCH_SYNC_PROFILE;
  if (!dir) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async (name) => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}

interface CatchUpRun {
  mutations: number;
  /** Mutations A's sender posted after merging each page's keystrokes (at reconnect, in A's outbox). */
  sent: number;
  offlineWritesMs: number;
  catchUpMs: number;
  /** Until A's outbox was empty (every mutation confirmed by the server). */
  sentMs: number;
  serverApplyMs: number;
}

/** Mutations the server has applied so far (every one is recorded once, for idempotency). */
function appliedMutations(serverDataDir: string): number {
  const db = new Database(join(serverDataDir, 'notes.db'), { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM applied_mutations').pluck().get() as number;
  } finally {
    db.close();
  }
}

async function offlineCatchUp(
  serverDataDir: string,
  baseline: RunningServer,
  a: Device,
  b: Device,
  relay: Relay,
  run: number,
): Promise<CatchUpRun> {
  relay.down();
  await until('A offline', async () => (await syncStatus(a))?.connection === 'offline', 30_000);
  // Offline: a section with 99 pages, each renamed once and typed into 99 times = 10,000 mutations.
  const writesStarted = performance.now();
  const create = (type: 'section' | 'page', parentId: string | null, name: string) =>
    call(a.core, 'node.create', { accountId: a.accountId, notebookId: a.notebookId, type, parentId, name });
  const section = await create('section', null, `Run ${run}`);
  const pages: NodeView[] = [];
  for (let i = 0; i < PAGES; i++) pages.push(await create('page', section.id, `p${i}`));
  for (const page of pages)
    await call(a.core, 'node.update', { accountId: a.accountId, nodeId: page.id, name: `${page.name}!` });
  // What A made, one mutation per edit, for the baseline: A's sender merges a page's pending keystrokes
  // before sending them (docs/decisions/0008-outbox-consolidation.md), so its outbox holds fewer.
  const made: Mutation[] = (await call(a.core, 'sync.outbox', { accountId: a.accountId })).map(
    (entry) => JSON.parse(entry.payload) as Mutation,
  );
  const perPage = Math.floor((TOTAL - made.length) / PAGES);
  let extra = TOTAL - made.length - perPage * PAGES;
  let marker = '';
  const last = pages.at(-1)!;
  for (const page of pages) {
    const editor = await mirror(a, page.id, 'bench-a');
    const count = perPage + (extra-- > 0 ? 1 : 0);
    for (let k = 0; k < count; k++) {
      const update = await editor.keystroke(String.fromCharCode(97 + (k % 26)));
      made.push(documentUpdate(page.id, update));
    }
    if (page === last) marker = editor.text();
    editor.close();
    await call(a.core, 'document.close', { accountId: a.accountId, documentId: page.id }, 'bench-a');
  }
  const offlineWritesMs = performance.now() - writesStarted;
  if (made.length !== TOTAL) throw new Error(`bench: made ${made.length} mutations, not ${TOTAL}`);
  const appliedBefore = appliedMutations(serverDataDir);

  // Back online: "sync now" at t0 (skipping the reconnect backoff A built up) until B shows everything: the
  // last page's last keystroke (document updates of a section stream in order) and its rename (node updates).
  relay.up = true;
  const profile = await startProfile();
  const started = performance.now();
  await call(a.core, 'sync.now', { accountId: a.accountId });
  let sentMs = NaN;
  void until('A sent everything', async () => (await syncStatus(a))?.pending === 0).then(() => {
    sentMs = performance.now() - started;
  });
  await until('everything on B', async () => {
    if ((await node(b, last.id))?.name !== `${last.name}!`) return false;
    const opened = await call(
      b.core,
      'document.open',
      { accountId: b.accountId, documentId: last.id },
      'bench-b',
    );
    await call(b.core, 'document.close', { accountId: b.accountId, documentId: last.id }, 'bench-b');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, opened.state);
    return doc.getXmlFragment(DOCUMENT_FRAGMENT).toString() === marker;
  });
  const catchUpMs = performance.now() - started;
  await profile?.(`catch-up-${run}`);
  const tree = await call(b.core, 'node.tree', { accountId: b.accountId, notebookId: b.notebookId });
  const renamed = tree.filter((n) => n.rootId === section.id && n.name.endsWith('!')).length;
  if (renamed !== PAGES) throw new Error(`bench: B shows ${renamed} renamed pages of ${PAGES}`);

  // Baseline: the same mutations posted straight to a fresh server notebook.
  const sent = appliedMutations(serverDataDir) - appliedBefore;
  const serverApplyMs = await applyDirectly(baseline, made);
  await until('A sent everything', () => !Number.isNaN(sentMs));
  return {
    mutations: TOTAL,
    sent,
    offlineWritesMs: Math.round(offlineWritesMs),
    catchUpMs,
    sentMs,
    serverApplyMs,
  };
}

/** `/me` creates (on first call) and names the user's default notebook. */
async function defaultNotebook(api: string, headers: Record<string, string>): Promise<{ id: string }> {
  const me = (await (await fetch(`${api}/me`, { headers })).json()) as { notebookId?: string };
  const id = me.notebookId;
  if (!id) throw new Error(`bench: no default notebook in /me: ${JSON.stringify(me)}`);
  return { id };
}

let baselineUser = 0;
async function applyDirectly(server: RunningServer, mutations: Mutation[]): Promise<number> {
  const token = server.createToken(`baseline${baselineUser++}`);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const api = `${server.url}/api/v1/notes`;
  const notebooks = [await defaultNotebook(api, headers)];
  const notebookId = notebooks[0]!.id;
  const started = performance.now();
  for (let i = 0; i < mutations.length; i += BATCH) {
    const response = await fetch(`${api}/notebooks/${notebookId}/mutations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ mutations: mutations.slice(i, i + BATCH) }),
    });
    const body = (await response.json()) as { results: { status: number }[] };
    const refused = body.results.filter((r) => r.status >= 300).length;
    if (refused > 0) throw new Error(`bench: the baseline server refused ${refused} mutations`);
  }
  return performance.now() - started;
}

/**
 * The case consolidation can't help: 10,000 offline page creates (distinct objects, nothing merges), until
 * B has the last one (a section's node updates stream in order) — then every one is checked. Baseline: the
 * server applying the same 10,000 mutations posted straight to it.
 */
async function offlineCreates(
  serverDataDir: string,
  baseline: RunningServer,
  a: Device,
  b: Device,
  relay: Relay,
): Promise<Record<string, unknown>> {
  relay.down();
  await until('A offline', async () => (await syncStatus(a))?.connection === 'offline', 30_000);
  const create = (type: 'section' | 'page', parentId: string | null, name: string) =>
    call(a.core, 'node.create', { accountId: a.accountId, notebookId: a.notebookId, type, parentId, name });
  const section = await create('section', null, 'Many pages');
  let last = section;
  for (let i = 1; i < TOTAL; i++) last = await create('page', section.id, `page ${i}`);
  const made = (await call(a.core, 'sync.outbox', { accountId: a.accountId })).map(
    (entry) => JSON.parse(entry.payload) as Mutation,
  );
  if (made.length !== TOTAL) throw new Error(`bench: ${made.length} creates pending, not ${TOTAL}`);
  const appliedBefore = appliedMutations(serverDataDir);
  relay.up = true;
  const profile = await startProfile();
  const started = performance.now();
  await call(a.core, 'sync.now', { accountId: a.accountId });
  await until('the last page on B', async () => (await node(b, last.id)) !== null);
  const catchUpMs = performance.now() - started;
  await profile?.('creates-catch-up');
  const tree = await call(b.core, 'node.tree', { accountId: b.accountId, notebookId: b.notebookId });
  const arrived = tree.filter((n) => n.rootId === section.id).length;
  if (arrived !== TOTAL) throw new Error(`bench: B has ${arrived} of the ${TOTAL} created nodes`);
  await until('A sent everything', async () => (await syncStatus(a))?.pending === 0);
  const sent = appliedMutations(serverDataDir) - appliedBefore;
  const serverApplyMs = await applyDirectly(baseline, made);
  return {
    target: 'reported (no target): the worst case for consolidation, every mutation a different object',
    mutations: TOTAL,
    mutationsSentByA: sent,
    catchUpMs: Math.round(catchUpMs),
    baselineServerApplyMs: Math.round(serverApplyMs),
    vsServerApply: ratio(catchUpMs, serverApplyMs),
  };
}

async function editToVisible(server: RunningServer, a: Device, b: Device) {
  const section = await call(a.core, 'node.create', {
    accountId: a.accountId,
    notebookId: a.notebookId,
    type: 'section',
    parentId: null,
    name: 'Latency',
  });
  const page = await call(a.core, 'node.create', {
    accountId: a.accountId,
    notebookId: a.notebookId,
    type: 'page',
    parentId: section.id,
    name: 'typing',
  });
  await until('the page on B', async () => (await node(b, page.id)) !== null, 30_000);
  const onA = await mirror(a, page.id, 'latency-a');
  const onB = await mirror(b, page.id, 'latency-b');
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES + 10; i++) {
    const started = performance.now();
    await onA.keystroke('x');
    const expected = onA.text();
    const seenAt = await onB.when(() => onB.text() === expected);
    if (i >= 10) samples.push(seenAt - started); // the first few warm up connections and caches
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  onA.close();
  onB.close();

  // Baseline: one mutation (a page create) posted straight to the server: HTTP round trip + apply + commit.
  const token = server.createToken('latency-baseline');
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const api = `${server.url}/api/v1/notes`;
  const notebooks = [await defaultNotebook(api, headers)];
  const post = async (nodeId: string, attributes: Record<string, unknown>): Promise<number> => {
    const at = new Date().toISOString();
    const mutation: Mutation = {
      id: newId(IdPrefix.mutation),
      createdAt: at,
      type: 'node.create',
      data: {
        nodeId,
        updateId: newId(IdPrefix.update),
        createdAt: at,
        data: toBase64(createNodeState(attributes).update),
      },
    };
    const started = performance.now();
    const response = await fetch(`${api}/notebooks/${notebooks[0]!.id}/mutations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ mutations: [mutation] }),
    });
    const body = (await response.json()) as { results: { status: number }[] };
    if (body.results[0]!.status >= 300)
      throw new Error(`bench: baseline mutation refused: ${body.results[0]!.status}`);
    return performance.now() - started;
  };
  const sectionId = newId(IdPrefix.node);
  await post(sectionId, { type: 'section', parentId: null, index: 'a0', name: 'Baseline' });
  const direct: number[] = [];
  for (let i = 0; i < 60; i++) {
    const elapsed = await post(newId(IdPrefix.node), {
      type: 'page',
      parentId: sectionId,
      index: `a${i}`,
      name: `p${i}`,
    });
    if (i >= 10) direct.push(elapsed);
  }
  const latency = summarize(samples);
  const baselinePost = summarize(direct);
  return {
    target: 'p50 <= 50 ms on loopback',
    editToVisibleMs: latency,
    baselineOneMutationPostMs: baselinePost,
    p50VsOneMutationPost: ratio(latency.p50, baselinePost.p50),
  };
}

export async function syncBench(): Promise<Record<string, unknown>> {
  const work = mkdtempSync(join(tmpdir(), 'hoody-bench-sync-'));
  const server = await startServer({ port: 0, dataDir: join(work, 'server') });
  const baseline = await startServer({ port: 0, dataDir: join(work, 'baseline') });
  const relay = new Relay(server.port);
  await relay.start();
  const devices: AppCore[] = [];
  try {
    const token = server.createToken('ann');
    const a = await device(join(work, 'a'), `http://127.0.0.1:${relay.port}`, token);
    devices.push(a.core);
    const b = await device(join(work, 'b'), server.url, server.createToken('ann'));
    devices.push(b.core);

    const latency = await editToVisible(server, a, b);
    const runs: CatchUpRun[] = [];
    for (let run = 0; run < RUNS; run++)
      runs.push(await offlineCatchUp(join(work, 'server'), baseline, a, b, relay, run));
    const creates = await offlineCreates(join(work, 'server'), baseline, a, b, relay);
    const catchUp = summarize(runs.map((r) => r.catchUpMs));
    const serverApply = summarize(runs.map((r) => r.serverApplyMs));
    return {
      offlineCatchUp: {
        target: 'p50 <= 1.0 s on loopback (10,000 offline mutations on A until all visible on B)',
        mutations: TOTAL,
        mutationsSentByA: runs.map((r) => r.sent),
        runs: runs.length,
        catchUpMs: catchUp,
        aConfirmedAllMs: summarize(runs.map((r) => r.sentMs)),
        baselineServerApplyMs: serverApply,
        p50VsServerApply: ratio(catchUp.p50, serverApply.p50),
        offlineWritesMs: summarize(runs.map((r) => r.offlineWritesMs)),
      },
      offlineCreatesCatchUp: creates,
      editToVisible: latency,
    };
  } finally {
    for (const core of devices) core.close();
    await relay.close();
    await server.close();
    await baseline.close();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('sync.ts')) console.log(JSON.stringify(await syncBench(), null, 2));
