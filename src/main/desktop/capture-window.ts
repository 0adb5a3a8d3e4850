import { BrowserWindow, screen } from 'electron';
import { hardenContents } from './harden';
import { CAPTURE_URL, captureWindowOptions } from './window-options';

/**
 * The quick-capture window: created once, then shown/hidden (so the shortcut opens it instantly). Closing it
 * (Esc, Save, the close button) only hides it unless the app is quitting.
 */
export class CaptureWindow {
  private window: BrowserWindow | null = null;

  constructor(
    private readonly preloadPath: string,
    private readonly quitting: () => boolean,
    private readonly onClosed: (webContentsId: number) => void,
  ) {}

  show(): void {
    const window = this.window && !this.window.isDestroyed() ? this.window : this.create();
    // Open on the display the pointer is on, centred near the top like other capture tools.
    const area = screen.getDisplayNearestPoint(screen.getCursorScreenPoint()).workArea;
    const [width = 560, height = 360] = window.getSize();
    window.setPosition(
      Math.round(area.x + (area.width - width) / 2),
      Math.round(area.y + Math.max(0, (area.height - height) / 4)),
    );
    if (window.webContents.isLoading()) window.once('ready-to-show', () => window.show());
    else window.show();
    window.focus();
  }

  destroy(): void {
    this.window?.destroy();
    this.window = null;
  }

  private create(): BrowserWindow {
    // Electronegativity cannot see through the options function: its webPreferences are secureWebPreferences()
    // (contextIsolation, sandbox…, asserted in test/unit/desktop.test.ts), and middle-click new windows are
    // denied by hardenContents' setWindowOpenHandler.
    const options = captureWindowOptions(this.preloadPath);
    const window = new BrowserWindow(options); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
    const id = window.webContents.id;
    hardenContents(window.webContents);
    window.setAlwaysOnTop(true, 'floating');
    window.on('close', (event) => {
      if (this.quitting()) return;
      event.preventDefault();
      window.hide();
    });
    window.on('blur', () => {
      // Clicking elsewhere dismisses it, like Esc (the draft is kept by the page).
      if (!window.webContents.isDevToolsOpened()) window.hide();
    });
    window.on('closed', () => {
      this.window = null;
      this.onClosed(id);
    });
    void window.loadURL(CAPTURE_URL);
    this.window = window;
    return window;
  }
}
