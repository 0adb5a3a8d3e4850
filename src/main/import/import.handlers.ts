import type { importCommands } from '../../shared/contract/imports';
import type { DomainHandlers } from '../ipc/router';
import type { ImportService } from './import.service';

export interface ImportHandlerDeps {
  account(accountId: string): { imports: ImportService };
}

export const importHandlers = ({ account }: ImportHandlerDeps) =>
  ({
    'import.markdown': ({ accountId, ...input }) => account(accountId).imports.importMarkdown(input),
    'import.cancel': ({ accountId, importId }) => account(accountId).imports.cancel(importId),
  }) satisfies DomainHandlers<typeof importCommands>;
