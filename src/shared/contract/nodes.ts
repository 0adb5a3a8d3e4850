import * as z from 'zod';
import { NODE_TYPES, NodeAlias, type StoredNodeType } from '../model/nodes';
import { command, event, type CommandSpec, type EventSpec } from './define';
import { accountId, id } from './schemas';

/** A notebook's tree: sections and pages, ordering, trash. */

export interface NodeView {
  id: string;
  notebookId: string;
  /** One of ours, or a type this app does not know (shown as such, its children reachable). */
  type: StoredNodeType;
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
  /**
   * A page's alias (unique in its notebook; `hoody-notes://open/alias/<alias>` opens it), or null. Answered by
   * node.get, node.update and node.byAlias; the tree leaves it out.
   */
  alias?: string | null;
}

/** What a node holds, by type (every level below it): e.g. said when it goes to the trash. */
export interface NodeContentsView {
  counts: { type: StoredNodeType; count: number }[];
}

/** Where a moved or created node lands among its siblings: before/after a sibling, or at the end. */
const position = z
  .object({ beforeId: id.optional(), afterId: id.optional() })
  .refine((p) => !(p.beforeId && p.afterId && p.beforeId === p.afterId), 'beforeId and afterId must differ');

export const nodeCommands = {
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
      /** Pages only; null removes it. Lowercase letters and digits in words joined by dashes. */
      alias: NodeAlias.nullable().optional(),
    }),
  ),
  /** The page with this alias in the notebook (or, without one, in any notebook of the account), or null. */
  'node.byAlias': command<NodeView | null>()(() =>
    z.object({ accountId, notebookId: id.optional(), alias: NodeAlias }),
  ),
  'node.move': command<NodeView>()(() =>
    z.object({ accountId, nodeId: id, parentId: id.nullable(), position }),
  ),
  'node.trash': command<NodeView>()(() => z.object({ accountId, nodeId: id })),
  'node.restore': command<NodeView>()(() => z.object({ accountId, nodeId: id })),
  'node.purge': command<null>()(() => z.object({ accountId, nodeId: id })),
  'node.trashList': command<NodeView[]>()(() => z.object({ accountId, notebookId: id })),
  'node.contents': command<NodeContentsView>()(() => z.object({ accountId, nodeId: id })),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;

export const nodeEvents = {
  /** Something in a notebook's tree changed (create, rename, move, trash, restore, purge). */
  'node.changed': event<{ accountId: string; notebookId: string; nodeIds: string[] }>(),
} as const satisfies Record<string, EventSpec<unknown>>;
