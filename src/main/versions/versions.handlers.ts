import type { versionCommands } from '../../shared/contract/versions';
import type { DomainHandlers } from '../ipc/router';
import type { VersionsService } from './versions.service';

export interface VersionHandlerDeps {
  account(accountId: string): { versions: VersionsService };
}

export const versionHandlers = ({ account }: VersionHandlerDeps) =>
  ({
    'version.list': ({ accountId, nodeId }) => account(accountId).versions.list(nodeId),
    'version.get': ({ accountId, nodeId, versionId }) => account(accountId).versions.get(nodeId, versionId),
    'version.create': ({ accountId, nodeId, name, kind }) =>
      account(accountId).versions.create(nodeId, { name, kind }),
    'version.rename': ({ accountId, nodeId, versionId, name }) =>
      account(accountId).versions.rename(nodeId, versionId, name),
    'version.delete': ({ accountId, nodeId, versionId }) => {
      account(accountId).versions.delete(nodeId, versionId);
      return null;
    },
  }) satisfies DomainHandlers<typeof versionCommands>;
