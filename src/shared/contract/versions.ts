import * as z from 'zod';
import type { TiptapDoc } from '../crdt/document';
import { command, event, type CommandSpec, type EventSpec } from './define';
import { accountId, id } from './schemas';

/** A page's version history (docs/decisions/0011-version-history.md). */

export type VersionKind = 'manual' | 'auto' | 'restore' | 'import';

export interface VersionView {
  id: string;
  nodeId: string;
  name: string | null;
  kind: VersionKind;
  createdAt: string;
  createdBy: string;
  /** Who took it, as this account knows them ("You" for the user). */
  createdByName: string;
  /** Taken, renamed or deleted on this device and not yet on the server. */
  pending: boolean;
  /** Its content is on this device (opens offline). */
  available: boolean;
}

export interface VersionListView {
  versions: VersionView[];
  /** The user may save, restore and delete versions of this page (the permission table's versions.manage). */
  canManage: boolean;
  /** Server accounts: the list is the copy on this device because the server could not be reached. */
  offline: boolean;
}

export interface VersionContentView {
  version: VersionView;
  content: TiptapDoc;
}

const versionName = z.string().trim().max(256).nullable();

export const versionCommands = {
  /** The page's versions, newest first: the server's list on server accounts (this device's copy offline). */
  'version.list': command<VersionListView>()(() => z.object({ accountId, nodeId: id })),
  /** One version's content; `not_found` if it was deleted (also elsewhere), `unavailable` if offline and not here. */
  'version.get': command<VersionContentView>()(() => z.object({ accountId, nodeId: id, versionId: id })),
  /**
   * Takes a version of the page's current content now (Save version now, or `restore`/`import` just before
   * one replaces it). Saved on this device at once; server accounts send it when online, exactly once.
   */
  'version.create': command<VersionView>()(() =>
    z.object({
      accountId,
      nodeId: id,
      name: versionName.optional(),
      kind: z.enum(['manual', 'restore', 'import']).optional(),
    }),
  ),
  'version.rename': command<VersionView>()(() =>
    z.object({ accountId, nodeId: id, versionId: id, name: versionName }),
  ),
  'version.delete': command<null>()(() => z.object({ accountId, nodeId: id, versionId: id })),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;

export const versionEvents = {
  /** A page's list of versions changed (taken, renamed, deleted, or the server's list arrived). */
  'version.changed': event<{ accountId: string; nodeId: string }>(),
} as const satisfies Record<string, EventSpec<unknown>>;
