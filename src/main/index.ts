import { app, BrowserWindow, session } from 'electron';
import { join } from 'node:path';
import { AppCore } from './core/app-core';
import { registerAppScheme, serveAppProtocol } from './desktop/app-protocol';
import { wireIpc } from './desktop/ipc';
import { createMainWindow } from './desktop/main-window';
import { safeStorageSecretStore } from './desktop/safe-storage';
import { isNavigationAllowed, isPermissionAllowed } from './security/window-policy';

/** Electron entry: lifecycle, single instance, the secure window, and the core behind IPC. */
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  await app.whenReady();
  const core = await AppCore.open({
    dataDir: app.getPath('userData'),
    secretStore: safeStorageSecretStore(app.getPath('userData')),
    mode: 'electron',
    version: app.getVersion(),
    onInternalError: (command, error) => console.error(`[core] ${command} failed:`, error),
  });
  serveAppProtocol(join(import.meta.dirname, '../renderer'));
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback) =>
    callback(isPermissionAllowed(permission, contents.getURL())),
  );
  session.defaultSession.setPermissionCheckHandler((contents, permission) =>
    contents ? isPermissionAllowed(permission, contents.getURL()) : false,
  );
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('will-navigate', (event, url) => {
      if (!isNavigationAllowed(url)) event.preventDefault();
    });
  });

  const preload = join(import.meta.dirname, '../preload/index.cjs');
  const open = (): BrowserWindow => createMainWindow(preload, (id) => core.senderGone(`window-${id}`));
  wireIpc(core, () => BrowserWindow.getAllWindows());
  let main = open();

  app.on('second-instance', () => {
    if (main.isDestroyed()) main = open();
    if (main.isMinimized()) main.restore();
    main.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) main = open();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => core.close());
}
