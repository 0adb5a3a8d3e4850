import { readFile } from 'node:fs/promises';
import { INLINE_IMAGE_TYPES } from '../../shared/model/file-types';
import type { FilesService } from '../files/files.service';

/** What an export reads of an attached file: its name, its type and its bytes. */
export interface LocalFile {
  name: string;
  mimeType: string;
  data: Uint8Array;
}

/**
 * An attached file's bytes if they are on this device, else null: an export never waits on (or fails for) a
 * download, so a file not fetched yet is exported as its name.
 */
export async function cachedBytes(files: FilesService, fileId: string): Promise<LocalFile | null> {
  try {
    const file = files.get(fileId);
    if (!file.cached) return null;
    return {
      name: file.name,
      mimeType: file.mimeType,
      data: await readFile(await files.localPath(file.notebookId, fileId)),
    };
  } catch {
    return null;
  }
}

/**
 * What a standalone HTML export carries inside it. Images always (they are the page); other attachments up to
 * 10 MB each, so a page with a video attached does not become a file a browser chokes on; and no more than
 * 100 MB in all. Beyond that a block shows the file's name, as for a file not on this device.
 */
const EMBEDDED_LIMITS = { attachment: 10 * 1024 * 1024, total: 100 * 1024 * 1024 } as const;

/**
 * `data:` URLs for the files of `fileIds` that are on this device, for `toHtmlPage`'s `fileHref`. An image's
 * type is the one the app detected from its bytes, and only types a browser shows inline keep it; anything else
 * is `application/octet-stream`, which a browser saves (the block's link has `download`) and never renders.
 */
export async function embeddedFiles(
  files: FilesService,
  fileIds: readonly string[],
): Promise<Map<string, string>> {
  const urls = new Map<string, string>();
  let total = 0;
  for (const fileId of fileIds) {
    const file = await cachedBytes(files, fileId);
    if (!file) continue;
    const image = INLINE_IMAGE_TYPES.has(file.mimeType);
    if (!image && file.data.byteLength > EMBEDDED_LIMITS.attachment) continue;
    if (total + file.data.byteLength > EMBEDDED_LIMITS.total) continue;
    total += file.data.byteLength;
    const type = image ? file.mimeType : 'application/octet-stream';
    urls.set(fileId, `data:${type};base64,${Buffer.from(file.data).toString('base64')}`);
  }
  return urls;
}
