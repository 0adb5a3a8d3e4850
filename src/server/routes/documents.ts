import type { FastifyInstance } from 'fastify';
import { API_PREFIX, NodeParams } from '../../shared/api/common';
import {
  BlockSvgParams,
  BlockSvgQuery,
  DocumentAppendBody,
  DocumentBody,
  DocumentQuery,
  ExportTicketBody,
} from '../../shared/api/documents';
import type { CommentOutput } from '../../shared/api/comments';
import type { TiptapDoc, TiptapNode } from '../../shared/crdt/document';
import type { FileHref } from '../../shared/editor/file-blocks';
import type { ServerContext } from '../context';
import { escapeHtml, toHtmlPage } from '../../shared/markdown/to-html';
import { toMarkdown } from '../../shared/markdown/to-markdown';
import { drawingToSvg, isSvgColor } from '../../shared/editor/drawing-svg';
import { allComments, toCommentOutput } from '../services/comments';
import { badRequest, notFound } from '../http/errors';
import { defineRoute, idempotencyKey, RawReply } from '../http/route';
import { memberAccess } from '../services/access';
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

/** The block with `attrs.id === id`, at any depth. */
function findBlock(node: TiptapNode, id: string): TiptapNode | undefined {
  if (node.attrs?.id === id) return node;
  for (const child of node.content ?? []) {
    const found = findBlock(child, id);
    if (found) return found;
  }
  return undefined;
}

export function documentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/notebooks/:notebookId/nodes/:nodeId/blocks/:blockId/svg',
    params: BlockSvgParams,
    query: BlockSvgQuery,
    handler: ({ user, params, query }) => {
      if (query.bg !== undefined && !isSvgColor(query.bg)) {
        throw badRequest('bg must be a CSS colour.', [
          { path: 'query.bg', message: 'e.g. #ffffff, white, transparent, rgb(0,0,0)' },
        ]);
      }
      const row = getDocument(ctx, memberAccess(ctx, user, params.notebookId), params.nodeId);
      const block = findBlock(JSON.parse(row.content) as TiptapDoc, params.blockId);
      if (!block) throw notFound('Block not found.');
      if (block.type !== 'drawing') {
        throw badRequest('Block is not a drawing.', [
          { path: 'blockId', message: `a ${block.type} block cannot be rendered as SVG` },
        ]);
      }
      const svg = drawingToSvg(block.attrs ?? {}, { bg: query.bg, scale: query.scale });
      return new RawReply('image/svg+xml; charset=utf-8', svg, 200, {
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'",
      });
    },
  });
  const url = '/notebooks/:notebookId/nodes/:nodeId/document';
  defineRoute(app, ctx, {
    method: 'GET',
    url,
    params: NodeParams,
    query: DocumentQuery,
    handler: ({ user, params, query }) => {
      const access = memberAccess(ctx, user, params.notebookId);
      const row = getDocument(ctx, access, params.nodeId);
      const content = selectBlocks(JSON.parse(row.content) as TiptapDoc, query.blockIds, query.lines);
      const comments = () => allComments(ctx, row.id).map((comment) => toCommentOutput(ctx, comment));
      if (query.output === 'html') {
        if (query.ticket === undefined) {
          throw badRequest('output=html needs an export ticket.', [
            { path: 'query.ticket', message: 'create one with POST …/export-ticket' },
          ]);
        }
        const ticket = ctx.tickets.redeem(query.ticket, user.id, params.notebookId, params.nodeId);
        const node = ctx.repo.getNode(row.id);
        const html = toHtmlPage(content, {
          title: typeof node?.attributes.name === 'string' ? node.attributes.name : 'Document',
          themeMode: ticket.themeMode,
          includeBackground: ticket.includeBackground,
          appendix: ticket.includeComments === 'appendix' ? htmlAppendix(comments()) : undefined,
          fileHref: apiFileHref(params.notebookId),
        });
        const disposition: Record<string, string> = ticket.fileName
          ? { 'content-disposition': contentDisposition(ticket.fileName) }
          : {};
        return new RawReply('text/html; charset=utf-8', html, 200, disposition);
      }
      const appendix = query.includeComments === 'appendix';
      if (query.output === 'md') {
        const md =
          toMarkdown(content, apiFileHref(params.notebookId)) +
          (appendix ? markdownAppendix(comments()) : '');
        return new RawReply('text/markdown; charset=utf-8', md);
      }
      return { ...toDocumentOutput(row, content), ...(appendix ? { comments: comments() } : {}) };
    },
  });
  defineRoute(app, ctx, {
    method: 'POST',
    url: '/notebooks/:notebookId/nodes/:nodeId/export-ticket',
    params: NodeParams,
    body: ExportTicketBody,
    status: 201,
    handler: ({ user, params, body }) => {
      const access = memberAccess(ctx, user, params.notebookId);
      getDocument(ctx, access, params.nodeId);
      return ctx.tickets.issue(user.id, params.notebookId, params.nodeId, body);
    },
  });
  // PUT replaces the content, PATCH merges it by block id; both are one Yjs update that syncs.
  for (const [method, apply] of [
    ['PUT', putDocument],
    ['PATCH', patchDocument],
  ] as const) {
    defineRoute(app, ctx, {
      method,
      url,
      params: NodeParams,
      body: DocumentBody,
      handler: ({ user, params, body }) => {
        const access = memberAccess(ctx, user, params.notebookId);
        return toDocumentOutput(
          write(ctx, (changes) => apply(ctx, access, params.nodeId, body.content, changes)),
        );
      },
    });
  }
  defineRoute(app, ctx, {
    method: 'POST',
    url: `${url}/append`,
    params: NodeParams,
    body: DocumentAppendBody,
    handler: ({ user, params, body, request }) => {
      const access = memberAccess(ctx, user, params.notebookId);
      const scope = `append:${params.notebookId}:${params.nodeId}`;
      return idempotentWrite(ctx, user, idempotencyKey(request), scope, body, (changes) =>
        toDocumentOutput(appendDocument(ctx, access, params.nodeId, body, changes)),
      );
    },
  });
}

function markdownAppendix(comments: CommentOutput[]): string {
  if (comments.length === 0) return '';
  const lines = comments.map(
    (c) => `${c.parentId ? '  ' : ''}- **${c.createdByName}**: ${c.content.replace(/\n/g, ' ')}`,
  );
  return `\n## Comments\n\n${lines.join('\n')}\n`;
}

function htmlAppendix(comments: CommentOutput[]): string {
  if (comments.length === 0) return '';
  const items = comments.map(
    (c) =>
      `<li${c.parentId ? ' class="reply"' : ''}><strong>${escapeHtml(c.createdByName)}</strong>: ${escapeHtml(c.content)}</li>`,
  );
  return `<section class="comments"><h2>Comments</h2><ul>${items.join('')}</ul></section>`;
}

/** A download name that cannot break out of the header. */
const contentDisposition = (fileName: string): string =>
  `attachment; filename="${fileName.replace(/[^\w.() -]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;

/** Exports point image and file blocks at the API's download route (it needs the reader's token). */
const apiFileHref =
  (notebookId: string): FileHref =>
  (fileId) =>
    `${API_PREFIX}/notebooks/${encodeURIComponent(notebookId)}/files/${encodeURIComponent(fileId)}`;
