import type { exportCommands } from '../../shared/contract/exports';
import type { DomainHandlers } from '../ipc/router';
import type { DocumentsService } from '../documents/documents.service';
import type { NodesService } from '../nodes/nodes.service';
import { exportPage, type ExportFiles } from './export.service';

export interface ExportHandlerDeps {
  account(accountId: string): { nodes: NodesService; documents: DocumentsService };
  /** The desktop's save dialog and PDF printing; null in browser mode. */
  files(): ExportFiles | null;
}

export const exportHandlers = ({ account, files }: ExportHandlerDeps) =>
  ({
    'export.page': ({ accountId, nodeId, format, theme }, { senderId }) => {
      const { nodes, documents } = account(accountId);
      return exportPage({ nodes, documents, files: files() }, { nodeId, format, theme }, senderId);
    },
  }) satisfies DomainHandlers<typeof exportCommands>;
