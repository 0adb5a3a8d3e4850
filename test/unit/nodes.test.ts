import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { NOTEBOOK_VIEWS_SQL } from '../../src/main/nodes/nodes.repository';
import { countOutbox, listOutbox } from '../../src/main/outbox/outbox.repository';
import { fromBase64 } from '../../src/shared/lib/base64';
import { readNodeAttributes } from '../../src/shared/crdt/node-doc';
import { LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { call, openTestCore, tempDir } from '../support/temp';

const accountId = LOCAL_ACCOUNT_ID;

async function setup() {
  const core = await openTestCore();
  const [notebook] = await call(core, 'notebook.list', { accountId });
  assert.ok(notebook, 'a fresh install has a default notebook');
  const [section] = await call(core, 'node.tree', { accountId, notebookId: notebook.id });
  assert.ok(section && section.type === 'section', 'with a first section');
  const page = (name: string, parentId = section.id, position?: { beforeId?: string; afterId?: string }) =>
    call(core, 'node.create', {
      accountId,
      notebookId: notebook.id,
      type: 'page',
      parentId,
      name,
      ...(position ? { position } : {}),
    });
  const children = async (parentId: string) =>
    (await call(core, 'node.tree', { accountId, notebookId: notebook.id }))
      .filter((n) => n.parentId === parentId)
      .sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : a.id < b.id ? -1 : 1))
      .map((n) => n.name);
  return { core, notebook, section, page, children };
}

