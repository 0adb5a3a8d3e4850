import type { FastifyInstance } from 'fastify';
import { NodeParams, NotebookParams, Pagination } from '../../shared/api/common';
import {
  AliasParams,
  NodeAlias,
  NodeCreateBody,
  NodeListQuery,
  NodeUpdateBody,
} from '../../shared/api/nodes';
import { validationError } from '../../shared/lib/result';
import { NodeAction } from '../../shared/model/permissions';
import type { ServerContext } from '../context';
import { notFound } from '../http/errors';
import { defineRoute, idempotencyKey } from '../http/route';
import {
  nodeAccess,
  nodeRoleOf,
  nodeRouteAccess,
  memberAccess,
  type NotebookAccess,
} from '../services/access';
import { createNodeFromJson, deleteNode, toNodeOutput, updateNodeFromJson } from '../services/nodes';
import { idempotentWrite } from '../services/idempotency';
import { write } from '../services/notebooks';
import { parseSafely } from '../../shared/lib/parse-safely';

/** Roots the caller may read; undefined when their notebook role already opens every root. */
function readableRoots(ctx: ServerContext, access: NotebookAccess): string[] | undefined {
  if (access.role === 'owner' || access.role === 'admin' || access.role === 'collaborator') return undefined;
  return ctx.repo
    .listRoots(access.notebook.id)
    .filter((root) => nodeRoleOf(ctx, access, root) !== null)
    .map((root) => root.id);
}

export function nodeRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/notebooks/:notebookId/nodes',
    params: NotebookParams,
    query: NodeListQuery,
    handler: ({ user, params, query }) => {
      const access = memberAccess(ctx, user, params.notebookId);
      const { rows, total } = ctx.repo.listNodes({
        notebookId: access.notebook.id,
        ...query,
        rootIds: readableRoots(ctx, access),
      });
      return { nodes: rows.map(toNodeOutput), total };
    },
  });
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/notebooks/:notebookId/nodes/alias/:alias',
    params: AliasParams,
    handler: ({ user, params }) => {
      const alias = parseSafely(NodeAlias, params.alias);
      if (!alias.success) throw validationError(alias.error.issues, 'alias');
      const access = memberAccess(ctx, user, params.notebookId);
      const node = ctx.repo.findNodeByAlias(access.notebook.id, alias.data);
      if (!node) throw notFound('No node found with that alias.');
      return toNodeOutput(nodeAccess(ctx, access, node.id, NodeAction.read).node);
    },
  });
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/notebooks/:notebookId/nodes/:nodeId',
    params: NodeParams,
    handler: ({ user, params }) =>
      toNodeOutput(nodeRouteAccess(ctx, user, params.notebookId, params.nodeId, NodeAction.read).node),
  });
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/notebooks/:notebookId/nodes/:nodeId/children',
    params: NodeParams,
    query: Pagination,
    handler: ({ user, params, query }) => {
      const { node } = nodeRouteAccess(ctx, user, params.notebookId, params.nodeId, NodeAction.read);
      const { rows, total } = ctx.repo.listNodes({
        notebookId: node.notebookId,
        parentId: node.id,
        ...query,
      });
      return { nodes: rows.map(toNodeOutput), total };
    },
  });
  defineRoute(app, ctx, {
    method: 'POST',
    url: '/notebooks/:notebookId/nodes',
    params: NotebookParams,
    body: NodeCreateBody,
    status: 201,
    handler: ({ user, params, body, request }) => {
      const access = memberAccess(ctx, user, params.notebookId);
      return idempotentWrite(
        ctx,
        user,
        idempotencyKey(request),
        `nodes:${params.notebookId}`,
        body,
        (changes) => toNodeOutput(createNodeFromJson(ctx, access, body, changes)),
      );
    },
  });
  defineRoute(app, ctx, {
    method: 'PATCH',
    url: '/notebooks/:notebookId/nodes/:nodeId',
    params: NodeParams,
    body: NodeUpdateBody,
    handler: ({ user, params, body }) => {
      const access = memberAccess(ctx, user, params.notebookId);
      return write(ctx, (changes) =>
        toNodeOutput(updateNodeFromJson(ctx, access, params.nodeId, body.attributes, changes)),
      );
    },
  });
  defineRoute(app, ctx, {
    method: 'DELETE',
    url: '/notebooks/:notebookId/nodes/:nodeId',
    params: NodeParams,
    handler: ({ user, params }) => {
      const access = memberAccess(ctx, user, params.notebookId);
      write(ctx, (changes) => deleteNode(ctx, access, params.nodeId, ctx.now(), changes));
      return { success: true };
    },
  });
}
