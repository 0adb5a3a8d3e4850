import * as Y from 'yjs';
import type * as z from 'zod';
import type { CreateVersionBody } from '../../shared/api/versions';
import { applyDocumentAsEdits } from '../../shared/crdt/apply-document';
import { normalizeDocument, type TiptapDoc } from '../../shared/crdt/document';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { NodeAction } from '../../shared/model/permissions';
import { versionsToPrune } from '../../shared/model/version-retention';
import type { ServerContext } from '../context';
import { conflict, notFound } from '../http/errors';
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
  name: row.name,
  kind: row.kind,
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
  fields: Pick<VersionRow, 'name' | 'kind'> & { id?: string },
): VersionRow {
  const row: VersionRow = {
    id: fields.id ?? newId(IdPrefix.version),
    documentId,
    notebookId: access.notebook.id,
    revision: ctx.repo.lastVersionRevision(documentId) + 1,
    content,
    createdAt: ctx.now(),
    createdBy: access.user.id,
    name: fields.name,
    kind: fields.kind,
  };
  ctx.repo.insertVersion(row);
  // Automatic snapshots are thinned as they accumulate (docs/decisions/0011-version-history.md).
  if (row.kind !== 'manual') {
    for (const id of versionsToPrune(ctx.repo.versionAges(documentId), Date.parse(row.createdAt)))
      ctx.repo.deleteVersion(id);
  }
  return row;
}

/**
 * A snapshot of the document (or of `content`, what the client saw when it took it offline). The same client
 * `id` again answers the version it made the first time, so a retried request never makes two.
 */
export function createVersion(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  body: z.output<typeof CreateVersionBody> = {},
): VersionRow {
  const { node } = nodeAccess(ctx, access, nodeId, NodeAction.manageVersions);
  const document = getDocument(ctx, access, nodeId);
  if (body.id !== undefined) {
    const existing = ctx.repo.getVersion(body.id);
    if (existing?.documentId === node.id) return existing;
    if (existing) throw conflict('That version id is taken');
  }
  const content =
    body.content === undefined ? document.content : JSON.stringify(normalizeDocument(body.content));
  return snapshot(ctx, access, document.id, content, {
    id: body.id,
    name: body.name ? body.name : null,
    kind: body.kind ?? 'manual',
  });
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

/**
 * Restore takes a snapshot of the current content (kind `restore`), then edits the document into the version's
 * content with the fewest changes (applyDocumentAsEdits): it syncs like any edit, and what others write
 * concurrently into blocks the version keeps survives the merge.
 */
export function restoreVersion(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  versionId: string,
  changes: Change[],
): VersionRow {
  nodeAccess(ctx, access, nodeId, NodeAction.manageVersions);
  const version = getVersion(ctx, access, nodeId, versionId);
  const current = getDocument(ctx, access, nodeId);
  const before = snapshot(ctx, access, current.id, current.content, { name: null, kind: 'restore' });
  const content = JSON.parse(version.content) as TiptapDoc;
  editDocument(ctx, access, nodeId, (ydoc) => editsTo(ydoc, content), changes);
  return before;
}

function editsTo(ydoc: Y.Doc, content: TiptapDoc): Uint8Array | null {
  const stateBefore = Y.encodeStateVector(ydoc);
  applyDocumentAsEdits(ydoc, normalizeDocument(content));
  return Y.encodeStateAsUpdate(ydoc, stateBefore);
}

export function renameVersion(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  versionId: string,
  name: string | null,
): VersionRow {
  nodeAccess(ctx, access, nodeId, NodeAction.manageVersions);
  const version = getVersion(ctx, access, nodeId, versionId);
  ctx.repo.renameVersion(version.id, name ? name : null);
  return { ...version, name: name ? name : null };
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
