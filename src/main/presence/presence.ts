import {
  PROTOCOL_VERSION,
  type ClientFrame,
  type PresenceState,
  type ServerFrame,
} from '../../shared/api/sync-protocol';
import type { CommandParsedInput, PresenceViewerView } from '../../shared/contract';
import { fromBase64, toBase64 } from '../../shared/lib/base64';
import type { EventBus } from '../lib/events';
import { notebookOfNode } from '../nodes/nodes.repository';
import type { Replica } from '../replica/replica';

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

/** How another window of this device is labelled on a window's viewer list and caret. */
export const OTHER_WINDOW_NAME = 'You (other window)';

/** One window (IPC sender: Electron window, browser tab) viewing a page. */
interface WindowView {
  selection: LocalSelection;
  /** The selection serialised, to tell a move from a keep-alive. */
  key: string;
  /** When it last reported (a silent window is gone after `staleMs`). */
  heardAt: number;
  /** Order of its last change of selection among all windows: the highest one is the active window. */
  changed: number;
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
  /** Our own user (on this server, or the Local account's user). */
  userId: string;
  events: EventBus;
  /**
   * Writes a frame to the server's socket (paced; frames under one key replace each other while queued).
   * Absent when there is no server (the Local account, a server account that cannot sign in): the windows of
   * this device still see each other.
   */
  send?(frame: ClientFrame, key: string): void;
  /** The notebook of a page in this account's replica, or null if unknown. */
  notebookOf(documentId: string): string | null;
  /** A notebook member's display name from the replica, or null. */
  userName(userId: string): string | null;
  options: PresenceOptions;
  now?: () => number;
}

/**
 * Live presence for one account, in two layers:
 *
 * - **Windows of this device.** Every window (IPC sender) that views a page keeps its own selection here.
 *   Each window gets its own `presence.changed` (a targeted event): the remote viewers plus the page's other
 *   local windows, labelled "You (other window)" — never its own caret. A window that moves its caret, leaves,
 *   goes silent (`staleMs`) or goes away (`leaveAll`) is shown to / removed from the others at once, with or
 *   without a server.
 * - **The server** (when `send` is given): one presence per device per page, as the protocol has one viewer
 *   per socket. It carries the selection of the *active* window — the one whose selection changed last, a
 *   focused one before any unfocused (`null`) one — because that is where the person is working; keep-alives
 *   from a background window do not take it over. Frames are rate-limited per page; remote frames become
 *   viewers of every local window of the page. Remote viewers leave when the server says so, after `staleMs`
 *   and all at once when the socket drops (the server re-announces them after we rejoin).
 */
export class PresenceHub {
  private readonly pages = new Map<string, LocalPage>();
  private readonly remote = new Map<string, Map<string, RemoteViewer>>();
  private online = false;
  private sequence = 0;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly now: () => number;

  constructor(private readonly deps: PresenceDeps) {
    this.now = deps.now ?? Date.now;
    this.timer = setInterval(() => this.tick(), Math.min(1_000, deps.options.keepAliveMs));
    this.timer.unref();
  }

  /** A window views `documentId` with `selection`; answers that window's other viewers of the page. */
  update(senderId: string, documentId: string, selection: LocalSelection): PresenceViewerView[] {
    let page = this.pages.get(documentId);
    if (!page) {
      const notebookId = this.deps.notebookOf(documentId);
      if (notebookId === null) return [];
      page = { notebookId, windows: new Map(), sentText: null, sentAt: 0, timer: null };
      this.pages.set(documentId, page);
    }
    const key = JSON.stringify(toWire(selection));
    const known = page.windows.get(senderId);
    if (known?.key === key) known.heardAt = this.now();
    else {
      page.windows.set(senderId, { selection, key, heardAt: this.now(), changed: ++this.sequence });
      this.publish(documentId, senderId);
    }
    this.schedule(documentId, page);
    return this.viewers(documentId, senderId);
  }

  leave(senderId: string, documentId: string): void {
    const page = this.pages.get(documentId);
    if (!page?.windows.delete(senderId)) return;
    if (page.windows.size === 0) return this.drop(documentId, page);
    this.publish(documentId);
    this.schedule(documentId, page);
  }

  /** A window went away without saying so (closed, crashed): it leaves every page at once. */
  leaveAll(senderId: string): void {
    for (const [documentId, page] of [...this.pages])
      if (page.windows.has(senderId)) this.leave(senderId, documentId);
  }

  /** Who `senderId` sees on the page: the remote viewers, then this device's other windows. */
  viewers(documentId: string, senderId: string): PresenceViewerView[] {
    const remote = [...(this.remote.get(documentId) ?? [])].map(([socketId, viewer]) =>
      this.view(socketId, viewer),
    );
    const local = [...(this.pages.get(documentId)?.windows ?? [])]
      .filter(([other]) => other !== senderId)
      .map(([other, window]) => this.localView(other, window));
    return [...remote, ...local];
  }

  /** The socket said hello: announce every page we view (the server then tells us who else is there). */
  connected(): void {
    this.online = this.deps.send !== undefined;
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
      let left = false;
      for (const [senderId, view] of [...page.windows])
        if (now - view.heardAt > staleMs) left = page.windows.delete(senderId) || left;
      if (page.windows.size === 0) this.drop(documentId, page);
      else {
        if (left) this.publish(documentId);
        if (left || now - page.sentAt >= keepAliveMs) this.schedule(documentId, page, !left);
      }
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
    const state: PresenceState = { selection: toWire(active(page)), color: this.color() };
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
    // No window of ours is left on the page, so nobody is told: the remote viewers are simply forgotten.
    this.remote.delete(documentId);
  }

  private sendFrame(documentId: string, notebookId: string, state: PresenceState | null): void {
    this.deps.send?.(
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

  private localView(senderId: string, window: WindowView): PresenceViewerView {
    const { selection } = window;
    return {
      id: `window:${senderId}`,
      local: true,
      userId: this.deps.userId,
      name: OTHER_WINDOW_NAME,
      colorIndex: colorIndexOf(this.deps.userId),
      selection: selection
        ? {
            anchor: selection.anchor,
            head: selection.head,
            anchorRel: selection.anchorRel ?? null,
            headRel: selection.headRel ?? null,
          }
        : null,
    };
  }

  /**
   * Tells every window on the page (but `except`, which just got its answer) whom it sees now. One event per
   * window, because each one's list leaves itself out.
   */
  private publish(documentId: string, except: string | null = null): void {
    for (const senderId of this.pages.get(documentId)?.windows.keys() ?? []) {
      if (senderId === except) continue;
      this.deps.events.emitTo(senderId, 'presence.changed', {
        accountId: this.deps.accountId,
        documentId,
        viewers: this.viewers(documentId, senderId),
      });
    }
  }
}

/**
 * What the server is told for the device: the active window's selection — the latest change among windows
 * that have one (focused), else `null` (no window of ours is focused on the page).
 */
function active(page: LocalPage): LocalSelection {
  let best: WindowView | null = null;
  for (const view of page.windows.values())
    if (view.selection !== null && (!best || view.changed > best.changed)) best = view;
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

/**
 * The hub of an account that has no sync engine (the Local account, or a server account that cannot sign
 * in): no server, so it only shows this device's windows to each other.
 */
export function devicePresenceHub(
  replica: Replica,
  accountId: string,
  events: EventBus,
  options: PresenceOptions,
): PresenceHub {
  return new PresenceHub({
    accountId,
    userId: replica.userId,
    events,
    notebookOf: (documentId) => notebookOfNode(replica.db, documentId),
    userName: () => null,
    options,
  });
}
