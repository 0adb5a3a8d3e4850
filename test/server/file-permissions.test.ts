import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { envelope, useServer, type Client } from './helpers';

const TUS = { 'tus-resumable': '1.0.0' };
let counter = 0;
const newFileId = () => `fl_perm${Date.now().toString(36)}${(counter++).toString(36)}`;
const b64 = (text: string) => Buffer.from(text).toString('base64');

async function tus(
  client: Client,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: Buffer,
) {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${client.token}`, ...TUS, ...headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

describe('files follow the permissions of their page', () => {
  const { server, client } = useServer();
  const tusUrl = (notebookId: string, id: string) =>
    `${server().url}/api/v1/notes/notebooks/${notebookId}/files/${id}/tus`;

  /** Creates an upload of `data` for `pageId` (null: none) and sends it whole; returns the file id. */
  async function upload(
    who: Client,
    notebookId: string,
    pageId: string | null,
    name: string,
    data = randomBytes(64),
  ): Promise<string> {
    const id = newFileId();
    const metadata = [`filename ${b64(name)}`, ...(pageId ? [`documentId ${b64(pageId)}`] : [])].join(',');
    const created = await tus(who, 'POST', tusUrl(notebookId, id), {
      'upload-length': String(data.length),
      'upload-metadata': metadata,
    });
    assert.equal(created.status, 201, created.text);
    const sent = await tus(
      who,
      'PATCH',
      tusUrl(notebookId, id),
      { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      data,
    );
    assert.equal(sent.status, 204, sent.text);
    return id;
  }

  /** Owner's notebook: section Open (guest reads it) with a page, section Hidden with 'Secret plans'. */
  async function setup() {
    const owner = client();
    const guest = client();
    const member = client();
    const { notebookId } = await owner.me();
    await guest.me();
    await member.me();
    const invited = await owner.post(`/notebooks/${notebookId}/users`, {
      users: [
        { username: guest.username, role: 'guest' },
        { username: member.username, role: 'collaborator' },
      ],
    });
    assert.equal(invited.status, 200, invited.text);
    const guestId = (await guest.me()).userId;
    const open = await owner.createNode(notebookId, 'section', null, { name: 'Open' });
    const openPage = await owner.createNode(notebookId, 'page', open.id, { name: 'Shared page' });
    const hidden = await owner.createNode(notebookId, 'section', null, { name: 'Hidden' });
    const secretPage = await owner.createNode(notebookId, 'page', hidden.id, { name: 'Secret plans' });
    const granted = await owner.post(`/notebooks/${notebookId}/nodes/${open.id}/collaborators`, {
      collaboratorId: guestId,
      role: 'viewer',
    });
    assert.equal(granted.status, 201, granted.text);
    const visible = await upload(owner, notebookId, openPage.id, 'diagram.png');
    const secret = await upload(owner, notebookId, secretPage.id, 'acquisition-terms.pdf');
    const loose = await upload(owner, notebookId, null, 'loose.txt');
    return { owner, guest, guestId, member, notebookId, open, openPage, secretPage, visible, secret, loose };
  }

  it('a guest lists and downloads only files of pages they can read; nothing of the others leaks', async () => {
    const s = await setup();
    const list = await s.guest.get<{ files: { id: string; documentName: string | null }[]; total: number }>(
      `/notebooks/${s.notebookId}/files?limit=50`,
    );
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.files.map((f) => f.id),
      [s.visible],
    );
    assert.equal(list.body.total, 1, 'the total counts only what the guest may see');
    assert.equal(list.body.files[0]?.documentName, 'Shared page');
    for (const leak of ['Secret plans', 'acquisition-terms', 'loose.txt', s.secret, s.secretPage.id]) {
      assert.ok(!list.text.includes(leak), `the list mentions ${leak}`);
    }
    assert.equal((await s.guest.get(`/notebooks/${s.notebookId}/files/${s.visible}`)).status, 200);
    for (const id of [s.secret, s.loose, 'fl_doesnotexist']) {
      const download = await s.guest.get(`/notebooks/${s.notebookId}/files/${id}`);
      assert.equal(download.status, 404, `download of ${id}`);
      assert.equal(envelope(download.body).code, 'file_not_found');
      assert.ok(!download.text.includes('acquisition'), 'the error names nothing');
    }
    // The TUS routes answer a hidden file exactly like a missing one.
    const url = tusUrl(s.notebookId, s.secret);
    for (const [method, headers, body] of [
      ['HEAD', {}, undefined],
      [
        'PATCH',
        { 'upload-offset': '64', 'content-type': 'application/offset+octet-stream' },
        Buffer.from('x'),
      ],
      ['DELETE', {}, undefined],
    ] as const) {
      const answer = await tus(s.guest, method, url, headers, body);
      assert.equal(answer.status, 404, `${method} of a hidden file`);
    }
    assert.equal((await tus(s.guest, 'HEAD', tusUrl(s.notebookId, s.visible), {})).status, 200);
    // The owner still has everything, and the file of the hidden page survived the guest's attempts.
    const all = await s.owner.get<{ total: number }>(`/notebooks/${s.notebookId}/files`);
    assert.equal(all.body.total, 3);
    const member = await s.member.get<{ total: number }>(`/notebooks/${s.notebookId}/files`);
    assert.equal(member.body.total, 3, 'a collaborator reads the whole notebook');
  });

  it('attaching needs edit rights on the page; only the uploader sends bytes, while still allowed', async () => {
    const s = await setup();
    const attach = (who: Client, pageId: string | null) =>
      tus(who, 'POST', tusUrl(s.notebookId, newFileId()), {
        'upload-length': '4',
        'upload-metadata': [
          `filename ${b64('a.bin')}`,
          ...(pageId ? [`documentId ${b64(pageId)}`] : []),
        ].join(','),
      });
    assert.equal((await attach(s.guest, s.openPage.id)).status, 403, 'a viewer cannot attach');
    const hidden = await attach(s.guest, s.secretPage.id);
    assert.equal(hidden.status, 404, 'a hidden page is as good as missing');
    assert.ok(!hidden.text.includes('Secret'));
    assert.equal((await attach(s.guest, null)).status, 403, 'a guest cannot upload outside a page');
    assert.equal((await attach(s.owner, 'nd_nosuchpage')).status, 404);
    const other = client();
    const { notebookId: elsewhere } = await other.me();
    const foreign = await other.createNode(elsewhere, 'section', null);
    assert.equal((await attach(s.owner, foreign.id)).status, 404, "another notebook's page");
    const badMetadata = await tus(s.owner, 'POST', tusUrl(s.notebookId, newFileId()), {
      'upload-length': '4',
      'upload-metadata': 'documentId !!!notbase64',
    });
    assert.equal(badMetadata.status, 400);
    assert.equal(envelope(JSON.parse(badMetadata.text)).code, 'bad_request');

    // An explicit editor grant on the page lets the guest attach there.
    await s.owner.patch(`/notebooks/${s.notebookId}/nodes/${s.open.id}/collaborators/${s.guestId}`, {
      role: 'editor',
    });
    const id = newFileId();
    const url = tusUrl(s.notebookId, id);
    const created = await tus(s.guest, 'POST', url, {
      'upload-length': '8',
      'upload-metadata': `filename ${b64('g.bin')},documentId ${b64(s.openPage.id)}`,
    });
    assert.equal(created.status, 201, created.text);
    const chunk = { 'content-type': 'application/offset+octet-stream' };
    const byOwner = await tus(s.owner, 'PATCH', url, { ...chunk, 'upload-offset': '0' }, Buffer.from('own!'));
    assert.equal(byOwner.status, 403, "nobody else writes into someone's upload");
    const first = await tus(s.guest, 'PATCH', url, { ...chunk, 'upload-offset': '0' }, Buffer.from('half'));
    assert.equal(first.status, 204);
    // The grant goes: the rest of the upload is refused, and what arrived stays unreadable as a file.
    await s.owner.delete(`/notebooks/${s.notebookId}/nodes/${s.open.id}/collaborators/${s.guestId}`);
    const rest = await tus(s.guest, 'PATCH', url, { ...chunk, 'upload-offset': '4' }, Buffer.from('more'));
    assert.equal(rest.status, 404, 'the page is no longer readable: the file is gone for the guest');
    assert.equal((await s.owner.get(`/notebooks/${s.notebookId}/files/${id}`)).status, 409);
  });

  it('deleting: the uploader or an admin of the page, never a reader', async () => {
    const s = await setup();
    await s.owner.patch(`/notebooks/${s.notebookId}/nodes/${s.open.id}/collaborators/${s.guestId}`, {
      role: 'editor',
    });
    const byGuest = await upload(s.guest, s.notebookId, s.openPage.id, 'guest.txt');
    const byMember = await upload(s.member, s.notebookId, s.openPage.id, 'member.txt');
    assert.equal((await tus(s.guest, 'DELETE', tusUrl(s.notebookId, byMember), {})).status, 403);
    assert.equal((await tus(s.guest, 'DELETE', tusUrl(s.notebookId, s.visible), {})).status, 403);
    assert.equal((await tus(s.guest, 'DELETE', tusUrl(s.notebookId, byGuest), {})).status, 204);
    assert.equal((await tus(s.owner, 'DELETE', tusUrl(s.notebookId, byMember), {})).status, 204, 'an admin');
    const left = await s.owner.get<{ files: { id: string }[] }>(`/notebooks/${s.notebookId}/files`);
    assert.deepEqual(left.body.files.map((f) => f.id).sort(), [s.visible, s.secret, s.loose].sort());
  });
});

describe('per-user upload limits', () => {
  const { server, client } = useServer({
    uploadLimits: { maxFileSize: 1000, bytesPerWindow: 2500, uploadsPerWindow: 10, windowMs: 60_000 },
  });

  it('refuse a file over the size limit and uploads past the budget, before a byte is sent', async () => {
    const alice = client();
    const bob = client();
    const { notebookId } = await alice.me();
    const { notebookId: bobs } = await bob.me();
    const create = (who: Client, notebook: string, length: number) =>
      tus(who, 'POST', `${server().url}/api/v1/notes/notebooks/${notebook}/files/${newFileId()}/tus`, {
        'upload-length': String(length),
      });
    const tooBig = await create(alice, notebookId, 1001);
    assert.equal(tooBig.status, 413);
    const body = envelope(JSON.parse(tooBig.text));
    assert.equal(body.code, 'payload_too_large');
    assert.match(body.message, /at most 1000 bytes/);
    const fiveGb = await create(alice, notebookId, 5 * 1024 ** 3);
    assert.equal(fiveGb.status, 413);
    assert.match(envelope(JSON.parse(fiveGb.text)).message, /This file is 5\.0 GB/);

    assert.equal((await create(alice, notebookId, 1000)).status, 201);
    const second = newFileId();
    const secondUrl = `${server().url}/api/v1/notes/notebooks/${notebookId}/files/${second}/tus`;
    assert.equal((await tus(alice, 'POST', secondUrl, { 'upload-length': '1000' })).status, 201);
    // Deleting does not give the budget back.
    assert.equal((await tus(alice, 'DELETE', secondUrl, {})).status, 204);
    const over = await create(alice, notebookId, 600);
    assert.equal(over.status, 429);
    assert.equal(envelope(JSON.parse(over.text)).code, 'rate_limited');
    const retryAfter = Number(over.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `retry-after ${retryAfter}`);
    assert.equal((await create(alice, notebookId, 500)).status, 201, 'what fits in the budget still goes');
    assert.equal((await create(bob, bobs, 1000)).status, 201, 'budgets are per user');
  });
});
