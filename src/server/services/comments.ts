import type { CommentAnchorInput, CommentOutput } from '../../shared/api/comments';
import { StreamType } from '../../shared/api/sync-protocol';
import type { TiptapNode } from '../../shared/crdt/document';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { ErrorCode } from '../../shared/lib/result';
import { canOnNode, NodeAction } from '../../shared/model/permissions';
import type { ServerContext } from '../context';
import { ApiError, badRequest, forbidden, notFound } from '../http/errors';
import type { CommentRow } from '../storage/repository';
import type { Change } from '../sync/change-bus';
import { nodeAccess, type NodeAccess, type NotebookAccess } from './access';

/**
 * Comment threads on documents. A thread is a root comment with an anchor (whole document, a block, or a text
 * range); replies point at the root with `parentId`. Every change bumps `version`, and mutating calls may send
 * `expectedVersion` for optimistic concurrency (409 `version_conflict`).
 */

export function toCommentOutput(ctx: ServerContext, row: CommentRow): CommentOutput {
  const anchor = row.anchor === null ? null : (JSON.parse(row.anchor) as CommentAnchorInput);
  const range = anchor?.type === 'text-range' ? anchor : undefined;
  const blockId = anchor?.type === 'block' ? anchor.blockId : (range?.startBlockId ?? null);
  return {
    id: row.id,
    documentId: row.documentId,
    parentId: row.parentId,
    anchorBlockId: blockId,
    anchorType: anchor?.type ?? null,
    startBlockId: range?.startBlockId ?? blockId,
    startOffset: range?.startOffset ?? null,
    endBlockId: range?.endBlockId ?? blockId,
    endOffset: range?.endOffset ?? null,
    anchorQuote: range?.quote ?? null,
    anchorContextBefore: range?.contextBefore ?? null,
    anchorContextAfter: range?.contextAfter ?? null,
    anchorStatus: row.anchorStatus,
    anchorUpdatedAt: row.anchorUpdatedAt,
    version: row.version,
    content: row.content,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    createdByName: ctx.repo.getAccount(row.createdBy)?.name ?? row.createdBy,
    updatedAt: row.updatedAt,
    resolvedAt: row.resolvedAt,
    resolvedBy: row.resolvedBy,
  };
}

function blockIdsOf(ctx: ServerContext, documentId: string): Set<string> {
  const ids = new Set<string>();
  const document = ctx.repo.getDocument(documentId);
  const visit = (node: TiptapNode) => {
    if (typeof node.attrs?.id === 'string') ids.add(node.attrs.id);
    node.content?.forEach(visit);
  };
  if (document) visit(JSON.parse(document.content) as TiptapNode);
  return ids;
}

/** Anchored blocks must exist in the current document (409 when they were deleted). */
function checkAnchor(ctx: ServerContext, documentId: string, anchor: CommentAnchorInput): void {
  if (anchor.type === 'document') return;
  const ids = blockIdsOf(ctx, documentId);
  const wanted: [string, string][] =
    anchor.type === 'block'
      ? [['anchor.blockId', anchor.blockId]]
      : [
          ['anchor.startBlockId', anchor.startBlockId],
          ['anchor.endBlockId', anchor.endBlockId],
        ];
  for (const [path, id] of wanted) {
    if (!ids.has(id))
      throw new ApiError(409, ErrorCode.conflict, 'Conflict', [
        { path, message: 'Anchor block has been deleted' },
      ]);
  }
}

function loadComment(ctx: ServerContext, access: NodeAccess, commentId: string): CommentRow {
  const comment = ctx.repo.getComment(commentId);
  if (!comment || comment.documentId !== access.node.id) {
    throw new ApiError(404, ErrorCode.notFound, 'Not found', [
      { path: 'commentId', message: 'Comment does not exist on this node' },
    ]);
  }
  return comment;
}

function checkVersion(comment: CommentRow, expected: number | undefined): void {
  if (expected !== undefined && expected !== comment.version) {
    throw new ApiError(409, ErrorCode.versionConflict, 'Version conflict', [
      { path: 'expectedVersion', message: `Expected version ${expected}, found ${comment.version}` },
    ]);
  }
}

/** The page's comments changed: its `node.comments` item moves to a new revision, parked streams are woken. */
function commentsChanged(ctx: ServerContext, node: NodeAccess, changes: Change[]): void {
  ctx.repo.upsertCommentActivity({
    nodeId: node.node.id,
    rootId: node.node.rootId,
    notebookId: node.node.notebookId,
    changedAt: ctx.now(),
    revision: ctx.repo.nextRevision(),
  });
  changes.push({
    notebookId: node.node.notebookId,
    stream: StreamType.nodeComments,
    rootId: node.node.rootId,
  });
}

const mayModerate = (access: NodeAccess): boolean =>
  canOnNode(access.nodeRole, access.user.id, access.node, NodeAction.moderateComments).allowed;

