import type { exportCommands } from '../../shared/contract/exports';
import type { DomainHandlers } from '../ipc/router';
import type { DocumentsService } from '../documents/documents.service';
import type { FilesService } from '../files/files.service';
import type { NodesService } from '../nodes/nodes.service';
import type { NotebooksService } from '../notebooks/notebooks.service';
import { exportPage, type ExportFiles } from './export.service';
import { exportTree } from './tree-export';

export interface ExportHandlerDeps {
  account(accountId: string): {
    nodes: NodesService;
    documents: DocumentsService;
    notebooks: NotebooksService;
    files: FilesService;
  };
  /** The desktop's save dialog and PDF printing; null in browser mode. */
  files(): ExportFiles | null;
}

export const exportHandlers = ({ account, files }: ExportHandlerDeps) =>
  ({
    'export.page': ({ accountId, nodeId, format, theme }, { senderId }) => {
      const { nodes, documents, files: attached } = account(accountId);
      return exportPage({ nodes, documents, attached, files: files() }, { nodeId, format, theme }, senderId);
    },
    'export.tree': ({ accountId, notebookId, nodeId }, { senderId }) => {
      const { nodes, documents, notebooks, files: stored } = account(accountId);
      return exportTree(
        { nodes, documents, notebooks, files: stored, exportFiles: files() },
        { notebookId, nodeId },
        senderId,
      );
    },
  }) satisfies DomainHandlers<typeof exportCommands>;
