import type { TiptapDoc } from '../../shared/crdt/document';
import { writeDocument } from '../../shared/crdt/document';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { NodeAction } from '../../shared/model/permissions';
import type { ServerContext } from '../context';
import { notFound } from '../http/errors';
import type { VersionRow } from '../storage/repository';
import type { Change } from '../sync/change-bus';
import { nodeAccess, type NotebookAccess } from './access';
import { editDocument, getDocument } from './documents';

/** Document versions: immutable snapshots of a document's content, numbered per document (1, 2, …). */
export const toVersionSummary = (row: VersionRow) => ({
  id: row.id,
  documentId: row.documentId,
  revision: row.revision,
  createdAt: row.createdAt,
  createdBy: row.createdBy,
});

export const toVersionOutput = (row: VersionRow) => ({
  ...toVersionSummary(row),
  content: JSON.parse(row.content) as TiptapDoc,
});

function snapshot(
  ctx: ServerContext,
  access: NotebookAccess,
  documentId: string,
  content: string,
): VersionRow {
  const row: VersionRow = {
    id: newId(IdPrefix.version),
    documentId,
    notebookId: access.notebook.id,
    revision: ctx.repo.lastVersionRevision(documentId) + 1,
    content,
    createdAt: ctx.now(),
    createdBy: access.user.id,
  };
  ctx.repo.insertVersion(row);
  return row;
}

export function createVersion(ctx: ServerContext, access: NotebookAccess, nodeId: string): VersionRow {
  nodeAccess(ctx, access, nodeId, NodeAction.manageVersions);
  const document = getDocument(ctx, access, nodeId);
  return snapshot(ctx, access, document.id, document.content);
}

export function listVersions(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  limit: number,
  offset: number,
) {
  const document = getDocument(ctx, access, nodeId);
  const { rows, total } = ctx.repo.listVersions(document.id, limit, offset);
  return { versions: rows.map(toVersionSummary), total };
}

export function getVersion(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  versionId: string,
): VersionRow {
  const { node } = nodeAccess(ctx, access, nodeId, NodeAction.read);
  const version = ctx.repo.getVersion(versionId);
  if (!version || version.documentId !== node.id) throw notFound('Document version not found');
  return version;
}

/** Restore writes the snapshot as a new Yjs update (it syncs like an edit) and records it as a new version. */
export function restoreVersion(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  versionId: string,
  changes: Change[],
): VersionRow {
  nodeAccess(ctx, access, nodeId, NodeAction.manageVersions);
  const version = getVersion(ctx, access, nodeId, versionId);
  const content = JSON.parse(version.content) as TiptapDoc;
  const document = editDocument(ctx, access, nodeId, (ydoc) => writeDocument(ydoc, content), changes);
  return snapshot(ctx, access, document.id, document.content);
}

export function deleteVersion(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  versionId: string,
): void {
  nodeAccess(ctx, access, nodeId, NodeAction.manageVersions);
  ctx.repo.deleteVersion(getVersion(ctx, access, nodeId, versionId).id);
}
