import type { FastifyInstance } from 'fastify';
import { NodeParams } from '../../shared/api/common';
import {
  AddCollaboratorBody,
  CollaboratorParams,
  UpdateCollaboratorBody,
} from '../../shared/api/collaborators';
import { NotebookAction } from '../../shared/model/permissions';
import type { ServerContext } from '../context';
import { badRequest } from '../http/errors';
import { defineRoute } from '../http/route';
import { notebookAccess } from '../services/access';
import { listCollaborators, setCollaborator } from '../services/collaborators';

export function collaboratorRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const base = '/notebooks/:notebookId/nodes/:nodeId/collaborators';
  const access = (user: Parameters<typeof notebookAccess>[1], notebookId: string) =>
    notebookAccess(ctx, user, notebookId, NotebookAction.read);
  defineRoute(app, ctx, {
    method: 'GET',
    url: base,
    params: NodeParams,
    handler: ({ user, params }) => listCollaborators(ctx, access(user, params.notebookId), params.nodeId),
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
      return setCollaborator(ctx, access(user, params.notebookId), params.nodeId, userId, body.role, false);
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
        access(user, params.notebookId),
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
      setCollaborator(ctx, access(user, params.notebookId), params.nodeId, params.collaboratorId, null, true),
  });
}
