import { AppError, ErrorCode, badRequest, notFound } from '../../shared/lib/result';
import type { AppInfoView } from '../../shared/contract';
import { toAccountView, type AccountsService } from '../accounts/accounts.service';
import type { PresenceHub } from '../presence/presence';
import type { SyncEngine } from '../sync/sync-engine';
import { CaptureService } from '../capture/capture.service';
import type { Handlers } from '../ipc/router';
import type { AccountContext } from './account-context';
import { isoNow, type Clock } from '../lib/clock';
import type { EventBus } from '../lib/events';
import type { AppStore } from '../settings/app-store';

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
}

/** Every contract command, wired to its service. `satisfies Handlers`: a missing command fails to compile. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { store, events, clock } = deps;
  const account = (accountId: string): AccountContext => deps.account(accountId);
  const accounts = (): AccountsService => {
    if (!deps.accounts) throw new AppError(ErrorCode.unavailable, 'Accounts are not available here');
    return deps.accounts;
  };
  const presence = (accountId: string): PresenceHub | null => deps.presence?.(accountId) ?? null;
  const sync = (accountId: string): SyncEngine => {
    const engine = account(accountId).sync;
    if (!engine)
      throw badRequest('This account does not sync with a server', [
        { path: 'accountId', message: accountId },
      ]);
    return engine;
  };
  return {
    'app.info': () => deps.info,
    'app.notices': () => store.notices(),
    'app.dismissNotice': ({ id }) => {
      store.dismissNotice(id, isoNow(clock));
      return null;
    },

    'settings.get': () => store.settings(),
    'settings.update': (patch) => {
      const settings = store.updateSettings(patch);
      events.emit('settings.changed', settings);
      return settings;
    },

    'account.list': () => store.accounts().map(toAccountView),
    'account.add': ({ serverUrl, token }) => accounts().add(serverUrl, token),
    'account.remove': ({ accountId, force }) => {
      accounts().remove(accountId, force ?? false);
      return null;
    },

    'sync.status': () => (deps.syncEngines?.() ?? []).map((engine) => engine.status()),
    'sync.now': ({ accountId }) => sync(accountId).syncNow(),
    'sync.outbox': ({ accountId }) => sync(accountId).outbox(),
    'sync.retry': ({ accountId, mutationId }) => {
      sync(accountId).retry(mutationId);
      return null;
    },
    'sync.discard': ({ accountId, mutationId }) => {
      sync(accountId).discard(mutationId);
      return null;
    },

    'notebook.list': ({ accountId }) => account(accountId).notebooks.list(),
    'notebook.create': ({ accountId, ...input }) => account(accountId).notebooks.create(input),
    'notebook.update': ({ accountId, notebookId, ...patch }) =>
      account(accountId).notebooks.update(notebookId, patch),
    'notebook.delete': ({ accountId, notebookId }) => {
      account(accountId).notebooks.delete(notebookId);
      return null;
    },

    'notebook.moveToAccount': ({ accountId, notebookId, targetAccountId }) =>
      accounts().mover.start(accountId, notebookId, targetAccountId),
    'notebook.moves': () => deps.accounts?.mover.list() ?? [],

    'node.tree': ({ accountId, notebookId }) => account(accountId).nodes.tree(notebookId),
    'node.get': ({ accountId, nodeId }) => account(accountId).nodes.get(nodeId),
    'node.create': ({ accountId, ...input }) => account(accountId).nodes.create(input),
    'node.update': ({ accountId, nodeId, ...patch }) => account(accountId).nodes.update(nodeId, patch),
    'node.move': ({ accountId, nodeId, parentId, position }) =>
      account(accountId).nodes.move(nodeId, parentId, position),
    'node.trash': ({ accountId, nodeId }) => account(accountId).nodes.trash(nodeId),
    'node.restore': ({ accountId, nodeId }) => account(accountId).nodes.restore(nodeId),
    'node.purge': ({ accountId, nodeId }) => {
      account(accountId).nodes.purge(nodeId);
      return null;
    },
    'node.trashList': ({ accountId, notebookId }) => account(accountId).nodes.trashList(notebookId),

    'reaction.list': ({ accountId, nodeId }) => account(accountId).reactions.list(nodeId),
    'reaction.set': ({ accountId, nodeId, reaction, on }) =>
      account(accountId).reactions.set(nodeId, reaction, on),

    'interaction.mark': ({ accountId, nodeId, kind }) => account(accountId).interactions.mark(nodeId, kind),
    'interaction.unread': ({ accountId, notebookId }) => account(accountId).interactions.unread(notebookId),

    'document.open': ({ accountId, documentId }, { senderId }) =>
      account(accountId).documents.openDocument(documentId, senderId),
    'document.update': ({ accountId, documentId, update }, { senderId }) =>
      account(accountId).documents.applyUpdate(documentId, update, senderId),
    'document.close': async ({ accountId, documentId }, { senderId }) => {
      presence(accountId)?.leave(senderId, documentId);
      await account(accountId).documents.closeDocument(documentId, senderId);
      return null;
    },

    'capture.save': ({ accountId, ...input }) => new CaptureService(account(accountId), clock).save(input),
    'capture.destinations': ({ accountId }) => new CaptureService(account(accountId), clock).destinations(),

    // Every account: the other windows of this device; server accounts also the other devices' viewers.
    'presence.update': ({ accountId, documentId, selection }, { senderId }) =>
      presence(accountId)?.update(senderId, documentId, selection) ?? [],
    'presence.leave': ({ accountId, documentId }, { senderId }) => {
      presence(accountId)?.leave(senderId, documentId);
      return null;
    },
  } satisfies Handlers;
}

export const unknownAccount = (accountId: string) => notFound('Account', accountId);
