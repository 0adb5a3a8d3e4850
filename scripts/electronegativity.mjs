// Electronegativity (Doyensec's Electron security linter) over src/: fails on any medium or high finding.
// Deliberate exceptions are `eng-disable` comments on the line, each with its reason just above it.
// It tries to fetch Electron's release list first; offline it says so and goes on (the version is pinned).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const electron = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const dir = mkdtempSync(join(tmpdir(), 'electronegativity-'));
const csv = join(dir, 'findings.csv');
try {
  const run = spawnSync(
    join(root, 'node_modules/.bin/electronegativity'),
    ['-i', join(root, 'src'), '-r', '-v', 'false', '-e', electron, '-o', csv],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    process.exit(run.status ?? 1);
  }
  const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1);
  const serious = rows.filter((row) => /^[A-Z_]+,"(HIGH|MEDIUM)"/.test(row));
  for (const row of rows) console.log(row);
  console.log(
    `electronegativity: ${rows.length} findings, ${serious.length} high/medium (Electron ${electron})`,
  );
  process.exit(serious.length === 0 ? 0 : 1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
