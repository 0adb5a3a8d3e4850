import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Upload } from 'tus-js-client';
import { AppCore } from '../../src/main/core/app-core';
import { DEFAULT_UPLOADER_OPTIONS } from '../../src/main/files/file-uploader';
import { startServer } from '../../src/server/server';
import { call } from '../support/core';
import { ratio } from './stats';

const MIB = 1024 * 1024;

/**
 * Upload throughput: a file (100 MiB; `FILES_BENCH_MIB` to change) uploaded by the app core (copied into the
 * account folder, then its TUS job) versus `tus-js-client` straight to the same server from the same file, same
 * chunk size, in the same run. Target: ours ≥ 80% of the baseline's throughput (issue 13).
 */
export async function filesBench(): Promise<Record<string, unknown>> {
  const mib = Number(process.env.FILES_BENCH_MIB ?? 100);
  const work = mkdtempSync(join(tmpdir(), 'hoody-files-bench-'));
  const server = await startServer({
    port: 0,
    dataDir: join(work, 'server'),
    heartbeatMs: 1_000,
    defaultMaxFileSize: (mib + 1) * MIB,
  });
  try {
    const token = server.createToken('bench');
    const source = join(work, 'source.bin');
    writeFileSync(source, randomBytes(mib * MIB));
    const core = await AppCore.open({ dataDir: join(work, 'device'), mode: 'browser' });
    const account = await call(core, 'account.add', { serverUrl: server.url, token });
    const notebookId = (await call(core, 'notebook.list', { accountId: account.id }))[0]!.id;

    const rawUpload = (path: string, size: number) =>
      new Promise<void>((resolve, reject) => {
        const id = `fl_bench${Date.now().toString(36)}${size}`;
        new Upload(createReadStream(path), {
          endpoint: `${server.url}/api/v1/notes/notebooks/${notebookId}/files/${id}/tus`,
          uploadSize: size,
          chunkSize: DEFAULT_UPLOADER_OPTIONS.chunkSize,
          storeFingerprintForResuming: false,
          headers: { authorization: `Bearer ${token}` },
          metadata: { filename: 'raw.bin' },
          onSuccess: () => resolve(),
          onError: reject,
        }).start();
      });
    // A warm-up (server and client code paths compiled) so the baseline is not measured cold.
    const warm = join(work, 'warm.bin');
    writeFileSync(warm, randomBytes(16 * MIB));
    await rawUpload(warm, 16 * MIB);
    const rawStarted = performance.now();
    await rawUpload(source, mib * MIB);
    const rawMs = performance.now() - rawStarted;

    try {
      const tree = await call(core, 'node.create', {
        accountId: account.id,
        notebookId,
        type: 'section',
        parentId: null,
        name: 'Bench',
      });
      const page = await call(core, 'node.create', {
        accountId: account.id,
        notebookId,
        type: 'page',
        parentId: tree.id,
        name: 'Upload',
      });
      const started = performance.now();
      const files = core.account(account.id).files;
      let fileId = '';
      const done = new Promise<void>((resolve) => {
        core.events.on((event) => {
          if (event.name !== 'file.changed') return;
          const payload = event.payload as { file: { id: string; state: string } };
          if (payload.file.id === fileId && payload.file.state === 'uploaded') resolve();
        });
      });
      const added = await files.addFromPath(page.id, { name: 'ours.bin', path: source });
      fileId = added.id;
      const copiedMs = performance.now() - started;
      if (files.get(fileId).state !== 'uploaded') await done;
      const oursMs = performance.now() - started;
      const mbps = (ms: number) => Math.round(((mib * MIB) / MIB / (ms / 1_000)) * 10) / 10;
      return {
        target: 'ours >= 0.8x tus-js-client straight to the server (throughput)',
        sizeMiB: mib,
        baselineTusJsClient: { ms: Math.round(rawMs), mibPerSecond: mbps(rawMs) },
        ours: { ms: Math.round(oursMs), copyIntoAccountMs: Math.round(copiedMs), mibPerSecond: mbps(oursMs) },
        oursVsBaseline: ratio(rawMs, oursMs),
      };
    } finally {
      core.close();
    }
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}
