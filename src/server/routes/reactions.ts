import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { ApiId, IsoTimestamp, NodeParams } from '../../shared/api/common';
import type { ServerContext } from '../context';
import { badRequest } from '../http/errors';
import { defineRoute, idempotencyKey } from '../http/route';
import { memberAccess } from '../services/access';
import { idempotentWrite } from '../services/idempotency';
import { write } from '../services/notebooks';
import { listReactions, recordInteraction, setReaction } from '../services/reactions';

const ReactionText = z.string().min(1).max(64);
/** Reference body `{reaction}`, SDK guide `{emoji}`: both accepted, `reaction` wins. */
const ReactionBody = z.object({ reaction: ReactionText.optional(), emoji: ReactionText.optional() });
const ReactionParams = z.object({ notebookId: ApiId, nodeId: ApiId, reaction: ReactionText });
const InteractionBody = z.object({ seenAt: IsoTimestamp.optional(), openedAt: IsoTimestamp.optional() });

export function reactionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const base = '/notebooks/:notebookId/nodes/:nodeId';
  defineRoute(app, ctx, {
    method: 'GET',
    url: `${base}/reactions`,
    params: NodeParams,
    handler: ({ user, params }) =>
      listReactions(ctx, memberAccess(ctx, user, params.notebookId), params.nodeId),
  });
  defineRoute(app, ctx, {
    method: 'POST',
    url: `${base}/reactions`,
    params: NodeParams,
    body: ReactionBody,
    status: 201,
    handler: ({ user, params, body, request }) => {
      const reaction = body.reaction ?? body.emoji;
      if (reaction === undefined)
        throw badRequest('reaction is required.', [{ path: 'reaction', message: 'required' }]);
      const access = memberAccess(ctx, user, params.notebookId);
      const scope = `reaction:${params.notebookId}:${params.nodeId}`;
      return idempotentWrite(ctx, user, idempotencyKey(request), scope, body, (changes) => {
        const row = setReaction(ctx, access, params.nodeId, reaction, true, ctx.now(), changes);
        return { reaction: row.reaction, collaboratorId: row.collaboratorId, createdAt: row.createdAt };
      });
    },
  });
  defineRoute(app, ctx, {
    method: 'DELETE',
    url: `${base}/reactions/:reaction`,
    params: ReactionParams,
    handler: ({ user, params }) => {
      const access = memberAccess(ctx, user, params.notebookId);
      write(ctx, (changes) =>
        setReaction(ctx, access, params.nodeId, params.reaction, false, ctx.now(), changes),
      );
      return { success: true };
    },
  });
  for (const kind of ['seen', 'opened'] as const) {
    defineRoute(app, ctx, {
      method: 'POST',
      url: `${base}/interactions/${kind}`,
      params: NodeParams,
      body: InteractionBody,
      handler: ({ user, params, body, request }) => {
        const access = memberAccess(ctx, user, params.notebookId);
        const at = (kind === 'seen' ? body.seenAt : body.openedAt) ?? ctx.now();
        const scope = `interaction:${kind}:${params.notebookId}:${params.nodeId}`;
        return idempotentWrite(ctx, user, idempotencyKey(request), scope, body, (changes) => {
          const row = recordInteraction(ctx, access, params.nodeId, kind, at, changes);
          return {
            nodeId: row.nodeId,
            collaboratorId: row.collaboratorId,
            firstSeenAt: row.firstSeenAt,
            lastSeenAt: row.lastSeenAt,
            firstOpenedAt: row.firstOpenedAt,
            lastOpenedAt: row.lastOpenedAt,
          };
        });
      },
    });
  }
}
