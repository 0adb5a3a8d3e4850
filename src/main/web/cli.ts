import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppCore } from '../core/app-core';
import { defaultDataDir } from '../lib/paths';
import { parseCliArgs, USAGE } from './cli-args';
import { startBrowserMode, type BrowserMode, type BrowserModeOptions } from './server';
import { newBrowserKey, readBrowserSession, writeBrowserSession } from './session-file';

/**
 * Browser mode entry: `node out/main/web.js [--data DIR] [--port N] [--host 127.0.0.1] [--new-key]`. The same
 * core as the desktop app, reachable from any Chromium on this machine. Started again on the same data dir it
 * keeps its access key and (unless `--port` says otherwise, or the port is taken) its port, so tabs left open
 * reconnect by themselves; `--new-key` makes a new key (those tabs then need the new link).
 */
async function main(): Promise<void> {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.kind === 'help') return console.log(USAGE);
  if (args.kind === 'error') {
    console.error(`${args.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const { values } = args;
  const here = dirname(fileURLToPath(import.meta.url));
  const staticDir = resolve(values.static ?? findRendererBuild(here));
  const dataDir = resolve(values.data ?? defaultDataDir());
  const core = await AppCore.open({
    dataDir,
    mode: 'browser',
    version: process.env.npm_package_version ?? '0.1.0',
    onInternalError: (command, error) => console.error(`[core] ${command} failed:`, error),
  });
  const saved = readBrowserSession(dataDir);
  const secret = values['new-key'] || !saved ? newBrowserKey() : saved.key;
  const options = { core, staticDir, host: values.host, secret };
  const web =
    values.port !== undefined
      ? await startBrowserMode({ ...options, port: Number(values.port) })
      : await listenOnSavedPort(options, saved?.port ?? null);
  writeBrowserSession(dataDir, { key: secret, port: web.port });
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

/**
 * The port of the last run (where open tabs look for us), else any free one. A previous run still shutting
 * down may hold it for a moment, so it is tried for about two seconds.
 */
async function listenOnSavedPort(options: BrowserModeOptions, port: number | null): Promise<BrowserMode> {
  if (port === null) return startBrowserMode({ ...options, port: 0 });
  for (let attempt = 1; ; attempt++) {
    try {
      return await startBrowserMode({ ...options, port });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      if (attempt === 8) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  console.log(`Port ${port} (used last time) is taken; tabs left open on it must be opened again.`);
  return startBrowserMode({ ...options, port: 0 });
}

function findRendererBuild(here: string): string {
  const candidates = [resolve(here, '../renderer'), resolve(here, '../../../out/renderer')];
  return candidates.find((dir) => existsSync(resolve(dir, 'index.html'))) ?? candidates[0]!;
}

main().catch((error: unknown) => {
  console.error('Hoody Notes could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