describe('node tree', () => {
  it('creates pages in order, before and after siblings', async () => {
    const { section, page, children } = await setup();
    const b = await page('B');
    await page('D');
    await page('A', section.id, { beforeId: b.id });
    await page('C', section.id, { afterId: b.id });
    assert.deepEqual(await children(section.id), ['A', 'B', 'C', 'D']);
  });

  it('renames and sets an icon; the Yjs attributes and the materialised row agree', async () => {
    const { core, page } = await setup();
    const p = await page('Draft');
    const renamed = await call(core, 'node.update', { accountId, nodeId: p.id, name: 'Final', icon: '📘' });
    assert.equal(renamed.name, 'Final');
    assert.equal(renamed.icon, '📘');
    const db = core.account(accountId).replica.db;
    const updates = db
      .prepare('SELECT data FROM node_updates WHERE node_id = ? ORDER BY rowid')
      .pluck()
      .all(p.id) as Uint8Array[];
    const doc = new Y.Doc();
    for (const u of updates) Y.applyUpdate(doc, u);
    assert.equal(readNodeAttributes(doc).name, 'Final');
    assert.equal(readNodeAttributes(doc).icon, '📘');
  });

  it('moves a page under another page and reorders it; moving into itself is refused', async () => {
    const { core, section, page, children } = await setup();
    const a = await page('A');
    const b = await page('B');
    const c = await page('C');
    await call(core, 'node.move', { accountId, nodeId: c.id, parentId: a.id, position: {} });
    await call(core, 'node.move', { accountId, nodeId: b.id, parentId: a.id, position: { beforeId: c.id } });
    assert.deepEqual(await children(section.id), ['A']);
    assert.deepEqual(await children(a.id), ['B', 'C']);
    const refused = await core.router.dispatch(
      'node.move',
      { accountId, nodeId: a.id, parentId: c.id, position: {} },
      { senderId: 't' },
    );
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.error.code, 'bad_request');
  });

  it('moving a page to another section re-roots its whole subtree', async () => {
    const { core, notebook, page } = await setup();
    const parent = await page('Parent');
    const child = await page('Child', parent.id);
    const other = await call(core, 'node.create', {
      accountId,
      notebookId: notebook.id,
      type: 'section',
      parentId: null,
      name: 'Other',
    });
    await call(core, 'node.move', { accountId, nodeId: parent.id, parentId: other.id, position: {} });
    assert.equal((await call(core, 'node.get', { accountId, nodeId: child.id })).rootId, other.id);
  });

  it('trash hides a subtree, restore brings it back, purge deletes it with one node.delete', async () => {
    const { core, notebook, section, page, children } = await setup();
    const a = await page('A');
    const child = await page('A.1', a.id);
    await call(core, 'node.trash', { accountId, nodeId: a.id });
    assert.deepEqual(await children(section.id), []);
    const trash = await call(core, 'node.trashList', { accountId, notebookId: notebook.id });
    assert.deepEqual(
      trash.map((n) => n.name),
      ['A'],
      'the trash lists the trashed root, not its children',
    );
    await call(core, 'node.restore', { accountId, nodeId: a.id });
    assert.deepEqual(await children(section.id), ['A']);
    assert.deepEqual(await children(a.id), ['A.1']);
    await call(core, 'node.trash', { accountId, nodeId: a.id });
    await call(core, 'node.purge', { accountId, nodeId: a.id });
    const gone = await core.router.dispatch('node.get', { accountId, nodeId: child.id }, { senderId: 't' });
    assert.equal(!gone.ok && gone.error.code, 'not_found');
    const deletes = listOutbox(core.account(accountId).replica.db, 10_000).filter(
      (m) => m.type === 'node.delete',
    );
    assert.deepEqual(
      deletes.map((m) => m.objectId),
      [a.id],
    );
  });

  it('restores a page whose parent was purged into its section', async () => {
    const { core, section, page, children } = await setup();
    const parent = await page('Parent');
    const child = await page('Child', parent.id);
    await call(core, 'node.trash', { accountId, nodeId: child.id });
    await call(core, 'node.trash', { accountId, nodeId: parent.id });
    await call(core, 'node.purge', { accountId, nodeId: parent.id });
    // The child went with its parent's subtree: purge is for good.
    const gone = await core.router.dispatch(
      'node.restore',
      { accountId, nodeId: child.id },
      { senderId: 't' },
    );
    assert.equal(!gone.ok && gone.error.code, 'not_found');
    const other = await page('Other');
    const inner = await page('Inner', other.id);
    await call(core, 'node.trash', { accountId, nodeId: inner.id });
    await call(core, 'node.trash', { accountId, nodeId: other.id });
    await call(core, 'node.restore', { accountId, nodeId: inner.id });
    assert.ok(
      (await children(section.id)).includes('Inner'),
      'restored into the section while its parent stays trashed',
    );
  });

  it('the tree (narrow start-up query) shows each node exactly as node.get does, in index order', async () => {
    const { core, notebook, section, page } = await setup();
    const a = await page('A');
    await page('A.1', a.id);
    // The tree is read as one JSON text: quotes, backslashes, control characters and emoji come back as typed.
    await page('Say "hi" \\ tab\tnew\nline 📌 é', a.id);
    const b = await page('B', section.id, { beforeId: a.id });
    await call(core, 'node.update', { accountId, nodeId: b.id, icon: '📌' });
    const hidden = await page('Trashed');
    await call(core, 'node.trash', { accountId, nodeId: hidden.id });
    const tree = await call(core, 'node.tree', { accountId, notebookId: notebook.id });
    assert.ok(!tree.some((n) => n.id === hidden.id), 'trashed nodes stay out of the tree');
    for (const view of tree) {
      // The tree leaves out a page's alias (node.get answers it; see NodeView.alias).
      const { alias, ...got } = await call(core, 'node.get', { accountId, nodeId: view.id });
      assert.equal(alias, null);
      assert.deepEqual(view, got, view.name);
    }
    const order = tree.map((n) => `${n.index} ${n.id}`);
    assert.deepEqual(order, [...order].sort(), 'ordered by index, then id');
    const plan = core
      .account(accountId)
      .replica.db.prepare(`EXPLAIN QUERY PLAN ${NOTEBOOK_VIEWS_SQL}`)
      .all(notebook.id) as { detail: string }[];
    assert.deepEqual(
      plan.map((step) => step.detail),
      [
        'USE TEMP B-TREE FOR json_group_array(ORDER BY)',
        'SEARCH nodes USING INDEX nodes_by_order (notebook_id=?)',
      ],
      'read from the order index (the aggregate orders rows that already come in order)',
    );
  });

  it('enforces the node type hierarchy', async () => {
    const { core, notebook } = await setup();
    const result = await core.router.dispatch(
      'node.create',
      { accountId, notebookId: notebook.id, type: 'page', parentId: null, name: 'Orphan' },
      { senderId: 't' },
    );
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.details[0]?.path, 'parentId');
  });
});

