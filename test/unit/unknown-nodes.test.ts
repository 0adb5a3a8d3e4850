import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { createNodeState, nodeDocFromUpdates, readNodeAttributes } from '../../src/shared/crdt/node-doc';
import { createLocalPage } from '../support/core';
import { call, openTestCore } from '../support/temp';

const accountId = LOCAL_ACCOUNT_ID;

const titles = async (core: Awaited<ReturnType<typeof openTestCore>>, query: string): Promise<string[]> =>
  (await call(core, 'search.query', { query })).hits.map((h) => h.title.map((p) => p.text).join(''));

describe('nodes of a type this app does not know', () => {
  it('are kept with every attribute, shown in the tree with their children, and counted when trashed', async () => {
    const core = await openTestCore();
    const { notebook, section } = await createLocalPage(core, 'Anchor');
    const context = core.account(accountId);
    const remote = (nodeId: string, attributes: Record<string, unknown>) =>
      context.replica.db.transaction(() =>
        context.nodes.applyRemoteUpdate({
          updateId: `up_${nodeId}`,
          nodeId,
          notebookId: notebook.id,
          rootId: section.id,
          data: createNodeState(attributes).update,
          createdAt: new Date().toISOString(),
          createdBy: 'someone',
        }),
      )();
    assert.equal(
      remote('nd_board', {
        type: 'whiteboard',
        parentId: section.id,
        index: 'a9',
        name: 'Sketches',
        strokes: [{ x: 1, y: 2 }],
      }),
      'nd_board',
    );
    remote('nd_inside', { type: 'page', parentId: 'nd_board', index: 'a0', name: 'Under the board' });
    const tree = await call(core, 'node.tree', { accountId, notebookId: notebook.id });
    const board = tree.find((n) => n.id === 'nd_board');
    assert.equal(board?.type, 'whiteboard');
    assert.equal(tree.find((n) => n.id === 'nd_inside')?.parentId, 'nd_board', 'its child is reachable');
    assert.deepEqual(await titles(core, 'sketches'), ['Sketches'], 'searchable by its name');

    // Renamed here, it keeps what this app does not understand; it is not moved or given children here.
    await call(core, 'node.update', { accountId, nodeId: 'nd_board', name: 'Sketches 2' });
    const db = context.replica.db;
    const confirmed = db.prepare('SELECT state FROM node_states WHERE id = ?').pluck().all('nd_board');
    const pending = db.prepare('SELECT data FROM node_updates WHERE node_id = ?').pluck().all('nd_board');
    const stored = readNodeAttributes(
      nodeDocFromUpdates([...confirmed, ...pending] as Uint8Array[]),
    ) as Record<string, unknown>;
    assert.equal(stored.name, 'Sketches 2');
    assert.deepEqual(stored.strokes, [{ x: 1, y: 2 }]);
    const moved = await core.router.dispatch(
      'node.move',
      { accountId, nodeId: 'nd_board', parentId: section.id, position: {} },
      { senderId: 't' },
    );
    assert.ok(!moved.ok && /newer version/.test(moved.error.message));

    const contents = await call(core, 'node.contents', { accountId, nodeId: section.id });
    assert.deepEqual(
      contents.counts.map((c) => `${c.type}:${c.count}`),
      ['page:2', 'whiteboard:1'],
    );
  });
});
