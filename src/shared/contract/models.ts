import type { NodeType } from '../model/nodes';
import type { NotebookRole } from '../model/roles';
import type { TiptapDoc } from '../crdt/document';

/** Plain data the renderer sees. Main materialises these from the replica. */

export interface AccountView {
  id: string;
  kind: 'local' | 'server';
  name: string;
  serverUrl: string | null;
}

export interface NotebookView {
  id: string;
  accountId: string;
  name: string;
  description: string;
  role: NotebookRole;
  createdAt: string;
  updatedAt: string;
}

export interface NodeView {
  id: string;
  notebookId: string;
  type: NodeType;
  parentId: string | null;
  rootId: string;
  index: string;
  name: string;
  icon: string | null;
  trashedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Local edits not yet confirmed by a server (on the Local account: until the replica folds them in). */
  pending: boolean;
}

export interface DocumentOpenView {
  documentId: string;
  /** Yjs state (confirmed + pending local updates) the editor binds to. */
  state: Uint8Array;
  /** Materialised TipTap JSON, for previews and as the first paint while the editor binds. */
  content: TiptapDoc;
  updatedAt: string;
}

export interface DocumentSaveView {
  documentId: string;
  savedAt: string;
}

export type Theme = 'system' | 'light' | 'dark';

export interface SettingsView {
  theme: Theme;
  sidebarWidth: number;
  lastOpenedNodeId: string | null;
  /** Desktop only: quick-capture global shortcut (Electron accelerator), null = none. */
  globalShortcut: string | null;
  openAtLogin: boolean;
  /** Closing the main window keeps the app in the tray. */
  closeToTray: boolean;
}

export interface NoticeView {
  id: string;
  level: 'info' | 'warning' | 'error';
  title: string;
  message: string;
  createdAt: string;
}

export interface AppInfoView {
  version: string;
  mode: 'electron' | 'browser';
  platform: 'darwin' | 'win32' | 'linux' | 'other';
  dataDir: string;
}

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

/** Moving a Local notebook to a server account (`notebook.moveToAccount`), as the progress UI shows it. */
export interface NotebookMoveView {
  /** The Local notebook being moved (it stays until the server confirmed everything). */
  notebookId: string;
  name: string;
  targetAccountId: string;
  /** The notebook created on the server account, once it exists. */
  targetNotebookId: string | null;
  phase: 'creating' | 'uploading' | 'done' | 'failed';
  /** Changes the server confirmed, of those the move sent. */
  confirmed: number;
  total: number;
  /** Why the move is stuck (server unreachable, changes refused…); it resumes by itself. */
  error: string | null;
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

/** One emoji on a node: how many people chose it, and whether the user is one of them. */
export interface ReactionView {
  reaction: string;
  count: number;
  mine: boolean;
}

/**
 * Someone else viewing the same page (live collaboration), as the editor draws it: another device's user, or
 * another window of this device.
 */
export interface PresenceViewerView {
  /** The viewer's socket (one user may view a page from several devices), or `window:<id>` for a local one. */
  id: string;
  /** Another window of this device (the same person): shown as "You (other window)"; never sent to a server. */
  local?: boolean;
  userId: string;
  name: string;
  /** Index into the fixed caret palette (`collab-color-<n>` classes), stable per user. */
  colorIndex: number;
  /** Their selection: absolute ProseMirror positions and, when sent, Yjs relative positions (preferred). */
  selection: {
    anchor: number;
    head: number;
    anchorRel: Uint8Array | null;
    headRel: Uint8Array | null;
  } | null;
}

/** A quick note was committed (`capture.save`). */
export interface CaptureSavedView {
  notebookId: string;
  /** The page the note was appended to. */
  nodeId: string;
  pageName: string;
  /** True when that page (Inbox, daily note) was created by this capture. */
  createdPage: boolean;
  savedAt: string;
}

export interface CaptureDestinationsView {
  notebooks: { id: string; name: string }[];
  /** Recently edited pages, newest first. */
  recentPages: { id: string; name: string; icon: string | null; notebookId: string; notebookName: string }[];
}
