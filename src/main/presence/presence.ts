import {
  PROTOCOL_VERSION,
  type ClientFrame,
  type PresenceState,
  type ServerFrame,
} from '../../shared/api/sync-protocol';
import type { CommandParsedInput, PresenceViewerView } from '../../shared/contract';
import { fromBase64, toBase64 } from '../../shared/lib/base64';
import type { EventBus } from '../core/events';

/**
 * The caret palette. Each user gets one entry, stable across devices (hash of the user id), sent as the
 * protocol's `color`; the renderer draws entry `n` with the CSS class `collab-color-<n>` (no inline styles).
 */
export const PRESENCE_PALETTE = [
  '#d9480f',
  '#2f9e44',
  '#1971c2',
  '#ae3ec9',
  '#e67700',
  '#0c8599',
  '#c2255c',
  '#5f3dc4',
] as const;

export function colorIndexOf(userId: string): number {
  let hash = 2166136261;
  for (let i = 0; i < userId.length; i++) hash = Math.imul(hash ^ userId.charCodeAt(i), 16777619);
  return (hash >>> 0) % PRESENCE_PALETTE.length;
}

export interface PresenceOptions {
  /** At most one presence frame per page this often (the latest state wins; a keystroke burst is one frame). */
  minIntervalMs: number;
  /** Unchanged state is sent again this often, so the other viewers know we are still there. */
  keepAliveMs: number;
  /** A window (or a remote viewer) not heard from for this long has left. */
  staleMs: number;
}

export const DEFAULT_PRESENCE_OPTIONS: PresenceOptions = {
  minIntervalMs: 50,
  keepAliveMs: 15_000,
  staleMs: 45_000,
};

export type LocalSelection = CommandParsedInput<'presence.update'>['selection'];
type PresenceFrame = Extract<ServerFrame, { type: 'presence' }>;

interface WindowView {
  selection: LocalSelection;
  at: number;
}

/** One page this device views: which windows, what was last sent and when. */
interface LocalPage {
  notebookId: string;
  windows: Map<string, WindowView>;
  sentText: string | null;
  sentAt: number;
  timer: ReturnType<typeof setTimeout> | null;
}

interface RemoteViewer {
  userId: string;
  state: PresenceState;
  at: number;
}

export interface PresenceDeps {
  accountId: string;
  /** Our own user on this server. */
  userId: string;
  events: EventBus;
  /** Writes a frame to the socket (paced; frames under one key replace each other while queued). */
  send(frame: ClientFrame, key: string): void;
  /** The notebook of a page in this account's replica, or null if unknown. */
  notebookOf(documentId: string): string | null;
  /** A notebook member's display name from the replica, or null. */
  userName(userId: string): string | null;
  options: PresenceOptions;
  now?: () => number;
}

/**
 * Live presence for one server account: which of its pages the local windows view (with their selections),
 * sent to the server as `presence` frames, rate-limited per page; and who else views those pages (from the
 * server's relayed frames), published as `presence.changed`. Viewers leave on `presence.leave` /
 * `document.close`, when a window stops reporting (`staleMs`), and when the socket drops (the server then
 * tells the others; we forget everyone until the server re-announces them after reconnecting).
 */
export class PresenceHub {
  private readonly pages = new Map<string, LocalPage>();
  private readonly remote = new Map<string, Map<string, RemoteViewer>>();
  private online = false;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly now: () => number;

  constructor(private readonly deps: PresenceDeps) {
    this.now = deps.now ?? Date.now;
    this.timer = setInterval(() => this.tick(), Math.min(1_000, deps.options.keepAliveMs));
    this.timer.unref();
  }

  /** A window views `documentId` with `selection`; answers the other viewers of that page. */
  update(senderId: string, documentId: string, selection: LocalSelection): PresenceViewerView[] {
    let page = this.pages.get(documentId);
    if (!page) {
      const notebookId = this.deps.notebookOf(documentId);
      if (notebookId === null) return [];
      page = { notebookId, windows: new Map(), sentText: null, sentAt: 0, timer: null };
      this.pages.set(documentId, page);
    }
    page.windows.set(senderId, { selection, at: this.now() });
    this.schedule(documentId, page);
    return this.viewers(documentId);
  }

  leave(senderId: string, documentId: string): void {
    const page = this.pages.get(documentId);
    if (!page?.windows.delete(senderId)) return;
    if (page.windows.size > 0) return this.schedule(documentId, page);
    this.drop(documentId, page);
  }

  /** A window went away without saying so (closed, crashed): it leaves every page at once. */
  leaveAll(senderId: string): void {
    for (const [documentId, page] of [...this.pages])
      if (page.windows.has(senderId)) this.leave(senderId, documentId);
  }

  viewers(documentId: string): PresenceViewerView[] {
    return [...(this.remote.get(documentId) ?? [])].map(([socketId, viewer]) => this.view(socketId, viewer));
  }

  /** The socket said hello: announce every page we view (the server then tells us who else is there). */
  connected(): void {
    this.online = true;
    for (const [documentId, page] of this.pages) {
      page.sentText = null;
      page.sentAt = 0;
      this.schedule(documentId, page);
    }
  }

