import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import type { AppCore } from '../../src/main/core/app-core';
import type { NodeView } from '../../src/shared/contract';
import { call } from '../support/core';
import {
  createNode,
  FaultProxy,
  findNode,
  notebookApi,
  openDevice,
  PageEditor,
  ProxyMode,
  shareNotebook,
  signIn,
  startTestServer,
  storedDoc,
  syncStatus,
  waitFor,
  waitUpToDate,
  type Device,
} from '../support/sync';

/**
 * Changes the server refuses (docs/sync-protocol.md §7): the reproduction — a member whose role
 * dropped while offline types, is refused, is given the role back, and types on in the same editor.
 */

const text = async (d: Device, pageId: string): Promise<string> =>
  (await storedDoc(d.core, d.accountId, pageId)).getXmlFragment('default').toString();

async function setRole(serverUrl: string, token: string, notebookId: string, userId: string, role: string) {
  const response = await notebookApi(serverUrl, token, notebookId)('PATCH', `/users/${userId}/role`, {
    role,
  });
  assert.ok(response.ok, `role ${role}: ${response.status} ${await response.text()}`);
}

/** Olga's page, Vic a member (collaborator) editing it through a proxy, with a viewer grant on its section. */
async function setUp(seed: number) {
  const server = await startTestServer();
  const olgaToken = server.createToken('olga');
  const olga = await signIn(await openDevice(seed), server.url, olgaToken);
  const section = await createNode(olga, 'section', null, 'Plans');
  const page = await createNode(olga, 'page', section.id, 'Roadmap');
  const olgaEditor = await PageEditor.open(olga.core, olga.accountId, page);
  await olgaEditor.type('olga wrote this');
  await waitUpToDate(olga.core, olga.accountId);
  const vicId = await shareNotebook(server.url, olgaToken, olga.notebookId, 'vic');
  // Explicit viewer on the section: as a collaborator Vic still edits (the stronger role wins); as a guest he
  // only reads it.
  const grant = await notebookApi(server.url, olgaToken, olga.notebookId)(
    'POST',
    `/nodes/${section.id}/collaborators`,
    { collaboratorId: vicId, role: 'viewer' },
  );
  assert.ok(grant.ok, await grant.text());
  const proxy = await FaultProxy.start(server.url);
  const vic = await signIn(await openDevice(seed + 1), proxy.url, server.createToken('vic'), olga.notebookId);
  const vicPage = await waitFor('the page on Vic’s device', () =>
    findNode(vic.core, vic.accountId, vic.notebookId, page.id),
  );
  await waitFor('the text on Vic’s device', async () => (await text(vic, page.id)).includes('olga wrote'));
  const role = (r: string) => setRole(server.url, olgaToken, olga.notebookId, vicId, r);
  return { server, olga, vic, proxy, page: vicPage, role };
}

/** Vic's role drops to guest (viewer here) while he is offline, and he types: refused once he is back. */
async function refusedWhileOffline(
  vic: Device,
  proxy: FaultProxy,
  page: NodeView,
  role: (r: string) => Promise<void>,
  words: readonly string[],
): Promise<PageEditor> {
  proxy.cut();
  await waitFor(
    'Vic offline',
    async () => (await syncStatus(vic.core, vic.accountId)).connection === 'offline',
  );
  await role('guest');
  const editor = await PageEditor.open(vic.core, vic.accountId, page);
  for (const word of words) await editor.type(word);
  proxy.restore();
  await waitFor(
    'the refusals',
    async () => {
      const status = await syncStatus(vic.core, vic.accountId);
      return status.pending === 0 && status.rejected >= 1;
    },
    20_000,
  );
  return editor;
}

const refused = async (core: AppCore, accountId: string) =>
  (await call(core, 'sync.outbox', { accountId })).filter((row) => row.status === 'rejected');

