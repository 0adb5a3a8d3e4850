import WebSocket from 'ws';
import type { OutboxEntryView, SyncStatusView } from '../../shared/contract';
import {
  PROTOCOL_VERSION,
  StreamType,
  SyncLimits,
  type ClientFrame,
  type ServerFrame,
  type StreamSpec,
  parseStreamKey,
  streamKey,
} from '../../shared/api/sync-protocol';
import { HeartbeatAction, HeartbeatMonitor } from '../../shared/lib/heartbeat';
import { badRequest, notFound } from '../../shared/lib/result';
import { ServerFailure, ServerRequestError, type ServerClient } from '../accounts/server-client';
import { isoNow, type Clock } from '../lib/clock';
import { isEvent, type EventBus } from '../lib/events';
import {
  getOutboxRow,
  listOutbox,
  markPending,
  outboxCounts,
  refusedRows,
  type OutboxRow,
} from '../outbox/outbox.repository';
import { discardRefused, retryRefused, type RefusedScope } from '../outbox/refused-changes';
import { DEFAULT_PRESENCE_OPTIONS, PresenceHub, type PresenceOptions } from '../presence/presence';
import type { ReadChanges } from '../interactions/interactions.service';
import { isReactionMutation } from '../reactions/reactions.service';
import { dropNotebook, type SalvageSink } from './access-loss';
import { backoffDelay, type BackoffPolicy } from './backoff';
import { FramePacer } from './frame-pacer';
import { FrameError, parseServerFrame } from './frames';
import { InitialSyncTracker } from './initial-sync';
import { flushOutbox } from './outbox-sender';
import { rootStreams, StreamApplier, type AppliedBatch } from './stream-applier';
import type { SyncedAccount } from './synced-account';

export interface SyncOptions {
  /** Outbox flush and stream re-ask period (recovers a lost output; the server treats it as idempotent). */
  periodicMs: number;
  /**
   * Wait after a local write before sending. 0 sends at once: writes made while a batch is in flight go out
   * together in the next one, so bursts still batch without delaying a lone keystroke.
   */
  writeDebounceMs: number;
  /** Outbox retries and reconnects. */
  retry: BackoffPolicy;
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
  heartbeatMs: 20_000,
  random: Math.random,
  presence: DEFAULT_PRESENCE_OPTIONS,
  initialStallMs: 30_000,
};

type Connection = SyncStatusView['connection'];

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
 * Keeps one server account's replica in sync: sends the outbox (on start, reconnect, timer, after writes;
 * backoff on transient failures), holds the socket (heartbeats, reconnect with backoff, resume from the
 * cursors table) and applies its streams. State changes are published as `sync.status` events.
 */
export class SyncEngine {
  private readonly accountId: string;
  private readonly applier: StreamApplier;
  /** Who views which page, live (see `presence/presence.ts`). */
  readonly presence: PresenceHub;
  private readonly initial: InitialSyncTracker;
  private connection: Connection = 'offline';
  private socket: WebSocket | null = null;
  /** Paces the current socket's frames; replaced with each connection. */
  private pacer: FramePacer | null = null;
  private lastSyncedAt: string | null;
  private lastError: string | null = null;
  private flushing: Promise<void> | null = null;
  private flushRequested = false;
  private sendFailures = 0;
  private connectFailures = 0;
  /**
   * Connections in a row that ended on a frame we refused or could not apply. `hello` does not reset it (only
   * an applied output does), so a server that keeps sending bad frames is retried with growing backoff.
   */
  private frameFailures = 0;
  /** When `lastSyncedAt` was last written to the replica (epoch ms). */
  private syncedStoredAt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private writeTimer: ReturnType<typeof setTimeout> | null = null;
  private periodicTimer: ReturnType<typeof setInterval> | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private stallTimer: ReturnType<typeof setInterval> | null = null;
  private heartbeat: HeartbeatMonitor | null = null;
  private unsubscribe: (() => void) | null = null;
  /** Aborted while stopped, so work that was awaiting the network never touches a closed replica. */
  private running = stoppedController();
  private lastCounts = { pending: 0, rejected: 0 };

