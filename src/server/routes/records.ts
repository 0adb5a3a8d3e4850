import type { FastifyInstance } from 'fastify';
import {
  CreateRecordBody,
  DatabaseParams,
  RecordListQuery,
  RecordParams,
  RecordSearchQuery,
  UpdateRecordBody,
} from '../../shared/api/records';
import type { ServerContext } from '../context';
import { defineRoute, idempotencyKey } from '../http/route';
import { memberAccess } from '../services/access';
import { idempotentWrite } from '../services/idempotency';
import { write } from '../services/notebooks';
import {
  createRecord,
  deleteRecord,
  getRecord,
  listRecords,
  searchRecords,
  toRecordOutput,
  updateRecord,
} from '../services/records';

export function recordRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const base = '/notebooks/:notebookId/databases/:databaseId/records';
  defineRoute(app, ctx, {
    method: 'GET',
    url: base,
    params: DatabaseParams,
    query: RecordListQuery,
    handler: ({ user, params, query }) =>
      listRecords(ctx, memberAccess(ctx, user, params.notebookId), params.databaseId, query),
  });
  defineRoute(app, ctx, {
    method: 'GET',
    url: `${base}/search`,
    params: DatabaseParams,
    query: RecordSearchQuery,
    handler: ({ user, params, query }) =>
      searchRecords(ctx, memberAccess(ctx, user, params.notebookId), params.databaseId, query),
  });
  defineRoute(app, ctx, {
    method: 'GET',
    url: `${base}/:recordId`,
    params: RecordParams,
    handler: ({ user, params }) =>
      toRecordOutput(
        getRecord(ctx, memberAccess(ctx, user, params.notebookId), params.databaseId, params.recordId),
      ),
  });
  defineRoute(app, ctx, {
    method: 'POST',
    url: base,
    params: DatabaseParams,
    body: CreateRecordBody,
    status: 201,
    handler: ({ user, params, body, request }) => {
      const caller = memberAccess(ctx, user, params.notebookId);
      const scope = `record:${params.notebookId}:${params.databaseId}`;
      return idempotentWrite(ctx, user, idempotencyKey(request), scope, body, (changes) =>
        toRecordOutput(createRecord(ctx, caller, params.databaseId, body, changes)),
      );
    },
  });
  defineRoute(app, ctx, {
    method: 'PATCH',
    url: `${base}/:recordId`,
    params: RecordParams,
    body: UpdateRecordBody,
    handler: ({ user, params, body }) => {
      const caller = memberAccess(ctx, user, params.notebookId);
      return write(ctx, (changes) =>
        toRecordOutput(updateRecord(ctx, caller, params.databaseId, params.recordId, body, changes)),
      );
    },
  });
  defineRoute(app, ctx, {
    method: 'DELETE',
    url: `${base}/:recordId`,
    params: RecordParams,
    handler: ({ user, params }) => {
      const caller = memberAccess(ctx, user, params.notebookId);
      write(ctx, (changes) => deleteRecord(ctx, caller, params.databaseId, params.recordId, changes));
      return { success: true };
    },
  });
}
