import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { listOutbox } from '../../src/main/outbox/outbox.repository';
import {
  documentToYDoc,
  normalizeDocument,
  readDocument,
  writeDocument,
} from '../../src/shared/crdt/document';
import { firstBlockId, firstBlockUpdate, missingFirstBlock } from '../../src/shared/crdt/first-block';
import { createLocalPage } from '../support/core';
import { call, openTestCore, tempDir } from '../support/temp';

const accountId = LOCAL_ACCOUNT_ID;

const pageIn = async (core: Awaited<ReturnType<typeof openTestCore>>) =>
  (await createLocalPage(core, 'Doc')).page;

/** What an editor does: start from the opened state, edit, send the delta. */
function editorEdit(state: Uint8Array, content: unknown): { update: Uint8Array; doc: Y.Doc } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const before = Y.encodeStateVector(doc);
  writeDocument(doc, normalizeDocument(content));
  return { update: Y.encodeStateAsUpdate(doc, before), doc };
}

const sample = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Title' }] },
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Bold', marks: [{ type: 'bold' }] },
        { type: 'text', text: ' and plain' },
      ],
    },
    {
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'item' }] }] },
      ],
    },
  ],
};

describe('documents', () => {
  it('saves each update durably with its outbox mutation, and reopens identical after a restart', async () => {
    const dir = tempDir();
    const core = await openTestCore(dir);
    const page = await pageIn(core);
    const opened = await call(core, 'document.open', { accountId, documentId: page.id });
    const { update } = editorEdit(opened.state, sample);
    const saved = await call(core, 'document.update', { accountId, documentId: page.id, update });
    assert.equal(saved.documentId, page.id);
    const mutations = listOutbox(core.account(accountId).replica.db, 10_000).filter(
      (m) => m.type === 'document.update',
    );
    assert.equal(
      mutations.length,
      2,
      'one for the first paragraph written at the first open, one for the edit',
    );
    core.close();

    const again = await openTestCore(dir);
    const reopened = await call(again, 'document.open', { accountId, documentId: page.id });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, reopened.state);
    const json = readDocument(doc);
    assert.deepEqual(stripIds(json), stripIds(normalizeDocument(sample)));
    assert.deepEqual(
      stripIds(reopened.content),
      stripIds(json),
      'the materialised JSON matches the Yjs state',
    );
  });

  it('sends an update to other windows but not back to its author', async () => {
    const core = await openTestCore();
    const page = await pageIn(core);
    const seen: string[] = [];
    core.events.on((event) => {
      if (event.name === 'document.updated') seen.push(event.originSenderId ?? 'none');
    });
    const opened = await call(core, 'document.open', { accountId, documentId: page.id }, 'window-a');
    await call(
      core,
      'document.update',
      { accountId, documentId: page.id, update: editorEdit(opened.state, sample).update },
      'window-a',
    );
    assert.deepEqual(seen, ['window-a'], 'the event names its origin so transports can skip it');
  });

  it('rejects an update that is not Yjs, and keeps nothing of it', async () => {
    const core = await openTestCore();
    const page = await pageIn(core);
    const result = await core.router.dispatch(
      'document.update',
      { accountId, documentId: page.id, update: new Uint8Array([255, 255, 255, 255, 1, 2, 3]) },
      { senderId: 't' },
    );
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'bad_request');
    const db = core.account(accountId).replica.db;
    assert.equal(db.prepare('SELECT count(*) FROM document_updates').pluck().get(), 0);
  });

  it('merges concurrent edits from two windows (character-level, both kept)', async () => {
    const core = await openTestCore();
    const page = await pageIn(core);
    const base = await call(core, 'document.open', { accountId, documentId: page.id }, 'a');
    const first = editorEdit(base.state, {
      type: 'doc',
      content: [{ type: 'paragraph', attrs: { id: 'p1' }, content: [{ type: 'text', text: 'shared' }] }],
    });
    await call(core, 'document.update', { accountId, documentId: page.id, update: first.update }, 'a');
    const b = new Y.Doc();
    Y.applyUpdate(b, (await call(core, 'document.open', { accountId, documentId: page.id }, 'b')).state);
    const a = first.doc;
    const svA = Y.encodeStateVector(a);
    const svB = Y.encodeStateVector(b);
    ((a.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'A:');
    ((b.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(6, ':B');
    await call(
      core,
      'document.update',
      { accountId, documentId: page.id, update: Y.encodeStateAsUpdate(a, svA) },
      'a',
    );
    await call(
      core,
      'document.update',
      { accountId, documentId: page.id, update: Y.encodeStateAsUpdate(b, svB) },
      'b',
    );
    const merged = new Y.Doc();
    Y.applyUpdate(merged, (await call(core, 'document.open', { accountId, documentId: page.id }, 'c')).state);
    assert.equal(
      merged
        .getXmlFragment('default')
        .toJSON()
        .replace(/<[^>]+>/g, ''),
      'A:shared:B',
    );
  });
});

describe('TipTap JSON ⇄ Yjs', () => {
  it('round-trips formatted content and keeps block ids', () => {
    const doc = normalizeDocument(sample);
    const ids = doc.content.map((b) => b.attrs?.id);
    assert.ok(
      ids.every((id) => typeof id === 'string' && id.length > 0),
      'every block gets an id',
    );
    const back = readDocument(documentToYDoc(doc));
    assert.deepEqual(back, doc);
  });

  it('accepts the reference shorthand and normalises it', () => {
    const doc = normalizeDocument({
      type: 'doc',
      content: [
        { type: 'heading', level: 2, text: 'Plan' },
        { type: 'paragraph', text: 'Go' },
      ],
    });
    assert.equal(doc.content[0]?.attrs?.level, 2);
    assert.deepEqual(doc.content[0]?.content, [{ type: 'text', text: 'Plan' }]);
    assert.deepEqual(doc.content[1]?.content, [{ type: 'text', text: 'Go' }]);
  });

  it('rejects content that does not fit the schema, naming where', () => {
    assert.throws(
      () => normalizeDocument({ type: 'doc', content: [{ type: 'blink', text: 'x' }] }),
      /schema/,
    );
    assert.throws(
      () => normalizeDocument({ type: 'doc', content: [{ text: 'no type' }] }),
      /content\.0\.type/,
    );
    assert.throws(() => normalizeDocument('nope'), /object/);
  });
});

function stripIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripIds);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'id')
        .map(([k, v]) => [k, stripIds(v)]),
    );
  }
  return value;
}

