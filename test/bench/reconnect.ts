/**
 * Reconnect figures for `npm run bench` (issue 10: after an outage one device caught up in 15 s, the other in
 * 54 s). Two devices (app cores with the default sync timings) on the reference server (in-process, on a fixed
 * port); the server stops, stays down `BENCH_RECONNECT_DOWN_MS` (default 15 s: long enough for an uncapped
 * backoff to grow) while each device renames a section, then starts again on the same port and data. Measured per
 * device and run: from the server listening again until the device's sync status is up to date (connected,
 * its rename sent). Baseline, same run: each device's first connect (`account.add` until up to date).
 * Target: p50 ≤ 3 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppCore } from '../../src/main/core/app-core';
import { startServer, type RunningServer } from '../../src/server/server';
import type { SyncStatusView } from '../../src/shared/contract';
import { call } from '../support/core';
import { ratio, summarize } from './stats';

const RUNS = Number(process.env.BENCH_RECONNECT_RUNS ?? 3);
const DOWN_MS = Number(process.env.BENCH_RECONNECT_DOWN_MS ?? 15_000);
const DEVICES = 2;

interface Device {
  core: AppCore;
  accountId: string;
  sectionId: string;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

const status = async (d: { core: AppCore; accountId: string }): Promise<SyncStatusView | undefined> =>
  (await call(d.core, 'sync.status', {})).find((s) => s.accountId === d.accountId);

/** Resolves with the time (performance.now) at which `check` first held, polled every 5 ms. */
async function when(what: string, check: () => Promise<boolean>, timeoutMs = 300_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now();
}

const upToDate = (d: { core: AppCore; accountId: string }) => async () =>
  (await status(d))?.connection === 'up_to_date';

export async function reconnectBench(): Promise<Record<string, unknown>> {
  const work = mkdtempSync(join(tmpdir(), 'hoody-bench-reconnect-'));
  const serverDir = join(work, 'server');
  const port = await freePort();
  let server: RunningServer = await startServer({ port, dataDir: serverDir });
  const devices: Device[] = [];
  const firstConnect: number[] = [];
  const reconnect: number[] = [];
  try {
    for (let i = 0; i < DEVICES; i++) {
      const core = await AppCore.open({ dataDir: join(work, `device-${i}`), mode: 'browser' });
      const started = performance.now();
      const account = await call(core, 'account.add', {
        serverUrl: server.url,
        token: server.createToken(`user${i}`),
      });
      firstConnect.push((await when('first connect', upToDate({ core, accountId: account.id }))) - started);
      const [notebook] = await call(core, 'notebook.list', { accountId: account.id });
      if (!notebook) throw new Error('bench: no notebook mirrored');
      const page = await call(core, 'node.create', {
        accountId: account.id,
        notebookId: notebook.id,
        type: 'section',
        parentId: null,
        name: 'Outage',
      });
      devices.push({ core, accountId: account.id, sectionId: page.id });
    }
    for (const d of devices) await when('the first page sent', upToDate(d));

    for (let run = 0; run < RUNS; run++) {
      await server.close();
      for (const d of devices) {
        await when('offline', async () => (await status(d))?.connection === 'offline');
        await call(d.core, 'node.update', {
          accountId: d.accountId,
          nodeId: d.sectionId,
          name: `Outage ${run}`,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
      server = await startServer({ port, dataDir: serverDir });
      const back = performance.now();
      const times = await Promise.all(devices.map((d) => when('reconnected', upToDate(d))));
      reconnect.push(...times.map((t) => t - back));
    }
  } finally {
    for (const d of devices) d.core.close();
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
  const back = summarize(reconnect);
  const baseline = summarize(firstConnect);
  return {
    target: 'p50 <= 3000 ms from the server listening again until every device is up to date',
    outageMs: DOWN_MS,
    runs: RUNS,
    devices: DEVICES,
    reconnectMs: {
      ...back,
      max: Math.round(Math.max(...reconnect)),
      p50VsFirstConnect: ratio(back.p50, baseline.p50),
    },
    firstConnectBaselineMs: baseline,
  };
}
