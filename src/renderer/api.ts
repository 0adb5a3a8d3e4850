import type { CommandName, CommandOutput, EventName, EventPayload } from '../shared/contract';
import { BRIDGE_GLOBAL, type Api, type Bridge } from '../shared/contract/transport';
import {
  MAX_FRAME_BYTES,
  WIRE_VERSION,
  decodeFrame,
  encodeFrame,
  type ServerFrame,
} from '../shared/contract/wire';
import type { ErrorEnvelope, Result } from '../shared/lib/result';

/**
 * The renderer's one way to reach the core. In Electron the preload's Bridge is on `window.hoody`; in browser
 * mode we speak the same contract over the local WebSocket. Types come from the contract only (`import type`),
 * so zod never ships to the renderer.
 */
/**
 * `disconnected`: the socket to the core dropped (or never came up) and we are reconnecting with backoff.
 * `no-key`: browser mode was opened without the access key, so the core will not let us in.
 * `key-refused`: the core on this address answers but no longer accepts this tab's key (it was started with a
 * new one, or it is another core); we keep trying in case the right one comes back.
 */
export type ConnectionState = 'connected' | 'connecting' | 'disconnected' | 'no-key' | 'key-refused';

export interface Connection {
  state(): ConnectionState;
  /** Called on every state change; returns an unsubscribe function. */
  onChange(listener: (state: ConnectionState) => void): () => void;
}

export interface Client {
  api: Api;
  connection: Connection;
}

const SECRET_KEY = 'hoody.browserSecret';
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;
/** A `hello` goes to the core this often; a socket that has said nothing for `SILENT_MS` is given up. */
const HEARTBEAT_MS = 10_000;
const SILENT_MS = 25_000;

const unavailable = (message: string): ErrorEnvelope => ({ code: 'unavailable', message, details: [] });

const MIB = 1024 * 1024;
/** UTF-8 size of a frame; only counted when its length alone does not settle it (frames are mostly ASCII). */
const frameBytes = (text: string): number =>
  text.length * 3 <= MAX_FRAME_BYTES ? text.length : new TextEncoder().encode(text).byteLength;
const tooLarge = (text: string): ErrorEnvelope => ({
  code: 'payload_too_large',
  message: `This change is too large to send to the app core (${Math.ceil(frameBytes(text) / MIB)} MB, at most ${MAX_FRAME_BYTES / MIB} MB at once)`,
  details: [],
});

export function typedApi(bridge: Bridge): Api {
  return {
    invoke: <N extends CommandName>(name: N, input: unknown) =>
      bridge.invoke(name, input) as Promise<Result<CommandOutput<N>>>,
    subscribe: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) =>
      bridge.subscribe(event, (payload) => listener(payload as EventPayload<E>)),
  };
}

/** Browser mode (a tab talking to the core over a socket), not an Electron window. */
export const isBrowserMode = (): boolean =>
  !(window as unknown as Record<string, Bridge | undefined>)[BRIDGE_GLOBAL];

/** Electron's bridge cannot drop, so its connection is always up. */
const alwaysConnected: Connection = { state: () => 'connected', onChange: () => () => undefined };

export function createClient(): Client {
  const bridge = (window as unknown as Record<string, Bridge | undefined>)[BRIDGE_GLOBAL];
  if (bridge) return { api: typedApi(bridge), connection: alwaysConnected };
  const socket = new SocketBridge(readBrowserSecret());
  return { api: typedApi(socket), connection: socket };
}

/**
 * The address of a file's bytes on our own origin (`app://` in Electron; browser mode's HTTP server, which wants
 * the tab's key in the query since an `<img>` sends no header).
 */
export function fileUrl(accountId: string, notebookId: string, fileId: string): string {
  const path = `/files/${encodeURIComponent(accountId)}/${encodeURIComponent(notebookId)}/${encodeURIComponent(fileId)}`;
  if ((window as unknown as Record<string, unknown>)[BRIDGE_GLOBAL]) return path;
  const key = sessionStorage.getItem(SECRET_KEY);
  return key ? `${path}?k=${encodeURIComponent(key)}` : path;
}

/**
 * Browser mode opens at `/#k=<secret>`. We take the secret out of the address bar (so it is not shared by a
 * copied URL or a screenshot) and keep it for this tab only, so a reload still connects.
 */
function readBrowserSecret(): string | null {
  const match = /(?:^#|&)k=([^&]+)/.exec(location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(SECRET_KEY, match[1]);
    history.replaceState(null, '', location.pathname + location.search);
    return match[1];
  }
  return sessionStorage.getItem(SECRET_KEY);
}

interface Pending {
  resolve(result: Result<unknown>): void;
}