export function createComment(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  input: {
    content: string;
    parentId?: string | undefined;
    anchorBlockId?: string | undefined;
    anchor?: CommentAnchorInput | undefined;
  },
  changes: Change[],
): CommentRow {
  const node = nodeAccess(ctx, access, nodeId, NodeAction.comment);
  let anchor: CommentAnchorInput | null =
    input.anchor ?? (input.anchorBlockId ? { type: 'block', blockId: input.anchorBlockId } : null);
  if (input.parentId !== undefined) {
    const parent = loadComment(ctx, node, input.parentId);
    if (parent.parentId !== null)
      throw badRequest('Replies attach to the root comment of a thread.', [
        { path: 'parentId', message: 'not a thread root' },
      ]);
    if (anchor !== null)
      throw badRequest('Replies share their thread anchor.', [
        { path: 'anchor', message: 'not allowed on replies' },
      ]);
  } else {
    anchor ??= { type: 'document' };
    checkAnchor(ctx, node.node.id, anchor);
  }
  const now = ctx.now();
  const row: CommentRow = {
    seq: 0,
    id: newId(IdPrefix.comment),
    documentId: node.node.id,
    notebookId: access.notebook.id,
    parentId: input.parentId ?? null,
    anchor: anchor === null ? null : JSON.stringify(anchor),
    anchorStatus: anchor === null ? null : 'active',
    anchorUpdatedAt: anchor === null ? null : now,
    version: 1,
    content: input.content,
    createdAt: now,
    createdBy: access.user.id,
    updatedAt: null,
    resolvedAt: null,
    resolvedBy: null,
  };
  ctx.repo.insertComment(row);
  commentsChanged(ctx, node, changes);
  return row;
}

type CommentChange =
  | { kind: 'edit'; content: string }
  | { kind: 'resolve' }
  | { kind: 'reopen' }
  | { kind: 'reanchor'; anchor: CommentAnchorInput };

/** Edit (author only), resolve and reopen (anyone who may comment), re-anchor (thread roots; author or admin). */
export function changeComment(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  commentId: string,
  change: CommentChange,
  expectedVersion: number | undefined,
  changes: Change[],
): CommentRow {
  const node = nodeAccess(ctx, access, nodeId, NodeAction.comment);
  const comment = loadComment(ctx, node, commentId);
  checkVersion(comment, expectedVersion);
  const now = ctx.now();
  const next: CommentRow = { ...comment, version: comment.version + 1, updatedAt: now };
  if (change.kind === 'edit') {
    if (comment.createdBy !== access.user.id) throw forbidden('Only the author can edit a comment.');
    next.content = change.content;
  } else if (change.kind === 'resolve') {
    next.resolvedAt = now;
    next.resolvedBy = access.user.id;
  } else if (change.kind === 'reopen') {
    next.resolvedAt = null;
    next.resolvedBy = null;
  } else {
    if (comment.parentId !== null)
      throw badRequest('Only a thread root has an anchor.', [{ path: 'commentId', message: 'reply' }]);
    if (comment.createdBy !== access.user.id && !mayModerate(node)) throw forbidden();
    checkAnchor(ctx, node.node.id, change.anchor);
    next.anchor = JSON.stringify(change.anchor);
    next.anchorStatus = 'active';
    next.anchorUpdatedAt = now;
  }
  ctx.repo.updateComment(next);
  commentsChanged(ctx, node, changes);
  return next;
}

/** Deletes a comment and, for a thread root, its replies (author or node admin). */
export function deleteComment(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  commentId: string,
  expectedVersion: number | undefined,
  changes: Change[],
): void {
  const node = nodeAccess(ctx, access, nodeId, NodeAction.comment);
  const comment = loadComment(ctx, node, commentId);
  checkVersion(comment, expectedVersion);
  if (comment.createdBy !== access.user.id && !mayModerate(node)) throw forbidden();
  ctx.repo.deleteComment(comment.id);
  commentsChanged(ctx, node, changes);
}

const encodeCursor = (seq: number): string => Buffer.from(`c:${seq}`).toString('base64url');
function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^c:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match)
    throw new ApiError(400, 'invalid_cursor', 'Invalid cursor', [
      { path: 'cursor', message: 'Cursor is malformed or expired' },
    ]);
  return Number(match[1]);
}

/** One page in creation order; `nextCursor` continues after the last item. */
export function pageComments(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  page: { limit: number; offset: number; cursor?: string | undefined },
  rootsOnly: boolean,
): { rows: CommentRow[]; nextCursor: string | null; hasMore: boolean } {
  const { node } = nodeAccess(ctx, access, nodeId, NodeAction.read);
  if (node.type !== 'page' && node.type !== 'record') throw notFound('Not found');
  const after = decodeCursor(page.cursor);
  const rows = ctx.repo.listComments(node.id, after, page.offset, page.limit + 1, rootsOnly);
  const hasMore = rows.length > page.limit;
  const visible = rows.slice(0, page.limit);
  const last = visible.at(-1);
  return { rows: visible, hasMore, nextCursor: hasMore && last ? encodeCursor(last.seq) : null };
}

/** Every comment of a document in creation order (export appendices). */
export const allComments = (ctx: ServerContext, documentId: string): CommentRow[] =>
  ctx.repo.listComments(documentId, 0, 0, 1_000_000, false);
