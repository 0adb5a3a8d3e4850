import { BrowserWindow, shell } from 'electron';
import {
  APP_ENTRY_URL,
  decideWindowOpen,
  isNavigationAllowed,
  secureWebPreferences,
} from '../security/window-policy';

export function createMainWindow(
  preloadPath: string,
  onClosed: (webContentsId: number) => void,
): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 640,
    minHeight: 420,
    show: false,
    title: 'Hoody Notes',
    webPreferences: secureWebPreferences(preloadPath),
  });
  const contents = window.webContents;
  const id = contents.id;
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternally) void shell.openExternal(decision.openExternally);
    return { action: decision.action };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => onClosed(id));
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
