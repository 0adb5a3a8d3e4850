import { useMemo } from 'react';
import type { NodeView } from '../../../shared/contract';
import { useApi } from '../../lib/client';
import { useToasts } from '../../ui/toast';
import { displayName, type MoveTarget } from '../sidebar/tree-model';
import { describeContents } from './contents';

export interface NodeActions {
  createSection(name: string): Promise<NodeView | undefined>;
  createPage(parentId: string, after?: string): Promise<NodeView | undefined>;
  /** A database with a Status field and a table view, inside `parentId`. */
  createDatabase(parentId: string, name: string): Promise<NodeView | undefined>;
  /** A database or channel inside `parentId` (named so it can be found in the tree at once). */
  createChild(parentId: string, type: 'database' | 'channel', name: string): Promise<NodeView | undefined>;
  rename(nodeId: string, name: string): Promise<NodeView | undefined>;
  setIcon(nodeId: string, icon: string | null): Promise<NodeView | undefined>;
  move(nodeId: string, target: MoveTarget): Promise<NodeView | undefined>;
  trash(nodeId: string): Promise<NodeView | undefined>;
  restore(nodeId: string): Promise<NodeView | undefined>;
  purge(nodeId: string): Promise<null | undefined>;
}

/** Tree edits for one notebook; failures are reported to the person, never swallowed. */
export function useNodeActions(accountId: string, notebookId: string): NodeActions {
  const api = useApi();
  const { check, notify } = useToasts();
  return useMemo(
    () => ({
      createSection: async (name) =>
        check(
          await api.invoke('node.create', { accountId, notebookId, type: 'section', parentId: null, name }),
          'create the section',
        ),
      createPage: async (parentId, after) =>
        check(
          await api.invoke('node.create', {
            accountId,
            notebookId,
            type: 'page',
            parentId,
            name: '',
            ...(after ? { position: { afterId: after } } : {}),
          }),
          'create the page',
        ),
      createDatabase: async (parentId, name) =>
        check(
          await api.invoke('database.create', { accountId, notebookId, parentId, name }),
          'create the database',
        )?.node,
      createChild: async (parentId, type, name) =>
        check(
          await api.invoke('node.create', { accountId, notebookId, type, parentId, name }),
          `create the ${type}`,
        ),
      rename: async (nodeId, name) =>
        check(await api.invoke('node.update', { accountId, nodeId, name }), 'rename'),
      setIcon: async (nodeId, icon) =>
        check(await api.invoke('node.update', { accountId, nodeId, icon }), 'change the icon'),
      move: async (nodeId, target) =>
        check(await api.invoke('node.move', { accountId, nodeId, ...target }), 'move it there'),
      // Trash is one keystroke away (Delete), so it says what happened — and what went with it, records,
      // messages and items of types this app cannot show included — and offers the way back.
      trash: async (nodeId) => {
        const contents = await api.invoke('node.contents', { accountId, nodeId });
        const trashed = check(await api.invoke('node.trash', { accountId, nodeId }), 'move it to the trash');
        if (trashed) {
          const inside = contents.ok ? describeContents(contents.value) : '';
          notify(`“${displayName(trashed)}” moved to the trash${inside ? `, with ${inside}` : ''}`, {
            label: 'Undo',
            run: () =>
              void api.invoke('node.restore', { accountId, nodeId }).then((r) => check(r, 'restore it')),
          });
        }
        return trashed;
      },
      restore: async (nodeId) => check(await api.invoke('node.restore', { accountId, nodeId }), 'restore it'),
      purge: async (nodeId) =>
        check(await api.invoke('node.purge', { accountId, nodeId }), 'delete it forever'),
    }),
    [api, check, notify, accountId, notebookId],
  );
}
