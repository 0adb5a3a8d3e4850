import { BrowserWindow, screen } from 'electron';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ENTRY_URL } from '../security/window-policy';
import { hardenContents } from './harden';
import { mainWindowOptions } from './window-options';
import { parseWindowState, restoreWindowState, type WindowState } from './window-state';

export interface MainWindowOptions {
  preloadPath: string;
  dataDir: string;
  onClosed(webContentsId: number): void;
  /** Asked on close: true keeps the app running in the tray (the window only hides). */
  keepInTray(): boolean;
}

const stateFile = (dataDir: string): string => join(dataDir, 'window-state.json');

function readState(dataDir: string): WindowState | null {
  try {
    return parseWindowState(JSON.parse(readFileSync(stateFile(dataDir), 'utf8')));
  } catch {
    return null;
  }
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const displays = [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((d) => d.workArea);
  const state = restoreWindowState(readState(options.dataDir), displays);
  // Electronegativity cannot see through the options function: its webPreferences are secureWebPreferences()
  // (contextIsolation, sandbox…, asserted in test/unit/desktop.test.ts), and middle-click new windows are
  // denied by hardenContents' setWindowOpenHandler.
  const settings = mainWindowOptions(options.preloadPath, state);
  const window = new BrowserWindow(settings); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
  const contents = window.webContents;
  const id = contents.id;
  hardenContents(contents);

  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  const saveState = (): void => {
    if (window.isDestroyed() || window.isMinimized()) return;
    const bounds = window.getNormalBounds();
    try {
      writeFileSync(
        stateFile(options.dataDir),
        JSON.stringify({ ...bounds, maximized: window.isMaximized() }),
      );
    } catch (error) {
      console.error('[window] could not save its size and position:', error);
    }
  };
  const scheduleSave = (): void => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(saveState, 500);
  };
  window.on('resize', scheduleSave);
  window.on('move', scheduleSave);
  window.on('close', (event) => {
    if (saveTimer) clearTimeout(saveTimer);
    saveState();
    if (options.keepInTray()) {
      event.preventDefault();
      window.hide();
    }
  });
  window.once('ready-to-show', () => {
    if (state.maximized) window.maximize();
    window.show();
  });
  window.on('closed', () => options.onClosed(id));
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
