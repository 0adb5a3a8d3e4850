import { useMemo } from 'react';
import type { NodeView, NotebookAccessView } from '../../../shared/contract';
import { nodeCapabilities, type Capability } from '../../../shared/model/access';
import { useLiveQuery } from '../../lib/live-query';

/** What the user may do in the open notebook, as main computed it from the replica (sharing.access). */
export interface Access {
  /** False until the first answer: nothing is offered or refused on a guess. */
  loaded: boolean;
  view: NotebookAccessView | undefined;
  can(nodeId: string, capability: Capability): boolean;
  /** `can` for a node the view may not list yet: one just created here has the role it was created under. */
  canOn(node: Pick<NodeView, 'id' | 'parentId' | 'type'>, capability: Capability): boolean;
}

/** The open notebook's access, refreshed live when a role, a grant or the tree changes. */
export function useAccess(accountId: string, notebookId: string | null): Access {
  const query = useLiveQuery(
    notebookId ? `${accountId}/${notebookId}` : null,
    (api) => api.invoke('sharing.access', { accountId, notebookId: notebookId ?? '' }),
    (api, refresh) => {
      const mine = (event: { accountId: string; notebookId?: string }) =>
        event.accountId === accountId && (event.notebookId === undefined || event.notebookId === notebookId);
      const offs = [
        api.subscribe('node.changed', (event) => mine(event) && refresh()),
        api.subscribe('sharing.changed', (event) => mine(event) && refresh()),
        api.subscribe('notebook.changed', (event) => mine(event) && refresh()),
      ];
      return () => offs.forEach((off) => off());
    },
  );
  const view = query.data?.notebookId === notebookId ? query.data : undefined;
  return useMemo(() => {
    const sets = new Map(Object.entries(view?.nodes ?? {}).map(([id, n]) => [id, new Set(n.can)]));
    const can = (nodeId: string, capability: Capability): boolean =>
      sets.get(nodeId)?.has(capability) ?? false;
    return {
      loaded: view !== undefined,
      view,
      can,
      canOn: (node, capability) => {
        if (!view || sets.has(node.id)) return can(node.id, capability);
        // The creator of a section is its admin; a page gets the role on the parent it was made in (a parent
        // not listed either was just made here too: a new page in a new section).
        const parent = node.parentId === null ? undefined : view.nodes[node.parentId];
        const role = parent ? parent.role : 'admin';
        return nodeCapabilities(role, view.userId, { type: node.type, createdBy: view.userId })[capability];
      },
    };
  }, [view]);
}
