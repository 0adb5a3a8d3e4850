import { ApiErrorCode } from '../../shared/api/common';
import { ErrorCode } from '../../shared/lib/result';
import {
  canOnNode,
  canOnNotebook,
  DEFAULT_NODE_ROLE,
  NodeAction,
  NotebookAction,
} from '../../shared/model/permissions';
import { NotebookStatus } from '../../shared/model/roles';
import type { ServerContext } from '../context';
import { ApiError, forbidden } from '../http/errors';
import type { FileRow, NodeRow } from '../storage/repository';
import { nodeRoleOf, type NotebookAccess } from './access';

/**
 * Who may do what with a file. A file belongs to the page (any node with a document) it was uploaded for
 * (`documentId`), so it follows that page's permissions, not the notebook role alone: a guest given one section
 * sees only the files of the pages they can read, and a file they may not read answers 404, exactly like one
 * that does not exist (neither its name nor its page's name is ever told). A file uploaded without a page is
 * readable by members who read the whole notebook (a default node role: collaborator and up) and its uploader.
 */
export class FileAccess {
  /** Readability per page, for one caller (a list asks for many files of few pages). */
  private readonly pages = new Map<string, NodeRow | null>();

  constructor(
    private readonly ctx: ServerContext,
    readonly access: NotebookAccess,
  ) {}

  /** The file's page, when it has one that still exists in this notebook. */
  page(row: Pick<FileRow, 'documentId'>): NodeRow | undefined {
    if (row.documentId === null) return undefined;
    const node = this.ctx.repo.getNode(row.documentId);
    return node && node.notebookId === this.access.notebook.id ? node : undefined;
  }

  canRead(row: FileRow): boolean {
    if (row.notebookId !== this.access.notebook.id) return false;
    if (row.documentId === null) return this.readsWholeNotebook() || row.createdBy === this.access.user.id;
    return this.readablePage(row.documentId) !== null;
  }

  /** The readable page of that id, or null (missing, another notebook's, or hidden from the caller). */
  readablePage(pageId: string): NodeRow | null {
    const known = this.pages.get(pageId);
    if (known !== undefined) return known;
    const node = this.ctx.repo.getNode(pageId);
    const readable =
      node !== undefined &&
      node.notebookId === this.access.notebook.id &&
      canOnNode(nodeRoleOf(this.ctx, this.access, node), this.access.user.id, node, NodeAction.read).allowed
        ? node
        : null;
    this.pages.set(pageId, readable);
    return readable;
  }

  /**
   * May the caller attach a new file to `pageId` (or, with none, to the notebook)? Attaching is editing the
   * page's document. A page the caller cannot read is reported as missing.
   */
  assertCanAttach(pageId: string | null): void {
    this.assertWritable();
    if (pageId === null) {
      const decision = canOnNotebook(
        this.access.role,
        this.access.notebook.status,
        NotebookAction.uploadFile,
      );
      if (!decision.allowed) throw forbidden('Only collaborators can upload files without a page.');
      return;
    }
    const page = this.readablePage(pageId);
    if (!page) throw pageNotFound();
    const role = nodeRoleOf(this.ctx, this.access, page);
    if (!canOnNode(role, this.access.user.id, page, NodeAction.editDocument).allowed) {
      throw forbidden('You cannot add files to this page.');
    }
  }

  /** Sending bytes (PATCH): the uploader only, while they may still edit the page. */
  assertCanContinue(row: FileRow): void {
    if (!this.canRead(row)) throw fileNotFound();
    if (row.createdBy !== this.access.user.id) throw forbidden('Only the uploader can send this file.');
    this.assertCanAttach(row.documentId !== null && this.page(row) ? row.documentId : null);
  }

  /** Deleting: the uploader, or whoever may delete the page (its admins; without a page, notebook admins). */
  assertCanDelete(row: FileRow): void {
    if (!this.canRead(row)) throw fileNotFound();
    this.assertWritable();
    if (row.createdBy === this.access.user.id) return;
    const page = this.page(row);
    const allowed = page
      ? canOnNode(nodeRoleOf(this.ctx, this.access, page), this.access.user.id, page, NodeAction.delete)
          .allowed
      : canOnNotebook(this.access.role, this.access.notebook.status, NotebookAction.update).allowed;
    if (!allowed) throw forbidden('Only the uploader or an admin can delete this file.');
  }

  private readsWholeNotebook(): boolean {
    return DEFAULT_NODE_ROLE[this.access.role] !== null;
  }

  private assertWritable(): void {
    if (this.access.notebook.status !== NotebookStatus.active) {
      throw forbidden('Notebook is read-only.', ApiErrorCode.notebookReadonly);
    }
  }
}

export const fileNotFound = (): ApiError =>
  new ApiError(404, 'file_not_found', 'File not found.', [{ path: 'fileId', message: 'no such file' }]);

const pageNotFound = (): ApiError =>
  new ApiError(404, ErrorCode.notFound, 'The page this file is for was not found.', [
    { path: 'headers.upload-metadata.documentId', message: 'no such page in this notebook' },
  ]);

/** `Upload-Metadata: key base64,key base64` (TUS 1.0.0); keys without a value map to ''. Bad base64: undefined. */
export function parseUploadMetadata(header: string | undefined): Record<string, string> | undefined {
  const result: Record<string, string> = {};
  if (header === undefined || header.trim() === '') return result;
  for (const pair of header.split(',')) {
    const [key, value, ...rest] = pair.trim().split(' ');
    if (!key || rest.length > 0 || !/^[\x21-\x7e]+$/.test(key)) return undefined;
    if (value !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return undefined;
    result[key] = value === undefined ? '' : Buffer.from(value, 'base64').toString('utf8');
  }
  return result;
}

/** The page a TUS creation names (clients send `documentId`; some SDKs `nodeId`). */
export function metadataPageId(metadata: Record<string, string>): string | null {
  const value = metadata.documentId || metadata.nodeId;
  return value ? value : null;
}
