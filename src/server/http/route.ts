import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type * as z from 'zod';
import { validationError } from '../../shared/lib/result';
import type { ServerContext } from '../context';
import { authenticate } from '../services/tokens';
import type { AccountRow } from '../storage/repository';
import { ApiError, badRequest, toHttpError } from './errors';
import { parseSafely } from '../../shared/lib/parse-safely';

/** A non-JSON answer (Markdown, HTML, SVG, files). */
export class RawReply {
  constructor(
    readonly contentType: string,
    readonly body: string | Buffer | Readable,
    readonly status = 200,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** A JSON answer with a status other than the route's default. */
export class JsonReply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  user: AccountRow;
  request: FastifyRequest;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  url: string;
  params?: P;
  query?: Q;
  body?: B;
  /** Status of a successful JSON answer (default 200). */
  status?: number;
  /** Re-labels error codes for groups whose reference page spells them differently. */
  renameCode?: (code: string) => string;
  handler(input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>): unknown;
}

/** Validates one part of a request; failures are 400 `bad_request` with details under `where`. */
export function parseInput<S extends z.ZodType>(
  schema: S | undefined,
  value: unknown,
  where: string,
): z.output<S> {
  if (!schema) return undefined as z.output<S>;
  const result = parseSafely(schema, value);
  if (!result.success) throw validationError(result.error.issues, where);
  return result.data;
}

/** `Authorization: Bearer <token>` → the account, or a 401 carrying `WWW-Authenticate: Bearer`. */
export function userFromAuthorization(ctx: ServerContext, header: string | undefined): AccountRow {
  const match = typeof header === 'string' ? /^Bearer\s+(\S{1,512})\s*$/i.exec(header) : null;
  if (!match) {
    throw new ApiError(401, 'unauthorized', 'Invalid or missing authentication.', [
      { path: 'headers.authorization', message: 'Missing Authorization header' },
    ]);
  }
  const user = authenticate(ctx.repo, match[1] ?? '');
  if (!user) {
    throw new ApiError(401, 'unauthorized', 'Invalid or missing authentication.', [
      { path: 'headers.authorization', message: 'Invalid, expired or revoked token' },
    ]);
  }
  return user;
}

/** Who each request is, once known (the rate limiter may ask before the route does: one token lookup). */
const authenticated = new WeakMap<FastifyRequest, AccountRow>();

/** The request's account, or a 401 (see userFromAuthorization). */
export function requireUser(ctx: ServerContext, request: FastifyRequest): AccountRow {
  const known = authenticated.get(request);
  if (known) return known;
  const user = userFromAuthorization(ctx, request.headers.authorization);
  authenticated.set(request, user);
  return user;
}

/** The request's account if its bearer token is valid, else undefined (the route itself answers the 401). */
export function authenticatedUser(ctx: ServerContext, request: FastifyRequest): AccountRow | undefined {
  try {
    return requireUser(ctx, request);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return undefined;
    throw error;
  }
}

/**
 * The one way routes are declared: authenticates, validates params/query/body with zod (400 with details on
 * failure, never a 5xx) and serialises the handler's result.
 */
export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  app: FastifyInstance,
  ctx: ServerContext,
  spec: RouteSpec<P, Q, B>,
): void {
  app.route({
    method: spec.method,
    url: spec.url,
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const run = async () => {
        const user = requireUser(ctx, request);
        assertShallow(request.body);
        const input = {
          params: parseInput(spec.params, request.params, 'params'),
          query: parseInput(spec.query, request.query, 'query'),
          body: parseInput(spec.body, request.body ?? {}, 'body'),
          user,
          request,
        };
        return (await spec.handler(input)) as unknown;
      };
      const result = spec.renameCode ? await renameErrorCodesAsync(spec.renameCode, run) : await run();
      return send(reply, result, spec.status ?? 200);
    },
  });
}

export function send(reply: FastifyReply, result: unknown, status: number): FastifyReply {
  if (result instanceof RawReply) {
    return reply.code(result.status).headers(result.headers).type(result.contentType).send(result.body);
  }
  if (result instanceof JsonReply) return reply.code(result.status).send(result.body);
  return reply.code(status).send(result);
}

/** The `Idempotency-Key` header, when present. */
export function idempotencyKey(request: FastifyRequest): string | undefined {
  const value = request.headers['idempotency-key'];
  return typeof value === 'string' ? value : undefined;
}

async function renameErrorCodesAsync<T>(rename: (code: string) => string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const { status, envelope } = toHttpError(error);
    if (status >= 500 || status === 401) throw error;
    throw new ApiError(status, rename(envelope.code), envelope.message, envelope.details);
  }
}

/** Deepest JSON nesting a body may have; real documents stay far below it, recursion-based code stays safe. */
export const MAX_BODY_DEPTH = 100;

/** Rejects over-deep bodies before any recursive validator or converter sees them (iterative, so it cannot overflow). */
function assertShallow(body: unknown): void {
  const stack: [unknown, number][] = [[body, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) {
      throw badRequest('Request body is nested too deeply.', [
        { path: 'body', message: `at most ${MAX_BODY_DEPTH} levels of nesting` },
      ]);
    }
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
}
