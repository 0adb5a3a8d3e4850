import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseRateLimit, RateLimiter } from '../../src/server/http/rate-limit';
import { Client, envelope, spawnServer, useServer, type ApiResponse } from './helpers';

const LIMIT = 10;

/** A3: `2 × limit` requests at once from each of two tokens, in parallel. */
async function burst(client: Client, count: number): Promise<ApiResponse[]> {
  return Promise.all(Array.from({ length: count }, () => client.get('/notebooks')));
}

function assertLimited(responses: ApiResponse[], limit: number, windowSeconds: number): void {
  const ok = responses.filter((r) => r.status === 200);
  const limited = responses.filter((r) => r.status === 429);
  assert.equal(ok.length, limit, `exactly ${limit} successes`);
  assert.equal(limited.length, responses.length - limit, 'the rest are 429');
  for (const response of limited) {
    const retryAfter = Number(response.headers.get('retry-after'));
    assert.ok(
      Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= windowSeconds,
      `${retryAfter}`,
    );
    assert.equal(envelope(response.body).code, 'rate_limited');
    assert.equal(response.headers.get('x-ratelimit-remaining'), '0');
  }
  for (const response of ok) assert.equal(response.headers.get('x-ratelimit-limit'), String(limit));
}

describe('rate limits (A3)', () => {
  const { client, server } = useServer({ rateLimit: { max: LIMIT, windowMs: 60_000 } });

  it('gives each token exactly its limit per window, the rest 429 + Retry-After; tokens are isolated', async () => {
    const alice = client();
    const bob = client();
    const [a, b] = await Promise.all([burst(alice, 2 * LIMIT), burst(bob, 2 * LIMIT)]);
    assertLimited(a, LIMIT, 60);
    assertLimited(b, LIMIT, 60);
    // A third token is untouched by the other two being limited.
    const carol = client();
    assert.equal((await carol.get('/notebooks')).status, 200);
    // Requests without a token are keyed by address, not by anyone's token.
    const anonymous = new Client(server().url, null, 'nobody');
    assert.equal((await anonymous.get('/health')).status, 200);
  });

  it('is off by default (other suites are not limited)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'notes-rate-'));
    const { startServer } = await import('../../src/server/server');
    const unlimited = await startServer({ port: 0, dataDir: dir });
    try {
      const user = new Client(unlimited.url, unlimited.createToken('free'), 'free');
      const responses = await burst(user, 3 * LIMIT);
      assert.ok(responses.every((r) => r.status === 200));
      assert.equal(responses[0]?.headers.get('x-ratelimit-limit'), null);
    } finally {
      await unlimited.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('rate limiter', () => {
  it('starts a window at the first request and resets after it', () => {
    const limiter = new RateLimiter({ max: 2, windowMs: 1_000 });
    assert.deepEqual(
      [100, 200, 300].map((t) => limiter.hit('k', t).allowed),
      [true, true, false],
    );
    assert.equal(limiter.hit('k', 1_099).resetMs, 1);
    assert.equal(limiter.hit('k', 1_100).allowed, true, 'a new window');
    assert.equal(limiter.hit('other', 1_100).remaining, 1, 'keys are independent');
  });

  it('parses the CLI flag', () => {
    assert.deepEqual(parseRateLimit('600/30'), { max: 600, windowMs: 30_000 });
    assert.deepEqual(parseRateLimit('120'), { max: 120, windowMs: 60_000 });
    assert.equal(parseRateLimit('off'), false);
    for (const bad of ['', 'x', '10/0', '-1', '5/5/5']) assert.equal(parseRateLimit(bad), undefined, bad);
  });

  it('is configured by `--rate-limit` on the command line', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'notes-rate-cli-'));
    const server = await spawnServer(dir, ['--rate-limit', '3/60']);
    try {
      const anonymous = new Client(server.url, null, 'nobody');
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await anonymous.get('/health')).status);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
