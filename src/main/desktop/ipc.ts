import { ipcMain, type BrowserWindow } from 'electron';
import { ErrorCode } from '../../shared/lib/result';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/contract/transport';
import type { AppCore } from '../core/app-core';
import { deliversTo } from '../lib/events';
import { isTrustedSender } from '../security/window-policy';

/** Routes `invoke` calls from trusted frames to the core; pushes events to every window (or the one targeted). */
export function wireIpc(core: AppCore, windows: () => BrowserWindow[]): void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, name: unknown, input: unknown) => {
    const frame = event.senderFrame;
    if (!frame || !isTrustedSender(frame.url, frame === event.sender.mainFrame)) {
      return { ok: false, error: { message: 'Untrusted sender', code: ErrorCode.forbidden, details: [] } };
    }
    return core.router.dispatch(name, input, { senderId: `window-${event.sender.id}` });
  });
  core.events.on((emitted) => {
    for (const window of windows()) {
      if (window.isDestroyed() || !deliversTo(emitted, `window-${window.webContents.id}`)) continue;
      window.webContents.send(IPC_EVENT_CHANNEL, emitted.name, emitted.payload);
    }
  });
}
