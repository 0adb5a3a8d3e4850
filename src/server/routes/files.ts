import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { EVENTS, Server as TusServer } from '@tus/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as z from 'zod';
import { API_PREFIX, ApiErrorCode, ApiId, NotebookParams, Pagination } from '../../shared/api/common';
import { ErrorCode } from '../../shared/lib/result';
import { NotebookAction } from '../../shared/model/permissions';
import type { ServerContext } from '../context';
import { ApiError, badRequest, conflict } from '../http/errors';
import { redactUrl } from '../http/logging';
import { defineRoute, parseInput, RawReply, requireUser, userFromAuthorization } from '../http/route';
import { notebookAccess } from '../services/access';
import { FileAccess, fileNotFound, metadataPageId, parseUploadMetadata } from '../services/file-access';
import { assertUploadAllowed, logUpload, maxUploadSize, UploadBudgetError } from '../services/upload-limits';

const FileParams = z.object({ notebookId: ApiId, fileId: ApiId });
const TUS_PATH = new RegExp(
  `${API_PREFIX}/notebooks/([A-Za-z0-9_-]{1,64})/files/([A-Za-z0-9_-]{1,64})/tus/?$`,
);
/** Metadata keys clients use for the file name, type and owning document. */
const pick = (metadata: Record<string, string | null> | undefined, ...keys: string[]): string | null => {
  for (const key of keys) {
    const value = metadata?.[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
};

function tusIds(url: string): { notebookId: string; fileId: string } | undefined {
  const match = TUS_PATH.exec(new URL(url, 'http://localhost').pathname);
  return match ? { notebookId: match[1] ?? '', fileId: match[2] ?? '' } : undefined;
}

/** The Node request as a web Request for `@tus/server` (bodies stream through untouched). */
function toWebRequest(raw: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  const method = raw.method ?? 'GET';
  const hasBody = method === 'POST' || method === 'PATCH';
  return new Request(`http://${raw.headers.host ?? 'localhost'}${raw.url ?? '/'}`, {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(raw) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  });
}

/** `@tus/server` answers errors as plain text; ours carry the API's envelope, with the TUS headers kept. */
const TUS_ERRORS: Record<number, { code: string; path: string }> = {
  400: { code: ErrorCode.badRequest, path: 'headers' },
  403: { code: ErrorCode.forbidden, path: 'headers' },
  404: { code: 'file_not_found', path: 'fileId' },
  409: { code: ErrorCode.conflict, path: 'headers.upload-offset' },
  410: { code: 'file_not_found', path: 'fileId' },
  412: { code: 'precondition_failed', path: 'headers.tus-resumable' },
  413: { code: ErrorCode.payloadTooLarge, path: 'headers.upload-length' },
  415: { code: ApiErrorCode.unsupportedMediaType, path: 'headers.content-type' },
};

async function sendTusResponse(raw: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (response.status >= 400) {
    const text = (await response.text()).trim() || `HTTP ${response.status}`;
    const known = TUS_ERRORS[response.status] ?? {
      code: response.status >= 500 ? ApiErrorCode.unknown : ErrorCode.badRequest,
      path: 'request',
    };
    const body = JSON.stringify({
      message: text,
      code: known.code,
      details: [{ path: known.path, message: text }],
    });
    raw.writeHead(response.status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
    });
    raw.end(body);
    return;
  }
  raw.writeHead(response.status, headers);
  if (response.body) for await (const chunk of response.body) raw.write(chunk);
  raw.end();
}

/**
 * Files: TUS 1.0.0 uploads at `…/files/{fileId}/tus` (the client pre-allocates the id, so every TUS method
 * uses the same URL), handled by @tus/server on a FileStore; our `files` table tracks ownership and readiness.
 */
export function fileRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const tus = new TusServer({
    path: `${API_PREFIX}/notebooks`,
    datastore: ctx.files.store,
    // One URL per upload: the path names the file, there is no separate creation collection.
    namingFunction: (req) => tusIds(req.url)?.fileId ?? '',
    getFileIdFromRequest: (req) => tusIds(req.url)?.fileId,
    generateUrl: (_req, { proto, host, id }) => {
      const owner = ctx.repo.getFile(id)?.notebookId ?? '';
      return `${proto}://${host}${API_PREFIX}/notebooks/${owner}/files/${id}/tus`;
    },
    // Checked (with a clearer message) before @tus/server sees the request; this also covers deferred lengths.
    maxSize: (req) => {
      const notebook = ctx.repo.getNotebook(tusIds(req.url)?.notebookId ?? '');
      return notebook ? maxUploadSize(ctx, notebook) : ctx.defaultMaxFileSize;
    },
    // TUS answers its own errors; the unexpected ones (anything but a TUS error, or a TUS 5xx) are logged here.
    onResponseError: (req, error) => {
      const status = 'status_code' in error ? error.status_code : 500;
      if (status >= 500) {
        ctx.log.error({ err: error, req: { method: req.method, url: redactUrl(req.url) } }, 'upload failed');
      }
      return undefined;
    },
    onUploadCreate: async (req, upload) => {
      const ids = tusIds(req.url);
      const user = userFromAuthorization(ctx, req.headers.get('authorization') ?? undefined).id;
      ctx.repo.transaction(() => {
        logUpload(ctx, user, upload.size ?? 0);
        ctx.repo.upsertFile({
          id: upload.id,
          notebookId: ids?.notebookId ?? '',
          name: pick(upload.metadata, 'filename', 'name') ?? upload.id,
          mimeType:
            pick(upload.metadata, 'filetype', 'mimeType', 'contentType') ?? 'application/octet-stream',
          size: upload.size ?? 0,
          status: 'uploading',
          documentId: pick(upload.metadata, 'documentId', 'nodeId'),
          createdAt: ctx.now(),
          createdBy: user,
        });
      });
      return {};
    },
    onUploadFinish: async (_req, upload) => {
      const row = ctx.repo.getFile(upload.id);
      if (row)
        ctx.repo.transaction(() => ctx.repo.upsertFile({ ...row, size: upload.offset, status: 'ready' }));
      return {};
    },
  });
  tus.on(EVENTS.POST_TERMINATE, (_req, _res, id) => ctx.repo.transaction(() => ctx.repo.deleteFile(id)));

  app.register(async (scope) => {
    // TUS bodies are streamed by @tus/server itself, so Fastify must leave them unread.
    scope.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const { notebookId, fileId } = parseInput(FileParams, request.params, 'params');
      const user = requireUser(ctx, request);
      const files = new FileAccess(
        ctx,
        notebookAccess(ctx, user, notebookId, NotebookAction.read, 'notebook'),
      );
      const existing = ctx.repo.getFile(fileId);
      // Another notebook's file, or one of a page the caller cannot read: as if it did not exist.
      const visible = existing !== undefined && files.canRead(existing) ? existing : undefined;
      if (existing !== undefined && visible === undefined && request.method !== 'OPTIONS')
        throw fileNotFound();
      if (request.method === 'POST') {
        if (visible) throw conflict('A file with this id already exists.');
        const metadata = parseUploadMetadata(header(request, 'upload-metadata'));
        if (!metadata)
          throw badRequest('Upload-Metadata is malformed.', [
            { path: 'headers.upload-metadata', message: 'expected "key base64" pairs separated by commas' },
          ]);
        files.assertCanAttach(metadataPageId(metadata));
        const length = Number(header(request, 'upload-length'));
        if (Number.isSafeInteger(length) && length >= 0) {
          try {
            assertUploadAllowed(ctx, user, files.access.notebook, length);
          } catch (error) {
            if (error instanceof UploadBudgetError) reply.header('retry-after', error.retryAfterSeconds);
            throw error;
          }
        }
      } else if (request.method === 'PATCH') {
        if (!visible) throw fileNotFound();
        files.assertCanContinue(visible);
        if (request.headers['content-type'] !== 'application/offset+octet-stream') {
          // TUS: a PATCH whose body is not `application/offset+octet-stream` is refused with 415.
          throw new ApiError(
            415,
            'unsupported_media_type',
            'PATCH bodies must be application/offset+octet-stream.',
          );
        }
      } else if (request.method === 'DELETE') {
        if (!visible) throw fileNotFound();
        files.assertCanDelete(visible);
      } else if (request.method === 'HEAD' && !visible) {
        throw fileNotFound();
      }
      reply.hijack();
      await sendTusResponse(reply.raw, await tus.handleWeb(toWebRequest(request.raw)));
    };
    for (const method of ['POST', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS'] as const) {
      scope.route({ method, url: '/notebooks/:notebookId/files/:fileId/tus', handler });
    }
  });

  defineRoute(app, ctx, {
    method: 'GET',
    url: '/notebooks/:notebookId/files',
    params: NotebookParams,
    query: Pagination,
    handler: ({ user, params, query }) => {
      const files = new FileAccess(
        ctx,
        notebookAccess(ctx, user, params.notebookId, NotebookAction.read, 'notebook'),
      );
      // Only files of pages the caller can read are listed (and counted): nothing about the others shows.
      const readable = ctx.repo.listReadyFiles(params.notebookId).filter((row) => files.canRead(row));
      return {
        files: readable.slice(query.offset, query.offset + query.limit).map((row) => {
          const page = files.page(row);
          return {
            id: row.id,
            name: row.name,
            mimeType: row.mimeType,
            size: row.size,
            createdAt: row.createdAt,
            createdBy: row.createdBy,
            documentId: row.documentId,
            documentName: typeof page?.attributes.name === 'string' ? page.attributes.name : null,
          };
        }),
        total: readable.length,
      };
    },
  });
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/notebooks/:notebookId/files/:fileId',
    params: FileParams,
    handler: ({ user, params }) => {
      const files = new FileAccess(
        ctx,
        notebookAccess(ctx, user, params.notebookId, NotebookAction.read, 'notebook'),
      );
      const row = ctx.repo.getFile(params.fileId);
      if (!row || !files.canRead(row)) throw fileNotFound();
      if (row.status !== 'ready')
        throw new ApiError(409, 'file_not_ready', 'The file upload is not complete.');
      const safeName = row.name.replace(/[^\w.() -]/g, '_');
      return new RawReply(row.mimeType, createReadStream(ctx.files.path(row.id)), 200, {
        'content-length': String(row.size),
        'content-disposition': `attachment; filename="${safeName}"; filename*=UTF-8''${encodeURIComponent(row.name)}`,
        'x-content-type-options': 'nosniff',
        // Never active content, even if a browser is sent here directly (an SVG with script, an HTML file).
        'content-security-policy': "default-src 'none'; sandbox",
      });
    },
  });
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}
