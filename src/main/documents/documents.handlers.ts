import type { documentCommands } from '../../shared/contract/documents';
import type { DomainHandlers } from '../ipc/router';
import type { PresenceHub } from '../presence/presence';
import type { DocumentsService } from './documents.service';

export interface DocumentHandlerDeps {
  account(accountId: string): { documents: DocumentsService };
  /** The account's live presence (closing a page leaves it); null where there is none. */
  presence(accountId: string): PresenceHub | null;
}

export const documentHandlers = ({ account, presence }: DocumentHandlerDeps) =>
  ({
    'document.open': ({ accountId, documentId }, { senderId }) =>
      account(accountId).documents.openDocument(documentId, senderId),
    'document.update': ({ accountId, documentId, update }, { senderId }) =>
      account(accountId).documents.applyUpdate(documentId, update, senderId),
    'document.close': async ({ accountId, documentId }, { senderId }) => {
      presence(accountId)?.leave(senderId, documentId);
      await account(accountId).documents.closeDocument(documentId, senderId);
      return null;
    },
  }) satisfies DomainHandlers<typeof documentCommands>;
