import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyRequest } from 'fastify';
import { createLimiter, parseRateLimit } from '../../src/server/http/rate-limit';
import { createToken } from '../../src/server/services/tokens';
import { openDatabase } from '../../src/server/storage/sqlite';
import { SqliteNotesRepository } from '../../src/server/storage/sqlite-repository';
import { Client, envelope, spawnServer, useServer } from './helpers';

const LIMIT = 10;
/** Per address: room for four users' bursts of 2 × LIMIT from one address. */
const ADDRESS_LIMIT = 4 * LIMIT;
const WINDOW_SECONDS = 60;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * GET /api/v1/notes<path> sent from `localAddress` (any 127.x.y.z is this machine on Linux), so one test can
 * be several client addresses.
 */
function getFrom(url: string, localAddress: string, path: string, token?: string): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        localAddress,
        agent: false,
        path: `/api/v1/notes${path}`,
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) as unknown }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const count = (answers: Answer[], status: number) => answers.filter((a) => a.status === status).length;

function assertRefused(answer: Answer, limit: number, path: string): void {
  assert.equal(answer.status, 429);
  const retryAfter = Number(answer.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= WINDOW_SECONDS, `${retryAfter}`);
  const body = envelope(answer.body);
  assert.equal(body.code, 'rate_limited');
  assert.equal(body.details[0]?.path, path);
  assert.equal(answer.headers['x-ratelimit-limit'], String(limit));
  assert.equal(answer.headers['x-ratelimit-remaining'], '0');
}

