import type { FastifyInstance } from 'fastify';
import { NodeParams } from '../../shared/api/common';
import {
  CommentPageQuery,
  CommentParams,
  CreateCommentBody,
  DeleteCommentQuery,
  EditCommentBody,
  ReanchorCommentBody,
  ResolveCommentBody,
} from '../../shared/api/comments';
import { ErrorCode } from '../../shared/lib/result';
import type { ServerContext } from '../context';
import { defineRoute, idempotencyKey } from '../http/route';
import { idempotentWrite } from '../services/idempotency';
import { memberAccess } from '../services/access';
import {
  changeComment,
  createComment,
  deleteComment,
  pageComments,
  toCommentOutput,
} from '../services/comments';
import { write } from '../services/notebooks';

/** The comments pages of the reference call validation failures `invalid_request`. */
const renameCode = (code: string): string => (code === ErrorCode.badRequest ? 'invalid_request' : code);

export function commentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const base = '/notebooks/:notebookId/nodes/:nodeId';
  defineRoute(app, ctx, {
    method: 'GET',
    url: `${base}/comments`,
    params: NodeParams,
    renameCode,
    query: CommentPageQuery(100),
    handler: ({ user, params, query }) => {
      const page = pageComments(ctx, memberAccess(ctx, user, params.notebookId), params.nodeId, query, false);
      return {
        comments: page.rows.map((row) => toCommentOutput(ctx, row)),
        nextCursor: page.nextCursor,
        hasMore: page.hasMore,
      };
    },
  });
  defineRoute(app, ctx, {
    method: 'GET',
    url: `${base}/comment-anchors`,
    params: NodeParams,
    renameCode,
    query: CommentPageQuery(500),
    handler: ({ user, params, query }) => {
      const page = pageComments(ctx, memberAccess(ctx, user, params.notebookId), params.nodeId, query, true);
      return {
        anchors: page.rows.map((row) => {
          const { id, anchorStatus, resolvedAt, version, ...comment } = toCommentOutput(ctx, row);
          return {
            threadId: id,
            anchor: {
              anchorType: comment.anchorType,
              anchorBlockId: comment.anchorBlockId,
              startBlockId: comment.startBlockId,
              startOffset: comment.startOffset,
              endBlockId: comment.endBlockId,
              endOffset: comment.endOffset,
              anchorQuote: comment.anchorQuote,
              anchorContextBefore: comment.anchorContextBefore,
              anchorContextAfter: comment.anchorContextAfter,
              anchorStatus,
              anchorUpdatedAt: comment.anchorUpdatedAt,
            },
            anchorStatus,
            resolvedAt,
            version,
          };
        }),
        nextCursor: page.nextCursor,
        hasMore: page.hasMore,
      };
    },
  });
  defineRoute(app, ctx, {
    method: 'POST',
    url: `${base}/comments`,
    params: NodeParams,
    renameCode,
    body: CreateCommentBody,
    status: 201,
    // With an `Idempotency-Key` (the app's own id for a comment written offline), a retry whose answer was
    // lost answers the comment made the first time instead of posting it twice.
    handler: ({ user, params, body, request }) =>
      idempotentWrite(ctx, user, idempotencyKey(request), `comments:${params.nodeId}`, body, (changes) =>
        toCommentOutput(
          ctx,
          createComment(ctx, memberAccess(ctx, user, params.notebookId), params.nodeId, body, changes),
        ),
      ),
  });
  const change = (
    url: string,
    toChange: (body: Record<string, unknown>) => Parameters<typeof changeComment>[4],
    schema: typeof EditCommentBody | typeof ResolveCommentBody | typeof ReanchorCommentBody,
    method: 'PATCH' | 'POST',
  ) =>
    defineRoute(app, ctx, {
      method,
      url,
      params: CommentParams,
      renameCode,
      body: schema,
      handler: ({ user, params, body }) => {
        const caller = memberAccess(ctx, user, params.notebookId);
        const row = write(ctx, (changes) =>
          changeComment(
            ctx,
            caller,
            params.nodeId,
            params.commentId,
            toChange(body),
            body.expectedVersion,
            changes,
          ),
        );
        return toCommentOutput(ctx, row);
      },
    });
  change(
    `${base}/comments/:commentId`,
    (body) => ({ kind: 'edit', content: String(body.content) }),
    EditCommentBody,
    'PATCH',
  );
  change(`${base}/comments/:commentId/resolve`, () => ({ kind: 'resolve' }), ResolveCommentBody, 'POST');
  // Not in the API reference: the app's Reopen (a resolved thread open again), the same body as resolve.
  change(`${base}/comments/:commentId/reopen`, () => ({ kind: 'reopen' }), ResolveCommentBody, 'POST');
  change(
    `${base}/comments/:commentId/reanchor`,
    (body) => ({ kind: 'reanchor', anchor: ReanchorCommentBody.shape.anchor.parse(body.anchor) }),
    ReanchorCommentBody,
    'POST',
  );
  defineRoute(app, ctx, {
    method: 'DELETE',
    url: `${base}/comments/:commentId`,
    params: CommentParams,
    renameCode,
    query: DeleteCommentQuery,
    handler: ({ user, params, query }) => {
      const caller = memberAccess(ctx, user, params.notebookId);
      write(ctx, (changes) =>
        deleteComment(ctx, caller, params.nodeId, params.commentId, query.expectedVersion, changes),
      );
      return { success: true };
    },
  });
}
