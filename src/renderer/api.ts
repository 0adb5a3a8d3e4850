import type { CommandName, CommandOutput, EventName, EventPayload } from '../shared/contract';
import { BRIDGE_GLOBAL, type Api, type Bridge } from '../shared/contract/transport';
import { decodeFrame, encodeFrame, type ServerFrame } from '../shared/contract/wire';
import type { ErrorEnvelope, Result } from '../shared/lib/result';

/**
 * The renderer's one way to reach the core. In Electron the preload's Bridge is on `window.hoody`; in browser
 * mode we speak the same contract over the local WebSocket. Types come from the contract only (`import type`),
 * so zod never ships to the renderer.
 */
/** `no-key`: browser mode was opened without the per-run secret, so the core will not let us in. */
export type ConnectionState = 'connected' | 'connecting' | 'disconnected' | 'no-key';

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

const unavailable = (message: string): ErrorEnvelope => ({ code: 'unavailable', message, details: [] });

export function typedApi(bridge: Bridge): Api {
  return {
    invoke: <N extends CommandName>(name: N, input: unknown) =>
      bridge.invoke(name, input) as Promise<Result<CommandOutput<N>>>,
    subscribe: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) =>
      bridge.subscribe(event, (payload) => listener(payload as EventPayload<E>)),
  };
}

/** Electron's bridge cannot drop, so its connection is always up. */
const alwaysConnected: Connection = { state: () => 'connected', onChange: () => () => undefined };

export function createClient(): Client {
  const bridge = (window as unknown as Record<string, Bridge | undefined>)[BRIDGE_GLOBAL];
  if (bridge) return { api: typedApi(bridge), connection: alwaysConnected };
  const socket = new SocketBridge(readBrowserSecret());
  return { api: typedApi(socket), connection: socket };
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

class SocketBridge implements Bridge, Connection {
  private socket: WebSocket | null = null;
  private current: ConnectionState = 'connecting';
  private nextId = 1;
  private attempt = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();

  constructor(private readonly secret: string | null) {
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
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return Promise.resolve({
        ok: false,
        error: unavailable('Not connected to the Hoody Notes core. Your change was not saved; reconnecting…'),
      });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      socket.send(encodeFrame({ t: 'invoke', id, name, input }));
    });
  }

  subscribe(event: string, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  private connect(): void {
    if (this.secret === null) {
      this.setState('no-key');
      return;
    }
    this.setState('connecting');
    const socket = new WebSocket(`ws://${location.host}/ipc?k=${encodeURIComponent(this.secret)}`);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setState('connected');
    };
    socket.onmessage = (message) => {
      if (typeof message.data === 'string') this.receive(message.data);
    };
    socket.onclose = () => {
      this.socket = null;
      this.failPending();
      this.setState('disconnected');
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    // Exponential backoff with jitter: a restarting core is not hammered, a quick blip heals fast.
    const base = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** this.attempt++);
    setTimeout(() => this.connect(), base / 2 + Math.random() * (base / 2));
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
      console.error('Hoody Notes core rejected a frame:', frame.error.message);
    }
  }

  /** Calls in flight when the socket drops get a readable error instead of hanging forever. */
  private failPending(): void {
    const error = unavailable('The connection to the Hoody Notes core was lost before it answered.');
    for (const { resolve } of this.pending.values()) resolve({ ok: false, error });
    this.pending.clear();
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
