import WebSocket from 'ws';
import type { SyncStatusView } from '../../shared/contract';
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
import { cantReach } from '../accounts/network-error';
import type { ServerClient } from '../accounts/server-client';
import { isoNow, type Clock } from '../lib/clock';
import type { EventBus } from '../lib/events';
import type { ReadChanges } from '../interactions/interactions.service';
import type { PresenceHub } from '../presence/presence';
import { salvageNote } from './access-loss';
import { backoffDelay, type BackoffPolicy } from './backoff';
import { FramePacer } from './frame-pacer';
import { FrameError, parseServerFrame } from './frames';
import type { InitialSyncTracker } from './initial-sync';
import type { NotebookList } from './notebook-list';
import { rootStreams, type AppliedBatch, type StreamApplier } from './stream-applier';
import type { SyncRun } from './sync-run';
import type { SyncedAccount } from './synced-account';

type Connection = SyncStatusView['connection'];

export interface SocketSessionDeps {
  context: SyncedAccount;
  client: ServerClient;
  events: EventBus;
  clock: Clock;
  run: SyncRun;
  applier: StreamApplier;
  presence: PresenceHub;
  initial: InitialSyncTracker;
  notebooks: NotebookList;
  /** Reconnect backoff after frames we refused (a server that keeps sending them is not hammered). */
  retry: BackoffPolicy;
  /** Reconnect backoff after a failed or dropped connection (capped at a few seconds). */
  reconnect: BackoffPolicy;
  random: () => number;
  /** Client `ping` period; a connection that has not answered the previous ping by then is dead. */
  heartbeatMs: number;
  notify(title: string, message: string): void;
  /** The server greeted us: send the outbox. */
  onHello(): void;
  /** A stream batch was applied (before the status is published). */
  onApplied(): void;
}

/**
 * The sync socket of one account: connects (after reconciling the notebook list), greets, heartbeats,
 * (re)subscribes every stream from its saved cursor, applies outputs through the stream applier and
 * reconnects with backoff when the connection ends or a frame is refused.
 */
export class SocketSession {
  private readonly accountId: string;
  private connectionState: Connection = 'offline';
  private socket: WebSocket | null = null;
  /** Paces the current socket's frames; replaced with each connection. */
  private pacer: FramePacer | null = null;
  private connectFailures = 0;
  /**
   * Connections in a row that ended on a frame we refused or could not apply. `hello` does not reset it (only
   * an applied output does), so a server that keeps sending bad frames is retried with growing backoff.
   */
  private frameFailures = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  /** Between `connect()` starting and its socket existing (or the attempt failing). */
  private connecting = false;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private heartbeat: HeartbeatMonitor | null = null;

  constructor(private readonly deps: SocketSessionDeps) {
    this.accountId = deps.context.replica.accountId;
  }

  get connection(): Connection {
    return this.connectionState;
  }

  /** A socket exists (it may still be greeting). */
  get open(): boolean {
    return this.socket !== null;
  }

  /** Greeted and not lost since. */
  get connected(): boolean {
    return (
      this.socket !== null && this.connectionState !== 'connecting' && this.connectionState !== 'offline'
    );
  }

  /** No connection in a row ended on a bad frame (so an error shown can be cleared). */
  get healthy(): boolean {
    return this.frameFailures === 0;
  }

  stop(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.reconnectTimer = null;
    this.heartbeatTimer = null;
    this.socket?.terminate();
    this.socket = null;
    this.pacer?.clear();
  }

  /** "Sync now" (or a wake-up): forget the reconnect backoff and connect at once if there is no socket. */
  connectNow(): void {
    this.connectFailures = 0;
    if (this.socket || this.connecting) return;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    void this.connect();
  }

  /** Drops the current socket (it reconnects with backoff), showing why. */
  reset(reason: string): void {
    this.deps.run.lastError = reason;
    console.warn(`[sync] ${this.deps.client.baseUrl}: ${reason}`);
    this.socket?.terminate();
  }

  /** Queues a frame on the current socket; a later one with the same key replaces one still waiting. */
  push(text: string, key?: string): void {
    this.pacer?.push(text, key);
  }

