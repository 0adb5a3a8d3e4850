import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
} from 'fastify';
import { resolve } from 'node:path';
import { API_PREFIX, ApiErrorCode } from '../shared/api/common';
import { ErrorCode } from '../shared/lib/result';
import type { NotebookStatus } from '../shared/model/roles';
import type { ServerContext } from './context';
import { Metrics } from './http/metrics';
import { toHttpError } from './http/errors';
import { createLogger, type LogOptions } from './http/logging';
import { registerRateLimit, type RateLimitOptions } from './http/rate-limit';
import { authenticatedUser, defineRoute } from './http/route';
import { avatarRoutes } from './routes/avatars';
import { collaboratorRoutes } from './routes/collaborators';
import { commentRoutes } from './routes/comments';
import { documentRoutes } from './routes/documents';
import { fileRoutes } from './routes/files';
import { mutationRoutes } from './routes/mutations';
import { nodeRoutes } from './routes/nodes';
import { notebookRoutes } from './routes/notebooks';
import { reactionRoutes } from './routes/reactions';
import { recordRoutes } from './routes/records';
import { systemRoutes } from './routes/system';
import { versionRoutes } from './routes/versions';
import { DocCache } from './services/doc-cache';
import { ExportTickets } from './services/export-tickets';
import { StoredFiles } from './services/stored-files';
import type { UploadLimits } from './services/upload-limits';
import { setNotebookStatus } from './services/notebooks';
import { createToken, revokeToken } from './services/tokens';
import { openDatabase } from './storage/sqlite';
import { SqliteNotesRepository } from './storage/sqlite-repository';
import { ChangeBus } from './sync/change-bus';
import { SocketServer } from './sync/socket-server';

export interface ServerOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  dataDir?: string;
  /** Default `maxFileSize` of new notebooks, bytes. */
  defaultMaxFileSize?: number;
  /** Socket heartbeat interval (tests shorten it). */
  heartbeatMs?: number;
  /**
   * Crash tests only: SIGKILL this process after that many mutations have been applied (counted from start),
   * i.e. in the middle of a batch whose transaction has not committed. The CLI reads
   * `NOTES_SERVER_KILL_AFTER_MUTATIONS`.
   */
  killAfterMutations?: number;
  /** Per-address and per-user request limits (429 + Retry-After over them). Off unless given; the CLI turns them on. */
  rateLimit?: RateLimitOptions | false;
  /** Structured JSON logs (tokens redacted): one line per request, every 5xx with its stack. Default: silent. */
  log?: LogOptions;
  /** Per-user upload limits (largest file, bytes and uploads per window). Off unless given. */
  uploadLimits?: UploadLimits;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Mints a bearer token for `username` (creating the account), as `token create` does. */
  createToken(username: string): string;
  /** Revokes a token (or token id), as `token revoke` does. */
  revokeToken(tokenOrId: string): boolean;
  /** Operator switch (no REST equivalent): make a notebook active, inactive or read-only. */
  setNotebookStatus(notebookId: string, status: NotebookStatus): void;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 7420;
export const DEFAULT_DATA_DIR = '.data/notes-server';
const BODY_LIMIT = 10 * 1024 * 1024;

