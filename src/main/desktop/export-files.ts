import { app, BrowserWindow, dialog, webContents, type WebContents } from 'electron';
import { join } from 'node:path';
import { AppError, ErrorCode } from '../../shared/lib/result';
import type { ExportFiles } from '../export/export.service';

/** The window a call came from (`window-<webContents id>`, as desktop/ipc.ts names senders). */
function senderContents(senderId: string): WebContents {
  const id = /^window-(\d+)$/.exec(senderId)?.[1];
  const contents = id === undefined ? undefined : webContents.fromId(Number(id));
  if (!contents || contents.isDestroyed())
    throw new AppError(ErrorCode.unavailable, 'The window that asked for the export is gone');
  return contents;
}

/** Exports on the desktop: a native save dialog over the asking window, and Chromium's printToPDF of it. */
export const electronExportFiles = (): ExportFiles => ({
  async choosePath(senderId, fileName, filter) {
    const owner = BrowserWindow.fromWebContents(senderContents(senderId));
    const options = { defaultPath: join(app.getPath('documents'), fileName), filters: [filter] };
    const chosen = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
    return chosen.canceled || !chosen.filePath ? null : chosen.filePath;
  },
  async printToPdf(senderId) {
    // The renderer's print stylesheet (styles/print.css) leaves only the page's title and content.
    const pdf = await senderContents(senderId).printToPDF({ printBackground: false, pageSize: 'A4' });
    return new Uint8Array(pdf);
  },
});
