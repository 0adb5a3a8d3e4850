import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { ApiId, NodeParams } from '../../shared/api/common';
import { CreateVersionBody, RenameVersionBody } from '../../shared/api/versions';
import type { ServerContext } from '../context';
import { defineRoute } from '../http/route';
import { memberAccess } from '../services/access';
import { write } from '../services/notebooks';
import {
  createVersion,
  deleteVersion,
  getVersion,
  listVersions,
  renameVersion,
  restoreVersion,
  toVersionOutput,
  toVersionSummary,
} from '../services/versions';

const VersionParams = z.object({ notebookId: ApiId, nodeId: ApiId, versionId: ApiId });
const VersionListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The versions pages of the reference spell their codes in upper case (`FORBIDDEN`, `NOT_FOUND`). */
const renameCode = (code: string): string => code.toUpperCase();

export function versionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const base = '/notebooks/:notebookId/nodes/:nodeId/versions';
  defineRoute(app, ctx, {
    method: 'GET',
    url: base,
    params: NodeParams,
    renameCode,
    query: VersionListQuery,
    handler: ({ user, params, query }) =>
      listVersions(ctx, memberAccess(ctx, user, params.notebookId), params.nodeId, query.limit, query.offset),
  });
  defineRoute(app, ctx, {
    method: 'POST',
    url: base,
    params: NodeParams,
    renameCode,
    body: CreateVersionBody,
    status: 201,
    handler: ({ user, params, body }) =>
      toVersionSummary(
        write(ctx, () => createVersion(ctx, memberAccess(ctx, user, params.notebookId), params.nodeId, body)),
      ),
  });
  defineRoute(app, ctx, {
    method: 'PATCH',
    url: `${base}/:versionId`,
    params: VersionParams,
    renameCode,
    body: RenameVersionBody,
    handler: ({ user, params, body }) =>
      toVersionSummary(
        write(ctx, () =>
          renameVersion(
            ctx,
            memberAccess(ctx, user, params.notebookId),
            params.nodeId,
            params.versionId,
            body.name,
          ),
        ),
      ),
  });
  defineRoute(app, ctx, {
    method: 'GET',
    url: `${base}/:versionId`,
    params: VersionParams,
    renameCode,
    handler: ({ user, params }) =>
      toVersionOutput(
        getVersion(ctx, memberAccess(ctx, user, params.notebookId), params.nodeId, params.versionId),
      ),
  });
  defineRoute(app, ctx, {
    method: 'POST',
    url: `${base}/:versionId/restore`,
    params: VersionParams,
    renameCode,
    handler: ({ user, params }) => {
      const caller = memberAccess(ctx, user, params.notebookId);
      write(ctx, (changes) => restoreVersion(ctx, caller, params.nodeId, params.versionId, changes));
      return { success: true };
    },
  });
  defineRoute(app, ctx, {
    method: 'DELETE',
    url: `${base}/:versionId`,
    params: VersionParams,
    renameCode,
    handler: ({ user, params }) => {
      const caller = memberAccess(ctx, user, params.notebookId);
      write(ctx, () => deleteVersion(ctx, caller, params.nodeId, params.versionId));
      return { success: true };
    },
  });
}