  /** The socket dropped: the server forgets us, and we forget the others until it re-announces them. */
  disconnected(): void {
    this.online = false;
    for (const page of this.pages.values()) {
      if (page.timer) clearTimeout(page.timer);
      page.timer = null;
    }
    for (const documentId of [...this.remote.keys()]) {
      this.remote.delete(documentId);
      this.publish(documentId);
    }
  }

  onFrame(frame: PresenceFrame): void {
    const documentId = frame.nodeId;
    // A late frame for a page we no longer view (or never did) is of no use.
    if (!this.pages.has(documentId)) return;
    let viewers = this.remote.get(documentId);
    if (frame.state === null) {
      if (!viewers?.delete(frame.socketId)) return;
      if (viewers.size === 0) this.remote.delete(documentId);
    } else {
      if (!viewers) this.remote.set(documentId, (viewers = new Map()));
      viewers.set(frame.socketId, { userId: frame.userId, state: frame.state, at: this.now() });
    }
    this.publish(documentId);
  }

  stop(): void {
    clearInterval(this.timer);
    for (const page of this.pages.values()) if (page.timer) clearTimeout(page.timer);
    this.pages.clear();
    this.remote.clear();
  }

  /** Expires silent windows and remote viewers; re-sends unchanged state as a keep-alive. */
  tick(): void {
    const now = this.now();
    const { staleMs, keepAliveMs } = this.deps.options;
    for (const [documentId, page] of [...this.pages]) {
      for (const [senderId, view] of [...page.windows])
        if (now - view.at > staleMs) page.windows.delete(senderId);
      if (page.windows.size === 0) this.drop(documentId, page);
      else if (now - page.sentAt >= keepAliveMs) this.schedule(documentId, page, true);
    }
    for (const [documentId, viewers] of [...this.remote]) {
      let changed = false;
      for (const [socketId, viewer] of [...viewers])
        if (now - viewer.at > staleMs) changed = viewers.delete(socketId) || changed;
      if (viewers.size === 0) this.remote.delete(documentId);
      if (changed) this.publish(documentId);
    }
  }

  private schedule(documentId: string, page: LocalPage, keepAlive = false): void {
    if (!this.online || page.timer) return;
    const wait = page.sentAt + this.deps.options.minIntervalMs - this.now();
    if (wait <= 0) return this.flush(documentId, page, keepAlive);
    page.timer = setTimeout(() => {
      page.timer = null;
      this.flush(documentId, page, keepAlive);
    }, wait);
  }

  private flush(documentId: string, page: LocalPage, keepAlive: boolean): void {
    if (!this.online || this.pages.get(documentId) !== page) return;
    const state: PresenceState = { selection: toWire(latest(page)), color: this.color() };
    const name = this.deps.userName(this.deps.userId);
    if (name) state.name = name.slice(0, 128);
    const text = JSON.stringify(state);
    if (text === page.sentText && !keepAlive) return;
    page.sentText = text;
    page.sentAt = this.now();
    this.sendFrame(documentId, page.notebookId, state);
  }

  private drop(documentId: string, page: LocalPage): void {
    if (page.timer) clearTimeout(page.timer);
    this.pages.delete(documentId);
    if (this.online && page.sentText !== null) this.sendFrame(documentId, page.notebookId, null);
    if (this.remote.delete(documentId)) this.publish(documentId);
  }

  private sendFrame(documentId: string, notebookId: string, state: PresenceState | null): void {
    this.deps.send(
      { v: PROTOCOL_VERSION, type: 'presence', notebookId, nodeId: documentId, state },
      `presence:${documentId}`,
    );
  }

  private color(): string {
    return PRESENCE_PALETTE[colorIndexOf(this.deps.userId)]!;
  }

  private view(socketId: string, viewer: RemoteViewer): PresenceViewerView {
    const { state, userId } = viewer;
    const paletteIndex = state.color
      ? PRESENCE_PALETTE.findIndex((c) => c === state.color!.toLowerCase())
      : -1;
    const selection = state.selection;
    return {
      id: socketId,
      userId,
      name: state.name?.trim() || this.deps.userName(userId) || 'Someone',
      colorIndex: paletteIndex >= 0 ? paletteIndex : colorIndexOf(userId),
      selection: selection
        ? {
            anchor: selection.anchor,
            head: selection.head,
            anchorRel: decode(selection.anchorRel),
            headRel: decode(selection.headRel),
          }
        : null,
    };
  }

  private publish(documentId: string): void {
    this.deps.events.emit('presence.changed', {
      accountId: this.deps.accountId,
      documentId,
      viewers: this.viewers(documentId),
    });
  }
}

/** The selection of the window that reported last (one device is one viewer to the others). */
function latest(page: LocalPage): LocalSelection {
  let best: WindowView | null = null;
  for (const view of page.windows.values())
    if (!best || (view.selection !== null && (best.selection === null || view.at >= best.at))) best = view;
  return best?.selection ?? null;
}

function toWire(selection: LocalSelection): PresenceState['selection'] {
  if (!selection) return null;
  return {
    anchor: selection.anchor,
    head: selection.head,
    ...(selection.anchorRel ? { anchorRel: toBase64(selection.anchorRel) } : {}),
    ...(selection.headRel ? { headRel: toBase64(selection.headRel) } : {}),
  };
}

function decode(value: string | undefined): Uint8Array | null {
  if (!value) return null;
  try {
    return fromBase64(value);
  } catch {
    return null;
  }
}
