import { app } from 'electron';
import { autoUpdater } from 'electron-updater';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nextUpdateState, updateFeed, type UpdateState } from './update-model';

const CHECK_EVERY_MS = 6 * 60 * 60 * 1000;

/**
 * electron-updater on a generic feed (see update-model.ts for where the URL comes from). Downloads in the
 * background; the tray then offers "Restart to update" and a notice says so. Off in development builds and
 * wherever no feed is configured.
 */
export class Updater {
  private state: UpdateState;

  constructor(private readonly onChange: (state: UpdateState) => void) {
    const feed = updateFeed(process.env);
    const baked = app.isPackaged && existsSync(join(process.resourcesPath, 'app-update.yml'));
    if (!app.isPackaged) this.state = { kind: 'disabled', reason: 'development build' };
    else if (!feed && !baked) this.state = { kind: 'disabled', reason: 'no update feed configured' };
    else {
      this.state = { kind: 'idle' };
      if (feed) autoUpdater.setFeedURL({ provider: 'generic', url: feed });
      autoUpdater.autoDownload = true;
      autoUpdater.autoInstallOnAppQuit = true;
      autoUpdater.on('checking-for-update', () => this.apply({ type: 'checking' }));
      autoUpdater.on('update-available', (info) => this.apply({ type: 'available', version: info.version }));
      autoUpdater.on('update-not-available', () => this.apply({ type: 'none' }));
      autoUpdater.on('download-progress', (progress) =>
        this.apply({ type: 'progress', percent: progress.percent }),
      );
      autoUpdater.on('update-downloaded', (info) =>
        this.apply({ type: 'downloaded', version: info.version }),
      );
      autoUpdater.on('error', (error) => this.apply({ type: 'error', message: error.message }));
      const check = (): void => void autoUpdater.checkForUpdates().catch(() => undefined);
      check();
      setInterval(check, CHECK_EVERY_MS).unref();
    }
  }

  current(): UpdateState {
    return this.state;
  }

  /** Quits and installs a downloaded update (the caller marks the app as quitting first). */
  install(): void {
    if (this.state.kind === 'ready') autoUpdater.quitAndInstall();
  }

  private apply(event: Parameters<typeof nextUpdateState>[1]): void {
    const next = nextUpdateState(this.state, event);
    if (next === this.state) return;
    this.state = next;
    this.onChange(next);
  }
}
