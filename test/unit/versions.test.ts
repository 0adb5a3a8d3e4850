import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppCore, LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { documentText } from '../../src/shared/crdt/document';
import { PageEditor, waitFor } from '../support/sync';
import { createLocalPage } from '../support/core';
import { call, tempDir } from '../support/temp';

const accountId = LOCAL_ACCOUNT_ID;

async function core(auto = { idleMs: 60_000, minIntervalMs: 3_600_000 }) {
  const opened = await AppCore.open({ dataDir: tempDir('versions'), mode: 'browser', autoSnapshots: auto });
  return opened;
}

describe('versions on the Local account', () => {
  it('saves, lists newest first, previews, renames and deletes; survives a restart', async () => {
    const dir = tempDir('versions');
    let app = await AppCore.open({ dataDir: dir, mode: 'browser' });
    const { page } = await createLocalPage(app, 'Plan');
    const editor = await PageEditor.open(app, accountId, page);
    await editor.type('first draft');
    const first = await call(app, 'version.create', { accountId, nodeId: page.id, name: 'Draft' });
    await editor.type('second thoughts');
    const second = await call(app, 'version.create', { accountId, nodeId: page.id });
    const list = await call(app, 'version.list', { accountId, nodeId: page.id });
    assert.deepEqual(
      list.versions.map((v) => [v.id, v.name, v.kind, v.createdByName, v.pending, v.available]),
      [
        [second.id, null, 'manual', 'You', false, true],
        [first.id, 'Draft', 'manual', 'You', false, true],
      ],
    );
    assert.equal(list.canManage, true);
    assert.equal(list.offline, false);
    const preview = await call(app, 'version.get', { accountId, nodeId: page.id, versionId: first.id });
    assert.equal(documentText(preview.content), 'first draft');
    await call(app, 'version.rename', { accountId, nodeId: page.id, versionId: first.id, name: 'Renamed' });
    await editor.close();
    app.close();

    app = await AppCore.open({ dataDir: dir, mode: 'browser' });
    const reopened = await call(app, 'version.list', { accountId, nodeId: page.id });
    assert.deepEqual(
      reopened.versions.map((v) => v.name),
      [null, 'Renamed'],
    );
    await call(app, 'version.delete', { accountId, nodeId: page.id, versionId: second.id });
    const result = await app.router.dispatch(
      'version.get',
      { accountId, nodeId: page.id, versionId: second.id },
      { senderId: 't' },
    );
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'not_found');
    assert.equal(result.error.message, 'This version was deleted');
    app.close();
  });

  it('takes an automatic version once a page edited here is left idle, at most one per interval', async () => {
    const app = await core({ idleMs: 50, minIntervalMs: 600 });
    const { page } = await createLocalPage(app, 'Journal');
    const editor = await PageEditor.open(app, accountId, page);
    await editor.type('morning');
    const autos = async () =>
      (await call(app, 'version.list', { accountId, nodeId: page.id })).versions.filter(
        (v) => v.kind === 'auto',
      );
    await waitFor('the first automatic version', async () => (await autos()).length === 1);
    // Still changing within the interval: no second one yet, one more once it is up.
    await editor.type('noon');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await autos()).length, 1);
    await waitFor('the second automatic version', async () => (await autos()).length === 2, 5_000);
    const newest = (await autos())[0]!;
    const content = await call(app, 'version.get', { accountId, nodeId: page.id, versionId: newest.id });
    assert.equal(documentText(content.content), 'morning\nnoon');
    // Left idle without a change: nothing new.
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.equal((await autos()).length, 2);
    await editor.close();
    app.close();
  });

  it('refuses unknown pages and bad input with the envelope', async () => {
    const app = await core();
    const { page } = await createLocalPage(app, 'X');
    const missing = await app.router.dispatch(
      'version.list',
      { accountId, nodeId: 'nd_missing' },
      { senderId: 't' },
    );
    assert.ok(!missing.ok && missing.error.code === 'not_found');
    const long = await app.router.dispatch(
      'version.create',
      { accountId, nodeId: page.id, name: 'x'.repeat(300) },
      { senderId: 't' },
    );
    assert.ok(!long.ok && long.error.code === 'bad_request');
    app.close();
  });
});
