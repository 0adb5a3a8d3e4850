/**
 * Child process for the crash test (D1): a real core on the Local account of `<dataDir>` writes pages as fast
 * as it can until the parent SIGKILLs it (see kill-harness.ts). Usage: crash-writer.ts <dataDir> <label>
 */
import { AppCore, LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { invoker, reportFailure, writeUntilKilled } from './kill-harness';

const accountId = LOCAL_ACCOUNT_ID;
const [dataDir, label = 'w'] = process.argv.slice(2) as [string, string | undefined];

async function run(): Promise<void> {
  const invoke = invoker(await AppCore.open({ dataDir, mode: 'browser' }), 'crash');
  const notebooks = (await invoke('notebook.list', { accountId })) as unknown as { id: string }[];
  const notebookId = notebooks[0]!.id;
  const tree = (await invoke('node.tree', { accountId, notebookId })) as unknown as {
    id: string;
    type: string;
  }[];
  await writeUntilKilled(
    invoke,
    { accountId, notebookId, sectionId: tree.find((n) => n.type === 'section')!.id },
    label,
  );
}

run().catch(reportFailure);
