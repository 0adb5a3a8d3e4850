import type { presenceCommands } from '../../shared/contract/presence';
import type { DomainHandlers } from '../ipc/router';
import type { PresenceHub } from './presence';

export interface PresenceHandlerDeps {
  /** The account's live presence; null where there is none (the table built without a core). */
  presence(accountId: string): PresenceHub | null;
}

// Every account: the other windows of this device; server accounts also the other devices' viewers.
export const presenceHandlers = ({ presence }: PresenceHandlerDeps) =>
  ({
    'presence.update': ({ accountId, documentId, selection }, { senderId }) =>
      presence(accountId)?.update(senderId, documentId, selection) ?? [],
    'presence.leave': ({ accountId, documentId }, { senderId }) => {
      presence(accountId)?.leave(senderId, documentId);
      return null;
    },
  }) satisfies DomainHandlers<typeof presenceCommands>;
