/**
 * `npm run bench`: JSON figures for the foundation, each beside a baseline measured in the same run (these
 * machines are noisy, so ratios matter more than absolute numbers). Not a test: it asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import * as Y from 'yjs';
import { yXmlFragmentToProseMirrorRootNode, prosemirrorJSONToYDoc } from '@tiptap/y-tiptap';
import { AppCore, LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { openSqlite } from '../../src/main/db/open';
import { replicaPath } from '../../src/main/replica/replica';
import { DOCUMENT_FRAGMENT, normalizeDocument, writeDocument } from '../../src/shared/crdt/document';
import { editorSchema } from '../../src/shared/editor/extensions';
import { IdPrefix, newId } from '../../src/shared/lib/ids';
import { call, createLocalPage } from '../support/core';
import { serverBench } from './server';
import { syncBench } from './sync';
import { hocuspocusBench } from './hocuspocus';
import { reconnectBench } from './reconnect';
import { captureBench } from './capture';
import { editorBench } from './editor';
import { searchBench } from './search';
import { databaseBench } from './database';
import { filesBench } from './files';
import { historyBench } from './history';
import { sharingBench } from './sharing';
import { ratio, summarize, timeAsync, timeSync } from './stats';

const accountId = LOCAL_ACCOUNT_ID;
const work = mkdtempSync(join(tmpdir(), 'hoody-bench-'));
const results: Record<string, unknown> = {
  machine: { node: process.version, cpus: 2 },
  startedAt: new Date().toISOString(),
};

async function localWrites(): Promise<void> {
  const core = await AppCore.open({ dataDir: join(work, 'writes'), mode: 'browser' });
  const { notebook, page } = await createLocalPage(core, 'bench');
  const createSamples: number[] = [];
  for (let i = 0; i < 400; i++) {
    createSamples.push(
      await timeAsync(() =>
        call(core, 'node.create', {
          accountId,
          notebookId: notebook.id,
          type: 'page',
          parentId: page.id,
          name: `p${i}`,
        }),
      ),
    );
  }
  // A keystroke-sized document update, as the editor sends them.
  const opened = await call(core, 'document.open', {
    accountId,
    documentId: page.id,
  });
  const doc = new Y.Doc();
  Y.applyUpdate(doc, opened.state);
  writeDocument(doc, normalizeDocument({ type: 'doc', content: [{ type: 'paragraph', text: 'start' }] }));
  await call(core, 'document.update', {
    accountId,
    documentId: page.id,
    update: Y.encodeStateAsUpdate(doc),
  });
  const text = (doc.getXmlFragment(DOCUMENT_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  const updateSamples: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const before = Y.encodeStateVector(doc);
    text.insert(text.length, 'x');
    const update = Y.encodeStateAsUpdate(doc, before);
    updateSamples.push(
      await timeAsync(() => call(core, 'document.update', { accountId, documentId: page.id, update })),
    );
  }
  core.close();

  // Baseline: one raw INSERT commit with the same pragmas (WAL, synchronous=FULL).
  const raw = openSqlite(join(work, 'raw.db'));
  raw.exec('CREATE TABLE t (id TEXT PRIMARY KEY, data BLOB NOT NULL)');
  const insert = raw.prepare('INSERT INTO t VALUES (?, ?)');
  const blob = new Uint8Array(64);
  const rawSamples: number[] = [];
  for (let i = 0; i < 1000; i++) rawSamples.push(timeSync(() => insert.run(`r${i}`, blob)));
  raw.close();
  const rawStats = summarize(rawSamples);
  const create = summarize(createSamples);
  const update = summarize(updateSamples);
  results.localWrite = {
    target: 'p99 <= 1 ms and <= 5x the raw commit',
    createPage: { ...create, p99VsRaw: ratio(create.p99, rawStats.p99) },
    documentUpdate: { ...update, p99VsRaw: ratio(update.p99, rawStats.p99) },
    rawCommitBaseline: rawStats,
  };
}

async function openLargeDocument(): Promise<void> {
  const paragraphs = 10_000;
  const json = normalizeDocument({
    type: 'doc',
    content: Array.from({ length: paragraphs }, (_, i) => ({
      type: 'paragraph',
      text: `Paragraph ${i}: a line of ordinary note text, about a hundred bytes long, to make a big page.`,
    })),
  });
  const core = await AppCore.open({ dataDir: join(work, 'bigdoc'), mode: 'browser' });
  const { page } = await createLocalPage(core, 'big');
  const source = new Y.Doc();
  writeDocument(source, json);
  await call(core, 'document.update', {
    accountId,
    documentId: page.id,
    update: Y.encodeStateAsUpdate(source),
  });
  await call(core, 'document.close', { accountId, documentId: page.id });
  const schema = editorSchema();
  const openSamples: number[] = [];
  const pmFromJson: number[] = [];
  const ydocFromJson: number[] = [];
  let stateBytes = 0;
  for (let i = 0; i < 7; i++) {
    openSamples.push(
      await timeAsync(async () => {
        const opened = await call(core, 'document.open', {
          accountId,
          documentId: page.id,
        });
        stateBytes = opened.state.length;
        const doc = new Y.Doc();
        Y.applyUpdate(doc, opened.state);
        yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(DOCUMENT_FRAGMENT), schema);
      }),
    );
    await call(core, 'document.close', { accountId, documentId: page.id });
    pmFromJson.push(timeSync(() => schema.nodeFromJSON(json)));
    ydocFromJson.push(timeSync(() => prosemirrorJSONToYDoc(schema, json, DOCUMENT_FRAGMENT)));
  }
  core.close();
  const open = summarize(openSamples);
  const ydocBaseline = summarize(ydocFromJson);
  const pmBaseline = summarize(pmFromJson);
  results.openLargeDocument = {
    target: '<= 1.5x building the same doc from JSON',
    paragraphs,
    stateBytes,
    jsonBytes: JSON.stringify(json).length,
    openToEditorReady: open,
    baselineYDocFromJson: ydocBaseline,
    baselineProseMirrorFromJson: pmBaseline,
    p50VsYDocFromJson: ratio(open.p50, ydocBaseline.p50),
    p50VsProseMirrorFromJson: ratio(open.p50, pmBaseline.p50),
  };
}

/**
 * Cold-start runs (BENCH_COLD_RUNS, default 5). `BENCH_COLD_PROFILE=<dir>` writes a CPU profile of each child
 * (profiling slows it down: compare profiles with profiles, not with the figures of a plain run).
 */
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);

