import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Upload } from 'tus-js-client';
import { startServer } from '../../src/server/server';
import { seededRandom } from '../support/random';
import { envelope, useServer, type Client } from './helpers';

const TUS = { 'tus-resumable': '1.0.0' };
let fileCounter = 0;
const fileId = () => `fl_${Date.now().toString(36)}${(fileCounter++).toString(36)}`;

async function raw(
  client: Client,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: Buffer,
) {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${client.token}`, ...headers },
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/**
 * T2 of the reliability battery. Per commit: a few uploads up to 2 MiB; NOTES_FULL_BATTERY=1 runs 100 uploads up
 * to 20 MiB (or set TUS_UPLOADS / TUS_MAX_MIB / TUS_SEED).
 */
const FULL = process.env.NOTES_FULL_BATTERY === '1';
const UPLOADS = Number(process.env.TUS_UPLOADS ?? (FULL ? 100 : 5));
const MAX_MIB = Number(process.env.TUS_MAX_MIB ?? (FULL ? 20 : 2));
const UPLOAD_SEED = Number(process.env.TUS_SEED ?? 2024);
const MIB = 1024 * 1024;

describe('files and TUS', () => {
  const { server, client, dataDir } = useServer({ defaultMaxFileSize: Math.max(10, MAX_MIB + 1) * MIB });

  async function setup() {
    const alice = client();
    const { notebookId } = await alice.me();
    const id = fileId();
    const url = `${server().url}/api/v1/notes/notebooks/${notebookId}/files/${id}/tus`;
    return { alice, notebookId, id, url };
  }

  it('follows the TUS 1.0.0 core rules', async () => {
    const { alice, url } = await setup();
    const noVersion = await raw(alice, 'POST', url, { 'upload-length': '5' });
    assert.equal(noVersion.status, 412, 'Tus-Resumable is required');
    assert.equal(envelope(JSON.parse(noVersion.text)).code, 'precondition_failed');
    assert.equal(noVersion.headers.get('tus-resumable'), '1.0.0');
    assert.match(noVersion.headers.get('content-type') ?? '', /^application\/json/);
    const created = await raw(alice, 'POST', url, { ...TUS, 'upload-length': '10' });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), url);
    assert.equal(created.headers.get('tus-resumable'), '1.0.0');
    assert.equal(
      (await raw(alice, 'POST', url, { ...TUS, 'upload-length': '10' })).status,
      409,
      'ids are single-use',
    );

    const head = await raw(alice, 'HEAD', url, TUS);
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('upload-offset'), '0');
    assert.equal(head.headers.get('upload-length'), '10');
    assert.equal(head.headers.get('cache-control'), 'no-store');

    const chunk = { ...TUS, 'content-type': 'application/offset+octet-stream' };
    const wrongType = await raw(
      alice,
      'PATCH',
      url,
      { ...TUS, 'upload-offset': '0', 'content-type': 'application/json' },
      Buffer.from('{}'),
    );
    assert.equal(wrongType.status, 415);
    assert.equal(envelope(JSON.parse(wrongType.text)).code, 'unsupported_media_type');
    const first = await raw(alice, 'PATCH', url, { ...chunk, 'upload-offset': '0' }, Buffer.from('hello'));
    assert.equal(first.status, 204);
    assert.equal(first.headers.get('upload-offset'), '5');
    const mismatch = await raw(alice, 'PATCH', url, { ...chunk, 'upload-offset': '2' }, Buffer.from('xyz'));
    assert.equal(mismatch.status, 409, 'offset mismatch');
    assert.equal(envelope(JSON.parse(mismatch.text)).code, 'conflict');
    const tooMuch = await raw(
      alice,
      'PATCH',
      url,
      { ...chunk, 'upload-offset': '5' },
      Buffer.from('this is too long'),
    );
    assert.equal(tooMuch.status, 413, 'beyond Upload-Length');
    assert.equal(envelope(JSON.parse(tooMuch.text)).code, 'payload_too_large');
    assert.equal(
      (await raw(alice, 'HEAD', url, TUS)).headers.get('upload-offset'),
      '5',
      'a refused chunk adds nothing',
    );

    const deleted = await raw(alice, 'DELETE', url, TUS);
    assert.equal(deleted.status, 204);
    assert.ok([404, 410].includes((await raw(alice, 'HEAD', url, TUS)).status));
    const afterDelete = await raw(alice, 'PATCH', url, { ...chunk, 'upload-offset': '5' }, Buffer.from('x'));
    assert.ok([404, 410].includes(afterDelete.status));
    assert.equal(envelope(JSON.parse(afterDelete.text)).code, 'file_not_found');
    const badLength = await raw(alice, 'POST', `${url.slice(0, -4)}x/tus`, {
      ...TUS,
      'upload-length': 'abc',
    });
    assert.equal(badLength.status, 400);
    assert.equal(envelope(JSON.parse(badLength.text)).code, 'bad_request');
  });

  it('respects the notebook maxFileSize and access rules', async () => {
    const { alice, notebookId, url } = await setup();
    const notebook = await alice.get<{ maxFileSize: string }>(`/notebooks/${notebookId}`);
    const max = Number(notebook.body.maxFileSize);
    const tooBig = await raw(alice, 'POST', url, { ...TUS, 'upload-length': String(max + 1) });
    assert.equal(tooBig.status, 413);
    const guest = client();
    await alice.post(`/notebooks/${notebookId}/users`, {
      users: [{ username: guest.username, role: 'guest' }],
    });
    const byGuest = await raw(guest, 'POST', url, { ...TUS, 'upload-length': '3' });
    assert.equal(byGuest.status, 403);
    const stranger = client();
    const byStranger = await raw(stranger, 'POST', url, { ...TUS, 'upload-length': '3' });
    assert.equal(byStranger.status, 403);
    assert.equal(envelope(JSON.parse(byStranger.text)).code, 'notebook_no_access');
    const anonymous = await fetch(url, { method: 'POST', headers: { ...TUS, 'upload-length': '3' } });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer');
  });

  it(`uploads ${UPLOADS} files (0–${MAX_MIB} MiB) with tus-js-client, cut 1–5× at random offsets, resumed: SHA-256 equal`, async () => {
    const { alice, notebookId } = await setup();
    const random = seededRandom(UPLOAD_SEED);
    const sizes = [0, 1, MAX_MIB * MIB];
    while (sizes.length < UPLOADS) sizes.push(Math.floor(random() * MAX_MIB * MIB));
    for (const size of sizes) {
      const id = fileId();
      const endpoint = `${server().url}/api/v1/notes/notebooks/${notebookId}/files/${id}/tus`;
      const data = randomBytes(size);
      const cutCount = size > 1024 ? 1 + Math.floor(random() * 5) : 0;
      const cuts = Array.from({ length: cutCount }, () => Math.floor(random() * size)).sort((a, b) => a - b);
      let uploadUrl: string | null = null;
      let lastOffset = 0;
      for (let attempt = 0; ; attempt++) {
        const cutAt = cuts[attempt];
        let cutting = false;
        const done = await new Promise<boolean>((resolve, reject) => {
          const upload: Upload = new Upload(data, {
            endpoint,
            uploadUrl,
            chunkSize: size > 4 * MIB ? 1024 * 1024 : 64 * 1024,
            retryDelays: null,
            storeFingerprintForResuming: false,
            headers: { authorization: `Bearer ${alice.token}` },
            metadata: { filename: `blob-${size}.bin`, filetype: 'application/octet-stream' },
            onChunkComplete: (_chunk, accepted) => {
              assert.ok(accepted >= lastOffset, 'the server offset never goes back');
              lastOffset = accepted;
            },
            // The cut lands inside a PATCH body: the server must keep what arrived and report it on HEAD.
            onProgress: (sent) => {
              if (cutAt === undefined || sent < cutAt || cutting) return;
              cutting = true;
              uploadUrl = upload.url;
              void upload.abort().then(() => resolve(false));
            },
            onSuccess: () => resolve(true),
            onError: reject,
          });
          upload.start();
        });
        if (done) break;
        // The server may still be writing the cut request's bytes; its offset only ever grows.
        const offset = Number((await raw(alice, 'HEAD', uploadUrl ?? '', TUS)).headers.get('upload-offset'));
        assert.ok(offset >= lastOffset && offset <= size, `offset ${offset} after a cut`);
        lastOffset = offset;
      }
      const download = await fetch(`${server().url}/api/v1/notes/notebooks/${notebookId}/files/${id}`, {
        headers: { authorization: `Bearer ${alice.token}` },
      });
      assert.equal(download.status, 200);
      const body = Buffer.from(await download.arrayBuffer());
      assert.equal(
        createHash('sha256').update(body).digest('hex'),
        createHash('sha256').update(data).digest('hex'),
        `size ${size}`,
      );
    }
    const list = await alice.get<{ files: { name: string; size: number }[]; total: number }>(
      `/notebooks/${notebookId}/files?limit=500`,
    );
    assert.equal(list.body.total, sizes.length);
    assert.deepEqual(
      list.body.files.map((f) => f.size).sort((a, b) => a - b),
      [...sizes].sort((a, b) => a - b),
    );
  });

  /** Uploads `data` in one go, attached to `documentId` through the metadata clients send. */
  async function uploadTo(alice: Client, notebookId: string, documentId: string, data: Buffer) {
    const id = fileId();
    const url = `${server().url}/api/v1/notes/notebooks/${notebookId}/files/${id}/tus`;
    const metadata = `filename ${Buffer.from('a.bin').toString('base64')},documentId ${Buffer.from(documentId).toString('base64')}`;
    assert.equal(
      (
        await raw(alice, 'POST', url, {
          ...TUS,
          'upload-length': String(data.length),
          'upload-metadata': metadata,
        })
      ).status,
      201,
    );
    const patch = await raw(
      alice,
      'PATCH',
      url,
      { ...TUS, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      data,
    );
    assert.equal(patch.status, 204);
    return id;
  }

  const onDisk = (id: string) =>
    [id, `${id}.json`].filter((name) => existsSync(join(dataDir(), 'files', name)));

  async function gone(id: string): Promise<void> {
    for (let i = 0; i < 100 && onDisk(id).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(onDisk(id), [], `bytes of ${id} removed`);
  }

  it('deleting a node deletes its files: rows, bytes and upload metadata (REST and node.delete)', async () => {
    const alice = client();
    const { notebookId } = await alice.me();
    const section = await alice.createNode(notebookId, 'section', null);
    const page = await alice.createNode(notebookId, 'page', section.id);
    const child = await alice.createNode(notebookId, 'page', page.id);
    const keep = await alice.createNode(notebookId, 'page', section.id);
    const onPage = await uploadTo(alice, notebookId, page.id, randomBytes(1000));
    const onChild = await uploadTo(alice, notebookId, child.id, randomBytes(10));
    const kept = await uploadTo(alice, notebookId, keep.id, randomBytes(10));
    assert.deepEqual(onDisk(onPage), [onPage, `${onPage}.json`]);
    assert.equal((await alice.get(`/notebooks/${notebookId}/files/${onChild}`)).status, 200);

    assert.equal((await alice.delete(`/notebooks/${notebookId}/nodes/${page.id}`)).status, 200);
    for (const id of [onPage, onChild]) {
      const download = await alice.get(`/notebooks/${notebookId}/files/${id}`);
      assert.equal(download.status, 404);
      assert.equal(envelope(download.body).code, 'file_not_found');
      await gone(id);
    }
    const list = await alice.get<{ files: { id: string }[] }>(`/notebooks/${notebookId}/files?limit=50`);
    assert.ok(!list.body.files.some((f) => f.id === onPage || f.id === onChild));
    assert.deepEqual(onDisk(kept), [kept, `${kept}.json`], 'files of other nodes stay');

    const viaMutation = await uploadTo(alice, notebookId, keep.id, randomBytes(10));
    const sync = await alice.post<{ results: { status: number }[] }>(`/notebooks/${notebookId}/mutations`, {
      mutations: [
        {
          id: `mu_${fileId()}`,
          createdAt: new Date().toISOString(),
          type: 'node.delete',
          data: { nodeId: keep.id, rootId: section.id, deletedAt: new Date().toISOString() },
        },
      ],
    });
    assert.equal(sync.body.results[0]?.status, 200);
    await gone(viaMutation);
    await gone(kept);
  });

  it('a refused deletion keeps the bytes; deleting a notebook removes all of its files', async () => {
    const owner = client();
    const viewer = client();
    const { notebookId: ownNotebook } = await owner.me();
    const created = await owner.post<{ id: string }>('/notebooks', { name: 'Doomed' });
    assert.equal(created.status, 201);
    const notebookId = created.body.id;
    await owner.post(`/notebooks/${notebookId}/users`, {
      users: [{ username: viewer.username, role: 'guest' }],
    });
    const section = await owner.createNode(notebookId, 'section', null);
    const page = await owner.createNode(notebookId, 'page', section.id);
    const id = await uploadTo(owner, notebookId, page.id, randomBytes(100));
    assert.equal((await viewer.delete(`/notebooks/${notebookId}/nodes/${page.id}`)).status, 403);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(onDisk(id), [id, `${id}.json`], 'nothing removed by a refused delete');

    const ownSection = await owner.createNode(ownNotebook, 'section', null);
    const ownPage = await owner.createNode(ownNotebook, 'page', ownSection.id);
    const elsewhere = await uploadTo(owner, ownNotebook, ownPage.id, randomBytes(5));
    assert.equal((await owner.delete(`/notebooks/${notebookId}`)).status, 200);
    await gone(id);
    assert.deepEqual(onDisk(elsewhere), [elsewhere, `${elsewhere}.json`], 'other notebooks keep theirs');
  });

  it('removes bytes that have no row at start-up (a crash after the deleting commit), nothing else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'notes-files-sweep-'));
    try {
      await mkdir(join(dir, 'files'));
      for (const name of ['fl_stray', 'fl_stray.json', 'notes.txt'])
        await writeFile(join(dir, 'files', name), 'x');
      const restarted = await startServer({ port: 0, dataDir: dir });
      await restarted.close();
      assert.deepEqual((await readdir(join(dir, 'files'))).sort(), ['notes.txt']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('concurrent PATCHes of one upload never interleave: one wins, the bytes stay the source bytes', async () => {
    const { alice, notebookId, id, url } = await setup();
    const data = randomBytes(3 * MIB + 5);
    const chunk = { ...TUS, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' };
    assert.equal(
      (await raw(alice, 'POST', url, { ...TUS, 'upload-length': String(data.length) })).status,
      201,
    );
    const statuses = (
      await Promise.all([raw(alice, 'PATCH', url, chunk, data), raw(alice, 'PATCH', url, chunk, data)])
    ).map((r) => r.status);
    assert.ok(statuses.filter((status) => status === 204).length <= 1, `both applied: ${statuses.join()}`);
    const offset = Number((await raw(alice, 'HEAD', url, TUS)).headers.get('upload-offset'));
    if (offset < data.length) {
      const rest = await raw(
        alice,
        'PATCH',
        url,
        { ...chunk, 'upload-offset': String(offset) },
        data.subarray(offset),
      );
      assert.equal(rest.status, 204);
    }
    const download = await fetch(`${server().url}/api/v1/notes/notebooks/${notebookId}/files/${id}`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    const body = Buffer.from(await download.arrayBuffer());
    assert.equal(
      createHash('sha256').update(body).digest('hex'),
      createHash('sha256').update(data).digest('hex'),
    );
  });

  it('answers file_not_found and file_not_ready on download', async () => {
    const { alice, notebookId, id, url } = await setup();
    const missing = await alice.get(`/notebooks/${notebookId}/files/fl_missing`);
    assert.equal(missing.status, 404);
    assert.equal(envelope(missing.body).code, 'file_not_found');
    await raw(alice, 'POST', url, { ...TUS, 'upload-length': '4' });
    const partial = await alice.get(`/notebooks/${notebookId}/files/${id}`);
    assert.equal(partial.status, 409);
    assert.equal(envelope(partial.body).code, 'file_not_ready');
  });
});
