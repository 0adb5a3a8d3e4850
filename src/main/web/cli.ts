import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppCore } from '../core/app-core';
import { defaultDataDir } from '../core/paths';
import { startBrowserMode } from './server';

/**
 * Browser mode entry: `node out/main/web.js [--data DIR] [--port N] [--host 127.0.0.1]`. The same core as
 * the desktop app, reachable from any Chromium on this machine.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      static: { type: 'string' },
      reason: { type: 'string' },
    },
  });
  const here = dirname(fileURLToPath(import.meta.url));
  const staticDir = resolve(values.static ?? findRendererBuild(here));
  const dataDir = resolve(values.data ?? defaultDataDir());
  const core = await AppCore.open({
    dataDir,
    mode: 'browser',
    version: process.env.npm_package_version ?? '0.1.0',
    onInternalError: (command, error) => console.error(`[core] ${command} failed:`, error),
  });
  const web = await startBrowserMode({ core, staticDir, port: Number(values.port), host: values.host });
  if (values.reason) console.log(values.reason);
  console.log(`Hoody Notes is running in browser mode. Data: ${dataDir}`);
  console.log(`Open ${web.url}`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void web.close().finally(() => {
      core.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function findRendererBuild(here: string): string {
  const candidates = [resolve(here, '../renderer'), resolve(here, '../../../out/renderer')];
  return candidates.find((dir) => existsSync(resolve(dir, 'index.html'))) ?? candidates[0]!;
}

main().catch((error: unknown) => {
  console.error('Hoody Notes could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
