import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { API_PREFIX, ApiErrorCode } from '../../shared/api/common';
import {
  ClientFrame,
  CloseCode,
  PROTOCOL_VERSION,
  StreamType,
  SyncLimits,
  type PresenceState,
  type ServerFrame,
  type StreamSpec,
} from '../../shared/api/sync-protocol';
import { HeartbeatAction, HeartbeatMonitor } from '../../shared/lib/heartbeat';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { NodeAction, NotebookAction, canOnNode } from '../../shared/model/permissions';
import type { ServerContext } from '../context';
import { toHttpError } from '../http/errors';
import { redactUrl } from '../http/logging';
import { nodeRoleOf, notebookAccess } from '../services/access';
import type { AccountRow } from '../storage/repository';
import type { Change } from './change-bus';
import { concerns, readStream } from './streams';
import { parseSafely } from '../../shared/lib/parse-safely';

interface ParkedInput {
  stream: StreamSpec;
  cursor: number;
}

const SOCKET_PATH = new RegExp(`^${API_PREFIX}/sockets/([A-Za-z0-9_-]{1,64})$`);

/**
 * The realtime half of sync (docs/sync-protocol.md): single-use socket ids, long-poll streams over one socket,
 * heartbeats and presence relay. Any frame it cannot accept closes that socket with a precise code; nothing a
 * client sends can throw out of here.
 */
export class SocketServer {
  private readonly pending = new Map<string, { userId: string; expiresAt: number }>();
  private readonly connections = new Set<Connection>();
  /** `${notebookId}|${nodeId}` → sockets currently viewing that page. */
  readonly viewers = new Map<string, Set<Connection>>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: SyncLimits.maxFrameBytes });
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    readonly ctx: ServerContext,
    readonly heartbeatMs: number = SyncLimits.heartbeatMs,
  ) {
    this.wss.on('error', () => undefined);
    this.heartbeat = setInterval(() => this.beat(), heartbeatMs);
    this.heartbeat.unref();
    this.unsubscribe = ctx.bus.subscribe((change) => this.onChange(change));
    ctx.metrics.gauge('notes_websocket_connections', () => this.connections.size);
  }

  /** `POST /sockets`: a one-time id, valid for SyncLimits.socketIdTtlMs. */
  issue(userId: string): string {
    const now = Date.now();
    for (const [id, entry] of this.pending) if (entry.expiresAt <= now) this.pending.delete(id);
    const id = newId(IdPrefix.socket);
    this.pending.set(id, { userId, expiresAt: now + SyncLimits.socketIdTtlMs });
    return id;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const match = SOCKET_PATH.exec((request.url ?? '').split('?')[0] ?? '');
    if (!match) return rejectUpgrade(socket, 404, 'not_found', 'Not found', 'url');
    const socketId = match[1] ?? '';
    const entry = this.pending.get(socketId);
    this.pending.delete(socketId);
    const account =
      entry && entry.expiresAt > Date.now() ? this.ctx.repo.getAccount(entry.userId) : undefined;
    if (!account) {
      this.ctx.log.info({ url: redactUrl(request.url ?? '') }, 'socket upgrade refused: unknown socket id');
      return rejectUpgrade(socket, 401, ApiErrorCode.invalidSocketId, 'Invalid socket ID', 'params.socketId');
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const connection = new Connection(this, ws, account, socketId);
      this.connections.add(connection);
      ws.on('close', () => {
        this.connections.delete(connection);
        connection.leaveAllPages();
      });
    });
  }

  private beat(): void {
    const now = performance.now();
    for (const connection of this.connections) connection.heartbeat(now);
  }

  private onChange(change: Change): void {
    for (const connection of this.connections) connection.onChange(change);
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const connection of this.connections) connection.close(CloseCode.goingAway, 'server shutting down');
    this.wss.close();
  }
}

