/**
 * Child process for the crash test: opens a real core on the given data dir and writes as fast as it can
 * through the contract, printing `ack <kind> <id> <detail>` only after the call returned ok (i.e. committed).
 * The parent SIGKILLs it at a random moment.
 */
import { writeSync } from 'node:fs';
import * as Y from 'yjs';
import { AppCore, LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { normalizeDocument, writeDocument } from '../../src/shared/crdt/document';

const accountId = LOCAL_ACCOUNT_ID;
const dataDir = process.argv[2]!;
const label = process.argv[3] ?? 'w';
const say = (line: string): void => void writeSync(1, `${line}\n`);

async function run(): Promise<void> {
  const core = await AppCore.open({ dataDir, mode: 'browser' });
  const invoke = async (name: string, input: unknown) => {
    const result = await core.router.dispatch(name, input, { senderId: 'crash' });
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value as Record<string, unknown>;
  };
  const notebooks = (await core.router.dispatch('notebook.list', { accountId }, { senderId: 'crash' })) as {
    ok: true;
    value: { id: string }[];
  };
  const notebookId = notebooks.value[0]!.id;
  const tree = (await core.router.dispatch(
    'node.tree',
    { accountId, notebookId },
    { senderId: 'crash' },
  )) as { ok: true; value: { id: string; type: string }[] };
  const sectionId = tree.value.find((n) => n.type === 'section')!.id;
  say('ready');
  for (let i = 0; ; i++) {
    const page = await invoke('node.create', {
      accountId,
      notebookId,
      type: 'page',
      parentId: sectionId,
      name: `${label}-${i}`,
    });
    say(`ack page ${String(page.id)} ${label}-${i}`);
    const opened = await invoke('document.open', { accountId, documentId: page.id });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, opened.state as Uint8Array);
    const before = Y.encodeStateVector(doc);
    writeDocument(
      doc,
      normalizeDocument({ type: 'doc', content: [{ type: 'paragraph', text: `body ${label}-${i}` }] }),
    );
    await invoke('document.update', {
      accountId,
      documentId: page.id,
      update: Y.encodeStateAsUpdate(doc, before),
    });
    say(`ack doc ${String(page.id)} body ${label}-${i}`);
  }
}

run().catch((error: unknown) => {
  say(`error ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
