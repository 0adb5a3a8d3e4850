import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { redactUrl } from '../../src/server/http/logging';
import { Client, useServer } from './helpers';

interface LogLine {
  level: number;
  msg: string;
  req?: { method: string; url: string; remoteAddress?: string };
  res?: { statusCode: number };
  err?: { message: string; stack: string };
  [key: string]: unknown;
}

/** Everything the server logs, as written. */
class LogCapture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
  lines(): LogLine[] {
    return this.text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as LogLine);
  }
}

const ERROR = 50;

/** Injects a fault on purpose: a table the running server needs disappears under it (a damaged database). */
function dropTable(dataDir: string, table: string): void {
  const db = new Database(join(dataDir, 'notes.db'));
  db.exec(`DROP TABLE ${table}`);
  db.close();
}

describe('request logging', () => {
  const logs = new LogCapture();
  const { server, client, dataDir } = useServer({ log: { level: 'info', destination: logs } });

  it('writes one structured line per request, every credential redacted', async () => {
    const alice = client('log-alice');
    const { notebookId } = await alice.me();
    const section = await alice.createNode(notebookId, 'section', null);
    const page = await alice.createNode(notebookId, 'page', section.id, { name: 'Logged' });
    const base = `/notebooks/${notebookId}/nodes/${page.id}`;
    const token = alice.token ?? '';
    // A token in the query (for clients that cannot send headers), a forged token, an export ticket and a
    // socket id: all credentials, none may reach the log.
    await new Client(server().url, null, 'anonymous').get(`/me?token=${token}&view=1`);
    const forged = `hn_forged${'Q'.repeat(40)}`;
    assert.equal((await new Client(server().url, forged, 'forger').get('/notebooks')).status, 401);
    await alice.put(`${base}/document`, {
      content: { type: 'doc', content: [{ type: 'paragraph', text: 'x' }] },
    });
    const { ticket } = (await alice.post<{ ticket: string }>(`${base}/export-ticket`, { output: 'html' }))
      .body;
    assert.equal((await alice.get(`${base}/document?output=html&ticket=${ticket}`)).status, 200);
    const socketId = (await alice.post<{ id: string }>('/sockets')).body.id;
    assert.equal((await alice.get(`/sockets/${socketId}`)).status, 426);
    const bogusSocket = `sk_bogus${'Z'.repeat(20)}`;
    await new Promise<void>((resolve) => {
      const ws = new WebSocket(`${server().url.replace('http', 'ws')}/api/v1/notes/sockets/${bogusSocket}`);
      ws.on('error', () => resolve());
      ws.on('unexpected-response', () => resolve());
    });

    const lines = logs.lines();
    const completed = lines.filter((line) => line.msg === 'request completed');
    assert.ok(completed.length >= 8, `${completed.length} request lines`);
    for (const line of completed) {
      assert.equal(typeof line.req?.method, 'string');
      assert.equal(typeof line.res?.statusCode, 'number');
      assert.equal(typeof line.ms, 'number');
      assert.equal(typeof line.reqId, 'string');
    }
    const urls = completed.map((line) => line.req?.url);
    assert.ok(urls.includes('/api/v1/notes/me?token=%5Bredacted%5D&view=1'), urls.join('\n'));
    assert.ok(urls.includes('/api/v1/notes/sockets/[redacted]'));
    assert.ok(urls.some((url) => url?.endsWith('/document?output=html&ticket=%5Bredacted%5D')));
    assert.ok(lines.some((line) => line.msg.startsWith('socket upgrade refused')));
    for (const secret of [token, token.slice(3, 19), forged.slice(3), ticket, socketId, bogusSocket]) {
      assert.ok(!logs.text.includes(secret), `the log contains ${secret}`);
    }
  });

  it('logs a 5xx with its stack, and a mutation that failed inside a batch likewise', async () => {
    const bob = client('log-bob');
    const { notebookId } = await bob.me();
    const section = await bob.createNode(notebookId, 'section', null);
    const page = await bob.createNode(notebookId, 'page', section.id, { name: 'Fault' });
    const base = `/notebooks/${notebookId}/nodes/${page.id}`;

    dropTable(dataDir(), 'comments');
    const failed = await bob.get(`${base}/comments`);
    assert.equal(failed.status, 500);
    assert.deepEqual(failed.body, { message: 'Internal server error', code: 'unknown', details: [] });
    const requestError = logs.lines().find((line) => line.msg === 'request failed');
    assert.ok(requestError, 'a 5xx is logged');
    assert.equal(requestError.level, ERROR);
    assert.match(requestError.err?.message ?? '', /no such table: comments/);
    assert.match(requestError.err?.stack ?? '', /\n\s+at .+/, 'with its stack');
    assert.equal(requestError.req?.url, `/api/v1/notes${base}/comments`);

    dropTable(dataDir(), 'node_reactions');
    const mutation = {
      id: 'mu_logtest1',
      createdAt: new Date().toISOString(),
      type: 'node.reaction.create',
      data: { nodeId: page.id, reaction: '👍', rootId: section.id, createdAt: new Date().toISOString() },
    };
    const batch = await bob.post<{ results: { id: string; status: number }[] }>(
      `/notebooks/${notebookId}/mutations`,
      { mutations: [mutation] },
    );
    assert.deepEqual(batch.body.results, [{ id: 'mu_logtest1', status: 500 }]);
    const mutationError = logs.lines().find((line) => line.msg === 'mutation failed');
    assert.ok(mutationError, 'the failed mutation is logged although the batch answered 200');
    assert.equal(mutationError.mutationId, 'mu_logtest1');
    assert.match(mutationError.err?.stack ?? '', /no such table: node_reactions[\s\S]*\n\s+at /);
    assert.ok(!logs.text.includes(bob.token ?? ''), 'no token bytes');
  });
});

