import type { OutboxEntryView, SyncStatusView } from '../../shared/contract';
import type { ServerClient } from '../accounts/server-client';
import type { Clock } from '../lib/clock';
import type { EventBus } from '../lib/events';
import { outboxCounts } from '../outbox/outbox.repository';
import type { RefusedScope } from '../outbox/refused-changes';
import { DEFAULT_PRESENCE_OPTIONS, PresenceHub, type PresenceOptions } from '../presence/presence';
import { dropNotebook, type SalvageSink } from './access-loss';
import type { BackoffPolicy } from './backoff';
import { InitialSyncTracker } from './initial-sync';
import { NotebookList } from './notebook-list';
import { OutboxPump } from './outbox-pump';
import { SocketSession } from './socket-session';
import { StreamApplier } from './stream-applier';
import { SyncCommands } from './sync-commands';
import { SyncRun } from './sync-run';
import type { SyncedAccount } from './synced-account';

export interface SyncOptions {
  /** Outbox flush and stream re-ask period (recovers a lost output; the server treats it as idempotent). */
  periodicMs: number;
  /**
   * Wait after a local write before sending. 0 sends at once: writes made while a batch is in flight go out
   * together in the next one, so bursts still batch without delaying a lone keystroke.
   */
  writeDebounceMs: number;
  /** Outbox retries, and reconnects to a server that keeps sending frames we refuse. */
  retry: BackoffPolicy;
  /**
   * Reconnects after the connection failed or dropped: capped low (a few seconds), so every device is back
   * within seconds of the server, and full-jittered, so they do not all come back in the same instant.
   */
  reconnect: BackoffPolicy;
  /** Client `ping` period; a connection that has not answered the previous ping by then is dead. */
  heartbeatMs: number;
  random: () => number;
  /** Live presence pacing and timeouts. */
  presence: PresenceOptions;
  /**
   * A first download without progress this long is reported stalled; each such period while connected re-sends
   * the inputs, or resets the socket after 2 periods and then ever more rarely (see `initial-sync.ts`).
   */
  initialStallMs: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  periodicMs: 30_000,
  writeDebounceMs: 0,
  retry: { baseMs: 1_000, maxMs: 5 * 60_000 },
  reconnect: { baseMs: 500, maxMs: 5_000 },
  heartbeatMs: 20_000,
  random: Math.random,
  presence: DEFAULT_PRESENCE_OPTIONS,
  initialStallMs: 30_000,
};

const SYNCED_STORE_INTERVAL_MS = 1_000;

export interface SyncEngineDeps {
  context: SyncedAccount;
  client: ServerClient;
  events: EventBus;
  clock: Clock;
  options: SyncOptions;
  /** Tells the user something they must know (lost access to a section). */
  notify(title: string, message: string): void;
  /** Keeps the unconfirmed pages of a notebook or section this account lost (the Local account). */
  salvage: SalvageSink;
}

/**
 * Keeps one server account's replica in sync. Composes its four jobs: the outbox pump (`outbox-pump.ts`:
 * sends on start, reconnect, timer, after writes; backoff on transient failures), the socket session
 * (`socket-session.ts`: heartbeats, reconnect with backoff, resume from the cursors table, applies the
 * streams), the notebook-list reconciliation (`notebook-list.ts`) and the Sync panel's commands
 * (`sync-commands.ts`). It owns the status: state changes are published as `sync.status` events.
 */
export class SyncEngine {
  private readonly accountId: string;
  private readonly run = new SyncRun(() => this.deps.events.emit('sync.status', this.status()));
  private readonly applier: StreamApplier;
  /** Who views which page, live (see `presence/presence.ts`). */
  readonly presence: PresenceHub;
  private readonly initial: InitialSyncTracker;
  private readonly notebooks: NotebookList;
  private readonly pump: OutboxPump;
  private readonly session: SocketSession;
  private readonly commands: SyncCommands;
  private lastSyncedAt: string | null;
  /** When `lastSyncedAt` was last written to the replica (epoch ms). */
  private syncedStoredAt = 0;
  private periodicTimer: ReturnType<typeof setInterval> | null = null;
  private stallTimer: ReturnType<typeof setInterval> | null = null;
  private lastCounts = { pending: 0, rejected: 0 };

  constructor(private readonly deps: SyncEngineDeps) {
    const { context, client, events, clock, options } = deps;
    const { run } = this;
    this.accountId = context.replica.accountId;
    this.applier = new StreamApplier(context, { sink: deps.salvage, server: client.baseUrl });
    this.presence = new PresenceHub({
      accountId: this.accountId,
      userId: context.replica.userId,
      events,
      send: (frame, key) => this.session.push(JSON.stringify(frame), key),
      notebookOf: (documentId) => this.applier.notebookOf(documentId),
      userName: (userId) => this.applier.userName(userId),
      options: options.presence,
    });
    this.initial = new InitialSyncTracker(context.replica.db, client, clock, options.initialStallMs);
    this.notebooks = new NotebookList({
      context,
      client,
      run,
      initial: this.initial,
      notify: deps.notify,
      salvage: deps.salvage,
    });
    this.pump = new OutboxPump({
      context,
      client,
      events,
      run,
      writeDebounceMs: options.writeDebounceMs,
      retry: options.retry,
      random: options.random,
      onSent: () => {
        if (this.session.open && this.session.healthy) run.lastError = null;
        this.markSyncedIfCaughtUp();
        run.publish();
      },
    });
    this.session = new SocketSession({
      context,
      client,
      events,
      clock,
      run,
      applier: this.applier,
      presence: this.presence,
      initial: this.initial,
      notebooks: this.notebooks,
      retry: options.retry,
      reconnect: options.reconnect,
      random: options.random,
      heartbeatMs: options.heartbeatMs,
      notify: deps.notify,
      // Back: what waited is sent now, not after the outbox's own (longer) backoff wait.
      onHello: () => {
        this.pump.resetBackoff();
        this.pump.requestFlush();
        // Comments written offline go now too, not at their next retry (which backs off up to a minute).
        void context.comments.flush();
      },
      onApplied: () => this.markSyncedIfCaughtUp(),
    });
    this.commands = new SyncCommands({
      context,
      events,
      clock,
      publish: () => run.publish(),
      requestFlush: () => this.pump.requestFlush(),
    });
    this.lastSyncedAt = this.applier.lastSyncedAt();
  }