function rejectUpgrade(socket: Duplex, status: number, code: string, message: string, path: string): void {
  const body = JSON.stringify({
    message,
    code,
    details: [{ path, message: 'Socket ID not found or expired' }],
  });
  const reason = status === 401 ? 'Unauthorized' : 'Not Found';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

class Connection {
  private readonly parked = new Map<string, ParkedInput>();
  /** Pages this socket views → its latest presence state there. */
  private readonly pages = new Map<string, PresenceState>();
  private readonly liveness: HeartbeatMonitor;
  private windowStart = Date.now();
  private framesInWindow = 0;

  constructor(
    private readonly server: SocketServer,
    private readonly ws: WebSocket,
    private readonly user: AccountRow,
    private readonly socketId: string,
  ) {
    this.liveness = new HeartbeatMonitor(server.heartbeatMs, performance.now());
    ws.on('error', () => ws.terminate());
    ws.on('pong', () => this.liveness.heard());
    ws.on('message', (data, isBinary) => {
      this.liveness.heard();
      this.onMessage(data, isBinary);
    });
    this.send({
      v: PROTOCOL_VERSION,
      type: 'hello',
      socketId,
      userId: user.id,
      heartbeatMs: server.heartbeatMs,
    });
  }

  /** A peer silent for a whole interval is cut; a late tick (this process was blocked) waits for the next. */
  heartbeat(now: number): void {
    switch (this.liveness.tick(now)) {
      case HeartbeatAction.ping:
        this.ws.ping();
        return;
      case HeartbeatAction.wait:
        return;
      case HeartbeatAction.dead:
        this.ws.terminate();
    }
  }

  close(code: number, reason: string): void {
    this.parked.clear();
    this.ws.close(code, reason);
  }

  private send(frame: ServerFrame): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (isBinary) return this.close(CloseCode.unsupportedData, 'binary frames are not supported');
    if (!this.withinRate()) return this.close(CloseCode.policyViolation, 'too many frames');
    let json: unknown;
    try {
      json = JSON.parse(rawText(data));
    } catch {
      return this.close(CloseCode.invalidPayload, 'frame is not valid JSON');
    }
    const parsed = parseSafely(ClientFrame, json);
    if (!parsed.success) return this.close(CloseCode.policyViolation, 'frame does not match the protocol');
    try {
      this.handle(parsed.data);
    } catch (error) {
      this.server.ctx.log.error(
        { err: error, frame: parsed.data.type, userId: this.user.id },
        'socket frame failed',
      );
      this.close(CloseCode.internalError, 'internal error');
    }
  }

  private withinRate(): boolean {
    const now = Date.now();
    if (now - this.windowStart >= 1_000) {
      this.windowStart = now;
      this.framesInWindow = 0;
    }
    return ++this.framesInWindow <= SyncLimits.maxFramesPerSecond;
  }

  private handle(frame: ClientFrame): void {
    switch (frame.type) {
      case 'ping':
        return this.send({
          v: PROTOCOL_VERSION,
          type: 'pong',
          ...(frame.nonce === undefined ? {} : { nonce: frame.nonce }),
        });
      case 'sync.input':
        if (!this.parked.has(frame.id) && this.parked.size >= SyncLimits.maxParkedInputs) {
          return this.close(CloseCode.policyViolation, 'too many open streams');
        }
        return this.serve(frame.id, { stream: frame.stream, cursor: Number(frame.cursor) });
      case 'presence':
        return this.presence(frame.notebookId, frame.nodeId, frame.state);
    }
  }

  /** Answers now when there are items, otherwise parks the input until a change concerns it. */
  private serve(id: string, input: ParkedInput): void {
    this.parked.delete(id);
    let items;
    try {
      items = readStream(this.server.ctx, this.user, input.stream, input.cursor);
    } catch (error) {
      const { status, envelope } = toHttpError(error);
      if (status >= 500) {
        this.server.ctx.log.error(
          { err: error, stream: input.stream, userId: this.user.id },
          'stream read failed',
        );
      }
      return this.send({
        v: PROTOCOL_VERSION,
        type: 'sync.error',
        id,
        code: envelope.code,
        message: envelope.message,
      });
    }
    if (items.length > 0)
      return this.send({ v: PROTOCOL_VERSION, type: 'sync.output', id, stream: input.stream, items });
    this.parked.set(id, input);
  }

  onChange(change: Change): void {
    if (change.stream === StreamType.users && change.userId === this.user.id)
      this.send({ v: PROTOCOL_VERSION, type: 'notebooks.changed', notebookId: change.notebookId });
    for (const [id, input] of [...this.parked]) {
      if (concerns(input.stream, this.user.id, change)) this.serve(id, input);
    }
  }

  private presence(notebookId: string, nodeId: string, state: PresenceState | null): void {
    const key = `${notebookId}|${nodeId}`;
    if (state !== null && !this.pages.has(key)) {
      if (!this.mayView(notebookId, nodeId)) {
        return this.send({
          v: PROTOCOL_VERSION,
          type: 'sync.error',
          id: `presence:${key}`,
          code: 'forbidden',
          message: 'You do not have access to this node.',
        });
      }
      let set = this.server.viewers.get(key);
      if (!set) this.server.viewers.set(key, (set = new Set()));
      // A newcomer learns who is already there.
      for (const other of set) other.announceTo(this, key, notebookId, nodeId);
      set.add(this);
    }
    if (!this.pages.has(key) && state === null) return;
    if (state !== null) this.pages.set(key, state);
    this.relay(key, notebookId, nodeId, state);
    if (state === null) this.leave(key);
  }

  private announceTo(newcomer: Connection, key: string, notebookId: string, nodeId: string): void {
    const state = this.pages.get(key);
    if (state === undefined) return;
    newcomer.send(this.presenceFrame(notebookId, nodeId, state));
  }

  private presenceFrame(notebookId: string, nodeId: string, state: PresenceState | null): ServerFrame {
    return {
      v: PROTOCOL_VERSION,
      type: 'presence',
      notebookId,
      nodeId,
      userId: this.user.id,
      socketId: this.socketId,
      state,
    };
  }

  private mayView(notebookId: string, nodeId: string): boolean {
    try {
      const access = notebookAccess(this.server.ctx, this.user, notebookId, NotebookAction.read);
      const node = this.server.ctx.repo.getNode(nodeId);
      if (!node || node.notebookId !== notebookId) return false;
      return canOnNode(nodeRoleOf(this.server.ctx, access, node), this.user.id, node, NodeAction.read)
        .allowed;
    } catch {
      return false;
    }
  }

  private relay(key: string, notebookId: string, nodeId: string, state: PresenceState | null): void {
    for (const other of this.server.viewers.get(key) ?? []) {
      if (other !== this) other.send(this.presenceFrame(notebookId, nodeId, state));
    }
  }

  private leave(key: string): void {
    this.pages.delete(key);
    const set = this.server.viewers.get(key);
    set?.delete(this);
    if (set?.size === 0) this.server.viewers.delete(key);
  }

  leaveAllPages(): void {
    for (const key of [...this.pages.keys()]) {
      const [notebookId, nodeId] = key.split('|') as [string, string];
      this.relay(key, notebookId, nodeId, null);
      this.leave(key);
    }
    this.parked.clear();
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