/** `npm run server` with `args`, its stdout kept whole; `stop()` ends it and resolves with that output. */
async function cliServer(dataDir: string, args: string[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/server/cli.ts', '--port', '0', '--data', dataDir, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waiting: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const wait of waiting.splice(0)) {
      if (wait.pattern.test(stdout)) wait.resolve();
      else waiting.push(wait);
    }
  });
  /** Resolves once stdout matches (a request's line is written after its response has gone out). */
  const printed = (pattern: RegExp) =>
    new Promise<void>((resolve) => {
      if (pattern.test(stdout)) resolve();
      else waiting.push({ pattern, resolve });
    });
  const url = await Promise.race([
    printed(/listening on http:\/\/\S+/).then(() => /listening on (http:\/\/\S+)/.exec(stdout)![1]!),
    exited.then(() => null),
  ]);
  const stop = async () => {
    child.kill('SIGTERM');
    return { code: await exited, stdout, stderr };
  };
  return { url, printed, stop };
}

describe('--log-level', () => {
  it(
    'sets what the CLI server logs (JSON lines on stdout) and refuses unknown levels',
    { timeout: 120_000 },
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'notes-log-cli-'));
      try {
        const info = await cliServer(dataDir, []);
        assert.ok(info.url);
        await fetch(`${info.url}/api/v1/notes/health?token=hn_secret_cli_token`);
        await info.printed(/request completed/);
        const { stdout } = await info.stop();
        const completed = stdout
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as LogLine)
          .filter((line) => line.msg === 'request completed');
        assert.ok(completed.some((line) => line.req?.url === '/api/v1/notes/health?token=%5Bredacted%5D'));
        assert.ok(!stdout.includes('hn_secret_cli_token'));

        const quiet = await cliServer(dataDir, ['--log-level', 'warn']);
        assert.ok(quiet.url);
        await fetch(`${quiet.url}/api/v1/notes/health`);
        const quietOut = await quiet.stop();
        assert.ok(!quietOut.stdout.includes('request completed'), quietOut.stdout);

        const bad = await cliServer(dataDir, ['--log-level', 'loud']);
        assert.equal(bad.url, null);
        const refused = await bad.stop();
        assert.equal(refused.code, 2);
        assert.match(refused.stderr, /invalid --log-level loud/);
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  );
});

describe('redactUrl', () => {
  it('replaces credentials in the query and the socket id, and leaves the rest alone', () => {
    assert.equal(redactUrl('/a/b?x=1&y=2'), '/a/b?x=1&y=2');
    assert.equal(redactUrl('/a?token=abc'), '/a?token=%5Bredacted%5D');
    assert.equal(
      redactUrl('/a?access_token=a&ticket=b&apiKey=c&q=d'),
      '/a?access_token=%5Bredacted%5D&ticket=%5Bredacted%5D&apiKey=%5Bredacted%5D&q=d',
    );
    assert.equal(redactUrl('/a?token=1&token=2'), '/a?token=%5Bredacted%5D', 'repeated ones too');
    assert.equal(redactUrl('/api/v1/notes/sockets/sk_123?x=1'), '/api/v1/notes/sockets/[redacted]?x=1');
    assert.equal(
      redactUrl('/p?next=%3Ftoken%3Dz'),
      '/p?next=%3Ftoken%3Dz',
      'a value that mentions token is kept',
    );
  });
});
