import { isEvent, type EventBus } from '../lib/events';
import type { ServerRequestError } from '../accounts/server-client';
import { type ServerClient } from '../accounts/server-client';
import { backoffDelay, type BackoffPolicy } from './backoff';
import { flushOutbox } from './outbox-sender';
import type { SyncRun } from './sync-run';
import type { SyncedAccount } from './synced-account';

export interface OutboxPumpDeps {
  context: Pick<SyncedAccount, 'replica' | 'reactions'>;
  client: ServerClient;
  events: EventBus;
  run: SyncRun;
  /** Wait after a local write before sending (see `SyncOptions.writeDebounceMs`). */
  writeDebounceMs: number;
  retry: BackoffPolicy;
  random: () => number;
  /** A flush sent everything it could (the engine clears its error and notes the time it caught up). */
  onSent(): void;
}

/**
 * Sends the outbox: after local writes (debounced), on request (start, hello, timer, sync now), and again with
 * backoff after a transient failure. One flush at a time; a request during a flush runs one more round.
 */
export class OutboxPump {
  private readonly accountId: string;
  private flushing: Promise<void> | null = null;
  private flushRequested = false;
  private sendFailures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private writeTimer: ReturnType<typeof setTimeout> | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: OutboxPumpDeps) {
    this.accountId = deps.context.replica.accountId;
  }

  /** Watches the account's local writes (each schedules a flush). */
  start(): void {
    this.unsubscribe = this.deps.events.on((event) => {
      const localWrite =
        (isEvent(event, 'node.changed') && event.payload.accountId === this.accountId) ||
        (isEvent(event, 'interaction.changed') &&
          event.payload.accountId === this.accountId &&
          event.payload.origin === 'local') ||
        (isEvent(event, 'document.updated') &&
          event.payload.accountId === this.accountId &&
          event.payload.origin !== 'sync');
      if (localWrite) this.scheduleWriteFlush();
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const timer of [this.retryTimer, this.writeTimer]) if (timer) clearTimeout(timer);
    this.retryTimer = null;
    this.writeTimer = null;
  }

  /** Resolves when no flush is running. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** Forgets the backoff: the next request sends at once. */
  resetBackoff(): void {
    this.sendFailures = 0;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  requestFlush(): void {
    const { run } = this.deps;
    if (run.stopped) return;
    if (this.flushing) {
      this.flushRequested = true;
      return;
    }
    this.flushing = this.flushLoop()
      .catch((error: unknown) => {
        // A bug or a local database failure: keep the app running, show it, and try again later.
        if (run.stopped) return;
        run.lastError = `Sending failed: ${error instanceof Error ? error.message : String(error)}`;
        this.scheduleRetry(null);
        run.publish();
      })
      .finally(() => {
        this.flushing = null;
      });
  }

  private scheduleWriteFlush(): void {
    if (this.writeTimer || this.retryTimer) return; // a backoff wait is running: it will send these too
    this.writeTimer = setTimeout(() => {
      this.writeTimer = null;
      this.requestFlush();
    }, this.deps.writeDebounceMs);
  }

  private async flushLoop(): Promise<void> {
    const { context, run } = this.deps;
    do {
      this.flushRequested = false;
      const result = await flushOutbox(context.replica.db, this.deps.client, run.signal, (mutations) => {
        for (const mutation of mutations) context.reactions.confirmed(mutation);
      });
      if (run.stopped) return;
      if (result.failure) {
        run.lastError = result.failure.message;
        this.scheduleRetry(result.failure);
        run.publish();
        return;
      }
      this.sendFailures = 0;
      this.deps.onSent();
    } while (this.flushRequested && !run.stopped);
  }

  private scheduleRetry(failure: ServerRequestError | null): void {
    if (this.retryTimer) return;
    const delay = backoffDelay(
      this.sendFailures++,
      this.deps.retry,
      this.deps.random,
      failure?.retryAfterMs ?? null,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.requestFlush();
    }, delay);
  }
}
