import type { Api } from '../../../shared/contract/transport';
import type { FileView } from '../../../shared/contract';
import { FILE_ADD_MAX_BYTES } from '../../../shared/contract/files';
import { formatFileSize } from '../../../shared/model/file-types';

/** What a page's file blocks need: where their files live and how to reach the core. */
export interface FileContext {
  api: Api;
  accountId: string;
  notebookId: string;
  /** The page the files are attached to. */
  nodeId: string;
  /** The address of a file's bytes on our own origin (browser mode adds the tab's key). */
  url(fileId: string): string;
}

/** Why a file failed to add, in the user's words (the core's message). */
export type AddOutcome = { ok: true; file: FileView } | { ok: false; name: string; message: string };

/** Reads the files (paste, drop, picker) and adds each through the core: durable when this resolves. */
export async function addFiles(ctx: FileContext, files: readonly File[]): Promise<AddOutcome[]> {
  const outcomes: AddOutcome[] = [];
  const limit = await ctx.api.invoke('file.limit', { accountId: ctx.accountId, notebookId: ctx.notebookId });
  const serverMax = limit.ok ? limit.value.maxBytes : null;
  for (const file of files) {
    // Before the file is read: the server's limit first (its words), then what one call may carry here.
    if (serverMax !== null && file.size > serverMax) {
      outcomes.push({
        ok: false,
        name: file.name,
        message: `${file.name} is ${formatFileSize(file.size)}; this notebook's server accepts files up to ${formatFileSize(serverMax)}`,
      });
      continue;
    }
    if (file.size > FILE_ADD_MAX_BYTES) {
      outcomes.push({
        ok: false,
        name: file.name,
        message: `${file.name} is ${formatFileSize(file.size)}; files up to ${formatFileSize(FILE_ADD_MAX_BYTES)} can be added here`,
      });
      continue;
    }
    const data = new Uint8Array(await file.arrayBuffer());
    const result = await ctx.api.invoke('file.add', {
      accountId: ctx.accountId,
      nodeId: ctx.nodeId,
      name: file.name || 'pasted',
      ...(/^[\w.+-]+\/[\w.+-]+$/.test(file.type) ? { mimeType: file.type } : {}),
      data,
    });
    outcomes.push(
      result.ok
        ? { ok: true, file: result.value }
        : { ok: false, name: file.name, message: result.error.message },
    );
  }
  return outcomes;
}
