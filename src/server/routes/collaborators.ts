import type { FastifyInstance } from 'fastify';
import { NodeParams } from '../../shared/api/common';
import {
  AddCollaboratorBody,
  CollaboratorParams,
  UpdateCollaboratorBody,
} from '../../shared/api/collaborators';
import type { ServerContext } from '../context';
import { badRequest } from '../http/errors';
import { defineRoute } from '../http/route';
import { memberAccess } from '../services/access';
import { listCollaborators, setCollaborator } from '../services/collaborators';

export function collaboratorRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const base = '/notebooks/:notebookId/nodes/:nodeId/collaborators';
  defineRoute(app, ctx, {
    method: 'GET',
    url: base,
    params: NodeParams,
    handler: ({ user, params }) =>
      listCollaborators(ctx, memberAccess(ctx, user, params.notebookId), params.nodeId),
  });
  defineRoute(app, ctx, {
    method: 'POST',
    url: base,
    params: NodeParams,
    body: AddCollaboratorBody,
    status: 201,
    handler: ({ user, params, body }) => {
      const userId = body.collaboratorId ?? body.userId;
      if (userId === undefined) {
        throw badRequest('collaboratorId is required.', [
          { path: 'body.collaboratorId', message: 'required' },
        ]);
      }
      return setCollaborator(
        ctx,
        memberAccess(ctx, user, params.notebookId),
        params.nodeId,
        userId,
        body.role,
        false,
      );
    },
  });
  defineRoute(app, ctx, {
    method: 'PATCH',
    url: `${base}/:collaboratorId`,
    params: CollaboratorParams,
    body: UpdateCollaboratorBody,
    handler: ({ user, params, body }) =>
      setCollaborator(
        ctx,
        memberAccess(ctx, user, params.notebookId),
        params.nodeId,
        params.collaboratorId,
        body.role,
        true,
      ),
  });
  defineRoute(app, ctx, {
    method: 'DELETE',
    url: `${base}/:collaboratorId`,
    params: CollaboratorParams,
    handler: ({ user, params }) =>
      setCollaborator(
        ctx,
        memberAccess(ctx, user, params.notebookId),
        params.nodeId,
        params.collaboratorId,
        null,
        true,
      ),
  });
}
