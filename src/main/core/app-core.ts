import { mkdirSync } from 'node:fs';
import type { AppInfoView } from '../../shared/contract';
import { AccountsService } from '../accounts/accounts.service';
import { FileSecretStore, type SecretStore } from '../accounts/secret-store';
import { ServerClient } from '../accounts/server-client';
import type { RecoveryReport } from '../db/managed';
import { createRouter, type Router } from '../ipc/router';
import { DEFAULT_PRESENCE_OPTIONS, devicePresenceHub, type PresenceHub } from '../presence/presence';
import { openReplica } from '../replica/replica';
import { AppStore, type StoredAccount } from '../settings/app-store.repository';
import { keepInLocal } from '../sync/access-loss';
import type { SyncOptions } from '../sync/sync-engine';
import { AccountContext } from './account-context';
import { isoNow, systemClock, type Clock } from '../lib/clock';
import { EventBus } from '../lib/events';
import { createHandlers, unknownAccount } from './handlers';
import { seedFirstRun } from '../notebooks/first-run';
import type { AutoSnapshotOptions } from '../versions/auto-snapshots';
import type { FilesOptions } from '../files/files.service';
import type { ExportFiles } from '../export/export.service';

export interface AppCoreOptions {
  dataDir: string;
  mode: AppInfoView['mode'];
  version?: string;
  clock?: Clock;
  /** Where server tokens are kept; default: a 0600 file in `dataDir` (browser mode, with a warning). */
  secretStore?: SecretStore;
  /** Sync timings (tests shorten them). */
  sync?: Partial<SyncOptions>;
  /** Delay before each account's search index is checked (tests shorten it). */
  searchUpkeepAfterMs?: number;
  /** When automatic versions are taken (tests shorten it). */
  autoSnapshots?: AutoSnapshotOptions;
  /** Upload chunk size, cache limit (tests and benchmarks set them). */
  files?: FilesOptions;
  /** Unexpected handler failures (bugs) are reported here; callers only ever see `internal_error`. */
  onInternalError?: (command: string, error: unknown) => void;
  /** The desktop's save dialog and PDF printing for exports (browser mode has none: exports are downloads). */
  exportFiles?: ExportFiles;
}

export const LOCAL_ACCOUNT_ID = 'local';
/** How often the Local account folds its pending edits into its confirmed state. */
export const LOCAL_CONFIRM_INTERVAL_MS = 120_000;
/** The first fold waits this long after start-up, so it never delays the first answers (decision 0009). */
export const LOCAL_CONFIRM_FIRST_MS = 10_000;
/** The search index is checked (and rebuilt, stale documents indexed) this long after an account opens. */
export const SEARCH_UPKEEP_AFTER_MS = 1_500;

/**
 * The app without any window: replicas, services, the contract router and the event bus. Electron's main
 * process and browser mode both start exactly this, then attach a transport to `router` and `events`.
 */
export class AppCore {
  readonly events = new EventBus();
  readonly router: Router;
  readonly accountsService: AccountsService;
  private readonly accounts = new Map<string, AccountContext>();
  /** Presence of the accounts without a sync engine (Local, signed out): this device's windows only. */
  private readonly devicePresence = new Map<string, PresenceHub>();
  private readonly secrets: SecretStore;
  private readonly syncOverrides: Partial<SyncOptions>;
  private readonly searchUpkeepAfterMs: number;
  private readonly autoSnapshots: AutoSnapshotOptions | undefined;
  private readonly filesOptions: FilesOptions | undefined;

  private constructor(
    readonly store: AppStore,
    readonly info: AppInfoView,
    readonly clock: Clock,
    options: AppCoreOptions,
  ) {
    this.secrets = options.secretStore ?? new FileSecretStore(options.dataDir);
    this.syncOverrides = options.sync ?? {};
    this.searchUpkeepAfterMs = options.searchUpkeepAfterMs ?? SEARCH_UPKEEP_AFTER_MS;
    this.autoSnapshots = options.autoSnapshots;
    this.filesOptions = options.files;
    this.accountsService = new AccountsService({
      dataDir: options.dataDir,
      store,
      secrets: this.secrets,
      host: {
        attach: (account) => this.attach(account),
        context: (accountId) => this.account(accountId),
        detach: (accountId) => this.detach(accountId),
      },
      events: this.events,
      clock,
      notify: (level, title, message) => this.notify(level, title, message),
    });
    const handlers = createHandlers({
      info,
      store,
      events: this.events,
      clock,
      account: (accountId) => this.account(accountId),
      presence: (accountId) => this.presence(accountId),
      accounts: this.accountsService,
      syncEngines: () => [...this.accounts.values()].flatMap((c) => (c.sync ? [c.sync] : [])),
      ...(options.exportFiles ? { exportFiles: options.exportFiles } : {}),
    });
    this.router = createRouter(handlers, { onInternalError: options.onInternalError });
  }

  static async open(options: AppCoreOptions): Promise<AppCore> {
    mkdirSync(options.dataDir, { recursive: true });
    const clock = options.clock ?? systemClock;
    const { store, recovery: appRecovery } = await AppStore.open(options.dataDir);
    const info: AppInfoView = {
      version: options.version ?? '0.0.0',
      mode: options.mode,
      platform: ['darwin', 'win32', 'linux'].includes(process.platform)
        ? (process.platform as AppInfoView['platform'])
        : 'other',
      dataDir: options.dataDir,
    };
    const core = new AppCore(store, info, clock, options);
    try {
      const now = isoNow(clock);
      store.ensureLocalAccount(now);
      if (appRecovery) core.reportRecovery('app settings', appRecovery);
      for (const account of store.accounts()) await core.attach(account);
      core.accountsService.mover.resumeAll();
    } catch (error) {
      core.close();
      throw error;
    }
    return core;
  }