describe('the first paragraph of an empty document', () => {
  const paragraphs = (state: Uint8Array): string[] => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    return doc
      .getXmlFragment('default')
      .toArray()
      .map(
        (block) =>
          `${(block as Y.XmlElement).nodeName}#${String((block as Y.XmlElement).getAttribute('id'))}`,
      );
  };

  it('is the same bytes on every device, so two devices opening an empty page merge to one paragraph', async () => {
    const [one, two] = [await openTestCore(), await openTestCore()];
    const page = await pageIn(one);
    // The second device knows the page (same id) with an empty document, as sync would give it.
    const replica = two.account(accountId).replica.db;
    const notebookId = (await call(two, 'notebook.list', { accountId }))[0]!.id;
    replica
      .prepare(
        'INSERT INTO documents (id, notebook_id, content, created_at, updated_at) VALUES (?, ?, \'{"type":"doc","content":[]}\', \'2026-01-01\', \'2026-01-01\')',
      )
      .run(page.id, notebookId);
    const [a, b] = [
      (await call(one, 'document.open', { accountId, documentId: page.id })).state,
      (await call(two, 'document.open', { accountId, documentId: page.id })).state,
    ];
    assert.deepEqual(a, b, 'both devices wrote byte-identical first paragraphs');
    assert.deepEqual(paragraphs(Y.mergeUpdates([a, b])), [`paragraph#${firstBlockId(page.id)}`]);
  });

  it('is written once: a second window or a reopen adds nothing, and a deleted one is not brought back', async () => {
    const core = await openTestCore();
    const page = await pageIn(core);
    const db = core.account(accountId).replica.db;
    const updates = () => db.prepare('SELECT count(*) FROM document_updates').pluck().get() as number;
    const opened = await call(core, 'document.open', { accountId, documentId: page.id }, 'a');
    await call(core, 'document.open', { accountId, documentId: page.id }, 'b');
    assert.equal(updates(), 1);
    assert.equal(paragraphs(opened.state).length, 1);
    // The user empties the page (deletes the paragraph): reopening must not resurrect it or write again.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, opened.state);
    const before = Y.encodeStateVector(doc);
    doc.getXmlFragment('default').delete(0, 1);
    await call(
      core,
      'document.update',
      { accountId, documentId: page.id, update: Y.encodeStateAsUpdate(doc, before) },
      'a',
    );
    await call(core, 'document.close', { accountId, documentId: page.id }, 'a');
    await call(core, 'document.close', { accountId, documentId: page.id }, 'b');
    const reopened = await call(core, 'document.open', { accountId, documentId: page.id }, 'c');
    assert.deepEqual(paragraphs(reopened.state), []);
    assert.equal(updates(), 2, 'the first paragraph and the deletion, nothing more');
  });

  it('is not added to a document that has content', async () => {
    const block = firstBlockUpdate('nd_x');
    assert.deepEqual(block, firstBlockUpdate('nd_x'), 'deterministic');
    assert.notEqual(firstBlockId('nd_x'), firstBlockId('nd_y'));
    const doc = documentToYDoc(normalizeDocument(sample));
    assert.equal(missingFirstBlock(doc, 'nd_x'), null);
  });
});
