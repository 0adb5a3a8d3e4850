import fastifyRateLimit, { type CreateRateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '../../shared/lib/result';
import type { AccountRow } from '../storage/repository';
import { ApiError } from './errors';

export interface RateLimitOptions {
  /** Requests one authenticated user may make within one window (all their tokens together). */
  max: number;
  windowMs: number;
  /**
   * Requests one client address (IPv6: one /64) may make within one window, counted before authentication, so
   * forged or missing tokens cost the address, never a fresh bucket. Default: 4 × `max` (a few people behind one
   * NAT).
   */
  addressMax?: number;
  /**
   * Addresses and users each limiter remembers; past it the least recently seen is forgotten (its count starts
   * again). Bounds the limiters' memory whatever arrives.
   */
  maxKeys?: number;
}

export const DEFAULT_MAX_KEYS = 10_000;
const ADDRESS_FACTOR = 4;

/** What one limiter says about one request (the plugin's answer, narrowed to what we use). */
interface Decision {
  limit: number;
  remaining: number;
  resetSeconds: number;
  exceeded: boolean;
}
export type Limiter = (request: FastifyRequest) => Promise<Decision>;

/**
 * One bounded fixed-window limiter (@fastify/rate-limit's LRU store, the window starting at a key's first
 * request). Call it only after registering the plugin on `app`.
 */
export function createLimiter(
  app: FastifyInstance,
  options: { max: number; windowMs: number; maxKeys: number; key?: (request: FastifyRequest) => string },
): Limiter {
  // `cache` (the store's size) is honoured per limiter by the plugin but missing from its type.
  const bounded = { cache: options.maxKeys };
  const settings: CreateRateLimitOptions = {
    max: options.max,
    timeWindow: options.windowMs,
    ...bounded,
    ...(options.key ? { keyGenerator: options.key } : {}),
  };
  const limit = app.createRateLimit(settings);
  return async (request) => {
    const result = await limit(request);
    if (result.isAllowed) throw new Error('rate limiter has no allow list');
    return {
      limit: result.max,
      remaining: result.remaining,
      resetSeconds: Math.max(1, result.ttlInSeconds),
      exceeded: result.isExceeded,
    };
  };
}

/** `600/60` (600 per 60 s), `600` (per minute) or `off`; undefined for anything else. */
export function parseRateLimit(text: string): RateLimitOptions | false | undefined {
  if (text === 'off' || text === '0') return false;
  const match = /^(\d{1,9})(?:\/(\d{1,6}))?$/.exec(text);
  if (!match) return undefined;
  const max = Number(match[1]);
  const seconds = match[2] === undefined ? 60 : Number(match[2]);
  return max > 0 && seconds > 0 ? { max, windowMs: seconds * 1000 } : undefined;
}

/**
 * Limits every HTTP request twice, before its body is read: first per client address (before authentication,
 * so made-up tokens share their sender's bucket), then, when the bearer token is valid, per user. Over either:
 * 429, `Retry-After` (seconds) and the error envelope with code `rate_limited`. Each response carries the
 * `X-RateLimit-*` headers of the tighter-scoped limiter that applied (the user's once known). WebSocket frames
 * have their own limits (`SyncLimits`).
 */
export async function registerRateLimit(
  app: FastifyInstance,
  options: RateLimitOptions,
  authenticate: (request: FastifyRequest) => AccountRow | undefined,
): Promise<void> {
  await app.register(fastifyRateLimit, { global: false });
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  const windowMs = options.windowMs;
  const byAddress = createLimiter(app, {
    max: options.addressMax ?? ADDRESS_FACTOR * options.max,
    windowMs,
    maxKeys,
  });
  const users = new WeakMap<FastifyRequest, string>();
  const byUser = createLimiter(app, {
    max: options.max,
    windowMs,
    maxKeys,
    key: (request) => users.get(request) ?? '',
  });
  app.addHook('onRequest', async (request, reply) => {
    const address = await byAddress(request);
    if (address.exceeded) refuse(reply, address, 'address', windowMs);
    const user = authenticate(request);
    if (!user) return setHeaders(reply, address);
    users.set(request, user.id);
    const own = await byUser(request);
    if (own.exceeded) refuse(reply, own, 'user', windowMs);
    setHeaders(reply, own);
  });
}

function setHeaders(reply: FastifyReply, decision: Decision): void {
  reply.header('x-ratelimit-limit', decision.limit);
  reply.header('x-ratelimit-remaining', decision.remaining);
  reply.header('x-ratelimit-reset', decision.resetSeconds);
}

function refuse(reply: FastifyReply, decision: Decision, scope: 'address' | 'user', windowMs: number): never {
  setHeaders(reply, decision);
  reply.header('retry-after', decision.resetSeconds);
  throw new ApiError(429, ErrorCode.rateLimited, 'Too many requests; retry later.', [
    {
      path: scope === 'user' ? 'headers.authorization' : 'ip',
      message: `at most ${decision.limit} requests per ${windowMs / 1000} s per ${scope}; retry in ${decision.resetSeconds} s`,
    },
  ]);
}
