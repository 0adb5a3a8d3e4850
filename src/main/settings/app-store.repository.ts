import { join } from 'node:path';
import { DEFAULT_GLOBAL_SHORTCUT, isValidGlobalShortcut } from '../../shared/commands';
import type { NoticeView, SettingsView } from '../../shared/contract';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { closeManagedDatabase, openManagedDatabase, type RecoveryReport } from '../db/managed';
import { APP_MIGRATIONS } from '../db/migrations/app';
import type { Db } from '../db/open';

export const DEFAULT_SETTINGS: SettingsView = {
  theme: 'system',
  sidebarWidth: 272,
  lastAccountId: null,
  lastNotebookId: null,
  lastOpenedNodeId: null,
  globalShortcut: DEFAULT_GLOBAL_SHORTCUT,
  openAtLogin: false,
  closeToTray: true,
};

export interface StoredAccount {
  id: string;
  kind: 'local' | 'server';
  name: string;
  serverUrl: string | null;
  userId: string;
}

/** app.db: accounts, settings and notices for the user — everything that is not per account. */
export class AppStore {
  private constructor(
    readonly db: Db,
    private readonly path: string,
  ) {}

  static async open(dataDir: string): Promise<{ store: AppStore; recovery: RecoveryReport | null }> {
    const path = join(dataDir, 'app.db');
    const { db, recovery } = await openManagedDatabase({ path, migrations: APP_MIGRATIONS });
    return { store: new AppStore(db, path), recovery };
  }

  settings(): SettingsView {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
    return { ...DEFAULT_SETTINGS, ...pick(stored) };
  }

  updateSettings(patch: Partial<SettingsView>): SettingsView {
    const statement = this.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch))
        if (value !== undefined) statement.run(key, JSON.stringify(value));
    })();
    return this.settings();
  }

  addNotice(level: NoticeView['level'], title: string, message: string, now: string): NoticeView {
    const notice: NoticeView = { id: newId(IdPrefix.notice), level, title, message, createdAt: now };
    this.db
      .prepare(
        'INSERT INTO notices (id, level, title, message, created_at) VALUES (@id, @level, @title, @message, @createdAt)',
      )
      .run(notice);
    return notice;
  }

  notices(): NoticeView[] {
    return this.db
      .prepare(
        'SELECT id, level, title, message, created_at AS createdAt FROM notices WHERE dismissed_at IS NULL ORDER BY created_at',
      )
      .all() as NoticeView[];
  }

  dismissNotice(id: string, now: string): void {
    this.db.prepare('UPDATE notices SET dismissed_at = ? WHERE id = ?').run(now, id);
  }

  ensureLocalAccount(now: string): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO accounts (id, kind, name, server_url, user_id, created_at)
         VALUES ('local', 'local', 'On this device', NULL, 'local', ?)`,
      )
      .run(now);
  }

  accounts(): StoredAccount[] {
    return this.db
      .prepare(
        'SELECT id, kind, name, server_url AS serverUrl, user_id AS userId FROM accounts ORDER BY created_at, id',
      )
      .all() as StoredAccount[];
  }

  addServerAccount(account: StoredAccount & { serverUrl: string }, now: string): void {
    this.db
      .prepare(
        `INSERT INTO accounts (id, kind, name, server_url, user_id, created_at)
         VALUES (@id, 'server', @name, @serverUrl, @userId, @now)`,
      )
      .run({ ...account, now });
  }

  removeAccount(id: string): void {
    this.db.prepare("DELETE FROM accounts WHERE id = ? AND kind = 'server'").run(id);
  }

  close(): void {
    closeManagedDatabase(this.db, this.path);
  }
}

function pick(stored: Record<string, unknown>): Partial<SettingsView> {
  const out: Partial<SettingsView> = {};
  if (stored.theme === 'system' || stored.theme === 'light' || stored.theme === 'dark')
    out.theme = stored.theme;
  if (typeof stored.sidebarWidth === 'number') out.sidebarWidth = stored.sidebarWidth;
  for (const key of ['lastAccountId', 'lastNotebookId', 'lastOpenedNodeId'] as const) {
    const value = stored[key];
    if (typeof value === 'string' || value === null) out[key] = value;
  }
  if (stored.globalShortcut === null) out.globalShortcut = null;
  else if (typeof stored.globalShortcut === 'string' && isValidGlobalShortcut(stored.globalShortcut))
    out.globalShortcut = stored.globalShortcut;
  if (typeof stored.openAtLogin === 'boolean') out.openAtLogin = stored.openAtLogin;
  if (typeof stored.closeToTray === 'boolean') out.closeToTray = stored.closeToTray;
  return out;
}
