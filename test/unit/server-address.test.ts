import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { cantReach, networkReason } from '../../src/main/accounts/network-error';
import { normalizeServerUrl } from '../../src/main/accounts/server-client';

describe('server addresses and connection errors', () => {
  it('takes an address typed without a scheme: http:// for this machine, https:// for anything else', () => {
    assert.equal(normalizeServerUrl('127.0.0.1:7420'), 'http://127.0.0.1:7420');
    assert.equal(normalizeServerUrl(' localhost:3000/ '), 'http://localhost:3000');
    assert.equal(normalizeServerUrl('LOCALHOST'), 'http://localhost');
    assert.equal(normalizeServerUrl('[::1]:7420'), 'http://[::1]:7420');
    assert.equal(normalizeServerUrl('notes.example.com'), 'https://notes.example.com');
    assert.equal(normalizeServerUrl('localhost.example.com'), 'https://localhost.example.com');
    assert.equal(normalizeServerUrl('127.0.0.1.example.com'), 'https://127.0.0.1.example.com');
    assert.equal(normalizeServerUrl('http://notes.example.com/'), 'http://notes.example.com');
    assert.equal(normalizeServerUrl('HTTPS://notes.example.com'), 'https://notes.example.com');
    assert.throws(() => normalizeServerUrl('ftp://example.com'), /must start with http:\/\/ or https:\/\//);
    assert.throws(() => normalizeServerUrl('http://'), /not a valid server address/);
  });

  it('says why a connection failed in words', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const refused = await fetch(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);
    assert.equal(
      cantReach(`http://127.0.0.1:${port}/api/v1/notes`, refused),
      `Can’t reach 127.0.0.1:${port} — connection refused (nothing listens on that port)`,
    );
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    assert.equal(networkReason(timeout), 'no answer in time');
    const dualStack = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ENOTFOUND' })]), {}),
    });
    assert.equal(networkReason(dualStack), 'no such host');
    assert.equal(networkReason(new Error('something odd')), 'something odd');
    const badPort = await fetch('http://127.0.0.1:9/').catch((error: unknown) => error);
    assert.match(networkReason(badPort), /^that port is reserved/);
  });
});
