import type { notebookCommands } from '../../shared/contract/notebooks';
import type { DomainHandlers } from '../ipc/router';
import type { NotebookMover } from './move-notebook';
import type { NotebooksService } from './notebooks.service';

export interface NotebookHandlerDeps {
  account(accountId: string): { notebooks: NotebooksService };
  /** Moves notebooks between accounts; null where the table is built without accounts (nothing to move). */
  mover(): NotebookMover | null;
  /** The mover, or the error that says accounts are not available here. */
  requireMover(): NotebookMover;
}

export const notebookHandlers = ({ account, mover, requireMover }: NotebookHandlerDeps) =>
  ({
    'notebook.list': ({ accountId }) => account(accountId).notebooks.list(),
    'notebook.create': ({ accountId, ...input }) => account(accountId).notebooks.add(input),
    'notebook.update': ({ accountId, notebookId, ...patch }) =>
      account(accountId).notebooks.rename(notebookId, patch),
    'notebook.delete': async ({ accountId, notebookId }) => {
      await account(accountId).notebooks.remove(notebookId);
      return null;
    },
    'notebook.moveToAccount': ({ accountId, notebookId, targetAccountId }) =>
      requireMover().start(accountId, notebookId, targetAccountId),
    'notebook.moves': () => mover()?.list() ?? [],
  }) satisfies DomainHandlers<typeof notebookCommands>;
