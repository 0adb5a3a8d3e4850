import type { reactionCommands } from '../../shared/contract/reactions';
import type { DomainHandlers } from '../ipc/router';
import type { ReactionsService } from './reactions.service';

export interface ReactionHandlerDeps {
  account(accountId: string): { reactions: ReactionsService };
}

export const reactionHandlers = ({ account }: ReactionHandlerDeps) =>
  ({
    'reaction.list': ({ accountId, nodeId }) => account(accountId).reactions.list(nodeId),
    'reaction.set': ({ accountId, nodeId, reaction, on }) =>
      account(accountId).reactions.set(nodeId, reaction, on),
  }) satisfies DomainHandlers<typeof reactionCommands>;
