import type { AppInfoView } from '../../shared/contract';
import { AppError, ErrorCode, notFound } from '../../shared/lib/result';
import { accountHandlers } from '../accounts/accounts.handlers';
import type { AccountsService } from '../accounts/accounts.service';
import { channelHandlers } from '../channels/channels.handlers';
import { captureHandlers } from '../capture/capture.handlers';
import { commentHandlers } from '../comments/comments.handlers';
import { documentHandlers } from '../documents/documents.handlers';
import { fileHandlers } from '../files/files.handlers';
import type { ExportFiles } from '../export/export.service';
import { exportHandlers } from '../export/export.handlers';
import { importHandlers } from '../import/import.handlers';
import { interactionHandlers } from '../interactions/interactions.handlers';
import type { Handlers } from '../ipc/router';
import type { Clock } from '../lib/clock';
import type { EventBus } from '../lib/events';
import { nodeHandlers } from '../nodes/nodes.handlers';
import { notebookHandlers } from '../notebooks/notebooks.handlers';
import { presenceHandlers } from '../presence/presence.handlers';
import type { PresenceHub } from '../presence/presence';
import { reactionHandlers } from '../reactions/reactions.handlers';
import { recordHandlers } from '../records/records.handlers';
import { searchHandlers } from '../search/search.handlers';
import { appHandlers } from '../settings/app.handlers';
import type { AppStore } from '../settings/app-store.repository';
import { settingsHandlers } from '../settings/settings.handlers';
import { sharingHandlers } from '../sharing/sharing.handlers';
import type { SyncEngine } from '../sync/sync-engine';
import { syncHandlers } from '../sync/sync.handlers';
import { versionHandlers } from '../versions/versions.handlers';
import type { AccountContext } from './account-context';

export interface HandlerDeps {
  info: AppInfoView;
  store: AppStore;
  events: EventBus;
  clock: Clock;
  account(accountId: string): AccountContext;
  /** An account's live presence; absent (no presence at all) only where the table is built without a core. */
  presence?(accountId: string): PresenceHub;
  /** Absent only where the handler table is built without a core (the contract's shape test). */
  accounts?: AccountsService;
  syncEngines?: () => SyncEngine[];
  /** The desktop's save dialog and PDF printing (absent in browser mode: exports are downloads there). */
  exportFiles?: ExportFiles;
}

/**
 * Every contract command, wired to its service: one handler map per domain (`src/main/<domain>/*.handlers.ts`,
 * each `satisfies` its contract slice), merged here. `satisfies Handlers`: a missing command fails to compile.
 */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { info, store, events, clock } = deps;
  const account = (accountId: string): AccountContext => deps.account(accountId);
  const accounts = (): AccountsService => {
    if (!deps.accounts) throw new AppError(ErrorCode.unavailable, 'Accounts are not available here');
    return deps.accounts;
  };
  const presence = (accountId: string): PresenceHub | null => deps.presence?.(accountId) ?? null;
  return {
    ...appHandlers({ info, store, clock }),
    ...settingsHandlers({ store, events }),
    ...accountHandlers({ store, accounts }),
    ...syncHandlers({ account, engines: () => deps.syncEngines?.() ?? [] }),
    ...notebookHandlers({
      account,
      mover: () => deps.accounts?.mover ?? null,
      requireMover: () => accounts().mover,
    }),
    ...nodeHandlers({ account }),
    ...reactionHandlers({ account }),
    ...interactionHandlers({ account }),
    ...documentHandlers({ account, presence }),
    ...captureHandlers({ account, clock }),
    ...presenceHandlers({ presence }),
    ...recordHandlers({ account }),
    ...searchHandlers({
      account,
      searchable: () =>
        store.accounts().flatMap((a) => {
          try {
            return [{ id: a.id, name: a.name, search: account(a.id).search }];
          } catch {
            return []; // listed but not open (being added or removed)
          }
        }),
    }),
    ...versionHandlers({ account }),
    ...sharingHandlers({ account }),
    ...commentHandlers({ account }),
    ...channelHandlers({ account }),
    ...fileHandlers({ account }),
    ...exportHandlers({ account, files: () => deps.exportFiles ?? null }),
    ...importHandlers({ account }),
  } satisfies Handlers;
}

export const unknownAccount = (accountId: string) => notFound('Account', accountId);