  start(): void {
    if (!this.run.stopped) return;
    this.run.begin();
    this.pump.start();
    this.periodicTimer = setInterval(() => this.periodic(), this.deps.options.periodicMs);
    this.periodicTimer.unref();
    this.stallTimer = setInterval(
      () => this.checkStall(),
      Math.max(10, this.deps.options.initialStallMs / 4),
    );
    this.stallTimer.unref();
    this.pump.requestFlush();
    void this.session.connect();
  }

  stop(): void {
    if (
      !this.run.stopped &&
      this.lastSyncedAt !== null &&
      Date.parse(this.lastSyncedAt) > this.syncedStoredAt
    )
      this.applier.recordSynced(new Date(this.lastSyncedAt));
    this.run.end();
    this.pump.stop();
    for (const timer of [this.periodicTimer, this.stallTimer]) if (timer) clearInterval(timer);
    this.session.stop();
    this.presence.stop();
  }

  /** Resolves when no flush is running (tests and `sync.now` wait on it). */
  idle(): Promise<void> {
    return this.pump.idle();
  }

  status(): SyncStatusView {
    // After sign-out or quit the replica is closed: a late caller (a `sync.now` that was waiting on a flush)
    // gets the last counts read, never a closed-database error.
    const { db } = this.deps.context.replica;
    if (db.open) this.lastCounts = outboxCounts(db);
    const counts = this.lastCounts;
    return {
      accountId: this.accountId,
      connection: this.session.connected
        ? counts.pending > 0
          ? 'syncing'
          : 'up_to_date'
        : this.session.connection,
      pending: counts.pending,
      rejected: counts.rejected,
      lastSyncedAt: this.lastSyncedAt,
      lastError: this.run.lastError,
      initialSync: db.open ? this.initial.progress() : null,
    };
  }

  /** "Sync now": forget backoff, send the outbox and (re)connect at once. */
  async syncNow(): Promise<SyncStatusView> {
    this.pump.resetBackoff();
    this.session.connectNow();
    this.pump.requestFlush();
    await this.idle();
    return this.status();
  }

  /**
   * The network came back, or the user is looking (window shown or focused): a connection waiting out its
   * backoff tries now, and what waits in the outbox is sent. Cheap when connected (nothing happens).
   */
  wake(): void {
    if (this.run.stopped) return;
    this.session.connectNow();
    if (this.lastCounts.pending > 0 && this.session.connected) {
      this.pump.resetBackoff();
      this.pump.requestFlush();
    }
  }

  /** A notebook created (or joined) from this app: its streams are asked for now, not at the next connect. */
  notebooksChanged(): void {
    this.session.resubscribe();
    this.run.publish();
  }

  /** The user deleted or left a notebook on the server: it goes from the replica (see NotebookSync). */
  dropNotebook(notebookId: string, keepUnsynced: boolean): void {
    const salvage: SalvageSink = keepUnsynced ? this.deps.salvage : () => '';
    dropNotebook(this.deps.context, notebookId, salvage, this.deps.client.baseUrl);
    this.run.publish();
  }

  /** Notebooks are REST resources: mirrored from `GET /notebooks` on every (re)connect. */
  refreshNotebooks(): Promise<void> {
    return this.notebooks.refresh();
  }

  outbox(): OutboxEntryView[] {
    return this.commands.outbox();
  }

  retry(mutationId: string): void {
    this.commands.retry(mutationId);
  }

  /** Sends every refused change (of a notebook or of one page, if given) again; answers how many. */
  retryRefused(scope: RefusedScope): number {
    return this.commands.retryRefused(scope);
  }

  /** Drops one rejected change (the only path that reverts local content). */
  discard(mutationId: string): void {
    this.commands.discard(mutationId);
  }

  /** Discards every refused change (of a notebook or of one page, if given) at once; answers how many. */
  discardRefused(scope: RefusedScope): number {
    return this.commands.discardRefused(scope);
  }

  private periodic(): void {
    this.pump.requestFlush();
    if (this.initial.pending.length > 0)
      void this.initial.refresh(this.initial.pending, this.run.signal).then(() => this.run.publish());
    this.session.resubscribe();
  }

  /** A first download without progress: published as stalled; inputs re-sent, then the socket reset. */
  private checkStall(): void {
    const { action, changed } = this.initial.checkStall(this.session.connected);
    if (action === 'resend') {
      this.session.resubscribe();
      void this.initial.refresh(this.initial.pending, this.run.signal).then(() => this.run.publish());
    } else if (action === 'reset') {
      this.session.reset('The download stopped making progress; reconnecting');
    }
    if (changed) this.run.publish();
  }

  private markSyncedIfCaughtUp(): void {
    if (!this.session.connected || outboxCounts(this.deps.context.replica.db).pending > 0) return;
    const now = this.deps.clock.now();
    this.lastSyncedAt = now.toISOString();
    // Stored at most once a second (and on stop): a commit per applied batch cost more than the batch.
    if (now.getTime() - this.syncedStoredAt < SYNCED_STORE_INTERVAL_MS) return;
    this.applier.recordSynced(now);
    this.syncedStoredAt = now.getTime();
  }
}