describe('outbox', () => {
  it('every edit writes its wire mutation in the same transaction, with a decodable Yjs update', async () => {
    const { core, page } = await setup();
    const db = core.account(accountId).replica.db;
    const before = countOutbox(db);
    const p = await page('Hello');
    await call(core, 'node.update', { accountId, nodeId: p.id, name: 'Hello again' });
    const rows = listOutbox(db, 10_000).slice(before);
    assert.deepEqual(
      rows.map((r) => r.type),
      ['node.create', 'node.update'],
    );
    const doc = new Y.Doc();
    for (const row of rows) {
      assert.ok(row.mutation.type === 'node.create' || row.mutation.type === 'node.update');
      Y.applyUpdate(doc, fromBase64(row.mutation.data.data));
      assert.equal(row.mutation.data.nodeId, p.id);
    }
    assert.equal(readNodeAttributes(doc).name, 'Hello again');
  });

  it('a failed write leaves neither the edit nor its mutation behind', async () => {
    const { core, section } = await setup();
    const db = core.account(accountId).replica.db;
    const before = countOutbox(db);
    db.exec("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    const result = await core.router.dispatch(
      'node.update',
      { accountId, nodeId: section.id, name: 'Renamed' },
      { senderId: 't' },
    );
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'internal_error');
    db.exec('DROP TRIGGER fail_outbox');
    assert.equal(countOutbox(db), before);
    assert.equal((await call(core, 'node.get', { accountId, nodeId: section.id })).name, 'Notes');
  });

  it('survives a restart: the replica reopens with the same tree', async () => {
    const dir = tempDir();
    const first = await openTestCore(dir);
    const [notebook] = await call(first, 'notebook.list', { accountId });
    const [section] = await call(first, 'node.tree', { accountId, notebookId: notebook!.id });
    await call(first, 'node.create', {
      accountId,
      notebookId: notebook!.id,
      type: 'page',
      parentId: section!.id,
      name: 'Kept',
    });
    const withoutPending = (nodes: { pending: boolean }[]) => nodes.map((n) => ({ ...n, pending: null }));
    const tree = await call(first, 'node.tree', { accountId, notebookId: notebook!.id });
    first.close();
    const second = await openTestCore(dir);
    // Pending flags differ by design: the Local account confirms its edits at start (compaction.ts).
    assert.deepEqual(
      withoutPending(await call(second, 'node.tree', { accountId, notebookId: notebook!.id })),
      withoutPending(tree),
    );
    assert.equal(
      (await call(second, 'notebook.list', { accountId })).length,
      1,
      'first-run seeding happens once',
    );
  });
});

describe('notebooks', () => {
  it('create, rename, describe, delete', async () => {
    const { core } = await setup();
    const nb = await call(core, 'notebook.create', { accountId, name: '  Work  ' });
    assert.equal(nb.name, 'Work', 'names are trimmed');
    const updated = await call(core, 'notebook.update', {
      accountId,
      notebookId: nb.id,
      name: 'Job',
      description: 'Day job',
    });
    assert.deepEqual([updated.name, updated.description], ['Job', 'Day job']);
    await call(core, 'node.create', {
      accountId,
      notebookId: nb.id,
      type: 'section',
      parentId: null,
      name: 'S',
    });
    await call(core, 'notebook.delete', { accountId, notebookId: nb.id });
    assert.ok(!(await call(core, 'notebook.list', { accountId })).some((n) => n.id === nb.id));
    const db = core.account(accountId).replica.db;
    assert.equal(db.prepare('SELECT count(*) FROM nodes WHERE notebook_id = ?').pluck().get(nb.id), 0);
  });
});
