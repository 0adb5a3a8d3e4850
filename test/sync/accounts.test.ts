import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AppCore } from '../../src/main/core/app-core';
import { replicaPath } from '../../src/main/replica/replica';
import type { SyncStatusView } from '../../src/shared/contract';
import { call } from '../support/core';
import { seededRandom } from '../support/random';
import {
  addAccount,
  FAST_SYNC,
  FaultProxy,
  openDevice,
  seedLargeNotebook,
  startTestServer,
  waitFor,
} from '../support/sync';
import { tempDir } from '../support/temp';

async function failure(core: AppCore, input: { serverUrl: string; token: string }) {
  const result = await core.router.dispatch('account.add', input, { senderId: 'test' });
  assert.equal(result.ok, false, 'account.add should fail');
  return result.ok ? assert.fail() : result.error;
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

describe('accounts', () => {
  it('refuses a bad token with a clear unauthorized error', async () => {
    const server = await startTestServer();
    const core = await openDevice(1);
    const error = await failure(core, { serverUrl: server.url, token: 'hn_not-a-real-token' });
    assert.equal(error.code, 'unauthorized');
    assert.match(error.message, /refused this token/);
    assert.deepEqual(
      (await call(core, 'account.list', {})).map((a) => a.kind),
      ['local'],
    );
  });

  it('refuses an unreachable address and a server that is not Hoody Notes', async () => {
    const core = await openDevice(2);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    const deadUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 1}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = await failure(core, { serverUrl: deadUrl, token: 't' });
    assert.equal(unreachable.code, 'unavailable');
    assert.equal(
      unreachable.message,
      `Can’t reach ${new URL(deadUrl).host} — connection refused (nothing listens on that port). Check the address and your connection.`,
    );

    const other = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>hi</h1>'),
    );
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    after(() => other.close());
    const otherAddress = other.address();
    const otherUrl = `http://127.0.0.1:${typeof otherAddress === 'object' && otherAddress ? otherAddress.port : 1}`;
    const notServer = await failure(core, { serverUrl: otherUrl, token: 't' });
    assert.equal(notServer.code, 'bad_request');
    assert.match(notServer.message, /^Something answers at 127\.0\.0\.1:\d+, but not the Hoody Notes API \(/);

    const notUrl = await failure(core, { serverUrl: 'ftp://example.com', token: 't' });
    assert.equal(notUrl.code, 'bad_request');
  });

  it('adds a server account with its own replica and notebooks, keeping the token out of SQLite', async () => {
    const server = await startTestServer();
    const core = await openDevice(3);
    const token = server.createToken('alice');
    const account = await addAccount(core, `${server.url}/`, token);
    assert.equal(account.kind, 'server');
    assert.equal(account.serverUrl, server.url);
    assert.match(account.name, /^alice @ 127\.0\.0\.1:\d+$/);
    assert.ok(existsSync(replicaPath(core.info.dataDir, account.id)));
    const notebooks = await call(core, 'notebook.list', { accountId: account.id });
    assert.deepEqual(
      notebooks.map((n) => [n.name, n.role]),
      [['My Notebook', 'owner']],
    );
    await waitFor('the socket to connect', async () =>
      (await call(core, 'sync.status', {})).some((s) => s.connection === 'up_to_date'),
    );

    const secrets = join(core.info.dataDir, 'secrets.json');
    assert.equal(statSync(secrets).mode & 0o777, 0o600);
    assert.ok(readFileSync(secrets, 'utf8').includes(token));
    const databases = filesUnder(core.info.dataDir).filter((path) => path !== secrets);
    assert.ok(databases.some((path) => path.endsWith('replica.db')));
    for (const path of databases) assert.ok(!readFileSync(path).includes(token), `token found in ${path}`);
    assert.ok((await call(core, 'app.notices', {})).some((n) => /unencrypted/.test(n.title)));

    // Adding it again signs in with the new token, on the same account and replica.
    const newToken = server.createToken('alice');
    const again = await addAccount(core, server.url, newToken);
    assert.equal(again.id, account.id);
    assert.equal((await call(core, 'account.list', {})).length, 2);
    assert.ok(readFileSync(secrets, 'utf8').includes(newToken));
    await waitFor('reconnected with the new token', async () =>
      (await call(core, 'sync.status', {})).some((s) => s.connection === 'up_to_date'),
    );
  });

  it('remove refuses while changes are unsynced and lists them; force deletes the replica', async () => {
    const server = await startTestServer();
    const proxy = await FaultProxy.start(server.url);
    const core = await openDevice(4);
    const account = await addAccount(core, proxy.url, server.createToken('bob'));
    const [notebook] = await call(core, 'notebook.list', { accountId: account.id });
    proxy.cut();
    const section = await call(core, 'node.create', {
      accountId: account.id,
      notebookId: notebook!.id,
      type: 'section',
      parentId: null,
      name: 'Offline section',
    });
    const refused = await core.router.dispatch(
      'account.remove',
      { accountId: account.id },
      { senderId: 't' },
    );
    assert.equal(refused.ok, false);
    if (refused.ok) return;
    assert.equal(refused.error.code, 'conflict');
    assert.match(refused.error.message, /1 change\(s\)/);
    assert.ok(refused.error.details.some((d) => d.message.includes(`node.create of ${section.id}`)));
    assert.ok(existsSync(replicaPath(core.info.dataDir, account.id)));

    await call(core, 'account.remove', { accountId: account.id, force: true });
    assert.ok(!existsSync(replicaPath(core.info.dataDir, account.id)));
    assert.deepEqual(
      (await call(core, 'account.list', {})).map((a) => a.id),
      ['local'],
    );
    assert.ok(!readFileSync(join(core.info.dataDir, 'secrets.json'), 'utf8').includes(account.id));
    const local = await core.router.dispatch('account.remove', { accountId: 'local' }, { senderId: 't' });
    assert.equal(!local.ok && local.error.code, 'bad_request');
  });

  it('reports initial-sync progress (n of m nodes) and resumes an interrupted download where it stopped', async () => {
    const server = await startTestServer();
    const token = server.createToken('frank');
    // A large notebook made elsewhere: one section and 449 pages.
    const notebookId = await seedLargeNotebook(server.url, token, 450);

    const proxy = await FaultProxy.start(server.url);
    const dataDir = tempDir('initial');
    const open = (seed: number) =>
      AppCore.open({ dataDir, mode: 'browser', sync: { ...FAST_SYNC, random: seededRandom(seed) } });
    let core = await open(41);
    after(() => core.close());
    const seen: NonNullable<SyncStatusView['initialSync']>[] = [];
    core.events.on((event) => {
      if (event.name !== 'sync.status') return;
      const progress = (event.payload as SyncStatusView).initialSync;
      if (!progress) return;
      seen.push(progress);
      // Interrupt the download part-way: the network goes, then the app.
      if (progress.done > 0 && progress.done < progress.total) proxy.cut();
    });
    const account = await addAccount(core, proxy.url, token);
    const partial = await waitFor('a partial download', () =>
      proxy.mode === 'down' ? seen.at(-1) : undefined,
    );
    assert.equal(partial.total, 450);
    assert.equal(partial.notebooks, 1);
    assert.ok(partial.done > 0 && partial.done < 450, `interrupted part-way (${partial.done})`);
    core.close();

    proxy.restore();
    core = await open(42);
    const [status] = await call(core, 'sync.status', {});
    assert.ok(
      status?.initialSync === null || (status?.initialSync?.done ?? 0) >= partial.done,
      'kept what was stored',
    );
    await waitFor('the download to finish', async () => {
      const [s] = await call(core, 'sync.status', {});
      return s?.connection === 'up_to_date' && s.initialSync === null;
    });
    const tree = await call(core, 'node.tree', { accountId: account.id, notebookId });
    assert.equal(tree.length, 450);
    assert.equal(new Set(tree.map((n) => n.id)).size, 450);
  });
});
