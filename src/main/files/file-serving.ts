import { createReadStream } from 'node:fs';
import { INLINE_IMAGE_TYPES } from '../../shared/model/file-types';
import { AppError } from '../../shared/lib/result';
import type { AppCore } from '../core/app-core';
import { SECURITY_HEADERS } from '../security/csp';

/** Where the renderer loads a file's bytes from, on its own origin (browser mode and Electron's `app://`). */
export const FILES_PATH = /^\/files\/([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{1,64})$/;

export interface FileReply {
  status: number;
  headers: Record<string, string>;
  /** The bytes, streamed from the account's folder (absent for errors). */
  body?: () => NodeJS.ReadableStream;
}

/**
 * A file's bytes for `<img>` and downloads: from the local cache, fetched from the server first if needed.
 * Never active content: images are sent with their own type and every response carries a CSP that allows
 * nothing and sandboxes it, so an SVG with script in it (opened directly, say) runs nothing; anything that is
 * not an inline image type is sent as an attachment.
 */
export async function serveFile(core: AppCore, pathname: string): Promise<FileReply> {
  const match = FILES_PATH.exec(pathname);
  const plain = { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' };
  if (!match) return { status: 404, headers: plain };
  const [, accountId = '', notebookId = '', fileId = ''] = match;
  let path: string;
  let view;
  try {
    const files = core.account(accountId).files;
    path = await files.localPath(notebookId, fileId);
    view = files.get(fileId);
  } catch (error) {
    const status = error instanceof AppError && error.code === 'not_found' ? 404 : 503;
    return { status, headers: plain };
  }
  const image = INLINE_IMAGE_TYPES.has(view.mimeType);
  return {
    status: 200,
    headers: {
      ...SECURITY_HEADERS,
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      'Content-Type': image ? view.mimeType : 'application/octet-stream',
      'Content-Length': String(view.size),
      'Content-Disposition': image
        ? 'inline'
        : `attachment; filename="${view.name.replace(/[^\w.() -]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(view.name)}`,
      // A file id names one content forever.
      'Cache-Control': 'private, max-age=86400, immutable',
    },
    body: () => createReadStream(path),
  };
}
