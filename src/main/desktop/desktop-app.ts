import { app, BrowserWindow, globalShortcut } from 'electron';
import { join } from 'node:path';
import { IPC_EVENT_CHANNEL } from '../../shared/contract/transport';
import type { SettingsView } from '../../shared/contract';
import type { AppCore } from '../core/app-core';
import { isoNow } from '../lib/clock';
import { isEvent } from '../lib/events';
import { installApplicationMenu } from './app-menu';
import { CaptureWindow } from './capture-window';
import { DEEP_LINK_SCHEME, deepLinkFromArgv, parseDeepLink, type DeepLink } from './deep-link';
import { switchGlobalShortcut } from './global-shortcut';
import { createMainWindow } from './main-window';
import { AppTray } from './tray';
import type { TrayItemId } from './tray-model';
import type { UpdateState } from './update-model';
import { Updater } from './updater';

const HELP_URL = 'https://github.com/hoody-notes';

/**
 * Everything desktop around the core: main window, tray, quick-capture window and global shortcut, the
 * application menu, deep links, open-at-login and close-to-tray. Decisions live in plain modules next to
 * this file (tray-model, menu-model, deep-link, window-state, window-options), tested under Node.
 */
export class DesktopApp {
  private main: BrowserWindow | null = null;
  private readonly capture: CaptureWindow;
  private tray: AppTray | null = null;
  private quitting = false;
  private syncPaused = false;
  /** Registered now (null if none or it failed), and as set in Settings. */
  private shortcut: string | null = null;
  private wantedShortcut: string | null | undefined = undefined;
  private trayTimer: ReturnType<typeof setTimeout> | null = null;
  private updater: Updater | null = null;

  constructor(
    private readonly core: AppCore,
    private readonly preloadPath: string,
    private readonly resourcesDir: string,
  ) {
    this.capture = new CaptureWindow(
      preloadPath,
      () => this.quitting,
      (id) => core.senderGone(`window-${id}`),
    );
  }

  start(argv: readonly string[]): void {
    const link = deepLinkFromArgv(argv);
    const nodeId = link && this.core.nodeOfLink(link);
    // A cold start from a link opens that page: the workspace starts at the last opened node.
    if (nodeId) this.core.store.updateSettings({ lastOpenedNodeId: nodeId });
    // Links only ever reach parseDeepLink (hostile inputs refused, test/unit/desktop.test.ts).
    if (app.isPackaged) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME); // eng-disable PROTOCOL_HANDLER_JS_CHECK

    installApplicationMenu({
      appName: app.getName(),
      devTools: !app.isPackaged,
      helpUrl: HELP_URL,
      run: (commandId) => this.sendToWindow('ui.command', { commandId }),
    });
    try {
      this.tray = new AppTray(join(this.resourcesDir, 'tray'), (id) => this.onTray(id));
    } catch (error) {
      // Some Linux desktops have no tray: the app then quits when its window closes.
      console.error('[tray] not available:', error);
      this.tray = null;
    }
    const settings = this.core.store.settings();
    this.applySettings(settings);
    this.core.events.on((event) => {
      if (isEvent(event, 'settings.changed')) this.applySettings(event.payload);
      if (isEvent(event, 'sync.status') || isEvent(event, 'account.changed')) this.scheduleTrayUpdate();
    });
    this.showMain();
    this.updater = new Updater((state) => this.onUpdate(state));

