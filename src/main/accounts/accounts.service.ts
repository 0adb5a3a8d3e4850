import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AccountView } from '../../shared/contract';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { AppError, ErrorCode, badRequest, notFound } from '../../shared/lib/result';
import type { AccountContext } from '../core/account-context';
import { isoNow, type Clock } from '../lib/clock';
import type { EventBus } from '../lib/events';
import { NotebookMover } from '../notebooks/move-notebook';
import { listOutbox } from '../outbox/outbox.repository';
import { replicaPath } from '../replica/replica';
import type { AppStore, StoredAccount } from '../settings/app-store.repository';
import type { SecretStore } from './secret-store';
import { hostOf } from './network-error';
import { normalizeServerUrl, ServerClient, ServerFailure, ServerRequestError } from './server-client';

/** What AppCore does for accounts: open a replica (and its sync) for an account, or close it. */
export interface AccountHost {
  attach(account: StoredAccount): Promise<AccountContext>;
  context(accountId: string): AccountContext;
  detach(accountId: string): void;
}

export const toAccountView = (a: StoredAccount): AccountView => ({
  id: a.id,
  kind: a.kind,
  name: a.name,
  serverUrl: a.serverUrl,
});

/** How many unsynced changes `account.remove` lists by name before summarising the rest. */
const LISTED_UNSYNCED = 20;

/** Signing in to servers and out again. Tokens only ever go to the SecretStore, never to SQLite. */
export class AccountsService {
  /** Moves Local notebooks to server accounts (`notebook.moveToAccount`). */
  readonly mover: NotebookMover;

  constructor(
    private readonly deps: {
      dataDir: string;
      store: AppStore;
      secrets: SecretStore;
      host: AccountHost;
      events: EventBus;
      clock: Clock;
      notify(level: 'info' | 'warning', title: string, message: string): void;
      /** Pause between attempts of a notebook move that failed (server unreachable…). */
      moveRetryMs?: number;
    },
  ) {
    this.mover = new NotebookMover({
      dataDir: deps.dataDir,
      account: (accountId) => deps.store.accounts().find((a) => a.id === accountId),
      context: (accountId) => deps.host.context(accountId),
      client: (accountId) => this.client(accountId),
      events: deps.events,
      clock: deps.clock,
      ...(deps.moveRetryMs === undefined ? {} : { retryMs: deps.moveRetryMs }),
    });
  }

  /** A REST client for a signed-in server account. */
  private client(accountId: string): ServerClient {
    const account = this.deps.store.accounts().find((a) => a.id === accountId);
    const token = this.deps.secrets.get(accountId);
    if (!account?.serverUrl || token === null)
      throw new AppError(ErrorCode.unauthorized, 'This account is signed out: add it again with a new token');
    return new ServerClient(account.serverUrl, token);
  }

  list(): AccountView[] {
    return this.deps.store.accounts().map(toAccountView);
  }

  async add(serverUrl: string, token: string): Promise<AccountView> {
    const url = normalizeServerUrl(serverUrl);
    const client = new ServerClient(url, token);
    const identity = await client.verify().catch((error: unknown) => {
      throw signInError(url, error);
    });
    const existing = this.deps.store
      .accounts()
      .find((a) => a.kind === 'server' && a.serverUrl === url && a.userId === identity.userId);
    if (existing) return this.signInAgain(existing, token);
    const account: StoredAccount & { serverUrl: string } = {
      id: newId(IdPrefix.account),
      kind: 'server',
      name: `${identity.username} @ ${new URL(url).host}`,
      serverUrl: url,
      userId: identity.userId,
    };
    this.deps.secrets.set(account.id, token);
    this.deps.store.addServerAccount(account, isoNow(this.deps.clock));
    const context = await this.deps.host.attach(account);
    // So the new account's notebooks are listed as soon as it appears (the socket connects in the background).
    await context.sync?.refreshNotebooks().catch(() => undefined);
    if (!this.deps.secrets.encrypted) {
      this.deps.notify(
        'warning',
        'Your server token is stored unencrypted',
        'In browser mode the token is kept in a file only your user can read (secrets.json), not in an encrypted keychain.',
      );
    }
    this.deps.events.emit('account.changed', { accountId: account.id });
    return toAccountView(account);
  }

  /**
   * Adding an account that exists signs it in again with the new token (a revoked or lost token), keeping
   * its replica and unsynced changes.
   */
  private async signInAgain(account: StoredAccount, token: string): Promise<AccountView> {
    this.deps.secrets.set(account.id, token);
    this.deps.host.detach(account.id);
    await this.deps.host.attach(account);
    this.deps.events.emit('account.changed', { accountId: account.id });
    return toAccountView(account);
  }

  /** Signs out: refuses while changes are unsynced (listing them) unless `force`, then deletes the replica. */
  remove(accountId: string, force: boolean): void {
    const account = this.deps.store.accounts().find((a) => a.id === accountId);
    if (!account) throw notFound('Account', accountId);
    if (account.kind === 'local') throw badRequest('The account on this device cannot be removed');
    if (!force) {
      const unsynced = listOutbox(this.deps.host.context(accountId).replica.db, Number.MAX_SAFE_INTEGER);
      if (unsynced.length > 0) {
        throw new AppError(
          ErrorCode.conflict,
          `${unsynced.length} change(s) on this account are not on the server yet; removing it would lose them`,
          [
            ...unsynced.slice(0, LISTED_UNSYNCED).map((row) => ({
              path: `outbox.${row.id}`,
              message: `${row.type} of ${row.objectId} (${row.status}${row.lastError ? `: ${row.lastError}` : ''})`,
            })),
            ...(unsynced.length > LISTED_UNSYNCED
              ? [{ path: 'outbox', message: `and ${unsynced.length - LISTED_UNSYNCED} more` }]
              : []),
          ],
        );
      }
    }
    this.deps.host.detach(accountId);
    rmSync(dirname(replicaPath(this.deps.dataDir, accountId)), { recursive: true, force: true });
    this.deps.store.removeAccount(accountId);
    this.deps.secrets.delete(accountId);
    this.deps.events.emit('account.changed', { accountId });
  }
}

function signInError(url: string, error: unknown): AppError {
  if (!(error instanceof ServerRequestError)) return new AppError(ErrorCode.internal, 'Signing in failed');
  const detail = [{ path: 'serverUrl', message: error.message }];
  switch (error.failure) {
    case ServerFailure.unreachable:
      // The detail is the one line the form shows as its heading: "Can’t reach 127.0.0.1:9 — connection refused".
      return new AppError(
        ErrorCode.unavailable,
        `${error.message}. Check the address and your connection.`,
        detail,
      );
    case ServerFailure.unauthorized:
      return new AppError(
        ErrorCode.unauthorized,
        'The server refused this token. Create a new one and try again.',
        [{ path: 'token', message: error.message }],
      );
    case ServerFailure.notAServer:
      // Said once: the form's heading is "Not a Hoody Notes server", this is what to do about it.
      return new AppError(
        ErrorCode.badRequest,
        `Something answers at ${hostOf(url)}, but not the Hoody Notes API (${error.message}). Check the address and port.`,
        detail,
      );
    default:
      return new AppError(
        ErrorCode.unavailable,
        `The server could not check this sign-in: ${error.message}`,
        detail,
      );
  }
}
