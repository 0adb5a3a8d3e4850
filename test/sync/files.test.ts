import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { replicaPath } from '../../src/main/replica/replica';
import { call } from '../support/core';
import { FILE_TEST_UPLOADER, sha256 } from '../support/files';
import { runUntilKilled } from '../support/kill-harness';
import {
  createNode,
  FaultProxy,
  findNode,
  openDevice,
  shareNotebook,
  signIn,
  startTestServer,
  waitFor,
  waitUpToDate,
} from '../support/sync';
import { tempDir } from '../support/temp';

const MIB = 1024 * 1024;
const TUS = { 'tus-resumable': '1.0.0' };

async function serverOffset(url: string, token: string): Promise<number | null> {
  const head = await fetch(url, { method: 'HEAD', headers: { ...TUS, authorization: `Bearer ${token}` } });
  return head.status === 200 ? Number(head.headers.get('upload-offset')) : null;
}

async function serverBytes(serverUrl: string, token: string, notebookId: string, fileId: string) {
  const response = await fetch(`${serverUrl}/api/v1/notes/notebooks/${notebookId}/files/${fileId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(response.status, 200, `download of ${fileId}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Every TUS request the proxy forwarded: method and Upload-Offset, in order. */
function recordTus(proxy: FaultProxy, holdPatchMs: number) {
  const requests: { method: string; offset: number | null }[] = [];
  proxy.onRequest = (req) => {
    if (!req.url?.endsWith('/tus')) return undefined;
    const offset = req.headers['upload-offset'];
    requests.push({ method: req.method ?? '', offset: typeof offset === 'string' ? Number(offset) : null });
    return req.method === 'PATCH' ? holdPatchMs : undefined;
  };
  return requests;
}

describe('files in the app core (real server, real TUS)', () => {
  it('a file added offline is on disk when file.add answers, and is uploaded whole once back online', async () => {
    const server = await startTestServer();
    const token = server.createToken('ann');
    const proxy = await FaultProxy.start(server.url);
    const ann = await signIn(
      await openDevice(131, { files: { uploader: FILE_TEST_UPLOADER } }),
      proxy.url,
      token,
    );
    const section = await createNode(ann, 'section', null, 'Media');
    const page = await createNode(ann, 'page', section.id, 'Photos');
    await waitUpToDate(ann.core, ann.accountId);

    proxy.cut();
    const data = randomBytes(MIB + 12_345);
    const added = await call(ann.core, 'file.add', {
      accountId: ann.accountId,
      nodeId: page.id,
      name: '../../etc/passwd.bin',
      data,
    });
    // Durable before the answer: the bytes are in the account folder under the file's id, never its name.
    const stored = join(replicaPath(ann.core.info.dataDir, ann.accountId), '..', 'files', added.id);
    assert.equal(sha256(readFileSync(stored)), sha256(data));
    assert.deepEqual(
      [added.name, added.state, added.cached, added.size, added.mimeType],
      ['../../etc/passwd.bin', 'uploading', true, data.length, 'application/octet-stream'],
    );
    assert.deepEqual(
      (await call(ann.core, 'file.list', { accountId: ann.accountId, notebookId: ann.notebookId })).map(
        (f) => f.id,
      ),
      [added.id],
    );

    proxy.restore();
    const done = await waitFor(
      'the upload',
      async () => {
        const file = await call(ann.core, 'file.get', { accountId: ann.accountId, fileId: added.id });
        return file.state === 'uploaded' ? file : null;
      },
      20_000,
    );
    assert.equal(done.uploadedBytes, data.length);
    assert.equal(sha256(await serverBytes(server.url, token, ann.notebookId, added.id)), sha256(data));
  });

  it('a core SIGKILLed mid-upload resumes from the server offset after the restart (never from byte 0)', async () => {
    const server = await startTestServer();
    const token = server.createToken('ann');
    const proxy = await FaultProxy.start(server.url);
    const requests = recordTus(proxy, 25);
    const dataDir = tempDir('device');
    const data = randomBytes(4 * MIB + 777);
    const source = join(tempDir('source'), 'big.bin');
    writeFileSync(source, data);

    let killedAt = 0;
    const acks = await runUntilKilled(
      join(import.meta.dirname, '../support/file-upload-writer.ts'),
      [dataDir, proxy.url, token, source],
      (acks) => {
        // Killed once the server holds a quarter of the file (the PATCH offsets say how far it got).
        const patched = requests.filter((r) => r.method === 'PATCH');
        const at = patched.at(-1)?.offset ?? 0;
        if (acks.length === 0 || at < data.length / 4) return false;
        killedAt = at;
        return true;
      },
    );
    const [ack] = acks;
    assert.ok(ack?.kind === 'file', 'the file was added before the kill');
    const notebookId = ack.detail;
    const fileUrl = `${server.url}/api/v1/notes/notebooks/${notebookId}/files/${ack.id}/tus`;
    // The killed request's bytes may still be landing: wait until the server's offset holds still.
    let offset = -1;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const now = (await serverOffset(fileUrl, token)) ?? 0;
      if (now === offset) break;
      offset = now;
    }
    assert.ok(offset >= killedAt && offset > 0 && offset < data.length, `offset ${offset} after the kill`);
    const before = requests.length;
    assert.equal(requests.filter((r) => r.method === 'POST').length, 1, 'one creation before the kill');

    const core = await openDevice(132, { dataDir, files: { uploader: FILE_TEST_UPLOADER } });
    const accountId = (await call(core, 'account.list', {})).find((a) => a.serverUrl !== null)!.id;
    const resumed = await waitFor(
      'the resumed upload',
      async () => {
        const file = await call(core, 'file.get', { accountId, fileId: ack.id });
        return file.state === 'uploaded' ? file : null;
      },
      30_000,
    );
    assert.equal(resumed.uploadedBytes, data.length);
    const after = requests.slice(before);
    assert.equal(after[0]?.method, 'HEAD', 'the restart asks the server for its offset first');
    assert.equal(after.filter((r) => r.method === 'POST').length, 0, 'no new upload was created');
    const patches = after.filter((r) => r.method === 'PATCH').map((r) => r.offset ?? -1);
    assert.equal(patches[0], offset, 'the first PATCH after the restart starts at the server offset');
    for (let i = 1; i < patches.length; i++) assert.ok(patches[i]! > patches[i - 1]!, 'offsets only grow');
    assert.equal(sha256(await serverBytes(server.url, token, notebookId, ack.id)), sha256(data));
  });

  it('another device downloads on demand into its cache; a viewer may not attach; a fake .png is a file', async () => {
    const server = await startTestServer();
    const annToken = server.createToken('ann');
    const bobToken = server.createToken('bob');
    const ann = await signIn(
      await openDevice(133, { files: { uploader: FILE_TEST_UPLOADER } }),
      server.url,
      annToken,
    );
    const bobId = await shareNotebook(server.url, annToken, ann.notebookId, 'bob', 'guest');
    const section = await createNode(ann, 'section', null, 'Shared');
    const page = await createNode(ann, 'page', section.id, 'Report');
    await waitFor('Bob among the members', async () => {
      const members = await call(ann.core, 'sharing.members', {
        accountId: ann.accountId,
        notebookId: ann.notebookId,
      });
      return members.some((m) => m.userId === bobId);
    });
    await call(ann.core, 'sharing.setRole', {
      accountId: ann.accountId,
      nodeId: section.id,
      userId: bobId,
      role: 'viewer',
    });
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      randomBytes(5_000),
    ]);
    const image = await call(ann.core, 'file.add', {
      accountId: ann.accountId,
      nodeId: page.id,
      name: 'shot.png',
      mimeType: 'image/png',
      data: png,
    });
    const fake = await call(ann.core, 'file.add', {
      accountId: ann.accountId,
      nodeId: page.id,
      name: 'not-really.png',
      mimeType: 'image/png',
      data: Buffer.from('just text, renamed'),
    });
    assert.deepEqual([image.mimeType, fake.mimeType], ['image/png', 'application/octet-stream']);
    await waitFor('both uploaded', async () => {
      const files = await call(ann.core, 'file.list', {
        accountId: ann.accountId,
        notebookId: ann.notebookId,
        nodeId: page.id,
      });
      return files.length === 2 && files.every((f) => f.state === 'uploaded');
    });
    await waitUpToDate(ann.core, ann.accountId);

    const bob = await signIn(await openDevice(134), server.url, bobToken, ann.notebookId);
    await waitFor('the page on Bob', () => findNode(bob.core, bob.accountId, bob.notebookId, page.id));
    const refused = await bob.core.router.dispatch(
      'file.add',
      { accountId: bob.accountId, nodeId: page.id, name: 'mine.txt', data: Buffer.from('hi') },
      { senderId: 'test' },
    );
    assert.equal(refused.ok, false);
    assert.equal(refused.ok ? '' : refused.error.code, 'forbidden');
    assert.deepEqual(
      await call(bob.core, 'file.list', { accountId: bob.accountId, notebookId: bob.notebookId }),
      [],
    );

    const got = await call(bob.core, 'file.download', {
      accountId: bob.accountId,
      notebookId: bob.notebookId,
      fileId: image.id,
    });
    assert.deepEqual(
      [got.name, got.mimeType, got.size, got.cached, got.state],
      ['shot.png', 'image/png', png.length, true, 'remote'],
    );
    const cachedAt = join(replicaPath(bob.core.info.dataDir, bob.accountId), '..', 'files', image.id);
    assert.ok(existsSync(cachedAt));
    assert.equal(sha256(readFileSync(cachedAt)), sha256(png));
    // Unknown to the server (or on a page Bob cannot read): not found, nothing cached.
    const missing = await bob.core.router.dispatch(
      'file.download',
      { accountId: bob.accountId, notebookId: bob.notebookId, fileId: 'fl_doesnotexist0000000000' },
      { senderId: 'test' },
    );
    assert.equal(missing.ok ? '' : missing.error.code, 'not_found');
  });

  it("the notebook's maxFileSize refuses a larger file before a byte is copied or sent, with both sizes", async () => {
    const server = await startTestServer({ defaultMaxFileSize: MIB });
    const token = server.createToken('ann');
    const ann = await signIn(
      await openDevice(133, { files: { uploader: FILE_TEST_UPLOADER } }),
      server.url,
      token,
    );
    const section = await createNode(ann, 'section', null, 'Media');
    const page = await createNode(ann, 'page', section.id, 'Scans');
    const limit = await call(ann.core, 'file.limit', {
      accountId: ann.accountId,
      notebookId: ann.notebookId,
    });
    assert.deepEqual(limit, { maxBytes: MIB });

    const refused = await ann.core.router.dispatch(
      'file.add',
      { accountId: ann.accountId, nodeId: page.id, name: 'scan.tiff', data: randomBytes(3 * MIB) },
      { senderId: 'test' },
    );
    assert.deepEqual(refused.ok ? null : [refused.error.code, refused.error.message], [
      'payload_too_large',
      "scan.tiff is 3.0 MB; this notebook's server accepts files up to 1.0 MB",
    ]);
    const folder = join(replicaPath(ann.core.info.dataDir, ann.accountId), '..', 'files');
    assert.deepEqual(existsSync(folder) ? readdirSync(folder) : [], [], 'nothing was copied');
    assert.deepEqual(
      await call(ann.core, 'file.list', { accountId: ann.accountId, notebookId: ann.notebookId }),
      [],
    );

    // Exactly the limit is accepted and uploads.
    const data = randomBytes(MIB);
    const added = await call(ann.core, 'file.add', {
      accountId: ann.accountId,
      nodeId: page.id,
      name: 'ok.bin',
      data,
    });
    await waitFor('the upload', async () => {
      const file = await call(ann.core, 'file.get', { accountId: ann.accountId, fileId: added.id });
      return file.state === 'uploaded';
    });
    assert.equal(sha256(await serverBytes(server.url, token, ann.notebookId, added.id)), sha256(data));
  });
});