  constructor(private readonly deps: SyncEngineDeps) {
    this.accountId = deps.context.replica.accountId;
    this.applier = new StreamApplier(deps.context, { sink: deps.salvage, server: deps.client.baseUrl });
    this.presence = new PresenceHub({
      accountId: this.accountId,
      userId: deps.context.replica.userId,
      events: deps.events,
      send: (frame, key) => this.pacer?.push(JSON.stringify(frame), key),
      notebookOf: (documentId) => this.applier.notebookOf(documentId),
      userName: (userId) => this.applier.userName(userId),
      options: deps.options.presence,
    });
    this.initial = new InitialSyncTracker(
      deps.context.replica.db,
      deps.client,
      deps.clock,
      deps.options.initialStallMs,
    );
    this.lastSyncedAt = this.applier.lastSyncedAt();
  }

  start(): void {
    if (!this.stopped) return;
    this.running = new AbortController();
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
    this.periodicTimer = setInterval(() => this.periodic(), this.deps.options.periodicMs);
    this.periodicTimer.unref();
    this.stallTimer = setInterval(
      () => this.checkStall(),
      Math.max(10, this.deps.options.initialStallMs / 4),
    );
    this.stallTimer.unref();
    this.requestFlush();
    void this.connect();
  }

  stop(): void {
    if (!this.stopped && this.lastSyncedAt !== null && Date.parse(this.lastSyncedAt) > this.syncedStoredAt)
      this.applier.recordSynced(new Date(this.lastSyncedAt));
    this.running.abort();
    this.unsubscribe?.();
    for (const timer of [this.retryTimer, this.reconnectTimer, this.writeTimer])
      if (timer) clearTimeout(timer);
    for (const timer of [this.periodicTimer, this.heartbeatTimer, this.stallTimer])
      if (timer) clearInterval(timer);
    this.socket?.terminate();
    this.socket = null;
    this.pacer?.clear();
    this.presence.stop();
  }

  private get stopped(): boolean {
    return this.running.signal.aborted;
  }

  /** Resolves when no flush is running (tests and `sync.now` wait on it). */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  status(): SyncStatusView {
    // After sign-out or quit the replica is closed: a late caller (a `sync.now` that was waiting on a flush)
    // gets the last counts read, never a closed-database error.
    const { db } = this.deps.context.replica;
    if (db.open) this.lastCounts = outboxCounts(db);
    const counts = this.lastCounts;
    const connected =
      this.socket !== null && this.connection !== 'connecting' && this.connection !== 'offline';
    return {
      accountId: this.accountId,
      connection: connected ? (counts.pending > 0 ? 'syncing' : 'up_to_date') : this.connection,
      pending: counts.pending,
      rejected: counts.rejected,
      lastSyncedAt: this.lastSyncedAt,
      lastError: this.lastError,
      initialSync: db.open ? this.initial.progress() : null,
    };
  }

  /** "Sync now": forget backoff, send the outbox and (re)connect at once. */
  async syncNow(): Promise<SyncStatusView> {
    this.sendFailures = 0;
    this.connectFailures = 0;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (!this.socket) {
      if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
      void this.connect();
    }
    this.requestFlush();
    await this.idle();
    return this.status();
  }

  outbox(): OutboxEntryView[] {
    return listOutbox(this.deps.context.replica.db, Number.MAX_SAFE_INTEGER).map((row) => ({
      id: row.id,
      notebookId: row.notebookId,
      type: row.type,
      objectId: row.objectId,
      createdAt: row.createdAt,
      attempts: row.attempts,
      lastError: row.lastError,
      status: row.status,
      payload: JSON.stringify(row.mutation),
    }));
  }

  retry(mutationId: string): void {
    this.requireMutation(mutationId);
    if (!markPending(this.deps.context.replica.db, mutationId))
      throw badRequest('Only a rejected change can be retried', [
        { path: 'mutationId', message: 'is not rejected' },
      ]);
    this.publish();
    this.requestFlush();
  }

  /** Sends every refused change (of a notebook or of one page, if given) again; answers how many. */
  retryRefused(scope: RefusedScope): number {
    const count = retryRefused(this.deps.context.replica.db, scope);
    this.publish();
    if (count > 0) this.requestFlush();
    return count;
  }