/**
 * Browser mode's transport: the contract over `ws://<host>/ipc?k=<key>`. The socket can drop (the core was
 * stopped, restarted or crashed, the machine slept): then every call in flight fails at once with a readable
 * `unavailable` error (a call while disconnected too), and we reconnect with growing, jittered delays (at once
 * when the tab is shown again). Event listeners live here, not on the socket, so they keep working on the new
 * one; what was missed meanwhile is reloaded by whoever listens to the connection state (live queries reload,
 * open documents resync). A heartbeat (`hello` → `welcome`) finds a socket that is open but dead.
 */
class SocketBridge implements Bridge, Connection {
  private socket: WebSocket | null = null;
  private current: ConnectionState = 'connecting';
  private nextId = 1;
  private attempt = 0;
  private heardAt = 0;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();

  constructor(private readonly secret: string | null) {
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && this.reconnectTimer) this.reconnectNow();
    });
    // The network or the user is back: a socket waiting out its backoff tries now.
    for (const event of ['online', 'focus'])
      window.addEventListener(event, () => {
        if (this.reconnectTimer) this.reconnectNow();
      });
    this.connect();
  }

  state(): ConnectionState {
    return this.current;
  }

  onChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  invoke(name: string, input: unknown): Promise<Result<unknown>> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN || this.current !== 'connected') {
      return Promise.resolve({
        ok: false,
        error: unavailable('Not connected to the Hoody Notes core (reconnecting…).'),
      });
    }
    const id = this.nextId++;
    const text = encodeFrame({ t: 'invoke', id, name, input });
    // The core would close the socket on it (and again on every resend): refuse it here, with the reason.
    if (frameBytes(text) > MAX_FRAME_BYTES) return Promise.resolve({ ok: false, error: tooLarge(text) });
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      socket.send(text);
    });
  }

  subscribe(event: string, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  private connect(): void {
    this.reconnectTimer = null;
    if (this.secret === null) {
      this.setState('no-key');
      return;
    }
    if (this.current !== 'disconnected' && this.current !== 'key-refused') this.setState('connecting');
    const socket = new WebSocket(`ws://${location.host}/ipc?k=${encodeURIComponent(this.secret)}`);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.heardAt = Date.now();
      this.heartbeat = setInterval(() => this.beat(socket), HEARTBEAT_MS);
      this.setState('connected');
    };
    socket.onmessage = (message) => {
      this.heardAt = Date.now();
      if (typeof message.data === 'string') this.receive(message.data);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.lost(opened);
    };
  }

  /** Sends the heartbeat; a socket silent for too long is dropped (its close might never come). */
  private beat(socket: WebSocket): void {
    if (this.socket !== socket) return;
    if (Date.now() - this.heardAt > SILENT_MS) {
      socket.onclose = null;
      socket.close();
      this.lost(true);
      return;
    }
    socket.send(encodeFrame({ t: 'hello', v: WIRE_VERSION }));
  }

  private lost(wasOpen: boolean): void {
    this.socket = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.failPending();
    if (wasOpen || this.current === 'connecting') this.setState('disconnected');
    // A socket that never opened: is the core gone, or does it refuse our key? Only HTTP can tell.
    if (!wasOpen) void this.checkKey();
    this.scheduleReconnect();
  }

  private async checkKey(): Promise<void> {
    try {
      const response = await fetch(`/ipc?k=${encodeURIComponent(this.secret ?? '')}`, {
        method: 'HEAD',
        cache: 'no-store',
      });
      if (this.current === 'connected') return;
      this.setState(response.status === 403 ? 'key-refused' : 'disconnected');
    } catch {
      if (this.current !== 'connected') this.setState('disconnected');
    }
  }

  private scheduleReconnect(): void {
    // Exponential backoff with jitter: a restarting core is not hammered, a quick blip heals fast.
    const base = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** this.attempt++);
    this.reconnectTimer = setTimeout(() => this.connect(), base / 2 + Math.random() * (base / 2));
  }

  private reconnectNow(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.connect();
  }

  private receive(text: string): void {
    let frame: ServerFrame;
    try {
      frame = decodeFrame(text) as ServerFrame;
    } catch {
      return;
    }
    if (frame.t === 'result') {
      this.pending.get(frame.id)?.resolve(frame.result);
      this.pending.delete(frame.id);
    } else if (frame.t === 'event') {
      for (const listener of this.listeners.get(frame.name) ?? []) listener(frame.payload);
    } else if (frame.t === 'error') {
      // A frame the core could not take: the call that sent it fails now, with the core's reason.
      const pending = frame.id === undefined ? undefined : this.pending.get(frame.id);
      if (pending && frame.id !== undefined) {
        this.pending.delete(frame.id);
        pending.resolve({ ok: false, error: frame.error });
      } else console.error('Hoody Notes core rejected a frame:', frame.error.message);
    }
  }

  /** Calls in flight when the socket drops get a readable error instead of hanging forever. */
  private failPending(): void {
    const error = unavailable(
      'The connection to the Hoody Notes core was lost before it answered, so this may not have been done.',
    );
    for (const { resolve } of this.pending.values()) resolve({ ok: false, error });
    this.pending.clear();
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