    app.on('second-instance', (_event, commandLine) => {
      const deepLink = deepLinkFromArgv(commandLine);
      if (deepLink) this.openLink(deepLink);
      else this.showMain();
    });
    app.on('open-url', (event, url) => {
      event.preventDefault();
      const deepLink = parseDeepLink(url);
      if (deepLink) this.openLink(deepLink);
    });
    app.on('activate', () => this.showMain());
    app.on('before-quit', () => {
      this.quitting = true;
    });
    app.on('window-all-closed', () => {
      if (process.platform !== 'darwin' && !this.keepInTray()) app.quit();
    });
    app.on('will-quit', () => {
      globalShortcut.unregisterAll();
      this.tray?.destroy();
      // Every acknowledged edit is already committed (synchronous=FULL); closing checkpoints the WAL.
      this.core.close();
    });
  }

  private keepInTray(): boolean {
    return !this.quitting && this.tray !== null && this.core.store.settings().closeToTray;
  }

  private showMain(): BrowserWindow {
    if (!this.main || this.main.isDestroyed()) {
      this.main = createMainWindow({
        preloadPath: this.preloadPath,
        dataDir: this.core.info.dataDir,
        onClosed: (id) => this.core.senderGone(`window-${id}`),
        keepInTray: () => this.keepInTray(),
      });
      return this.main;
    }
    if (this.main.isMinimized()) this.main.restore();
    this.main.show();
    this.main.focus();
    return this.main;
  }

  private openLink(link: DeepLink): void {
    const window = this.showMain();
    const nodeId = this.core.nodeOfLink(link);
    if (nodeId === null) return;
    if (window.webContents.isLoading()) {
      this.core.store.updateSettings({ lastOpenedNodeId: nodeId });
      return;
    }
    window.webContents.send(IPC_EVENT_CHANNEL, 'ui.openNode', { nodeId });
  }

  private sendToWindow(name: 'ui.command', payload: { commandId: string }): void {
    const target = BrowserWindow.getFocusedWindow() ?? this.showMain();
    target.webContents.send(IPC_EVENT_CHANNEL, name, payload);
  }

  private onTray(id: TrayItemId): void {
    switch (id) {
      case 'quickNote':
        this.capture.show();
        return;
      case 'open':
        this.showMain();
        return;
      case 'pauseSync':
      case 'resumeSync':
        this.setSyncPaused(id === 'pauseSync');
        return;
      case 'installUpdate':
        this.quitting = true;
        this.updater?.install();
        return;
      case 'quit':
        app.quit();
        return;
      case 'status':
        return;
    }
  }

  /** Pause stops every account's sync engine (its outbox keeps filling locally); resume restarts them. */
  private setSyncPaused(paused: boolean): void {
    this.syncPaused = paused;
    for (const account of this.core.store.accounts()) {
      const engine = this.core.account(account.id).sync;
      if (paused) engine?.stop();
      else engine?.start();
    }
    this.scheduleTrayUpdate();
  }

  private applySettings(settings: SettingsView): void {
    // Only a changed setting is (re)registered: a failed one is reported once, not on every settings change.
    if (settings.globalShortcut !== this.wantedShortcut) {
      this.wantedShortcut = settings.globalShortcut;
      this.registerShortcut(settings.globalShortcut);
    }
    if (process.platform === 'darwin' || process.platform === 'win32')
      app.setLoginItemSettings({ openAtLogin: settings.openAtLogin });
    this.scheduleTrayUpdate();
  }

  private onUpdate(state: UpdateState): void {
    this.scheduleTrayUpdate();
    if (state.kind !== 'ready') return;
    this.notify(
      'info',
      `Update ${state.version} is ready`,
      'Choose “Restart to update” in the tray icon’s menu to install it now; otherwise it installs when you quit.',
    );
  }

  private notify(level: 'info' | 'warning', title: string, message: string): void {
    this.core.events.emit(
      'app.notice',
      this.core.store.addNotice(level, title, message, isoNow(this.core.clock)),
    );
  }

  /** A shortcut another app already owns fails to register: the person is told, not left guessing. */
  private registerShortcut(accelerator: string | null): void {
    this.shortcut = switchGlobalShortcut(
      globalShortcut,
      this.shortcut,
      accelerator,
      () => this.capture.show(),
      (failed) =>
        this.notify(
          'warning',
          'Quick note shortcut unavailable',
          `${failed} is already used by another app or the system. Choose another in Desktop settings (command palette).`,
        ),
    );
  }

  private scheduleTrayUpdate(): void {
    if (!this.tray || this.trayTimer) return;
    this.trayTimer = setTimeout(() => {
      this.trayTimer = null;
      const sync = this.core.store
        .accounts()
        .flatMap((account) => this.core.account(account.id).sync?.status() ?? []);
      this.tray?.update({
        sync,
        paused: this.syncPaused,
        shortcut: this.shortcut,
        ...(this.updater ? { update: this.updater.current() } : {}),
      });
    }, 250);
  }
}
