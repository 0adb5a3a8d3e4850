import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { PROTOCOL_VERSION, StreamType, type ServerFrame } from '../../src/shared/api/sync-protocol';
import type { Mutation } from '../../src/shared/model/mutations';
import { seededRandom } from '../support/random';
import { Client, spawnServer, type ServerProcess } from './helpers';
import { mutationStream } from './mutation-stream';

/**
 * S7 of the reliability battery: SIGKILL the server in the middle of a mutation batch, restart it on the same
 * data dir, and check that the batch is all-or-nothing, that revisions stay monotonic so a client cursor taken
 * before the crash misses nothing, and that re-sending the batch applies every mutation exactly once.
 * Per-commit runs use a few trials; SERVER_KILL_TRIALS=200 for the full battery.
 */
const TRIALS = Number(process.env.SERVER_KILL_TRIALS ?? 2);
const SEED = Number(process.env.SERVER_KILL_SEED ?? 7007);
const BATCH = 500;
const CLI = ['--import', 'tsx', 'src/server/cli.ts'];
const run = promisify(execFile);

interface Results {
  results: { id: string; status: number }[];
}

function startChild(dataDir: string, killAfterMutations?: number): Promise<ServerProcess> {
  const env = { ...process.env };
  if (killAfterMutations === undefined) delete env.NOTES_SERVER_KILL_AFTER_MUTATIONS;
  else env.NOTES_SERVER_KILL_AFTER_MUTATIONS = String(killAfterMutations);
  return spawnServer(dataDir, [], env);
}

/** Reads a stream over a real socket from `cursor` until the server parks the input; returns its items. */
async function drain(
  client: Client,
  stream: { type: string; notebookId: string; rootId: string },
  cursor: string,
): Promise<{ cursor: string; id: string }[]> {
  const socketId = (await client.post<{ id: string }>('/sockets')).body.id;
  const ws = new WebSocket(`${client.baseUrl.replace('http', 'ws')}/api/v1/notes/sockets/${socketId}`);
  const items: { cursor: string; id: string }[] = [];
  await new Promise<void>((resolve, reject) => {
    let idle: NodeJS.Timeout | undefined;
    const finish = () => {
      ws.close();
      resolve();
    };
    const ask = (from: string) => {
      clearTimeout(idle);
      ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'sync.input', id: 'crash', stream, cursor: from }));
      idle = setTimeout(finish, 500);
    };
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as ServerFrame;
      if (frame.type === 'hello') ask(cursor);
      if (frame.type === 'sync.error') reject(new Error(JSON.stringify(frame)));
      if (frame.type !== 'sync.output') return;
      for (const item of frame.items)
        items.push({ cursor: item.cursor, id: (item.data as { id: string }).id });
      ask(frame.items.at(-1)!.cursor);
    });
  });
  return items;
}

/** What the server's database holds (opened read-only while the server is down). */
function inspect(dataDir: string, mutationIds: string[], updateIds: string[]) {
  const db = new Database(join(dataDir, 'notes.db'), { readonly: true });
  try {
    const count = (sql: string, ids: string[]) =>
      (db.prepare(sql).get(JSON.stringify(ids)) as { n: number }).n;
    const maxRevision = Math.max(
      ...[
        'node_updates',
        'document_updates',
        'node_tombstones',
        'node_reactions',
        'node_interactions',
        'notebook_users',
        'collaborations',
        'nodes',
        'documents',
      ].map(
        (table) =>
          (db.prepare(`SELECT max(revision) AS r FROM ${table}`).get() as { r: number | null }).r ?? 0,
      ),
    );
    return {
      integrity: db.pragma('integrity_check', { simple: true }) as string,
      applied: count(
        `SELECT count(*) AS n FROM applied_mutations WHERE id IN (SELECT value FROM json_each(?))`,
        mutationIds,
      ),
      updates:
        count(
          `SELECT count(*) AS n FROM node_updates WHERE id IN (SELECT value FROM json_each(?))`,
          updateIds,
        ) +
        count(
          `SELECT count(*) AS n FROM document_updates WHERE id IN (SELECT value FROM json_each(?))`,
          updateIds,
        ),
      counter: (db.prepare(`SELECT value FROM counters WHERE name = 'revision'`).get() as { value: number })
        .value,
      maxRevision,
    };
  } finally {
    db.close();
  }
}

const updateIdOf = (mutation: Mutation): string | undefined =>
  'updateId' in mutation.data ? mutation.data.updateId : undefined;

