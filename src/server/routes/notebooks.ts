import type { FastifyInstance } from 'fastify';
import { NotebookParams } from '../../shared/api/common';
import {
  InviteUsersBody,
  NotebookCreateBody,
  NotebookUpdateBody,
  UserRoleBody,
  UserRoleParams,
} from '../../shared/api/notebooks';
import type { ServerContext } from '../context';
import { defineRoute, idempotencyKey } from '../http/route';
import { idempotentWrite } from '../services/idempotency';
import {
  createNotebookIn,
  deleteNotebook,
  getNotebook,
  identity,
  inviteUsers,
  listNotebooks,
  updateNotebook,
  updateUserRole,
} from '../services/notebooks';

export function notebookRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, { method: 'GET', url: '/me', handler: ({ user }) => identity(ctx, user) });
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/notebooks',
    handler: ({ user }) => listNotebooks(ctx, user),
  });
  defineRoute(app, ctx, {
    method: 'POST',
    url: '/notebooks',
    body: NotebookCreateBody,
    status: 201,
    // With an `Idempotency-Key`, a retry (the answer was lost, the client was killed before saving the id)
    // answers the notebook created the first time instead of creating another.
    handler: ({ user, body, request }) =>
      idempotentWrite(ctx, user, idempotencyKey(request), 'notebooks', body, (changes) =>
        createNotebookIn(ctx, user, body, changes),
      ),
  });
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/notebooks/:notebookId',
    params: NotebookParams,
    handler: ({ user, params }) => getNotebook(ctx, user, params.notebookId),
  });
  defineRoute(app, ctx, {
    method: 'PATCH',
    url: '/notebooks/:notebookId',
    params: NotebookParams,
    body: NotebookUpdateBody,
    handler: ({ user, params, body }) => updateNotebook(ctx, user, params.notebookId, body),
  });
  defineRoute(app, ctx, {
    method: 'DELETE',
    url: '/notebooks/:notebookId',
    params: NotebookParams,
    handler: ({ user, params }) => deleteNotebook(ctx, user, params.notebookId),
  });
  defineRoute(app, ctx, {
    method: 'POST',
    url: '/notebooks/:notebookId/users',
    params: NotebookParams,
    body: InviteUsersBody,
    handler: ({ user, params, body }) =>
      inviteUsers(ctx, user, params.notebookId, [
        ...(body.users ?? []),
        ...(body.usernames ?? []).map((username) => ({ username, role: 'collaborator' as const })),
      ]),
  });
  defineRoute(app, ctx, {
    method: 'PATCH',
    url: '/notebooks/:notebookId/users/:userId/role',
    params: UserRoleParams,
    body: UserRoleBody,
    handler: ({ user, params, body }) =>
      updateUserRole(ctx, user, params.notebookId, params.userId, body.role),
  });
}
