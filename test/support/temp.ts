import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { AppCore } from '../../src/main/core/app-core';
import type { Clock } from '../../src/main/lib/clock';

/** A fresh directory removed when the test file finishes. */
export function tempDir(label = 'hoody'): string {
  const dir = mkdtempSync(join(tmpdir(), `${label}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A real core over real SQLite files in a temp dir, closed after the test file. */
export async function openTestCore(
  dataDir = tempDir('core'),
  clock?: Clock,
  options: { searchUpkeepAfterMs?: number } = {},
): Promise<AppCore> {
  const core = await AppCore.open({ dataDir, mode: 'browser', ...(clock ? { clock } : {}), ...options });
  after(() => {
    try {
      core.close();
    } catch {
      // already closed by the test
    }
  });
  return core;
}

export { call } from './core';
