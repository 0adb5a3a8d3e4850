/**
 * Bundled and run as a plain Node script by the benchmark: opens the core on a prepared data dir, answers
 * the first tree query, then reports timings and (after settling) its resident memory.
 */
import { AppCore, LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';

const started = performance.now();
const dataDir = process.argv[2]!;
const core = await AppCore.open({ dataDir, mode: 'browser' });
const opened = performance.now();
const notebooks = await core.router.dispatch(
  'notebook.list',
  { accountId: LOCAL_ACCOUNT_ID },
  { senderId: 'bench' },
);
if (!notebooks.ok) throw new Error(notebooks.error.message);
const first = (notebooks.value as { id: string }[])[0]!;
const tree = await core.router.dispatch(
  'node.tree',
  { accountId: LOCAL_ACCOUNT_ID, notebookId: first.id },
  { senderId: 'bench' },
);
if (!tree.ok) throw new Error(tree.error.message);
const answered = performance.now();
const cpu = process.cpuUsage();
await new Promise((resolve) => setTimeout(resolve, 1500));
globalThis.gc?.();
await new Promise((resolve) => setTimeout(resolve, 200));
const rssMb = process.memoryUsage().rss / 1024 / 1024;
process.stdout.write(
  JSON.stringify({
    // performance.now() counts from process start, so these include loading the bundle and native modules.
    scriptStartMs: started,
    openMs: opened - started,
    processStartToFirstTreeMs: answered,
    // CPU time (user + system) to the same point: less sensitive than wall time to a loaded machine.
    processStartToFirstTreeCpuMs: (cpu.user + cpu.system) / 1000,
    treeNodes: (tree.value as unknown[]).length,
    idleRssMb: rssMb,
  }) + '\n',
);
core.close();