  /**
   * The only path that reverts local content: the user chose to drop a rejected change. Pending changes
   * cannot be discarded: one may be in flight, and the server would then send it back anyway.
   */
  discard(mutationId: string): void {
    this.discardRows([this.requireMutation(mutationId)]);
  }

  /** Discards every refused change (of a notebook or of one page, if given) at once; answers how many. */
  discardRefused(scope: RefusedScope): number {
    return this.discardRows(refusedRows(this.deps.context.replica.db, scope));
  }

  private discardRows(rows: readonly OutboxRow[]): number {
    const { context, events } = this.deps;
    const discarded = discardRefused(context.replica.db, rows, {
      node: (nodeId) => context.nodes.reloadFromStoredUpdates(nodeId),
      document: (documentId) =>
        context.documents.reloadFromStoredUpdates(documentId, isoNow(this.deps.clock)),
    });
    const changed = new Map<string, Set<string>>();
    for (const row of discarded.rows) {
      if (!discarded.nodes.has(row.objectId) && !isReactionMutation(row.type)) continue;
      const ids = changed.get(row.notebookId) ?? new Set<string>();
      changed.set(row.notebookId, ids.add(row.objectId));
    }
    for (const [notebookId, ids] of changed)
      events.emit('node.changed', { accountId: this.accountId, notebookId, nodeIds: [...ids] });
    // Open editors still hold the discarded text in their Y.Doc: they open the document again.
    for (const documentId of discarded.documents)
      events.emit('document.reset', { accountId: this.accountId, documentId });
    this.publish();
    return discarded.rows.length;
  }

  private requireMutation(mutationId: string) {
    const row = getOutboxRow(this.deps.context.replica.db, mutationId);
    if (!row) throw notFound('Change', mutationId);
    return row;
  }

  // ── Outbox ──────────────────────────────────────────────────────────────────────────────────────────────

  private scheduleWriteFlush(): void {
    if (this.writeTimer || this.retryTimer) return; // a backoff wait is running: it will send these too
    this.writeTimer = setTimeout(() => {
      this.writeTimer = null;
      this.requestFlush();
    }, this.deps.options.writeDebounceMs);
  }

  private requestFlush(): void {
    if (this.stopped) return;
    if (this.flushing) {
      this.flushRequested = true;
      return;
    }
    this.flushing = this.flushLoop()
      .catch((error: unknown) => {
        // A bug or a local database failure: keep the app running, show it, and try again later.
        if (this.stopped) return;
        this.lastError = `Sending failed: ${error instanceof Error ? error.message : String(error)}`;
        this.scheduleRetry(null);
        this.publish();
      })
      .finally(() => {
        this.flushing = null;
      });
  }

  private async flushLoop(): Promise<void> {
    do {
      this.flushRequested = false;
      const { context } = this.deps;
      const result = await flushOutbox(
        context.replica.db,
        this.deps.client,
        this.running.signal,
        (mutations) => {
          for (const mutation of mutations) context.reactions.confirmed(mutation);
        },
      );
      if (this.stopped) return;
      if (result.failure) {
        this.lastError = result.failure.message;
        this.scheduleRetry(result.failure);
        this.publish();
        return;
      }
      this.sendFailures = 0;
      if (this.socket && this.frameFailures === 0) this.lastError = null;
      this.markSyncedIfCaughtUp();
      this.publish();
    } while (this.flushRequested && !this.stopped);
  }