describe('server crash mid-batch (S7)', () => {
  it(
    `SIGKILL during a ${BATCH}-mutation batch: all-or-nothing, no skipped revisions, exactly-once on retry (${TRIALS} trials)`,
    { timeout: 600_000 },
    async () => {
      const random = seededRandom(SEED);
      const dataDir = await mkdtemp(join(tmpdir(), 'notes-server-crash-'));
      try {
        const { stdout } = await run(process.execPath, [
          ...CLI,
          'token',
          'create',
          'crasher',
          '--data',
          dataDir,
        ]);
        const token = stdout.trim().split('\n').at(-1)!;
        let midBatchKills = 0;
        for (let trial = 0; trial < TRIALS; trial++) {
          // Even trials kill at a chosen mutation inside the transaction; odd ones at a random moment.
          const killAt = trial % 2 === 0 ? 1 + Math.floor(random() * (BATCH - 1)) : undefined;
          let server = await startChild(dataDir, killAt);
          let client = new Client(server.url, token, 'crasher');
          const { userId, notebookId } = await client.me();
          const section = await client.createNode(notebookId, 'section', null);
          const stream = { type: StreamType.nodeUpdates, notebookId, rootId: section.id };
          const before = await drain(client, stream, '0');
          assert.ok(before.length >= 1, 'the section itself is on the stream');
          const cursor = before.at(-1)!.cursor;
          const { mutations } = mutationStream(userId, BATCH, section.id);
          const mutationIds = mutations.map((m) => m.id);
          const updateIds = mutations.flatMap((m) => updateIdOf(m) ?? []);

          const sent = client
            .post<Results>(`/notebooks/${notebookId}/mutations`, { mutations })
            .then((response) => response.status)
            .catch(() => 'no answer' as const);
          if (killAt === undefined) {
            await new Promise((resolve) => setTimeout(resolve, random() * 400));
            server.process.kill('SIGKILL');
          }
          assert.equal(await server.exited, 'SIGKILL');
          const answer = await sent;

          const afterCrash = inspect(dataDir, mutationIds, updateIds);
          assert.equal(afterCrash.integrity, 'ok');
          assert.ok(
            afterCrash.applied === 0 || afterCrash.applied === BATCH,
            `batch half-applied: ${afterCrash.applied} of ${BATCH} mutations remembered`,
          );
          assert.equal(afterCrash.updates, afterCrash.applied === 0 ? 0 : updateIds.length);
          assert.ok(
            afterCrash.counter >= afterCrash.maxRevision,
            'the revision counter is never behind a row',
          );
          if (killAt !== undefined) assert.equal(afterCrash.applied, 0, 'killed before commit: nothing');
          if (afterCrash.applied === 0) midBatchKills += 1;
          if (answer === 200) assert.equal(afterCrash.applied, BATCH, 'an answered batch is durable');

          // Restart on the same data dir; the client re-sends the batch (twice: the second is a pure replay).
          server = await startChild(dataDir);
          client = new Client(server.url, token, 'crasher');
          const retry = await client.post<Results>(`/notebooks/${notebookId}/mutations`, { mutations });
          assert.equal(retry.status, 200);
          assert.ok(
            retry.body.results.every((r) => r.status === 200 || r.status === 201),
            JSON.stringify(retry.body.results.filter((r) => r.status >= 300).slice(0, 3)),
          );
          const replay = await client.post<Results>(`/notebooks/${notebookId}/mutations`, { mutations });
          assert.deepEqual(
            replay.body.results.map((r) => r.status),
            retry.body.results.map((r) => r.status),
            'a replay answers the first statuses again',
          );
          // The cursor taken before the crash still sees every node update of the batch, once, in order.
          const seen = await drain(client, stream, cursor);
          const nodeUpdateIds = mutations.flatMap((m) =>
            m.type.startsWith('node.') ? (updateIdOf(m) ?? []) : [],
          );
          assert.deepEqual(
            seen.map((item) => item.id).sort(),
            [...nodeUpdateIds].sort(),
            'exactly the batch, each update once',
          );
          const cursors = seen.map((item) => BigInt(item.cursor));
          assert.ok(
            cursors.every((value, i) => value > BigInt(cursor) && (i === 0 || value > cursors[i - 1]!)),
            'revisions strictly ascending after the pre-crash cursor',
          );
          server.process.kill('SIGTERM');
          await server.exited;
          const final = inspect(dataDir, mutationIds, updateIds);
          assert.equal(final.applied, BATCH, 'every mutation remembered once');
          assert.equal(final.updates, updateIds.length, 'every update stored exactly once');
        }
        assert.ok(midBatchKills >= Math.ceil(TRIALS / 2), 'the injected kills landed before commit');
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  );
});
