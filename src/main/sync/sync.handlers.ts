import type { syncCommands } from '../../shared/contract/sync';
import { badRequest } from '../../shared/lib/result';
import type { DomainHandlers } from '../ipc/router';
import type { SyncEngine } from './sync-engine';

export interface SyncHandlerDeps {
  account(accountId: string): { sync: SyncEngine | null };
  /** Every running sync engine (server accounts that are signed in). */
  engines(): SyncEngine[];
}

export const syncHandlers = (deps: SyncHandlerDeps) => {
  const sync = (accountId: string): SyncEngine => {
    const engine = deps.account(accountId).sync;
    if (!engine)
      throw badRequest('This account does not sync with a server', [
        { path: 'accountId', message: accountId },
      ]);
    return engine;
  };
  return {
    'sync.status': () => deps.engines().map((engine) => engine.status()),
    'sync.now': ({ accountId }) => sync(accountId).syncNow(),
    'sync.wake': () => {
      for (const engine of deps.engines()) engine.wake();
      return null;
    },
    'sync.outbox': ({ accountId }) => sync(accountId).outbox(),
    'sync.retry': ({ accountId, mutationId }) => {
      sync(accountId).retry(mutationId);
      return null;
    },
    'sync.discard': ({ accountId, mutationId }) => {
      sync(accountId).discard(mutationId);
      return null;
    },
    'sync.retryRefused': ({ accountId, ...scope }) => sync(accountId).retryRefused(scope),
    'sync.discardRefused': ({ accountId, ...scope }) => sync(accountId).discardRefused(scope),
  } satisfies DomainHandlers<typeof syncCommands>;
};
