import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runUntilKilled, type Ack } from '../support/kill-harness';
import { seededRandom } from '../support/random';
import {
  FaultProxy,
  openDevice,
  ProxyMode,
  startTestServer,
  syncStatus,
  waitFor,
  waitUpToDate,
} from '../support/sync';
import { call } from '../support/core';
import { tempDir } from '../support/temp';

/** Per-commit runs kill once at each point; KILL_TRIALS=100 (or more) for the full battery (S6). */
const TRIALS = Number(process.env.KILL_TRIALS ?? 4);
const SEED = Number(process.env.KILL_SEED ?? 60606);

/**
 * Where a trial's SIGKILL lands:
 * - `afterCommit`: right after a write was acknowledged locally, before the sync engine could send it;
 * - `inFlight`: a batch was sent but never reached the server (the proxy holds it), so nothing may be
 *   marked as confirmed;
 * - `afterServerAck`: the server applied a batch but its answer never reached the client, which dies
 *   before it could mark anything (the proxy swallows the answer, then the parent kills);
 * - `anytime`: a random moment, so kills also land mid-send and mid-mark.
 */
const KillPoint = {
  afterCommit: 'afterCommit',
  inFlight: 'inFlight',
  afterServerAck: 'afterServerAck',
  anytime: 'anytime',
} as const;
type KillPoint = (typeof KillPoint)[keyof typeof KillPoint];
const KILL_POINTS = Object.values(KillPoint);

interface RestNode {
  id: string;
  name?: string;
}

describe('sync kill durability (S6: SIGKILL between local commit, send, server ack and local mark)', () => {
  it(
    `after ${TRIALS} kills every acknowledged write reaches the server exactly once`,
    { timeout: 900_000 },
    async () => {
      const random = seededRandom(SEED);
      const server = await startTestServer();
      const token = server.createToken('killed');
      const proxy = await FaultProxy.start(server.url);
      const dataDir = tempDir('kill-device');
      const acked: Ack[] = [];
      for (let trial = 0; trial < TRIALS; trial++) {
        const point: KillPoint = KILL_POINTS[trial % KILL_POINTS.length]!;
        let shouldKill: (acks: readonly Ack[], msSinceReady: number) => boolean;
        if (point === KillPoint.afterCommit) {
          const after = 1 + Math.floor(random() * 20);
          shouldKill = (acks) => acks.length >= after;
        } else if (point === KillPoint.inFlight) {
          proxy.mode = ProxyMode.holdMutations;
          const heldBefore = proxy.heldMutationBatches;
          shouldKill = () => proxy.heldMutationBatches > heldBefore;
        } else if (point === KillPoint.afterServerAck) {
          proxy.mode = ProxyMode.loseMutationAnswers;
          const lostBefore = proxy.lostMutationAnswers;
          shouldKill = () => proxy.lostMutationAnswers > lostBefore;
        } else {
          const lifetime = 20 + Math.floor(random() * 400);
          shouldKill = (_acks, msSinceReady) => msSinceReady >= lifetime;
        }
        const acks = await runUntilKilled(
          'test/support/sync-kill-writer.ts',
          [dataDir, proxy.url, token, `t${trial}`],
          shouldKill,
        );
        proxy.mode = ProxyMode.pass;
        acked.push(...acks);
      }
      if (TRIALS >= KILL_POINTS.length)
        assert.ok(
          proxy.lostMutationAnswers > 0 && proxy.heldMutationBatches > 0,
          'some trials died with a batch in flight and after a server ack they never received',
        );

      // The device restarts once more, without a kill, and sends whatever is left.
      const device = await openDevice(SEED, { dataDir });
      const [account] = (await call(device, 'account.list', {})).filter((a) => a.kind === 'server');
      assert.ok(account, 'the server account survived every kill');
      await waitUpToDate(device, account.id, 60_000);
      await waitFor(
        'an empty outbox',
        async () => (await syncStatus(device, account.id)).pending === 0,
        30_000,
      );
      const outbox = await call(device, 'sync.outbox', { accountId: account.id });
      assert.deepEqual(
        outbox.map((entry) => `${entry.type} ${entry.status} ${entry.lastError ?? ''}`),
        [],
        'nothing was rejected or left behind',
      );

      // The server's truth: each acknowledged page exists exactly once, with its text exactly once.
      const headers = { authorization: `Bearer ${token}` };
      const api = `${server.url}/api/v1/notes`;
      const notebooks = (await (await fetch(`${api}/notebooks`, { headers })).json()) as {
        notebooks: { id: string }[];
      };
      const notebookId = notebooks.notebooks[0]!.id;
      const pages: RestNode[] = [];
      for (let offset = 0; ; offset += 500) {
        const page = (await (
          await fetch(`${api}/notebooks/${notebookId}/nodes?type=page&limit=500&offset=${offset}`, {
            headers,
          })
        ).json()) as { nodes: RestNode[]; total: number };
        pages.push(...page.nodes);
        if (pages.length >= page.total || page.nodes.length === 0) break;
      }
      const byName = new Map<string, number>();
      for (const p of pages) byName.set(p.name ?? '', (byName.get(p.name ?? '') ?? 0) + 1);
      for (const ack of acked.filter((a) => a.kind === 'page')) {
        assert.equal(byName.get(ack.detail), 1, `page ${ack.detail} is on the server exactly once`);
      }
      for (const ack of acked.filter((a) => a.kind === 'doc')) {
        const response = await fetch(`${api}/notebooks/${notebookId}/nodes/${ack.id}/document?output=md`, {
          headers,
        });
        assert.equal(response.status, 200, `document of ${ack.detail}`);
        const markdown = await response.text();
        assert.equal(
          markdown.split(ack.detail).length - 1,
          1,
          `"${ack.detail}" is on the server exactly once`,
        );
      }
      assert.ok(
        acked.some((a) => a.kind === 'doc'),
        `the trials acknowledged document edits (seed ${SEED})`,
      );
    },
  );
});
