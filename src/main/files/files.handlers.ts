import type { fileCommands } from '../../shared/contract/files';
import type { DomainHandlers } from '../ipc/router';
import type { FilesService } from './files.service';

export interface FileHandlerDeps {
  account(accountId: string): { files: FilesService };
}

export const fileHandlers = ({ account }: FileHandlerDeps) =>
  ({
    'file.add': ({ accountId, nodeId, name, mimeType, data }) =>
      account(accountId).files.add(nodeId, { name, mimeType, data }),
    'file.limit': ({ accountId, notebookId }) => ({
      maxBytes: account(accountId).files.maxBytes(notebookId),
    }),
    'file.list': ({ accountId, notebookId, nodeId }) => account(accountId).files.list(notebookId, nodeId),
    'file.get': ({ accountId, fileId }) => account(accountId).files.get(fileId),
    'file.download': ({ accountId, notebookId, fileId, name, size }) =>
      account(accountId).files.download(notebookId, fileId, { name, size }),
    'file.pause': ({ accountId, fileId }) => account(accountId).files.pause(fileId),
    'file.resume': ({ accountId, fileId }) => account(accountId).files.resume(fileId),
    'file.cancel': ({ accountId, fileId }) => account(accountId).files.cancel(fileId),
    'file.transfers': ({ accountId }) => account(accountId).files.transfers(),
    'file.cancelDownload': ({ accountId, fileId }) => account(accountId).files.cancelDownload(fileId),
  }) satisfies DomainHandlers<typeof fileCommands>;
