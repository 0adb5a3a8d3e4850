/**
 * Child process for the upload restart test: a real core signed in to a server account adds one file to a new
 * page and uploads it until the parent SIGKILLs it (see test/sync/files.test.ts). Prints `ack file <fileId>
 * <notebookId>` once `file.add` answered (the bytes are in the account folder and the upload job is recorded).
 * Usage: file-upload-writer.ts <dataDir> <serverUrl> <token> <sourceFile>
 */
import { readFileSync } from 'node:fs';
import { AppCore } from '../../src/main/core/app-core';
import { invoker, reportFailure, say } from './kill-harness';
import { FILE_TEST_UPLOADER } from './files';

const [dataDir, serverUrl, token, source] = process.argv.slice(2) as [string, string, string, string];

async function run(): Promise<void> {
  const core = await AppCore.open({
    dataDir,
    mode: 'browser',
    sync: { periodicMs: 500, writeDebounceMs: 5, retry: { baseMs: 10, maxMs: 200 }, heartbeatMs: 1_000 },
    files: { uploader: FILE_TEST_UPLOADER },
  });
  const invoke = invoker(core, 'upload');
  const account = await invoke('account.add', { serverUrl, token });
  const accountId = String(account.id);
  const notebooks = (await invoke('notebook.list', { accountId })) as unknown as { id: string }[];
  const notebookId = notebooks[0]!.id;
  const section = await invoke('node.create', {
    accountId,
    notebookId,
    type: 'section',
    parentId: null,
    name: 'Uploads',
  });
  const page = await invoke('node.create', {
    accountId,
    notebookId,
    type: 'page',
    parentId: section.id,
    name: 'Upload',
  });
  say('ready');
  const file = await invoke('file.add', {
    accountId,
    nodeId: page.id,
    name: 'big.bin',
    data: readFileSync(source),
  });
  say(`ack file ${String(file.id)} ${notebookId}`);
  await new Promise(() => undefined); // uploads until killed
}

run().catch(reportFailure);
