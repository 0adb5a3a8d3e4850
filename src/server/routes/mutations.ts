import type { FastifyInstance } from 'fastify';
import { NotebookParams } from '../../shared/api/common';
import { MutationBatch } from '../../shared/model/mutations';
import type { ServerContext } from '../context';
import { defineRoute } from '../http/route';
import { applyMutations } from '../services/mutations';

export function mutationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, {
    method: 'POST',
    url: '/notebooks/:notebookId/mutations',
    params: NotebookParams,
    body: MutationBatch,
    handler: ({ user, params, body }) => applyMutations(ctx, user, params.notebookId, body.mutations),
  });
}
