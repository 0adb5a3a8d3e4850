/**
 * Child process for the sync kill test (S6): a real core signed in to a server account writes pages while its
 * sync engine sends them, until the parent SIGKILLs it (see kill-harness.ts). The first run signs in; later
 * runs reuse the account. Usage: sync-kill-writer.ts <dataDir> <serverUrl> <token> <label>
 */
import { AppCore } from '../../src/main/core/app-core';
import { invoker, reportFailure, writeUntilKilled } from './kill-harness';

const [dataDir, serverUrl, token, label] = process.argv.slice(2) as [string, string, string, string];

async function run(): Promise<void> {
  const core = await AppCore.open({
    dataDir,
    mode: 'browser',
    sync: {
      periodicMs: 500,
      writeDebounceMs: 5,
      retry: { baseMs: 10, maxMs: 200 },
      reconnect: { baseMs: 10, maxMs: 200 },
      heartbeatMs: 1_000,
    },
  });
  const invoke = invoker(core, 'kill');
  const accounts = (await invoke('account.list', {})) as unknown as {
    id: string;
    serverUrl: string | null;
  }[];
  const account =
    accounts.find((a) => a.serverUrl !== null) ?? (await invoke('account.add', { serverUrl, token }));
  const accountId = String(account.id);
  const notebooks = (await invoke('notebook.list', { accountId })) as unknown as { id: string }[];
  const notebookId = notebooks[0]!.id;
  const tree = (await invoke('node.tree', { accountId, notebookId })) as unknown as {
    id: string;
    type: string;
  }[];
  const sectionId = String(
    tree.find((n) => n.type === 'section')?.id ??
      (
        await invoke('node.create', {
          accountId,
          notebookId,
          type: 'section',
          parentId: null,
          name: 'Killed',
        })
      ).id,
  );
  // A short pause between pages leaves the sync engine room to send, so kills land in every phase.
  await writeUntilKilled(invoke, { accountId, notebookId, sectionId }, label, 3);
}

run().catch(reportFailure);
