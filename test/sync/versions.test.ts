import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VersionList } from '../../src/shared/api/versions';
import { documentText } from '../../src/shared/crdt/document';
import {
  FaultProxy,
  PageEditor,
  ProxyMode,
  createNode,
  openDevice,
  signIn,
  startTestServer,
  waitFor,
  waitUpToDate,
} from '../support/sync';
import { call } from '../support/temp';

/** A server account's history: the server's list is the truth, offline work is sent once, the cache opens offline. */
describe('versions on a server account', () => {
  async function setup(seed: number) {
    const server = await startTestServer();
    const token = server.createToken(`ann${seed}`);
    const proxy = await FaultProxy.start(server.url);
    const device = await signIn(await openDevice(seed), proxy.url, token);
    const section = await createNode(device, 'section', null, 'Notes');
    const page = await createNode(device, 'page', section.id, 'Plan');
    const editor = await PageEditor.open(device.core, device.accountId, page);
    await editor.type('online text');
    await waitUpToDate(device.core, device.accountId);
    const api = async (path = '', init: RequestInit = {}) =>
      fetch(`${server.url}/api/v1/notes/notebooks/${device.notebookId}/nodes/${page.id}/versions${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
    const serverList = async () => VersionList.parse(await (await api()).json());
    return { device, page, editor, proxy, api, serverList };
  }

  it('takes, names and deletes versions offline and sends each exactly once when back online', async () => {
    const { device, page, editor, proxy, serverList } = await setup(301);
    const { accountId } = device;
    const online = await call(device.core, 'version.create', { accountId, nodeId: page.id, name: 'Online' });
    await waitFor('the online version on the server', async () => (await serverList()).total === 1);

    proxy.mode = ProxyMode.down;
    await editor.type('offline text');
    const offline = await call(device.core, 'version.create', {
      accountId,
      nodeId: page.id,
      name: 'Offline',
    });
    await call(device.core, 'version.rename', {
      accountId,
      nodeId: page.id,
      versionId: online.id,
      name: 'Renamed',
    });
    const listed = await call(device.core, 'version.list', { accountId, nodeId: page.id });
    assert.equal(listed.offline, true);
    assert.deepEqual(
      listed.versions.map((v) => [v.name, v.pending]),
      [
        ['Offline', true],
        ['Renamed', true],
      ],
    );
    // Taken and deleted offline: never reaches the server.
    const scratch = await call(device.core, 'version.create', { accountId, nodeId: page.id });
    await call(device.core, 'version.delete', { accountId, nodeId: page.id, versionId: scratch.id });

    proxy.restore();
    const back = await waitFor('the list from the server', async () => {
      const list = await call(device.core, 'version.list', { accountId, nodeId: page.id });
      return !list.offline && list.versions.every((v) => !v.pending) ? list : null;
    });
    assert.deepEqual(
      back.versions.map((v) => v.name),
      ['Offline', 'Renamed'],
    );
    const onServer = await serverList();
    assert.deepEqual(
      onServer.versions.map((v) => [v.id, v.name]),
      [
        [offline.id, 'Offline'],
        [online.id, 'Renamed'],
      ],
    );
    // The snapshot holds what this device saw when it took it offline.
    const content = await call(device.core, 'version.get', {
      accountId,
      nodeId: page.id,
      versionId: offline.id,
    });
    assert.equal(documentText(content.content), 'online text\noffline text');

    // An answer lost after the server stored it: the same create again makes no second version.
    const replica = device.core.account(accountId).replica.db;
    replica.prepare("UPDATE versions SET pending = 'create' WHERE id = ?").run(offline.id);
    await device.core.account(accountId).versions.flush();
    assert.equal((await serverList()).total, 2);
    await editor.close();
  });

  it('opens a history already viewed offline, and says so when a previewed version was deleted elsewhere', async () => {
    const { device, page, editor, proxy, api } = await setup(302);
    const { accountId } = device;
    // Someone (another device) takes two versions on the server.
    const made = (await (
      await api('', { method: 'POST', body: JSON.stringify({ name: 'From elsewhere' }) })
    ).json()) as { id: string };
    const other = (await (
      await api('', { method: 'POST', body: JSON.stringify({ name: 'Second' }) })
    ).json()) as { id: string };
    const list = await call(device.core, 'version.list', { accountId, nodeId: page.id });
    assert.deepEqual(
      list.versions.map((v) => v.name),
      ['Second', 'From elsewhere'],
    );
    // The contents are fetched in the background once listed: offline, they still open.
    await waitFor('contents cached', async () =>
      (await call(device.core, 'version.list', { accountId, nodeId: page.id })).versions.every(
        (v) => v.available,
      ),
    );
    proxy.mode = ProxyMode.down;
    const cached = await call(device.core, 'version.list', { accountId, nodeId: page.id });
    assert.equal(cached.offline, true);
    const preview = await call(device.core, 'version.get', {
      accountId,
      nodeId: page.id,
      versionId: made.id,
    });
    assert.equal(documentText(preview.content), 'online text');
    proxy.restore();

    // Deleted on the server while its preview is open here: the list drops it, the preview says it is gone.
    await api(`/${other.id}`, { method: 'DELETE' });
    device.core
      .account(accountId)
      .replica.db.prepare('UPDATE versions SET content = NULL WHERE id = ?')
      .run(other.id);
    const result = await device.core.router.dispatch(
      'version.get',
      { accountId, nodeId: page.id, versionId: other.id },
      { senderId: 't' },
    );
    assert.ok(!result.ok);
    assert.equal(result.error.message, 'This version was deleted');
    const after = await call(device.core, 'version.list', { accountId, nodeId: page.id });
    assert.deepEqual(
      after.versions.map((v) => v.name),
      ['From elsewhere'],
    );
    await editor.close();
  });
});