describe('rate limits (A3)', () => {
  const { server } = useServer({
    rateLimit: { max: LIMIT, windowMs: WINDOW_SECONDS * 1000, addressMax: ADDRESS_LIMIT },
  });
  const burst = (address: string, tokens: string[], count: number, path = '/notebooks') =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        getFrom(server().url, address, path, tokens[i % tokens.length]),
      ),
    );

  it('bursts of 2 × the limit from two tokens and many forged ones at once: exactly the limit each, the rest 429', async () => {
    const alice = server().createToken('a3-alice');
    const bob = server().createToken('a3-bob');
    const forged = Array.from({ length: 2 * ADDRESS_LIMIT }, (_, i) => `hn_forged${i}${'x'.repeat(30)}`);
    const [a, b, f] = await Promise.all([
      burst('127.0.0.2', [alice], 2 * LIMIT),
      burst('127.0.0.3', [bob], 2 * LIMIT),
      burst('127.0.0.4', forged, 2 * ADDRESS_LIMIT),
    ]);
    for (const answers of [a, b]) {
      assert.equal(count(answers, 200), LIMIT, 'exactly the limit succeeds per user');
      assert.equal(count(answers, 429), LIMIT, 'the rest are 429');
      for (const answer of answers.filter((x) => x.status === 429))
        assertRefused(answer, LIMIT, 'headers.authorization');
      for (const answer of answers.filter((x) => x.status === 200)) {
        assert.equal(answer.headers['x-ratelimit-limit'], String(LIMIT));
      }
    }
    // Every forged token is one more request of its sender's address, never a bucket of its own.
    assert.equal(count(f, 401), ADDRESS_LIMIT, 'the address gets its limit of (failing) attempts');
    assert.equal(count(f, 429), ADDRESS_LIMIT);
    for (const answer of f.filter((x) => x.status === 429)) assertRefused(answer, ADDRESS_LIMIT, 'ip');
    // The other users were not touched by any of that.
    const carol = server().createToken('a3-carol');
    assert.equal((await getFrom(server().url, '127.0.0.2', '/notebooks', carol)).status, 200);
  });

  it('counts every request of one address before authentication, then each user apart', async () => {
    const users = ['a3-dora', 'a3-eve'].map((name) => server().createToken(name));
    const [d, e] = await Promise.all(users.map((token) => burst('127.0.0.5', [token], 2 * LIMIT)));
    for (const answers of [d!, e!]) assert.equal(count(answers, 200), LIMIT);
    // Both users' 4 × LIMIT requests used up the address: a third user there is refused before authentication.
    const frank = server().createToken('a3-frank');
    assertRefused(await getFrom(server().url, '127.0.0.5', '/notebooks', frank), ADDRESS_LIMIT, 'ip');
    assert.equal((await getFrom(server().url, '127.0.0.6', '/notebooks', frank)).status, 200);
  });

  it("limits a user, not a token: two tokens of one account share the account's limit", async () => {
    const first = server().createToken('a3-gina');
    const second = server().createToken('a3-gina');
    const answers = await burst('127.0.0.7', [first, second], 2 * LIMIT);
    assert.equal(count(answers, 200), LIMIT);
    assert.equal(count(answers, 429), LIMIT);
  });

  it('limits requests without a token, and unknown routes, by address', async () => {
    const health = await burst('127.0.0.8', [], ADDRESS_LIMIT / 2, '/health');
    const unknown = await burst('127.0.0.8', [], ADDRESS_LIMIT, '/no-such-route');
    assert.equal(count(health, 200), ADDRESS_LIMIT / 2);
    assert.equal(health[0]?.headers['x-ratelimit-limit'], String(ADDRESS_LIMIT));
    assert.equal(count(unknown, 404), ADDRESS_LIMIT / 2);
    assert.equal(count(unknown, 429), ADDRESS_LIMIT / 2);
  });

  it('is off by default (other suites are not limited)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'notes-rate-'));
    const { startServer } = await import('../../src/server/server');
    const unlimited = await startServer({ port: 0, dataDir: dir });
    try {
      const user = new Client(unlimited.url, unlimited.createToken('free'), 'free');
      const responses = await Promise.all(Array.from({ length: 3 * LIMIT }, () => user.get('/notebooks')));
      assert.ok(responses.every((r) => r.status === 200));
      assert.equal(responses[0]?.headers.get('x-ratelimit-limit'), null);
    } finally {
      await unlimited.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** A limiter outside any server; its requests carry only what the limiter reads. */
async function bareLimiter(options: { max: number; windowMs: number; maxKeys: number }) {
  const app = Fastify();
  await app.register(fastifyRateLimit, { global: false });
  const limiter = createLimiter(app, options);
  const hit = (ip: string) => limiter({ ip, routeOptions: { config: {} } } as unknown as FastifyRequest);
  return { hit, close: () => app.close() };
}

describe('rate limiter', () => {
  it('starts a window at the first request and resets after it', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 100 });
    const { hit, close } = await bareLimiter({ max: 2, windowMs: 1_000, maxKeys: 10 });
    const exceeded: boolean[] = [];
    for (const at of [100, 200, 300]) {
      t.mock.timers.setTime(at);
      exceeded.push((await hit('10.0.0.1')).exceeded);
    }
    assert.deepEqual(exceeded, [false, false, true]);
    t.mock.timers.setTime(1_099);
    assert.equal((await hit('10.0.0.1')).exceeded, true, 'still the first window');
    t.mock.timers.setTime(1_100);
    assert.equal((await hit('10.0.0.1')).exceeded, false, 'a new window');
    assert.equal((await hit('10.0.0.2')).remaining, 1, 'addresses are independent');
    // One IPv6 client is its /64, whatever interface id it picks.
    await hit('2001:db8:1:2::1');
    assert.equal((await hit('2001:db8:1:2:ffff::9')).remaining, 0);
    await close();
  });

  it('keeps its memory bounded by maxKeys however many addresses it sees (measured)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const KEYS = 50_000;
    const growth = async (maxKeys: number) => {
      const { hit, close } = await bareLimiter({ max: 5, windowMs: 60_000, maxKeys });
      // Warm up past maxKeys first, so what follows measures the steady state.
      for (let i = 0; i < 2_000; i++) await hit(`10.1.${i >> 8}.${i & 255}`);
      gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < KEYS; i++) await hit(`10.${2 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`);
      gc();
      const grown = process.memoryUsage().heapUsed - before;
      await close();
      return grown;
    };
    const bounded = await growth(1_000);
    const unbounded = await growth(10 * KEYS);
    process.stdout.write(
      `# ${KEYS} new addresses: heap +${(bounded / 1e6).toFixed(2)} MB with maxKeys 1000, ` +
        `+${(unbounded / 1e6).toFixed(2)} MB unbounded\n`,
    );
    assert.ok(unbounded > 5e6, `the measurement sees ${KEYS} remembered keys (${unbounded} bytes)`);
    assert.ok(bounded < unbounded / 10, `bounded: +${bounded} bytes against +${unbounded}`);
  });

  it('parses the CLI flag', () => {
    assert.deepEqual(parseRateLimit('600/30'), { max: 600, windowMs: 30_000 });
    assert.deepEqual(parseRateLimit('120'), { max: 120, windowMs: 60_000 });
    assert.equal(parseRateLimit('off'), false);
    for (const bad of ['', 'x', '10/0', '-1', '5/5/5']) assert.equal(parseRateLimit(bad), undefined, bad);
  });

  it(
    'is configured by `--rate-limit` and `--address-rate-limit` on the command line',
    { timeout: 120_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'notes-rate-cli-'));
      const repo = new SqliteNotesRepository(openDatabase(dir));
      const { token } = createToken(repo, 'cli-user');
      repo.close();
      const server = await spawnServer(dir, ['--rate-limit', '3/60', '--address-rate-limit', '5']);
      try {
        const statuses = [];
        for (let i = 0; i < 4; i++)
          statuses.push((await getFrom(server.url, '127.0.0.1', '/me', token)).status);
        for (let i = 0; i < 2; i++) statuses.push((await getFrom(server.url, '127.0.0.1', '/health')).status);
        assert.deepEqual(statuses, [200, 200, 200, 429, 200, 429], 'the user stops at 3, the address at 5');
      } finally {
        server.process.kill('SIGTERM');
        await server.exited;
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