  account(accountId: string): AccountContext {
    const context = this.accounts.get(accountId);
    if (!context) throw unknownAccount(accountId);
    return context;
  }

  /**
   * Live presence of an account: its sync engine's hub (which also talks to the server), else one that only
   * shows this device's windows to each other.
   */
  presence(accountId: string): PresenceHub {
    const context = this.account(accountId);
    if (context.sync) return context.sync.presence;
    let hub = this.devicePresence.get(accountId);
    if (!hub) {
      hub = devicePresenceHub(
        context.replica,
        accountId,
        this.events,
        this.syncOverrides.presence ?? DEFAULT_PRESENCE_OPTIONS,
      );
      this.devicePresence.set(accountId, hub);
    }
    return hub;
  }

  /** Opens an account's replica; a server account also starts syncing (its token comes from the SecretStore). */
  private async attach(account: StoredAccount): Promise<AccountContext> {
    const { replica, recovery, fresh } = await openReplica(this.info.dataDir, account.id, account.userId);
    const context = new AccountContext(
      replica,
      this.events,
      this.clock,
      account.kind === 'server',
      this.autoSnapshots,
      this.filesOptions,
    );
    this.accounts.set(account.id, context);
    // Before anything can add a file: what a crash left half-written goes (the folder only holds known files).
    await context.files.sweep();
    if (recovery) this.reportRecovery(account.name, recovery);
    context.startSearchUpkeep(this.searchUpkeepAfterMs);
    if (account.kind === 'local') {
      if (fresh) seedFirstRun(context);
      context.confirmLocally(LOCAL_CONFIRM_INTERVAL_MS, LOCAL_CONFIRM_FIRST_MS);
      return context;
    }
    const token = this.secrets.get(account.id);
    if (account.serverUrl === null || token === null) {
      this.notify(
        'error',
        `${account.name} is signed out`,
        'Its token could not be read: add the account again with a new token (nothing local is lost).',
      );
      return context;
    }
    // The sync engine (and `ws`, Node's http/https/tls with it) loads only when a server account needs it, so a
    // Local-only start never evaluates it (decision 0009; test/unit/startup-imports.test.ts).
    const { SyncEngine, DEFAULT_SYNC_OPTIONS } = await import('../sync/sync-engine');
    if (this.accounts.get(account.id) !== context) return context; // removed or closed meanwhile
    const client = new ServerClient(account.serverUrl, token);
    context.sync = new SyncEngine({
      context,
      client,
      events: this.events,
      clock: this.clock,
      options: { ...DEFAULT_SYNC_OPTIONS, ...this.syncOverrides },
      notify: (title, message) => this.notify('warning', title, message),
      salvage: (salvage) => keepInLocal(this.account(LOCAL_ACCOUNT_ID), salvage, this.clock.now()),
    });
    context.sync.start();
    context.versions.connect(client);
    context.notebooks.connect(client, context.sync);
    context.sharing.connect(client, context.sync);
    context.comments.connect(client);
    context.files.connect(client);
    return context;
  }

  private detach(accountId: string): void {
    this.devicePresence.get(accountId)?.stop();
    this.devicePresence.delete(accountId);
    this.accounts.get(accountId)?.close();
    this.accounts.delete(accountId);
  }

  private notify(level: 'info' | 'warning' | 'error', title: string, message: string): void {
    this.events.emit('app.notice', this.store.addNotice(level, title, message, isoNow(this.clock)));
  }

  /**
   * The node a deep link opens: its id, or for an alias the page with it in the open accounts (in the order
   * they opened; an alias is unique within a notebook only, so the first notebook that has it wins). Null:
   * no such page here, and the notice says so.
   */
  nodeOfLink(link: { kind: 'node'; nodeId: string } | { kind: 'alias'; alias: string }): string | null {
    if (link.kind === 'node') return link.nodeId;
    for (const context of this.accounts.values()) {
      const page = context.nodes.byAlias(null, link.alias);
      if (page) return page.id;
    }
    this.notify('warning', 'Link not found', `No page here has the alias “${link.alias}”.`);
    return null;
  }

  /** Called by transports when a window or socket goes away. */
  senderGone(senderId: string): void {
    for (const context of this.accounts.values()) {
      context.documents.closeAllFor(senderId);
      context.sync?.presence.leaveAll(senderId);
    }
    for (const hub of this.devicePresence.values()) hub.leaveAll(senderId);
  }

  close(): void {
    this.accountsService.mover.stop();
    for (const context of this.accounts.values()) context.close();
    this.accounts.clear();
    for (const hub of this.devicePresence.values()) hub.stop();
    this.devicePresence.clear();
    this.store.close();
  }

  private reportRecovery(what: string, report: RecoveryReport): void {
    const restored =
      report.source === 'backup'
        ? `It was restored from the backup taken ${report.backupPath ?? ''}.`
        : report.source === 'salvage'
          ? `We recovered ${Object.values(report.salvagedRows).reduce((a, b) => a + b, 0)} records from it.`
          : 'Nothing could be read from it, so it starts empty.';
    this.notify(
      'warning',
      `The local database for ${what} was damaged`,
      `${restored} The damaged file was kept at ${report.quarantinedTo} (reason: ${report.reason}).`,
    );
  }
}
