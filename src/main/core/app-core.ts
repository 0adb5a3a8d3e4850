import { mkdirSync } from 'node:fs';
import type { AppInfoView } from '../../shared/contract';
import type { RecoveryReport } from '../db/managed';
import { createRouter, type Router } from '../ipc/router';
import { openReplica } from '../replica/replica';
import { AppStore } from '../settings/app-store';
import { AccountContext } from './account-context';
import { isoNow, systemClock, type Clock } from './clock';
import { EventBus } from './events';
import { createHandlers, unknownAccount } from './handlers';
import { seedFirstRun } from './seed';

export interface AppCoreOptions {
  dataDir: string;
  mode: AppInfoView['mode'];
  version?: string;
  clock?: Clock;
  /** Unexpected handler failures (bugs) are reported here; callers only ever see `internal_error`. */
  onInternalError?: (command: string, error: unknown) => void;
}

export const LOCAL_ACCOUNT_ID = 'local';
/** How often the Local account folds its pending edits into its confirmed state. */
export const LOCAL_CONFIRM_INTERVAL_MS = 120_000;

/**
 * The app without any window: replicas, services, the contract router and the event bus. Electron's main
 * process and browser mode both start exactly this, then attach a transport to `router` and `events`.
 */
export class AppCore {
  readonly events = new EventBus();
  readonly router: Router;
  private readonly accounts = new Map<string, AccountContext>();

  private constructor(
    readonly store: AppStore,
    readonly info: AppInfoView,
    readonly clock: Clock,
    onInternalError: AppCoreOptions['onInternalError'],
  ) {
    const handlers = createHandlers({
      info,
      store,
      events: this.events,
      clock,
      account: (accountId) => this.account(accountId),
    });
    this.router = createRouter(handlers, { onInternalError });
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
    const core = new AppCore(store, info, clock, options.onInternalError);
    try {
      const now = isoNow(clock);
      store.ensureLocalAccount(now);
      if (appRecovery) core.reportRecovery('app settings', appRecovery);
      for (const account of store.accounts()) {
        const { replica, recovery, fresh } = await openReplica(options.dataDir, account.id, account.userId);
        const context = new AccountContext(replica, core.events, clock);
        core.accounts.set(account.id, context);
        if (recovery) core.reportRecovery(account.name, recovery);
        if (account.kind === 'local') {
          if (fresh) seedFirstRun(context);
          context.confirmLocally(LOCAL_CONFIRM_INTERVAL_MS);
        }
      }
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

  /** Called by transports when a window or socket goes away. */
  senderGone(senderId: string): void {
    for (const context of this.accounts.values()) context.documents.closeAllFor(senderId);
  }

  close(): void {
    for (const context of this.accounts.values()) context.close();
    this.accounts.clear();
    this.store.close();
  }

  private reportRecovery(what: string, report: RecoveryReport): void {
    const restored =
      report.source === 'backup'
        ? `It was restored from the backup taken ${report.backupPath ?? ''}.`
        : report.source === 'salvage'
          ? `We recovered ${Object.values(report.salvagedRows).reduce((a, b) => a + b, 0)} records from it.`
          : 'Nothing could be read from it, so it starts empty.';
    const notice = this.store.addNotice(
      'warning',
      `The local database for ${what} was damaged`,
      `${restored} The damaged file was kept at ${report.quarantinedTo} (reason: ${report.reason}).`,
      isoNow(this.clock),
    );
    this.events.emit('app.notice', notice);
  }
}
