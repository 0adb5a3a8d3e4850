import { app, BrowserWindow, session } from 'electron';
import { join } from 'node:path';
import { AppCore } from './core/app-core';
import { registerAppScheme, serveAppProtocol } from './desktop/app-protocol';
import { DesktopApp } from './desktop/desktop-app';
import { electronExportFiles } from './desktop/export-files';
import { wireIpc } from './desktop/ipc';
import { safeStorageSecretStore } from './desktop/safe-storage';
import { isNavigationAllowed, isPermissionAllowed } from './security/window-policy';

/** Electron entry: single instance, security policy, the core behind IPC, then the desktop shell. */
registerAppScheme();

// A second launch (or a deep link on Windows/Linux) reaches the first instance through `second-instance`.
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
    exportFiles: electronExportFiles(),
  });
  serveAppProtocol(join(import.meta.dirname, '../renderer'), core);
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

  wireIpc(core, () => BrowserWindow.getAllWindows());
  const resourcesDir = app.isPackaged ? process.resourcesPath : join(import.meta.dirname, '../../resources');
  new DesktopApp(core, join(import.meta.dirname, '../preload/index.cjs'), resourcesDir).start(process.argv);
}
