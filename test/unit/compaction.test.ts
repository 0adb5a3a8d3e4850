import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { systemClock, type Clock } from '../../src/main/lib/clock';
import { countOutbox } from '../../src/main/outbox/outbox.repository';
import { compactConfirmedLocally } from '../../src/main/replica/compaction';
import { readDocument } from '../../src/shared/crdt/document';
import { createLocalPage } from '../support/core';
import { call, openTestCore, tempDir } from '../support/temp';

const accountId = LOCAL_ACCOUNT_ID;

describe('local confirmation (Local account compaction)', () => {
  it('folds pending updates into the confirmed state, retires the outbox, and changes no content', async () => {
    const dir = tempDir();
    const core = await openTestCore(dir);
    // The first-run seed (notebook, section), which the core itself folds a few seconds after start.
    compactConfirmedLocally(core.account(accountId).replica.db, 'local-user', systemClock);
    const { notebook, page } = await createLocalPage(core, 'P');
    await call(core, 'node.update', { accountId, nodeId: page.id, name: 'Renamed' });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await call(core, 'document.open', { accountId, documentId: page.id })).state);
    const text = new Y.XmlText();
    const start = Y.encodeStateVector(doc);
    doc.getXmlFragment('default').insert(0, [new Y.XmlElement('paragraph')]);
    (doc.getXmlFragment('default').get(0) as Y.XmlElement).insert(0, [text]);
    await call(core, 'document.update', {
      accountId,
      documentId: page.id,
      update: Y.encodeStateAsUpdate(doc, start),
    });
    for (const word of ['one ', 'two ', 'three']) {
      const before = Y.encodeStateVector(doc);
      text.insert(text.length, word);
      await call(core, 'document.update', {
        accountId,
        documentId: page.id,
        update: Y.encodeStateAsUpdate(doc, before),
      });
    }
    const db = core.account(accountId).replica.db;
    const treeBefore = await call(core, 'node.tree', { accountId, notebookId: notebook.id });
    assert.ok(countOutbox(db) > 0);

    const report = compactConfirmedLocally(db, 'local-user', systemClock);
    assert.deepEqual([report.documents, report.nodes], [1, 1], 'the page document and the page node');
    assert.equal(countOutbox(db), 0);
    assert.equal(db.prepare('SELECT count(*) FROM document_updates').pluck().get(), 0);
    assert.equal(db.prepare('SELECT count(*) FROM node_updates').pluck().get(), 0);
    const after = await call(core, 'node.tree', { accountId, notebookId: notebook.id });
    assert.deepEqual(
      after.map((n) => ({ ...n, pending: false })),
      treeBefore.map((n) => ({ ...n, pending: false })),
    );
    assert.ok(
      after.every((n) => !n.pending),
      'nothing is pending once confirmed',
    );
    core.close();

    const again = await openTestCore(dir);
    const reopened = new Y.Doc();
    Y.applyUpdate(reopened, (await call(again, 'document.open', { accountId, documentId: page.id })).state);
    assert.equal(JSON.stringify(readDocument(reopened)).includes('one two three'), true);
    assert.equal((await call(again, 'node.get', { accountId, nodeId: page.id })).name, 'Renamed');
  });

  it('at start-up the first fold waits, so it never delays the first answers', async () => {
    const dir = tempDir();
    const first = await openTestCore(dir);
    await createLocalPage(first, 'P');
    first.close();
    const core = await openTestCore(dir);
    assert.ok(countOutbox(core.account(accountId).replica.db) > 0, 'nothing folded while the core opens');
    await call(core, 'notebook.list', { accountId });
    core.close(); // before the first fold: its timer goes with the core
  });

  it("dates the reactions it folds with the core's clock, not the machine's", async () => {
    // A clock a year behind the machine (as S5 skews devices): the folded row must carry its time.
    const at = new Date('2020-02-02T02:02:02.000Z');
    const clock: Clock = { now: () => new Date(at) };
    const core = await openTestCore(tempDir(), clock);
    const { page } = await createLocalPage(core, 'Reacted');
    await call(core, 'reaction.set', { accountId, nodeId: page.id, reaction: '👍', on: true });
    const db = core.account(accountId).replica.db;
    compactConfirmedLocally(db, core.account(accountId).replica.userId, clock);
    assert.equal(countOutbox(db), 0);
    const rows = db.prepare('SELECT reaction, created_at AS createdAt FROM node_reactions').all();
    assert.deepEqual(rows, [{ reaction: '👍', createdAt: at.toISOString() }]);
  });
});
