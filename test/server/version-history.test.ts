import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { DocumentOutput } from '../../src/shared/api/documents';
import { VersionList, VersionOutput, VersionSummary } from '../../src/shared/api/versions';
import { appendBlocks, documentText, normalizeDocument, writeDocument } from '../../src/shared/crdt/document';
import { createYDoc } from '../../src/shared/crdt/ydoc';
import { toBase64 } from '../../src/shared/lib/base64';
import { newId, IdPrefix } from '../../src/shared/lib/ids';
import { envelope, useServer } from './helpers';

/**
 * What this server adds to the reference's versions API for the app's history: names and kinds, client ids that
 * make an offline snapshot's create idempotent, the content the client snapshotted, rename, and a restore that
 * edits instead of replacing (a client's concurrent edit survives).
 */
describe('version history extensions', () => {
  const { client } = useServer();

  async function setup(text: string | null = 'v1') {
    const alice = client();
    const { notebookId } = await alice.me();
    const section = await alice.createNode(notebookId, 'section', null);
    const page = await alice.createNode(notebookId, 'page', section.id);
    const doc = `/notebooks/${notebookId}/nodes/${page.id}/document`;
    if (text !== null)
      await alice.put(doc, { content: { type: 'doc', content: [{ type: 'paragraph', text }] } });
    return { alice, notebookId, page, doc, base: `/notebooks/${notebookId}/nodes/${page.id}/versions` };
  }

  it('creates with a client id exactly once, with a name, a kind and the content the client saw', async () => {
    const { alice, base } = await setup();
    const id = newId(IdPrefix.version);
    const body = {
      id,
      name: 'Before the big edit',
      kind: 'manual',
      content: { type: 'doc', content: [{ type: 'paragraph', text: 'what I saw offline' }] },
    };
    const first = await alice.post(base, body);
    assert.equal(first.status, 201);
    const again = await alice.post(base, body);
    assert.deepEqual(
      VersionSummary.parse(again.body),
      VersionSummary.parse(first.body),
      'same version again',
    );
    const list = VersionList.parse((await alice.get(base)).body);
    assert.equal(list.total, 1);
    assert.deepEqual(
      { name: list.versions[0]?.name, kind: list.versions[0]?.kind, id: list.versions[0]?.id },
      { name: 'Before the big edit', kind: 'manual', id },
    );
    const got = VersionOutput.parse((await alice.get(`${base}/${id}`)).body);
    assert.equal(documentText(got.content as never), 'what I saw offline');

    const renamed = await alice.patch(`${base}/${id}`, { name: 'Renamed' });
    assert.equal(VersionSummary.parse(renamed.body).name, 'Renamed');
    assert.equal(VersionList.parse((await alice.get(base)).body).versions[0]?.name, 'Renamed');
    assert.equal(VersionSummary.parse((await alice.patch(`${base}/${id}`, { name: null })).body).name, null);
  });

  it('refuses bad bodies with a 400 envelope and a taken id with 409', async () => {
    const { alice, base } = await setup();
    for (const bad of [
      { kind: 'nightly' },
      { name: 'x'.repeat(300) },
      { content: { type: 'nope' } },
      { id: 'a/b' },
    ]) {
      const response = await alice.post(base, bad);
      assert.equal(response.status, 400, JSON.stringify(bad));
      envelope(response.body);
    }
    const other = await setup();
    const taken = VersionSummary.parse((await other.alice.post(other.base)).body).id;
    const clash = await alice.post(base, { id: taken });
    assert.equal(clash.status, 409);
  });

  it("restore edits the document: a client's edit made before it and sent after it survives", async () => {
    const { alice, notebookId, page, doc, base } = await setup(null);
    const send = async (update: Uint8Array) => {
      const at = new Date().toISOString();
      const mutation = {
        id: newId(IdPrefix.mutation),
        type: 'document.update',
        createdAt: at,
        data: {
          documentId: page.id,
          updateId: newId(IdPrefix.update),
          data: toBase64(update),
          createdAt: at,
        },
      };
      const sent = await alice.post(`/notebooks/${notebookId}/mutations`, { mutations: [mutation] });
      assert.equal(sent.status, 200, sent.text);
    };
    // A client owns the document's Yjs history from here: it replaces the content and syncs it.
    const clientDoc = createYDoc();
    const edit = async (change: () => void) => {
      const before = Y.encodeStateVector(clientDoc);
      change();
      return Y.encodeStateAsUpdate(clientDoc, before);
    };
    await send(
      await edit(() =>
        writeDocument(
          clientDoc,
          normalizeDocument({ type: 'doc', content: [{ type: 'paragraph', text: 'Alpha' }] }),
        ),
      ),
    );
    const version = VersionSummary.parse((await alice.post(base)).body);
    await send(
      await edit(() =>
        appendBlocks(clientDoc, [{ type: 'paragraph', content: [{ type: 'text', text: 'Second' }] }]),
      ),
    );
    // Offline on the client: it types into the first paragraph. Meanwhile the server restores the version.
    const offline = await edit(() => {
      const paragraph = clientDoc.getXmlFragment('default').get(0) as Y.XmlElement;
      (paragraph.get(0) as Y.XmlText).insert(0, 'Client: ');
    });
    assert.deepEqual((await alice.post(`${base}/${version.id}/restore`)).body, { success: true });
    assert.equal(documentText(DocumentOutput.parse((await alice.get(doc)).body).content as never), 'Alpha');
    await send(offline);
    const after = DocumentOutput.parse((await alice.get(doc)).body);
    assert.equal(documentText(after.content as never), 'Client: Alpha');
    const kinds = VersionList.parse((await alice.get(base)).body).versions.map((v) => v.kind);
    assert.deepEqual(kinds, ['restore', 'manual'], 'the content before the restore was kept');
  });
});
