import * as z from 'zod';
import { command, event, type CommandSpec, type EventSpec } from './define';
import { accountId, id } from './schemas';

/** A server account's sync: status, the outbox, and what the user may do about refused changes. */

/** A server account's sync state, as the sync indicator and the Sync panel show it. */
export interface SyncStatusView {
  accountId: string;
  connection: 'offline' | 'connecting' | 'syncing' | 'up_to_date';
  /** Local changes not yet confirmed by the server. */
  pending: number;
  /** Changes the server refused; kept locally until retried or discarded. */
  rejected: number;
  /** When everything local was last confirmed while connected. */
  lastSyncedAt: string | null;
  /** Why the last attempt failed (unreachable, token refused…), null when fine. */
  lastError: string | null;
  /**
   * While notebooks are downloaded for the first time: nodes stored so far of the server's count, else null.
   * `stalledSince` (ISO): nothing arrived since then for a while (offline, the server failing, a wedged
   * connection) and the engine is retrying; null while the download moves.
   */
  initialSync: { notebooks: number; done: number; total: number; stalledSince: string | null } | null;
}

/** One outbox mutation, for the Sync panel (`payload` is the wire JSON, for "copy"). */
export interface OutboxEntryView {
  id: string;
  notebookId: string;
  type: string;
  objectId: string;
  createdAt: string;
  attempts: number;
  lastError: string | null;
  status: 'pending' | 'rejected';
  payload: string;
}

export const syncCommands = {
  'sync.status': command<SyncStatusView[]>()(() => z.object({})),
  /** Sends the outbox and reconnects now, skipping any backoff wait. */
  'sync.now': command<SyncStatusView>()(() => z.object({ accountId })),
  /**
   * The renderer saw the network come back or the user look (window shown or focused): every account waiting
   * out a reconnect backoff tries at once, and waiting changes are sent. Nothing happens where connected.
   */
  'sync.wake': command<null>()(() => z.object({})),
  'sync.outbox': command<OutboxEntryView[]>()(() => z.object({ accountId })),
  /** Sends a rejected mutation again. */
  'sync.retry': command<null>()(() => z.object({ accountId, mutationId: id })),
  /** Drops a rejected mutation and its local change (the only way local content is ever reverted). */
  'sync.discard': command<null>()(() => z.object({ accountId, mutationId: id })),
  /** Sends every refused change again — of one notebook or one page (`objectId`) if given; answers how many. */
  'sync.retryRefused': command<number>()(() =>
    z.object({ accountId, notebookId: id.optional(), objectId: id.optional() }),
  ),
  /** Discards every refused change at once (same scopes as `sync.retryRefused`); answers how many. */
  'sync.discardRefused': command<number>()(() =>
    z.object({ accountId, notebookId: id.optional(), objectId: id.optional() }),
  ),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;

export const syncEvents = {
  /** A server account's connection, pending/rejected counts or last sync time changed. */
  'sync.status': event<SyncStatusView>(),
} as const satisfies Record<string, EventSpec<unknown>>;
