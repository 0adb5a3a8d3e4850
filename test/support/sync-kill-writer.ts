/**
 * Child process for the sync kill test (S6): a real core signed in to a server account writes pages and
 * their text through the contract while its sync engine sends them. It prints `ack <kind> <id> <detail>`
 * only after the call returned ok (committed locally). The parent SIGKILLs it at chosen moments.
 * Usage: sync-kill-writer.ts <dataDir> <serverUrl> <token> <label>
 */
import { writeSync } from 'node:fs';
import * as Y from 'yjs';
import { AppCore } from '../../src/main/core/app-core';
import { normalizeDocument, writeDocument } from '../../src/shared/crdt/document';

const [dataDir, serverUrl, token, label] = process.argv.slice(2) as [string, string, string, string];
const say = (line: string): void => void writeSync(1, `${line}\n`);

async function run(): Promise<void> {
  const core = await AppCore.open({
    dataDir,
    mode: 'browser',
    sync: { periodicMs: 500, writeDebounceMs: 5, retry: { baseMs: 10, maxMs: 200 }, heartbeatMs: 1_000 },
  });
  const invoke = async (name: string, input: unknown): Promise<Record<string, unknown>> => {
    const result = await core.router.dispatch(name, input, { senderId: 'kill' });
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value as Record<string, unknown>;
  };
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
  say(`ready ${accountId}`);
  for (let i = 0; ; i++) {
    const name = `${label}-${i}`;
    const page = await invoke('node.create', {
      accountId,
      notebookId,
      type: 'page',
      parentId: sectionId,
      name,
    });
    say(`ack page ${String(page.id)} ${name}`);
    const opened = await invoke('document.open', { accountId, documentId: page.id });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, opened.state as Uint8Array);
    const before = Y.encodeStateVector(doc);
    writeDocument(
      doc,
      normalizeDocument({ type: 'doc', content: [{ type: 'paragraph', text: `body ${name}` }] }),
    );
    await invoke('document.update', {
      accountId,
      documentId: page.id,
      update: Y.encodeStateAsUpdate(doc, before),
    });
    await invoke('document.close', { accountId, documentId: page.id });
    say(`ack doc ${String(page.id)} body ${name}`);
    // Leave the sync engine room to send, so kills land in every phase (not only mid-write).
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
}

run().catch((error: unknown) => {
  say(`error ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
