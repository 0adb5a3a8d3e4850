import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '../../shared/lib/result';

export interface RateLimitOptions {
  /** Requests allowed per key within one window. */
  max: number;
  windowMs: number;
}

interface Bucket {
  count: number;
  resetAt: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the key's window ends. */
  resetMs: number;
}

/**
 * Fixed window per key, the window starting at the key's first request (so a burst is never split across two
 * windows, unlike clock-aligned windows). Expired buckets are swept once per window, which bounds memory by the
 * keys seen in the last two windows.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private nextSweep = 0;

  constructor(readonly options: RateLimitOptions) {}

  hit(key: string, now = Date.now()): RateDecision {
    if (now >= this.nextSweep) {
      for (const [k, bucket] of this.buckets) if (bucket.resetAt <= now) this.buckets.delete(k);
      this.nextSweep = now + this.options.windowMs;
    }
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.resetAt <= now) {
      bucket = { count: 0, resetAt: now + this.options.windowMs };
      this.buckets.set(key, bucket);
    }
    bucket.count += 1;
    const { max } = this.options;
    return {
      allowed: bucket.count <= max,
      limit: max,
      remaining: Math.max(0, max - bucket.count),
      resetMs: bucket.resetAt - now,
    };
  }
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
 * Per-token limits for every HTTP request (the bearer token, hashed, is the key; requests without one are keyed
 * by address). Runs before the body is read, so an over-limit client costs almost nothing. Over the limit:
 * 429, `Retry-After` (seconds) and the error envelope with code `rate_limited`. WebSocket frames have their own
 * limits (`SyncLimits`).
 */
export function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): void {
  const limiter = new RateLimiter(options);
  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization;
    const key =
      typeof header === 'string' && header.length > 0
        ? `token:${createHash('sha256').update(header).digest('base64url')}`
        : `ip:${request.ip}`;
    const decision = limiter.hit(key);
    const resetSeconds = Math.max(1, Math.ceil(decision.resetMs / 1000));
    reply.header('x-ratelimit-limit', decision.limit);
    reply.header('x-ratelimit-remaining', decision.remaining);
    reply.header('x-ratelimit-reset', resetSeconds);
    if (decision.allowed) return;
    return reply
      .code(429)
      .header('retry-after', resetSeconds)
      .send({
        message: 'Too many requests; retry later.',
        code: ErrorCode.rateLimited,
        details: [
          {
            path: 'headers.authorization',
            message: `at most ${decision.limit} requests per ${options.windowMs / 1000} s; retry in ${resetSeconds} s`,
          },
        ],
      });
  });
}
