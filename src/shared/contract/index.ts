import * as z from 'zod';
import { NODE_TYPES } from '../model/nodes';
import { isValidGlobalShortcut } from '../commands';
import { command, event, type CommandSpec, type EventSpec } from './define';
import type {
  AccountView,
  AppInfoView,
  CaptureDestinationsView,
  CaptureSavedView,
  DocumentOpenView,
  DocumentSaveView,
  NodeView,
  NoticeView,
  NotebookMoveView,
  NotebookView,
  OutboxEntryView,
  PresenceViewerView,
  ReactionView,
  SettingsView,
  SyncStatusView,
} from './models';

export * from './models';
export { command, event } from './define';

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id');
const name = z.string().trim().min(1, 'must not be empty').max(256);
const accountId = id;
const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'must be bytes');

/** An encoded Yjs relative position (a few dozen bytes). */
const relativePosition = bytes.refine((u) => u.length > 0 && u.length <= 256, 'must be 1–256 bytes');

/** Where a moved or created node lands among its siblings: before/after a sibling, or at the end. */
const position = z
  .object({ beforeId: id.optional(), afterId: id.optional() })
  .refine((p) => !(p.beforeId && p.afterId && p.beforeId === p.afterId), 'beforeId and afterId must differ');

export const commands = {
  'app.info': command<AppInfoView>()(() => z.object({})),
  'app.notices': command<NoticeView[]>()(() => z.object({})),
  'app.dismissNotice': command<null>()(() => z.object({ id })),

  'settings.get': command<SettingsView>()(() => z.object({})),
  'settings.update': command<SettingsView>()(() =>
    z.object({
      theme: z.enum(['system', 'light', 'dark']).optional(),
      sidebarWidth: z.number().int().min(160).max(600).optional(),
      lastOpenedNodeId: id.nullable().optional(),
      /** Desktop: quick-capture shortcut (Electron accelerator), null = none. */
      globalShortcut: z
        .string()
        .refine(isValidGlobalShortcut, 'must be a shortcut like CommandOrControl+Shift+Space')
        .nullable()
        .optional(),
      openAtLogin: z.boolean().optional(),
      closeToTray: z.boolean().optional(),
    }),
  ),

  'account.list': command<AccountView[]>()(() => z.object({})),
  /** Signs in to a Hoody Notes server: checks /health and /me, then syncs the account's notebooks. */
  'account.add': command<AccountView>()(() =>
    z.object({ serverUrl: z.string().trim().min(1).max(2_048), token: z.string().trim().min(1).max(4_096) }),
  ),
  /** Signs out and deletes the account's replica; refuses while changes are unsynced unless `force`. */
  'account.remove': command<null>()(() => z.object({ accountId, force: z.boolean().optional() })),

  'sync.status': command<SyncStatusView[]>()(() => z.object({})),
  /** Sends the outbox and reconnects now, skipping any backoff wait. */
  'sync.now': command<SyncStatusView>()(() => z.object({ accountId })),
  'sync.outbox': command<OutboxEntryView[]>()(() => z.object({ accountId })),
  /** Sends a rejected mutation again. */
  'sync.retry': command<null>()(() => z.object({ accountId, mutationId: id })),
  /** Drops a rejected mutation and its local change (the only way local content is ever reverted). */
  'sync.discard': command<null>()(() => z.object({ accountId, mutationId: id })),

  'notebook.list': command<NotebookView[]>()(() => z.object({ accountId })),
  'notebook.create': command<NotebookView>()(() =>
    z.object({ accountId, name, description: z.string().max(4_096).optional() }),
  ),
  'notebook.update': command<NotebookView>()(() =>
    z.object({
      accountId,
      notebookId: id,
      name: name.optional(),
      description: z.string().max(4_096).optional(),
    }),
  ),
  'notebook.delete': command<null>()(() => z.object({ accountId, notebookId: id })),
  /**
   * Moves a Local notebook to a server account: its tree and documents are re-created there as ordinary
   * mutations (same node ids); the Local copy is deleted only once the server confirmed all of them.
   */
  'notebook.moveToAccount': command<NotebookMoveView>()(() =>
    z.object({ accountId, notebookId: id, targetAccountId: accountId }),
  ),
  /** Moves not finished yet (they resume after a restart). */
  'notebook.moves': command<NotebookMoveView[]>()(() => z.object({})),

  'node.tree': command<NodeView[]>()(() => z.object({ accountId, notebookId: id })),
  'node.get': command<NodeView>()(() => z.object({ accountId, nodeId: id })),
  'node.create': command<NodeView>()(() =>
    z.object({
      accountId,
      notebookId: id,
      type: z.enum(NODE_TYPES),
      parentId: id.nullable(),
      name: z.string().trim().max(256),
      icon: z.string().max(64).nullable().optional(),
      position: position.optional(),
    }),
  ),
  'node.update': command<NodeView>()(() =>
    z.object({
      accountId,
      nodeId: id,
      name: z.string().trim().max(256).optional(),
      icon: z.string().max(64).nullable().optional(),
    }),
  ),
  'node.move': command<NodeView>()(() =>
    z.object({ accountId, nodeId: id, parentId: id.nullable(), position }),
  ),
  'node.trash': command<NodeView>()(() => z.object({ accountId, nodeId: id })),
  'node.restore': command<NodeView>()(() => z.object({ accountId, nodeId: id })),
  'node.purge': command<null>()(() => z.object({ accountId, nodeId: id })),
  'node.trashList': command<NodeView[]>()(() => z.object({ accountId, notebookId: id })),

  'reaction.list': command<ReactionView[]>()(() => z.object({ accountId, nodeId: id })),
  /** Adds (`on: true`) or removes the user's reaction; saved at once, sent to the server by the outbox. */
  'reaction.set': command<ReactionView[]>()(() =>
    z.object({ accountId, nodeId: id, reaction: z.string().trim().min(1).max(64), on: z.boolean() }),
  ),

  /**
   * The user opened a page (`opened`) or left it having seen it (`seen`). Saved at once, sent by the outbox;
   * a mark of the same kind for the same node still waiting there is replaced, so the outbox does not grow.
   */
  'interaction.mark': command<null>()(() =>
    z.object({ accountId, nodeId: id, kind: z.enum(['opened', 'seen']) }),
  ),
  /** Ids of the notebook's pages someone else changed since the user last opened or saw them. */
  'interaction.unread': command<string[]>()(() => z.object({ accountId, notebookId: id })),

  'document.open': command<DocumentOpenView>()(() => z.object({ accountId, documentId: id })),
  'document.update': command<DocumentSaveView>()(() =>
    z.object({ accountId, documentId: id, update: bytes.refine((u) => u.length > 0, 'must not be empty') }),
  ),
  'document.close': command<null>()(() => z.object({ accountId, documentId: id })),

  /**
   * Quick capture: appends a titled, timestamped note (TipTap JSON body) to the notebook's Inbox page (created
   * on first use), a chosen page, or today's daily note. One transaction, committed before it answers.
   */
  'capture.save': command<CaptureSavedView>()(() =>
    z.object({
      accountId,
      destination: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('inbox'), notebookId: id }),
        z.object({ kind: z.literal('daily'), notebookId: id }),
        z.object({ kind: z.literal('page'), nodeId: id }),
      ]),
      title: z.string().trim().max(256),
      body: z.object({
        type: z.literal('doc'),
        content: z.array(z.record(z.string(), z.unknown())).max(2_000),
      }),
    }),
  ),
  /** Where a quick note can go: the account's notebooks and its recently edited pages. */
  'capture.destinations': command<CaptureDestinationsView>()(() => z.object({ accountId })),

  /**
   * Live collaboration: this window views `documentId` with this selection (`null`: not focused). The page's
   * other windows on this device see it at once; server accounts also relay the device's active window to the
   * other viewers (rate-limited). Answers who else is viewing (never this window itself). A window that stops
   * reporting for a while (≈ 45 s) is taken to have left.
   */
  'presence.update': command<PresenceViewerView[]>()(() =>
    z.object({
      accountId,
      documentId: id,
      selection: z
        .object({
          anchor: z.number().int().min(0).max(100_000_000),
          head: z.number().int().min(0).max(100_000_000),
          anchorRel: relativePosition.optional(),
          headRel: relativePosition.optional(),
        })
        .nullable(),
    }),
  ),
  /** This window left the page (also implied by `document.close`). */
  'presence.leave': command<null>()(() => z.object({ accountId, documentId: id })),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;