describe('changes the server refused', () => {
  it('edits made after a refused one still reach the server and other devices once the role is back', async () => {
    const { olga, vic, proxy, page, role } = await setUp(301);
    const editor = await refusedWhileOffline(vic, proxy, page, role, ['typed as a viewer']);
    assert.match(await text(vic, page.id), /typed as a viewer/, 'the refused text is kept on Vic’s device');
    assert.doesNotMatch(await text(olga, page.id), /typed as a viewer/);
    for (const row of await refused(vic.core, vic.accountId)) assert.match(row.lastError ?? '', /^403/);

    await role('collaborator');
    // The same editor (the same Yjs client) types on: every new struct follows the refused ones in its clock.
    await editor.type('typed as an editor again');
    await waitFor(
      'the new text on Olga’s device',
      async () => (await text(olga, page.id)).includes('typed as an editor again'),
      15_000,
    );
    // It took the refused text it builds on along; nothing is left refused or waiting.
    assert.match(await text(olga, page.id), /typed as a viewer/);
    await waitUpToDate(vic.core, vic.accountId);
    assert.deepEqual(await refused(vic.core, vic.accountId), []);
    assert.equal(await text(vic, page.id), await text(olga, page.id));
  });

  it('a refused edit the user does not build on stays refused until they decide', async () => {
    const { olga, vic, proxy, page, role } = await setUp(311);
    await refusedWhileOffline(vic, proxy, page, role, ['only in the panel']);
    await role('collaborator');
    // A new editor session (another window, or after a reload) typing elsewhere does not build on it.
    const other = await PageEditor.open(vic.core, vic.accountId, page);
    await other.edit((fragment) => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('a new first line')]);
      fragment.insert(0, [paragraph]);
    });
    await waitFor('the independent edit on Olga’s device', async () =>
      (await text(olga, page.id)).includes('a new first line'),
    );
    await waitUpToDate(vic.core, vic.accountId);
    const still = await refused(vic.core, vic.accountId);
    assert.ok(still.length >= 1, 'still refused: retrying is the user’s decision');
    assert.doesNotMatch(await text(olga, page.id), /only in the panel/);
  });

  it('retries or discards every refused change of a page at once; open editors drop the discarded text', async () => {
    const { olga, vic, proxy, page, role } = await setUp(321);
    const words = Array.from({ length: 13 }, (_, i) => `keystroke${i}`);
    const editor = await refusedWhileOffline(vic, proxy, page, role, words);
    // Sent as they were typed (13 mutations, some merged before sending): several refused rows, one page.
    const rows = await refused(vic.core, vic.accountId);
    assert.ok(rows.length >= 1);
    assert.ok(rows.every((row) => row.objectId === page.id));

    // Still a viewer: retrying all of them is refused again, all of them kept.
    assert.equal(
      await call(vic.core, 'sync.retryRefused', { accountId: vic.accountId, objectId: page.id }),
      rows.length,
    );
    await waitFor('refused again', async () => {
      const status = await syncStatus(vic.core, vic.accountId);
      return status.pending === 0 && status.rejected === rows.length;
    });

    const resets: string[] = [];
    const off = vic.core.events.on((event) => {
      if (event.name === 'document.reset') resets.push((event.payload as { documentId: string }).documentId);
    });
    const discarded = await call(vic.core, 'sync.discardRefused', {
      accountId: vic.accountId,
      objectId: page.id,
    });
    off();
    assert.equal(discarded, rows.length, 'one call discards them all');
    assert.deepEqual(resets, [page.id], 'the open editor is told to open the page again');
    assert.deepEqual(await call(vic.core, 'sync.outbox', { accountId: vic.accountId }), []);
    assert.equal(await text(vic, page.id), await text(olga, page.id), 'back to what the server has');
    assert.doesNotMatch(await text(vic, page.id), /keystroke/);
    await editor.close();

    // Promoted, a reopened editor (a new Yjs client, as the renderer makes on `document.reset`) edits again.
    await role('collaborator');
    const reopened = await PageEditor.open(vic.core, vic.accountId, page);
    await reopened.type('after the discard');
    await waitFor(
      'the edit on Olga’s device',
      async () => (await text(olga, page.id)).includes('after the discard'),
      15_000,
    );
    assert.doesNotMatch(await text(olga, page.id), /keystroke/);
  });

  it('a refusal whose answer arrives cut off is not taken as applied: it stays waiting, then is refused', async () => {
    const { olga, vic, proxy, page, role } = await setUp(331);
    proxy.cut();
    await waitFor(
      'Vic offline',
      async () => (await syncStatus(vic.core, vic.accountId)).connection === 'offline',
    );
    await role('guest');
    await call(vic.core, 'node.update', {
      accountId: vic.accountId,
      nodeId: page.id,
      name: 'Renamed as a guest',
    });
    // The server answers 200 {results: [{status: 403}]}, and the connection drops half-way through the body.
    proxy.restore();
    proxy.mode = ProxyMode.truncateMutationAnswers;
    const [waiting, ...others] = await waitFor('an attempt that read no answer', async () => {
      const rows = await call(vic.core, 'sync.outbox', { accountId: vic.accountId });
      return proxy.truncatedMutationAnswers >= 1 && (rows.length === 0 || rows[0]!.attempts >= 1)
        ? rows
        : undefined;
    });
    assert.ok(
      waiting,
      'the rename is still in the outbox (an unread answer is no answer, not "all applied")',
    );
    assert.equal(others.length, 0);
    assert.equal(waiting.status, 'pending');
    assert.match(waiting.lastError ?? '', /broke off/, 'the failed attempt is recorded');

    proxy.mode = ProxyMode.pass;
    await waitFor('the refusal', async () => (await syncStatus(vic.core, vic.accountId)).rejected === 1);
    const [row] = await refused(vic.core, vic.accountId);
    assert.match(row!.lastError ?? '', /^403/);
    assert.equal(
      (await findNode(vic.core, vic.accountId, vic.notebookId, page.id))?.name,
      'Renamed as a guest',
    );
    assert.equal((await findNode(olga.core, olga.accountId, olga.notebookId, page.id))?.name, 'Roadmap');
  });
});
