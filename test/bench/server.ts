/**
 * Server figures for `npm run bench` (issue 3): applying 10,000 mutations over HTTP vs raw SQLite inserts of
 * the same rows, and REST `GET node` latency under 50 concurrent clients vs the trivial health route on the
 * same Fastify instance.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startServer } from '../../src/server/server';
import { openSqlite } from '../../src/main/db/open';
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

export async function serverBench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'hoody-server-bench-'));
  const server = await startServer({ port: 0, dataDir: join(dir, 'server') });
  try {
    const api: Api = { url: server.url, token: server.createToken('bench') };
    const me = await request<{ userId: string; notebookId: string }>(api, 'GET', '/me');
    const { pageIds, mutations } = mutationStream(me.userId, TOTAL);

    const started = performance.now();
    let failed = 0;
    for (let i = 0; i < mutations.length; i += BATCH) {
      const answer = await request<{ results: { status: number }[] }>(
        api,
        'POST',
        `/notebooks/${me.notebookId}/mutations`,
        {
          mutations: mutations.slice(i, i + BATCH),
        },
      );
      failed += answer.results.filter((r) => r.status >= 300).length;
    }
    const applyMs = performance.now() - started;

    // The floor: the same rows (id + Yjs blob) inserted raw, one transaction per batch, same durability.
    const raw = openSqlite(join(dir, 'raw.db'));
    raw.exec(
      'CREATE TABLE updates (id TEXT PRIMARY KEY, object_id TEXT NOT NULL, data BLOB NOT NULL, revision INTEGER NOT NULL)',
    );
    const insert = raw.prepare('INSERT INTO updates VALUES (?, ?, ?, ?)');
    const rawStarted = performance.now();
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
    const rawMs = performance.now() - rawStarted;
    raw.close();

    const cannon = (path: string) =>
      autocannon({
        url: `${server.url}/api/v1/notes${path}`,
        connections: 50,
        duration: 5,
        headers: { authorization: `Bearer ${api.token}` },
      });
    const nodeResult = await cannon(`/notebooks/${me.notebookId}/nodes/${pageIds[0]!}`);
    const healthResult = await cannon('/health');
    return {
      applyMutations: {
        target: '<= 1 s and <= 4x raw inserts of the same rows',
        mutations: mutations.length,
        batch: BATCH,
        rejected: failed,
        applyMs: Math.round(applyMs),
        rawInsertMs: Math.round(rawMs),
        vsRaw: ratio(applyMs, rawMs),
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