export const events = {
  /** Something in a notebook's tree changed (create, rename, move, trash, restore, purge). */
  'node.changed': event<{ accountId: string; notebookId: string; nodeIds: string[] }>(),
  'notebook.changed': event<{ accountId: string }>(),
  /**
   * Whether these pages are unread may have changed (the user marked them here or on another device, someone
   * else changed them): reload `interaction.unread`. `origin: 'local'` is a mark the outbox must send.
   */
  'interaction.changed': event<{
    accountId: string;
    notebookId: string;
    nodeIds: string[];
    origin: 'local' | 'sync';
  }>(),
  /** An account was added or removed. */
  'account.changed': event<{ accountId: string }>(),
  /** A server account's connection, pending/rejected counts or last sync time changed. */
  'sync.status': event<SyncStatusView>(),
  /** A document received an update from another window or device; editors merge it into their Y.Doc. */
  'document.updated': event<{ accountId: string; documentId: string; update: Uint8Array; origin: string }>(),
  /**
   * Who else views a page changed (joined, moved their caret, left): the full list as the receiving window
   * sees it (each window of the page gets its own; a window is never in its own list).
   */
  'presence.changed': event<{ accountId: string; documentId: string; viewers: PresenceViewerView[] }>(),
  'settings.changed': event<SettingsView>(),
  /** Progress of a notebook move (`notebook.moveToAccount`). */
  'notebook.move': event<NotebookMoveView>(),
  'app.notice': event<NoticeView>(),
  /** Desktop: the application menu or tray asks the focused window to run a registry command (src/shared/commands.ts). */
  'ui.command': event<{ commandId: string }>(),
  /** Desktop: a deep link (`hoody-notes://open/node/<id>`) asks the main window to open a node. */
  'ui.openNode': event<{ nodeId: string }>(),
} as const satisfies Record<string, EventSpec<unknown>>;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>;
export type CommandParsedInput<N extends CommandName> = z.output<Commands[N]['input']>;
export type CommandOutput<N extends CommandName> = Exclude<Commands[N]['output'], undefined>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = Exclude<Events[E]['payload'], undefined>;

export const COMMAND_NAMES = Object.keys(commands) as CommandName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];
export const isCommandName = (value: unknown): value is CommandName =>
  typeof value === 'string' && Object.hasOwn(commands, value);
export const isEventName = (value: unknown): value is EventName =>
  typeof value === 'string' && Object.hasOwn(events, value);