  async connect(): Promise<void> {
    const { run } = this.deps;
    if (run.stopped || this.socket || this.connecting) return;
    this.setConnection('connecting');
    this.connecting = true;
    let url: string;
    try {
      await this.deps.notebooks.refresh();
      url = await this.deps.client.socketUrl();
    } catch (error) {
      this.connectionLost(error instanceof Error ? error.message : String(error));
      return;
    } finally {
      this.connecting = false;
    }
    if (run.stopped || this.socket) return;
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
        run.lastError =
          error instanceof FrameError
            ? `The server sent something unexpected: ${reason}`
            : `Applying server changes failed: ${reason}`;
        console.warn(`[sync] ${this.deps.client.baseUrl}: ${run.lastError}`);
        this.frameFailures++;
        socket.terminate();
      }
    });
    socket.on('error', (error) => {
      run.lastError = cantReach(this.deps.client.baseUrl, error);
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.pacer?.clear();
      this.deps.presence.disconnected();
      if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
      this.heartbeatTimer = null;
      this.heartbeat = null;
      this.connectionLost(run.lastError ?? 'The connection closed');
    });
  }

  private connectionLost(reason: string): void {
    const { run } = this.deps;
    if (run.stopped) return;
    run.lastError = reason;
    this.setConnection('offline');
    if (run.stopped || this.reconnectTimer) return;
    const failures = this.connectFailures++;
    const delay =
      this.frameFailures > 0
        ? backoffDelay(Math.max(failures, this.frameFailures), this.deps.retry, this.deps.random)
        : backoffDelay(failures, this.deps.reconnect, this.deps.random);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
  }

  private onFrame(frame: ServerFrame): void {
    const { run } = this.deps;
    switch (frame.type) {
      case 'hello':
        this.deps.initial.connected(this.deps.clock.now());
        this.connectFailures = 0;
        if (this.frameFailures === 0) run.lastError = null;
        this.setConnection('syncing');
        this.startHeartbeat();
        this.subscribeAll();
        this.deps.onHello();
        this.deps.presence.connected();
        // The list was read before this socket existed: a membership change in between (shared, role changed,
        // removed) was pushed to no socket of ours. Asked again now that changes reach us, so nothing waits
        // for the next reconnect; only a list that differs re-sends the inputs.
        this.relist(false);
        return;
      case 'sync.output':
        return this.onOutput(frame.stream, frame.items);
      case 'sync.error': {
        run.lastError = `${frame.code}: ${frame.message}`;
        run.publish();
        // A notebook-level stream refused: ask the notebook itself before believing it is gone.
        // One of its two notebook-level streams is enough, and a notebook already known missing (404, kept)
        // is not asked again each time its inputs are re-sent.
        const refused = parseStreamKey(frame.id);
        if (
          refused?.type === StreamType.collaborations &&
          !this.deps.notebooks.isKnownMissing(refused.notebookId)
        )
          void this.deps.notebooks
            .confirmLost([refused.notebookId])
            .catch((error: unknown) =>
              console.warn(`[sync] checking notebook ${refused.notebookId}: ${String(error)}`),
            );
        return;
      }
      case 'pong':
        return;
      case 'notebooks.changed':
        // Shared with us, a role changed, removed: the list is asked again (a notebook it no longer has is
        // checked and dropped as on connect), then the new notebook's streams are asked for.
        this.relist(true);
        return;
      case 'presence':
        return this.deps.presence.onFrame(frame);
    }
  }

  private onOutput(stream: StreamSpec, items: Extract<ServerFrame, { type: 'sync.output' }>['items']): void {
    const { applier, run } = this.deps;
    // A late or repeated output of a section dropped meanwhile (deleted, or access lost: its cursors went with
    // it): applied from cursor 0 it would bring nodes back outside every tree. Not asked again either.
    if ('rootId' in stream && !applier.readableRoots(stream.notebookId).includes(stream.rootId)) return;
    const { replica, interactions } = this.deps.context;
    // Unread markers are noted in the batch's own transaction (the applier's becomes a savepoint of it).
    let unread: ReadChanges = new Map();
    const batch = replica.db.transaction(() => {
      const applied = applier.apply(stream, items, isoNow(this.deps.clock));
      if (!applied.stale) unread = interactions.recordStream(stream, items);
      return applied;
    })();
    // A duplicate or late answer: nothing new to apply. Ask again from the saved cursor all the same: a late
    // answer may have been to a late input that replaced the one for our cursor on the server.
    if (batch.stale) return this.ask(stream);
    if (this.frameFailures > 0) {
      this.frameFailures = 0;
      run.lastError = null;
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
    this.deps.initial.progressed(this.deps.clock.now());
    this.deps.initial.settle(this.deps.clock.now());
    this.deps.onApplied();
    run.publish();
  }

  private announce(batch: AppliedBatch): void {
    const { context, events, client } = this.deps;
    for (const [notebookId, ids] of batch.changedNodes)
      events.emit('node.changed', { accountId: this.accountId, notebookId, nodeIds: [...ids] });
    for (const { documentId, update } of batch.documentUpdates)
      context.documents.remoteUpdateCommitted(documentId, update);
    for (const nodeId of batch.commentsChanged)
      void context.comments.remoteChanged(nodeId).catch((error: unknown) => {
        console.warn('[sync] fetching changed comments failed:', error);
      });
    for (const deleted of batch.deletedWithChanges)
      this.deps.notify(
        'Something you changed was deleted elsewhere',
        `“${deleted.origin}” was deleted on another device or by someone else before your changes reached ${client.baseUrl}.` +
          salvageNote(deleted.salvaged, deleted.savedTo),
      );
    for (const root of batch.rootsLost) {
      this.deps.notify(
        'A section is no longer shared with you',
        `You lost access to “${root.origin}” on ${client.baseUrl}, so it was removed from this device.` +
          salvageNote(root.salvaged, root.savedTo),
      );
      events.emit('node.changed', {
        accountId: this.accountId,
        notebookId: root.notebookId,
        nodeIds: [root.rootId],
      });
    }
  }

  /**
   * Mirrors `GET /notebooks` again, then re-sends the stream inputs (`always`, or when a notebook or the user's
   * role in one is new, so newly readable roots are asked for).
   */
  private relist(always: boolean): void {
    const before = this.listKey();
    void this.deps.notebooks
      .refresh()
      .then(() => {
        if (always || this.listKey() !== before) this.resubscribe();
      })
      .catch((error: unknown) => console.warn(`[sync] refreshing notebooks: ${String(error)}`));
  }

  private listKey(): string {
    return this.deps.context.notebooks
      .list()
      .map((n) => `${n.id}:${n.role}`)
      .sort()
      .join(',');
  }

  /** Re-sends every stream input from its saved cursor if greeted (recovers lost outputs; idempotent). */
  resubscribe(): void {
    if (this.socket && this.connectionState !== 'connecting') this.subscribeAll();
  }

  /** (Re-)sends every stream input from its saved cursor. */
  private subscribeAll(): void {
    const { context, applier } = this.deps;
    for (const notebook of context.notebooks.list()) {
      this.ask({ type: StreamType.collaborations, notebookId: notebook.id });
      this.ask({ type: StreamType.users, notebookId: notebook.id });
      for (const rootId of applier.readableRoots(notebook.id))
        for (const spec of rootStreams(notebook.id, rootId)) this.ask(spec);
    }
  }

  private ask(stream: StreamSpec): void {
    this.send({
      v: PROTOCOL_VERSION,
      type: 'sync.input',
      id: streamKey(stream),
      stream,
      cursor: this.deps.applier.cursor(stream),
    });
  }

  private send(frame: ClientFrame): void {
    this.push(JSON.stringify(frame), frame.type === 'sync.input' ? frame.id : undefined);
  }

  private startHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    // Monotonic time: the app's clock can be skewed or jump (it dates edits, not timers).
    const monitor = new HeartbeatMonitor(this.deps.heartbeatMs, performance.now());
    this.heartbeat = monitor;
    this.heartbeatTimer = setInterval(() => {
      switch (monitor.tick(performance.now())) {
        case HeartbeatAction.ping:
          this.send({ v: PROTOCOL_VERSION, type: 'ping' });
          return;
        case HeartbeatAction.wait:
          return;
        case HeartbeatAction.dead:
          this.deps.run.lastError = 'The server stopped answering';
          this.socket?.terminate();
      }
    }, this.deps.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  private setConnection(connection: Connection): void {
    if (this.connectionState === connection) return;
    this.connectionState = connection;
    this.deps.run.publish();
  }
}
