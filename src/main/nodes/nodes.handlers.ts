import type { nodeCommands } from '../../shared/contract/nodes';
import type { DomainHandlers } from '../ipc/router';
import type { NodesService } from './nodes.service';

export interface NodeHandlerDeps {
  account(accountId: string): { nodes: NodesService };
}

export const nodeHandlers = ({ account }: NodeHandlerDeps) =>
  ({
    'node.tree': ({ accountId, notebookId }) => account(accountId).nodes.tree(notebookId),
    'node.get': ({ accountId, nodeId }) => account(accountId).nodes.get(nodeId),
    'node.create': ({ accountId, ...input }) => account(accountId).nodes.create(input),
    'node.update': ({ accountId, nodeId, ...patch }) => account(accountId).nodes.update(nodeId, patch),
    'node.byAlias': ({ accountId, notebookId, alias }) =>
      account(accountId).nodes.byAlias(notebookId ?? null, alias),
    'node.move': ({ accountId, nodeId, parentId, position }) =>
      account(accountId).nodes.move(nodeId, parentId, position),
    'node.trash': ({ accountId, nodeId }) => account(accountId).nodes.trash(nodeId),
    'node.restore': ({ accountId, nodeId }) => account(accountId).nodes.restore(nodeId),
    'node.purge': ({ accountId, nodeId }) => {
      account(accountId).nodes.purge(nodeId);
      return null;
    },
    'node.trashList': ({ accountId, notebookId }) => account(accountId).nodes.trashList(notebookId),
    'node.contents': ({ accountId, nodeId }) => account(accountId).nodes.contents(nodeId),
  }) satisfies DomainHandlers<typeof nodeCommands>;
