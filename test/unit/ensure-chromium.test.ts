import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

/**
 * `scripts/ensure-chromium.sh`, which `npm test` runs before the E2E suite: it prints the Chromium to drive,
 * or says in one line how to get one and fails. Run with a PATH of our choosing (and no apt-get on it), so
 * the install branch is never taken here.
 */
const SCRIPT = resolve(import.meta.dirname, '../../scripts/ensure-chromium.sh');
const dir = mkdtempSync(join(tmpdir(), 'hoody-ensure-chromium-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(env: Record<string, string>) {
  const result = spawnSync('/bin/bash', [SCRIPT], { env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

function executable(name: string): string {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, 0o755);
  return path;
}

describe('ensure-chromium', () => {
  it('without Chromium or a way to install it: one line saying what to do, and a non-zero exit', () => {
    const result = run({ PATH: join(dir, 'empty') });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /apt-get install chromium/);
    assert.match(result.stderr, /CHROMIUM_PATH/);
  });

  it('finds a Chromium on PATH and prints its path', () => {
    const path = executable('chromium-browser');
    assert.deepEqual(run({ PATH: dir }), { status: 0, stdout: path, stderr: '' });
  });

  it('takes CHROMIUM_PATH first, and refuses one that is not an executable', () => {
    const chosen = executable('my-chrome');
    assert.equal(run({ PATH: dir, CHROMIUM_PATH: chosen }).stdout, chosen);
    const wrong = run({ PATH: dir, CHROMIUM_PATH: join(dir, 'missing') });
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /not an executable/);
  });
});
