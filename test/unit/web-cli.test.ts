import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parseCliArgs } from '../../src/main/web/cli-args';

/** Browser mode's command line: `node out/main/web.js --help` and friends (the entry run for real). */
const CLI = resolve(import.meta.dirname, '../../src/main/web/cli.ts');
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('browser mode command line', () => {
  it('--help and -h print the usage and exit 0 without starting a core', () => {
    for (const flag of ['--help', '-h']) {
      const result = run(flag);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^Usage: node out\/main\/web\.js/);
      for (const option of ['--data DIR', '--port N', '--host ADDR', '--new-key', '--help'])
        assert.ok(result.stdout.includes(option), option);
      assert.match(result.stdout, /\?view=capture#k=/, 'says where the capture view goes');
      assert.doesNotMatch(result.stdout, /running in browser mode/);
    }
  });

  it('an unknown option or a bad port: the reason and the usage on stderr, exit 2', () => {
    const unknown = run('--colour');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /Unknown option '--colour'/);
    assert.match(unknown.stderr, /Usage:/);
    const port = run('--port', 'http');
    assert.equal(port.status, 2);
    assert.match(port.stderr, /--port must be a number/);
  });

  it('parses the options it runs with', () => {
    assert.deepEqual(parseCliArgs(['--data', '/tmp/x', '--port', '7000', '--new-key']), {
      kind: 'run',
      values: { data: '/tmp/x', port: '7000', host: '127.0.0.1', 'new-key': true },
    });
    assert.deepEqual(parseCliArgs([]), { kind: 'run', values: { host: '127.0.0.1', 'new-key': false } });
  });
});