async function coldStartAndMemory(): Promise<void> {
  const dataDir = join(work, 'cold');
  const seed = await AppCore.open({ dataDir, mode: 'browser' });
  seed.close();
  const db = openSqlite(replicaPath(dataDir, accountId));
  const notebooks = 20;
  const perNotebook = 5_000;
  const now = new Date().toISOString();
  const insertNotebook = db.prepare(
    'INSERT INTO notebooks (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)',
  );
  const insertNode = db.prepare(
    `INSERT INTO nodes (id, notebook_id, type, parent_id, root_id, sort_index, name, attributes, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.exec('DELETE FROM notebooks');
  db.transaction(() => {
    for (let n = 0; n < notebooks; n++) {
      const notebookId = `nb_bench_${String(n).padStart(2, '0')}`;
      insertNotebook.run(notebookId, `Notebook ${n}`, now, now);
      let sectionId = '';
      for (let i = 0; i < perNotebook; i++) {
        const id = newId(IdPrefix.node);
        const isSection = i % 100 === 0;
        if (isSection) sectionId = id;
        const attrs = JSON.stringify({ type: isSection ? 'section' : 'page', name: `Node ${i}` });
        insertNode.run(
          id,
          notebookId,
          isSection ? 'section' : 'page',
          isSection ? null : sectionId,
          sectionId,
          `a${String(i).padStart(5, '0')}`,
          `Node ${i}`,
          attrs,
          now,
          now,
        );
      }
    }
  })();
  db.close();
  // Inside the project so the bundle resolves better-sqlite3 from our node_modules like the real app.
  const bundleDir = join(process.cwd(), 'node_modules', '.cache', 'hoody-bench');
  mkdirSync(bundleDir, { recursive: true });
  const bundle = join(bundleDir, 'cold-start-child.js');
  // Split like the app's own main bundle (electron-vite): lazily imported modules load on first use.
  await build({
    entryPoints: [join(import.meta.dirname, 'cold-start-child.ts')],
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: bundleDir,
    outExtension: { '.js': '.js' },
    external: ['better-sqlite3'],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'error',
  });
  interface ChildReport {
    scriptStartMs: number;
    openMs: number;
    processStartToFirstTreeMs: number;
    processStartToFirstTreeCpuMs: number;
    treeNodes: number;
    idleRssMb: number;
  }
  const bare: number[] = [];
  const bareWithCaCerts: number[] = [];
  const cold: number[] = [];
  const reports: ChildReport[] = [];
  // NODE_EXTRA_CA_CERTS (set machine-wide here, to the whole system CA bundle) makes every Node process read
  // and parse ~150 certificates before the first line of JavaScript: ~70 ms of CPU on this machine, in the
  // bare process as much as in ours. The app never needs it at start (it makes no TLS connection before the
  // first tree), and a user's machine does not set it, so the children run without it; the bare process
  // with it stays in the JSON as a baseline so the difference is visible.
  const { NODE_EXTRA_CA_CERTS: extraCaCerts, ...childEnv } = process.env;
  const bareStart = (env: NodeJS.ProcessEnv): number =>
    Number(
      execFileSync(process.execPath, ['-e', 'console.log(performance.now())'], {
        encoding: 'utf8',
        env,
      }).trim(),
    );
  for (let i = 0; i < COLD_RUNS; i++) {
    bare.push(bareStart(childEnv));
    if (extraCaCerts !== undefined) bareWithCaCerts.push(bareStart(process.env));
    const profile = process.env.BENCH_COLD_PROFILE
      ? ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', process.env.BENCH_COLD_PROFILE]
      : [];
    const report = JSON.parse(
      execFileSync(process.execPath, [...profile, '--expose-gc', bundle, dataDir], {
        encoding: 'utf8',
        env: childEnv,
      }).trim(),
    ) as ChildReport;
    cold.push(report.processStartToFirstTreeMs);
    reports.push(report);
  }
  const bareStats = summarize(bare);
  const coldStats = summarize(cold);
  results.coldStart = {
    target: 'core cold start (100,000 nodes, migrations checked, first tree query answered) <= 250 ms',
    nodes: notebooks * perNotebook,
    firstTreeNodes: reports[0]?.treeNodes,
    processStartToFirstTreeMs: coldStats,
    bareNodeProcessStartToScriptMs: bareStats,
    ...(extraCaCerts === undefined
      ? {}
      : {
          bareNodeWithThisMachinesExtraCaCertsMs: summarize(bareWithCaCerts),
          childrenRunWithout: 'NODE_EXTRA_CA_CERTS',
        }),
    coreOverBareP50Ms: Math.round((coldStats.p50 - bareStats.p50) * 10) / 10,
    openDatabasesMs: summarize(reports.map((r) => r.openMs)),
    // Where the wall time goes (all p50s): loading the bundle, opening the core, answering the first tree.
    scriptStartMs: summarize(reports.map((r) => r.scriptStartMs)),
    firstTreeMs: summarize(reports.map((r) => r.processStartToFirstTreeMs - r.scriptStartMs - r.openMs)),
    processStartToFirstTreeCpuMs: summarize(reports.map((r) => r.processStartToFirstTreeCpuMs)),
  };
  const child = reports.at(-1);
  results.idleMemory = {
    target: 'core idle RSS <= 80 MB',
    idleRssMb: Math.round((child?.idleRssMb ?? NaN) * 10) / 10,
  };
}

/** The peer's figures, and ours as ratios to them when the sync part ran in the same run (target <= 1.0x). */
async function hocuspocusSideBySide(sync: unknown): Promise<Record<string, unknown>> {
  const peer = await hocuspocusBench();
  const ours = sync as
    | {
        editToVisible: { editToVisibleMs: { p50: number } };
        offlineCatchUp: { catchUpMs: { p50: number } };
      }
    | undefined;
  const peerEdit = (peer.editToVisibleMs as { p50: number }).p50;
  const peerOffline = peer.offlineEditsCatchUpMs as number;
  return {
    target: 'ours <= 1.0x the peer on both',
    ...peer,
    oursVsPeer: ours
      ? {
          editToVisibleP50: ratio(ours.editToVisible.editToVisibleMs.p50, peerEdit),
          offlineEditsCatchUpP50: ratio(ours.offlineCatchUp.catchUpMs.p50, peerOffline),
        }
      : 'run the sync part too (BENCH_ONLY=sync,hocuspocus) for the ratios',
  };
}

/**
 * `BENCH_ONLY=coldStart,sync`: run only these parts (names as in the JSON: localWrite, openLargeDocument,
 * coldStart — which also reports idleMemory —, server, sync, hocuspocus, reconnect, capture, editor, search,
 * database, files, history, sharing). Default: all of them.
 */
const only = new Set(
  (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean),
);
const runs = (part: string): boolean => only.size === 0 || only.has(part);

try {
  if (runs('localWrite')) await localWrites();
  if (runs('openLargeDocument')) await openLargeDocument();
  if (runs('coldStart')) await coldStartAndMemory();
  if (runs('server')) results.server = await serverBench();
  if (runs('sync')) results.sync = await syncBench();
  if (runs('hocuspocus')) results.hocuspocus = await hocuspocusSideBySide(results.sync);
  if (runs('reconnect')) results.reconnect = await reconnectBench();
  if (runs('capture')) results.capture = await captureBench(work);
  if (runs('editor')) results.editor = await editorBench();
  if (runs('search')) results.search = await searchBench(work);
  if (runs('database')) results.database = await databaseBench();
  if (runs('files')) results.files = await filesBench();
  if (runs('history')) results.history = await historyBench(work);
  if (runs('sharing')) results.sharing = await sharingBench();
  results.finishedAt = new Date().toISOString();
  const text = JSON.stringify(results, null, 2);
  console.log(text);
  if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, text + '\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
