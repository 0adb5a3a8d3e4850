import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { Client, envelope, useServer } from './helpers';

const run = promisify(execFile);
const CLI = ['--import', 'tsx', 'src/server/cli.ts'];

describe('auth', () => {
  const { server, client } = useServer();

  it('answers 401 with WWW-Authenticate: Bearer and the envelope when the token is missing', async () => {
    const anonymous = new Client(server().url, null, 'nobody');
    const response = await anonymous.get('/me');
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer');
    assert.equal(envelope(response.body).code, 'unauthorized');
  });

  it('answers 401 for an unknown or malformed token', async () => {
    for (const token of ['hn_not-a-real-token', 'x'.repeat(600)]) {
      const response = await new Client(server().url, token, 'nobody').get('/notebooks');
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('www-authenticate'), 'Bearer');
      assert.equal(envelope(response.body).code, 'unauthorized');
    }
  });

  it('accepts a minted token and serves health and metrics without one', async () => {
    const alice = client('alice');
    assert.equal((await alice.get('/me')).status, 200);
    const anonymous = new Client(server().url, null, 'nobody');
    const health = await anonymous.get<{ status: string; service: string; pid: number; started: string }>(
      '/health',
    );
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'ok');
    assert.equal(health.body.service, 'notes');
    assert.equal(health.body.pid, process.pid);
    const metrics = await anonymous.get('/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(
      metrics.text,
      /notes_http_requests_total\{method="GET",route="\/api\/v1\/notes\/me",status="200"\} \d+/,
    );
  });

  it('answers unknown routes with a 404 envelope', async () => {
    const response = await client().get('/nope');
    assert.equal(response.status, 404);
    assert.equal(envelope(response.body).code, 'not_found');
  });
});

describe('cli', () => {
  it('creates, lists and revokes tokens, and serves with them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'notes-cli-test-'));
    try {
      const created = await run(process.execPath, [...CLI, 'token', 'create', 'carol', '--data', dir]);
      const token = created.stdout.trim().split('\n').at(-1) ?? '';
      assert.match(token, /^hn_[A-Za-z0-9_-]{43}$/);
      const listed = await run(process.execPath, [...CLI, 'token', 'list', '--data', dir]);
      assert.match(listed.stdout, /\tcarol\t.*\tactive/);
      assert.ok(!listed.stdout.includes(token), 'token list never shows the secret');

      const child = spawn(process.execPath, [...CLI, '--port', '0', '--data', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
            if (match) resolve(match[1] ?? '');
          });
          child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
        });
        const carol = new Client(url, token, 'carol');
        assert.equal((await carol.get('/me')).status, 200);
        const revoked = await run(process.execPath, [...CLI, 'token', 'revoke', token, '--data', dir]);
        assert.match(revoked.stdout, /revoked/);
        const after = await carol.get('/me');
        assert.equal(after.status, 401);
        assert.equal(after.headers.get('www-authenticate'), 'Bearer');
      } finally {
        child.kill('SIGTERM');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects an invalid username', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'notes-cli-test-'));
    try {
      await assert.rejects(run(process.execPath, [...CLI, 'token', 'create', 'bad name', '--data', dir]));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
