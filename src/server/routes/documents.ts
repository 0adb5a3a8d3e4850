import type { FastifyInstance } from 'fastify';
import { NodeParams } from '../../shared/api/common';
import { DocumentAppendBody, DocumentBody, DocumentQuery } from '../../shared/api/documents';
import { NotebookAction } from '../../shared/model/permissions';
import type { TiptapDoc } from '../../shared/crdt/document';
import type { ServerContext } from '../context';
import { toMarkdown } from '../documents/markdown';
import { badRequest } from '../http/errors';
import { defineRoute, idempotencyKey, RawReply } from '../http/route';
import { notebookAccess } from '../services/access';
import {
  appendDocument,
  getDocument,
  patchDocument,
  putDocument,
  selectBlocks,
  toDocumentOutput,
} from '../services/documents';
import { idempotentWrite } from '../services/idempotency';
import { write } from '../services/notebooks';

export function documentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const url = '/notebooks/:notebookId/nodes/:nodeId/document';
  defineRoute(app, ctx, {
    method: 'GET',
    url,
    params: NodeParams,
    query: DocumentQuery,
    handler: ({ user, params, query }) => {
      if (query.output === 'html') {
        throw badRequest('output=html needs an export ticket.', [
          { path: 'query.ticket', message: 'HTML export is not available on this server yet' },
        ]);
      }
      const access = notebookAccess(ctx, user, params.notebookId, NotebookAction.read);
      const row = getDocument(ctx, access, params.nodeId);
      const content = selectBlocks(JSON.parse(row.content) as TiptapDoc, query.blockIds, query.lines);
      if (query.output === 'md') return new RawReply('text/markdown; charset=utf-8', toMarkdown(content));
      return toDocumentOutput(row, content);
    },
  });
  defineRoute(app, ctx, {
    method: 'PUT',
    url,
    params: NodeParams,
    body: DocumentBody,
    handler: ({ user, params, body }) => {
      const access = notebookAccess(ctx, user, params.notebookId, NotebookAction.read);
      return toDocumentOutput(
        write(ctx, (changes) => putDocument(ctx, access, params.nodeId, body.content, changes)),
      );
    },
  });
  defineRoute(app, ctx, {
    method: 'PATCH',
    url,
    params: NodeParams,
    body: DocumentBody,
    handler: ({ user, params, body }) => {
      const access = notebookAccess(ctx, user, params.notebookId, NotebookAction.read);
      return toDocumentOutput(
        write(ctx, (changes) => patchDocument(ctx, access, params.nodeId, body.content, changes)),
      );
    },
  });
  defineRoute(app, ctx, {
    method: 'POST',
    url: `${url}/append`,
    params: NodeParams,
    body: DocumentAppendBody,
    handler: ({ user, params, body, request }) => {
      const access = notebookAccess(ctx, user, params.notebookId, NotebookAction.read);
      const scope = `append:${params.notebookId}:${params.nodeId}`;
      return idempotentWrite(ctx, user, idempotencyKey(request), scope, body, (changes) =>
        toDocumentOutput(appendDocument(ctx, access, params.nodeId, body, changes)),
      );
    },
  });
}