/** Status → code for Fastify's own errors (bad JSON, wrong content type, body too large…). */
const FRAMEWORK_CODES: Record<number, string> = {
  413: ErrorCode.payloadTooLarge,
  415: ApiErrorCode.unsupportedMediaType,
};

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const repo = new SqliteNotesRepository(openDatabase(dataDir));
  const log = createLogger(options.log ?? { level: 'silent' });
  const ctx: ServerContext = {
    repo,
    log,
    bus: new ChangeBus(),
    metrics: new Metrics(),
    tickets: new ExportTickets(),
    docs: new DocCache(),
    dataDir,
    files: new StoredFiles(dataDir, repo),
    defaultMaxFileSize: options.defaultMaxFileSize ?? 10 * 1024 * 1024,
    ...(options.uploadLimits ? { uploadLimits: options.uploadLimits } : {}),
    startedAt: new Date().toISOString(),
    now: () => new Date().toISOString(),
  };
  if (options.killAfterMutations !== undefined) ctx.afterMutation = killAfter(options.killAfterMutations);
  // Bytes a crash left behind after their rows were deleted (nothing is uploading yet).
  await ctx.files.sweep();
  const sockets = new SocketServer(ctx, options.heartbeatMs);
  const app = await buildApp(ctx, log, sockets, options.rateLimit || undefined);
  app.server.on('upgrade', (request, socket, head: Buffer) => sockets.handleUpgrade(request, socket, head));
  await app.listen({ port: options.port ?? DEFAULT_PORT, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? DEFAULT_PORT);
  const host = options.host ?? '127.0.0.1';
  let closed = false;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    createToken: (username) => createToken(repo, username).token,
    revokeToken: (tokenOrId) => revokeToken(repo, tokenOrId),
    setNotebookStatus: (notebookId, status) => setNotebookStatus(ctx, notebookId, status),
    close: async () => {
      if (closed) return;
      closed = true;
      sockets.close();
      await app.close();
      await ctx.files.settled();
      repo.close();
    },
  };
}

function killAfter(limit: number): () => void {
  let applied = 0;
  return () => {
    applied += 1;
    if (applied >= limit) process.kill(process.pid, 'SIGKILL');
  };
}

async function buildApp(
  ctx: ServerContext,
  log: FastifyBaseLogger,
  sockets: SocketServer,
  rateLimit: RateLimitOptions | undefined,
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: log,
    // One line per request, written once it is answered (below), instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
  // JSON is the only body this API takes (TUS and avatars register their own parsers in their scope).
  app.removeContentTypeParser('text/plain');
  // An empty JSON body means "no body" (POST /sockets, bodiless POSTs from clients that still set the header).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') return done(null, undefined);
    return parseJson(request, text, done);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const frameworkStatus =
      typeof error.statusCode === 'number' && error.statusCode < 500 ? error.statusCode : undefined;
    if (frameworkStatus !== undefined && !('toEnvelope' in error)) {
      return reply.code(frameworkStatus).send({
        message: error.message,
        code: FRAMEWORK_CODES[frameworkStatus] ?? ErrorCode.badRequest,
        details: [{ path: 'body', message: error.message }],
      });
    }
    const { status, envelope } = toHttpError(error);
    if (status >= 500) request.log.error({ err: error, req: request }, 'request failed');
    if (status === 401) reply.header('WWW-Authenticate', 'Bearer');
    return reply.code(status).send(envelope);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      message: 'Route not found.',
      code: ErrorCode.notFound,
      details: [{ path: 'url', message: `${request.method} ${request.url}` }],
    }),
  );
  if (rateLimit) await registerRateLimit(app, rateLimit, (request) => authenticatedUser(ctx, request));
  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.countRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode);
    request.log.info(
      { req: request, res: reply, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request completed',
    );
  });

  app.register(
    async (api) => {
      systemRoutes(api, ctx);
      notebookRoutes(api, ctx);
      nodeRoutes(api, ctx);
      documentRoutes(api, ctx);
      reactionRoutes(api, ctx);
      collaboratorRoutes(api, ctx);
      versionRoutes(api, ctx);
      commentRoutes(api, ctx);
      recordRoutes(api, ctx);
      fileRoutes(api, ctx);
      avatarRoutes(api, ctx);
      mutationRoutes(api, ctx);
      defineRoute(api, ctx, {
        method: 'POST',
        url: '/sockets',
        handler: ({ user }) => ({ id: sockets.issue(user.id) }),
      });
      api.get('/sockets/:socketId', async (_request, reply) =>
        reply
          .code(426)
          .header('Upgrade', 'websocket')
          .send({
            message: 'WebSocket upgrade failed',
            code: 'WS_UPGRADE_FAILED',
            details: [{ path: 'headers.upgrade', message: 'expected a WebSocket upgrade request' }],
          }),
      );
    },
    { prefix: API_PREFIX },
  );
  return app;
}