  private scheduleRetry(failure: ServerRequestError | null): void {
    if (this.retryTimer) return;
    const delay = backoffDelay(
      this.sendFailures++,
      this.deps.options.retry,
      this.deps.options.random,
      failure?.retryAfterMs ?? null,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.requestFlush();
    }, delay);
  }

  private periodic(): void {
    this.requestFlush();
    if (this.initial.pending.length > 0)
      void this.initial.refresh(this.initial.pending, this.running.signal).then(() => this.publish());
    if (this.socket && this.connection !== 'connecting') this.subscribeAll();
  }

  /** A first download without progress: published as stalled; inputs re-sent, then the socket reset. */
  private checkStall(): void {
    const connected =
      this.socket !== null && this.connection !== 'connecting' && this.connection !== 'offline';
    const { action, changed } = this.initial.checkStall(connected);
    if (action === 'resend') {
      this.subscribeAll();
      void this.initial.refresh(this.initial.pending, this.running.signal).then(() => this.publish());
    } else if (action === 'reset') {
      this.lastError = 'The download stopped making progress; reconnecting';
      console.warn(`[sync] ${this.deps.client.baseUrl}: ${this.lastError}`);
      this.socket?.terminate();
    }
    if (changed) this.publish();
  }

  private markSyncedIfCaughtUp(): void {
    if (!this.socket || outboxCounts(this.deps.context.replica.db).pending > 0) return;
    const now = this.deps.clock.now();
    this.lastSyncedAt = now.toISOString();
    // Stored at most once a second (and on stop): a commit per applied batch cost more than the batch.
    if (now.getTime() - this.syncedStoredAt < SYNCED_STORE_INTERVAL_MS) return;
    this.applier.recordSynced(now);
    this.syncedStoredAt = now.getTime();
  }

  /** Notebooks are REST resources: mirrored from `GET /notebooks` on every (re)connect. */
  async refreshNotebooks(): Promise<void> {
    const notebooks = await this.deps.client.notebooks();
    if (this.stopped) return;
    this.deps.context.notebooks.mirror(notebooks.map((n) => ({ ...n, role: n.user.role })));
    const listed = new Set(notebooks.map((n) => n.id));
    const unlisted = this.deps.context.notebooks
      .list()
      .map((n) => n.id)
      .filter((id) => !listed.has(id));
    if (unlisted.length > 0) await this.confirmLostNotebooks(unlisted);
    // Before the socket opens, so the first download shows its total from the start.
    await this.initial.refresh(
      notebooks.map((n) => n.id),
      this.running.signal,
    );
    this.publish();
  }

  /**
   * Notebooks the replica has that the server may no longer give us. Only a 403 from `GET /notebooks/{id}`
   * (the notebook exists and is not ours) removes one: its pages with unconfirmed changes are copied to the
   * Local account first, and the user is told. A 404 is ambiguous — deleted, or a server restored from an old
   * backup or started empty, where this device may hold the only copy — so the notebook is kept and the user
   * is told once. A missing list entry, an error or no answer never removes anything.
   */
  private async confirmLostNotebooks(notebookIds: readonly string[]): Promise<void> {
    for (const notebookId of notebookIds) {
      let status: number | null = null;
      try {
        await this.deps.client.notebook(notebookId);
        this.missingNotebooks.delete(notebookId);
        continue;
      } catch (error) {
        if (error instanceof ServerRequestError && error.failure === ServerFailure.rejected)
          status = error.status;
      }
      if (this.stopped) return;
      if (status === 404) this.notebookMissing(notebookId);
      if (status !== 403) continue;
      const lost = dropNotebook(this.deps.context, notebookId, this.deps.salvage, this.deps.client.baseUrl);
      if (!lost) continue;
      this.deps.notify(
        'A notebook is no longer shared with you',
        `You no longer have access to “${lost.name}” on ${this.deps.client.baseUrl}, so it was removed from this device.` +
          salvageNote(lost.pages, lost.savedTo),
      );
      this.publish();
    }
  }

  /** Notebooks the server answered 404 for, already told about (once per run). */
  private readonly missingNotebooks = new Set<string>();

  private notebookMissing(notebookId: string): void {
    if (this.missingNotebooks.has(notebookId)) return;
    this.missingNotebooks.add(notebookId);
    const name = this.deps.context.notebooks.list().find((n) => n.id === notebookId)?.name ?? notebookId;
    this.deps.notify(
      'A notebook is missing on the server',
      `${this.deps.client.baseUrl} no longer has “${name}” (deleted, or the server lost it). It is kept on this device as it was; changes to it can't be synced.`,
    );
  }

  // ── Socket ──────────────────────────────────────────────────────────────────────────────────────────────

  private async connect(): Promise<void> {
    if (this.stopped || this.socket) return;
    this.setConnection('connecting');
    let url: string;
    try {
      await this.refreshNotebooks();
      url = await this.deps.client.socketUrl();
    } catch (error) {
      this.connectionLost(error instanceof Error ? error.message : String(error));
      return;
    }
    if (this.stopped || this.socket) return;
    const socket = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
    this.socket = socket;
    this.pacer?.clear();
    // Half the server's limit: heartbeats and acks always fit beside a burst of (re)subscriptions.
    this.pacer = new FramePacer(SyncLimits.maxFramesPerSecond / 2, (text) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
    });
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (this.socket !== socket) return;
      this.heartbeat?.heard();
      try {
        if (isBinary) throw new FrameError('the server sent a binary frame');
        this.onFrame(parseServerFrame(data.toString()));
      } catch (error) {
        // A frame we refused (validated before anything is applied) or could not apply (its transaction
        // rolled back, its cursor not saved): reconnecting asks for it again after a growing backoff, and the
        // failure is logged and shown instead of crashing the app.
        const reason = error instanceof Error ? error.message : String(error);
        this.lastError =
          error instanceof FrameError
            ? `The server sent something unexpected: ${reason}`
            : `Applying server changes failed: ${reason}`;
        console.warn(`[sync] ${this.deps.client.baseUrl}: ${this.lastError}`);
        this.frameFailures++;
        socket.terminate();
      }
    });
    socket.on('error', (error) => {
      this.lastError = `Connection error: ${error.message}`;
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.pacer?.clear();
      this.presence.disconnected();
      if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
      this.heartbeatTimer = null;
      this.heartbeat = null;
      this.connectionLost(this.lastError ?? 'The connection closed');
    });
  }

  private connectionLost(reason: string): void {
    if (this.stopped) return;
    this.lastError = reason;
    this.setConnection('offline');
    if (this.stopped || this.reconnectTimer) return;
    const failures = Math.max(this.connectFailures++, this.frameFailures);
    const delay = backoffDelay(failures, this.deps.options.retry, this.deps.options.random);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'hello':
        this.initial.connected(this.deps.clock.now());
        this.connectFailures = 0;
        if (this.frameFailures === 0) this.lastError = null;
        this.setConnection('syncing');
        this.startHeartbeat();
        this.subscribeAll();
        this.requestFlush();
        this.presence.connected();
        return;
      case 'sync.output':
        return this.onOutput(frame.stream, frame.items);
      case 'sync.error': {
        this.lastError = `${frame.code}: ${frame.message}`;
        this.publish();
        // A notebook-level stream refused: ask the notebook itself before believing it is gone.
        // One of its two notebook-level streams is enough, and a notebook already known missing (404, kept)
        // is not asked again each time its inputs are re-sent.
        const refused = parseStreamKey(frame.id);
        if (refused?.type === StreamType.collaborations && !this.missingNotebooks.has(refused.notebookId))
          void this.confirmLostNotebooks([refused.notebookId]).catch((error: unknown) =>
            console.warn(`[sync] checking notebook ${refused.notebookId}: ${String(error)}`),
          );
        return;
      }
      case 'pong':
        return;
      case 'presence':
        return this.presence.onFrame(frame);
    }
  }

  private onOutput(stream: StreamSpec, items: Extract<ServerFrame, { type: 'sync.output' }>['items']): void {
    // A late or repeated output of a section dropped meanwhile (deleted, or access lost: its cursors went with
    // it): applied from cursor 0 it would bring nodes back outside every tree. Not asked again either.
    if ('rootId' in stream && !this.applier.readableRoots(stream.notebookId).includes(stream.rootId)) return;
    const { replica, interactions } = this.deps.context;
    // Unread markers are noted in the batch's own transaction (the applier's becomes a savepoint of it).
    let unread: ReadChanges = new Map();
    const batch = replica.db.transaction(() => {
      const applied = this.applier.apply(stream, items, isoNow(this.deps.clock));
      if (!applied.stale) unread = interactions.recordStream(stream, items);
      return applied;
    })();
    // A duplicate or late answer: nothing new to apply. Ask again from the saved cursor all the same: a late
    // answer may have been to a late input that replaced the one for our cursor on the server.
    if (batch.stale) return this.ask(stream);
    if (this.frameFailures > 0) {
      this.frameFailures = 0;
      this.lastError = null;
    }
    this.send({
      v: PROTOCOL_VERSION,
      type: 'sync.input',
      id: streamKey(stream),
      stream,
      cursor: batch.cursor,
    });
    for (const root of batch.rootsGained)
      for (const spec of rootStreams(root.notebookId, root.rootId)) this.ask(spec);
    this.announce(batch);
    if (stream.type === StreamType.users) {
      this.deps.events.emit('sharing.changed', { accountId: this.accountId, notebookId: stream.notebookId });
      this.deps.events.emit('notebook.changed', { accountId: this.accountId });
    }
    interactions.announce(unread, 'sync');
    this.initial.progressed(this.deps.clock.now());
    this.initial.settle(this.deps.clock.now());
    this.markSyncedIfCaughtUp();
    this.publish();
  }

  private announce(batch: AppliedBatch): void {
    const { context, events } = this.deps;
    for (const [notebookId, ids] of batch.changedNodes)
      events.emit('node.changed', { accountId: this.accountId, notebookId, nodeIds: [...ids] });
    for (const { documentId, update } of batch.documentUpdates)
      context.documents.remoteUpdateCommitted(documentId, update);
    for (const deleted of batch.deletedWithChanges)
      this.deps.notify(
        'Something you changed was deleted elsewhere',
        `“${deleted.origin}” was deleted on another device or by someone else before your changes reached ${this.deps.client.baseUrl}.` +
          salvageNote(deleted.salvaged, deleted.savedTo),
      );
    for (const root of batch.rootsLost) {
      this.deps.notify(
        'A section is no longer shared with you',
        `You lost access to “${root.origin}” on ${this.deps.client.baseUrl}, so it was removed from this device.` +
          salvageNote(root.salvaged, root.savedTo),
      );
      events.emit('node.changed', {
        accountId: this.accountId,
        notebookId: root.notebookId,
        nodeIds: [root.rootId],
      });
    }
  }

  /** (Re-)sends every stream input from its saved cursor: on hello and periodically to recover lost outputs. */
  private subscribeAll(): void {
    for (const notebook of this.deps.context.notebooks.list()) {
      this.ask({ type: StreamType.collaborations, notebookId: notebook.id });
      this.ask({ type: StreamType.users, notebookId: notebook.id });
      for (const rootId of this.applier.readableRoots(notebook.id))
        for (const spec of rootStreams(notebook.id, rootId)) this.ask(spec);
    }
  }

  private ask(stream: StreamSpec): void {
    this.send({
      v: PROTOCOL_VERSION,
      type: 'sync.input',
      id: streamKey(stream),
      stream,
      cursor: this.applier.cursor(stream),
    });
  }

  private send(frame: ClientFrame): void {
    this.pacer?.push(JSON.stringify(frame), frame.type === 'sync.input' ? frame.id : undefined);
  }

  private startHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    // Monotonic time: the app's clock can be skewed or jump (it dates edits, not timers).
    const monitor = new HeartbeatMonitor(this.deps.options.heartbeatMs, performance.now());
    this.heartbeat = monitor;
    this.heartbeatTimer = setInterval(() => {
      switch (monitor.tick(performance.now())) {
        case HeartbeatAction.ping:
          this.send({ v: PROTOCOL_VERSION, type: 'ping' });
          return;
        case HeartbeatAction.wait:
          return;
        case HeartbeatAction.dead:
          this.lastError = 'The server stopped answering';
          this.socket?.terminate();
      }
    }, this.deps.options.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  private setConnection(connection: Connection): void {
    if (this.connection === connection) return;
    this.connection = connection;
    this.publish();
  }

  private publish(): void {
    if (this.stopped) return;
    this.deps.events.emit('sync.status', this.status());
  }
}

function stoppedController(): AbortController {
  const controller = new AbortController();
  controller.abort();
  return controller;
}

/** The part of a notice that says where unconfirmed pages were kept. */
function salvageNote(pages: number, savedTo: string | null): string {
  if (pages === 0 || savedTo === null) return '';
  return ` ${pages === 1 ? '1 page' : `${pages} pages`} with changes the server had not confirmed ${pages === 1 ? 'was' : 'were'} copied to ${savedTo}.`;
}
