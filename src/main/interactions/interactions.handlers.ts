import type { interactionCommands } from '../../shared/contract/interactions';
import type { DomainHandlers } from '../ipc/router';
import type { InteractionsService } from './interactions.service';

export interface InteractionHandlerDeps {
  account(accountId: string): { interactions: InteractionsService };
}

export const interactionHandlers = ({ account }: InteractionHandlerDeps) =>
  ({
    'interaction.mark': ({ accountId, nodeId, kind }) => account(accountId).interactions.mark(nodeId, kind),
    'interaction.unread': ({ accountId, notebookId }) => account(accountId).interactions.unread(notebookId),
  }) satisfies DomainHandlers<typeof interactionCommands>;
