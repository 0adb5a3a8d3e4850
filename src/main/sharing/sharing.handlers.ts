import { splitUsernames, type sharingCommands } from '../../shared/contract/sharing';
import type { DomainHandlers } from '../ipc/router';
import type { SharingService } from './sharing.service';

export interface SharingHandlerDeps {
  account(accountId: string): { sharing: SharingService };
}

export const sharingHandlers = ({ account }: SharingHandlerDeps) =>
  ({
    'sharing.access': ({ accountId, notebookId }) => account(accountId).sharing.access(notebookId),
    'sharing.members': ({ accountId, notebookId }) => account(accountId).sharing.members(notebookId),
    'sharing.people': ({ accountId, nodeId }) => account(accountId).sharing.people(nodeId),
    'sharing.setRole': ({ accountId, nodeId, userId, role }) =>
      account(accountId).sharing.setRole(nodeId, userId, role),
    'sharing.invite': ({ accountId, notebookId, usernames, role }) =>
      account(accountId).sharing.invite(
        notebookId,
        splitUsernames(usernames).map((username) => ({ username, role })),
      ),
    'sharing.setMemberRole': ({ accountId, notebookId, userId, role }) =>
      account(accountId).sharing.setMemberRole(notebookId, userId, role),
    'sharing.leave': async ({ accountId, notebookId }) => {
      await account(accountId).sharing.leave(notebookId);
      return null;
    },
  }) satisfies DomainHandlers<typeof sharingCommands>;
