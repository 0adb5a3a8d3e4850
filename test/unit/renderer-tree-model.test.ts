import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NodeView } from '../../src/shared/contract';
import {
  buildTree,
  canContain,
  creatableInside,
  displayName,
  dropTarget,
  typeLabel,
  keyboardMoveTarget,
  visibleRows,
  type Tree,
} from '../../src/renderer/features/sidebar/tree-model';

function node(id: string, type: string, parentId: string | null, index: string): NodeView {
  return {
    id,
    notebookId: 'nb',
    type,
    parentId,
    rootId: parentId ?? id,
    index,
    name: id,
    icon: null,
    trashedAt: null,
    createdAt: '',
    updatedAt: '',
    pending: false,
  };
}

// s1: a, b (b1 under b), c ; s2: (empty)
const tree: Tree = buildTree([
  node('c', 'page', 's1', 'a2'),
  node('s2', 'section', null, 'a1'),
  node('a', 'page', 's1', 'a0'),
  node('b1', 'page', 'b', 'a0'),
  node('s1', 'section', null, 'a0'),
  node('b', 'page', 's1', 'a1'),
  node('orphan', 'page', 'gone', 'a0'),
]);
const get = (id: string): NodeView => tree.byId.get(id)!;

describe('sidebar tree model', () => {
  test('rows follow sibling order and hide collapsed children; a node whose parent is missing stays at the top', () => {
    const rows = visibleRows(tree, () => true).map((r) => `${r.depth}:${r.node.id}`);
    assert.deepEqual(rows, ['0:orphan', '0:s1', '1:a', '1:b', '2:b1', '1:c', '0:s2']);
    const collapsed = visibleRows(tree, (id) => id !== 'b').map((r) => r.node.id);
    assert.deepEqual(collapsed, ['orphan', 's1', 'a', 'b', 'c', 's2']);
  });

  test('databases, channels and types this app does not know are rows; records and messages are not', () => {
    const mixed = buildTree([
      node('s', 'section', null, 'a0'),
      node('db', 'database', 's', 'a0'),
      node('rec', 'record', 'db', 'a0'),
      node('ch', 'channel', 's', 'a1'),
      node('msg', 'message', 'ch', 'a0'),
      node('wb', 'whiteboard', 's', 'a2'),
      node('inside', 'page', 'wb', 'a0'),
    ]);
    const rows = visibleRows(mixed, () => true).map((r) => `${r.depth}:${r.node.id}:${r.node.type}`);
    assert.deepEqual(rows, [
      '0:s:section',
      '1:db:database',
      '1:ch:channel',
      '1:wb:whiteboard',
      '2:inside:page',
    ]);
    const wb = mixed.byId.get('wb')!;
    assert.equal(typeLabel(wb), 'Unknown item type “whiteboard”');
    assert.equal(displayName({ ...wb, name: '' }), 'Untitled whiteboard');
    assert.deepEqual(creatableInside(wb), [], 'nothing is created inside an unknown type');
    assert.equal(canContain(mixed.byId.get('s')!, wb), false, 'an unknown type is not moved');
    assert.deepEqual(creatableInside(mixed.byId.get('s')!), ['page', 'database', 'channel']);
    assert.deepEqual(creatableInside(mixed.byId.get('db')!), []);
    assert.equal(canContain(get('a'), { type: 'channel' }), false, 'channels live in sections only');
  });

  test('keyboard moves: reorder among siblings, indent under the page above, outdent after the parent', () => {
    assert.deepEqual(keyboardMoveTarget(tree, get('b'), 'up'), {
      parentId: 's1',
      position: { beforeId: 'a' },
    });
    assert.deepEqual(keyboardMoveTarget(tree, get('b'), 'down'), {
      parentId: 's1',
      position: { afterId: 'c' },
    });
    assert.equal(keyboardMoveTarget(tree, get('a'), 'up'), null);
    assert.equal(keyboardMoveTarget(tree, get('c'), 'down'), null);
    assert.deepEqual(keyboardMoveTarget(tree, get('c'), 'indent'), { parentId: 'b', position: {} });
    assert.equal(keyboardMoveTarget(tree, get('a'), 'indent'), null, 'nothing above to nest under');
    assert.deepEqual(keyboardMoveTarget(tree, get('b1'), 'outdent'), {
      parentId: 's1',
      position: { afterId: 'b' },
    });
    assert.equal(keyboardMoveTarget(tree, get('a'), 'outdent'), null, 'pages cannot become roots');
    assert.equal(keyboardMoveTarget(tree, get('s2'), 'indent'), null, 'sections stay roots');
  });

  test('drops: pages nest in sections and pages, sections only reorder, nothing lands inside itself', () => {
    assert.deepEqual(dropTarget(tree, get('a'), get('s2'), 'inside'), { parentId: 's2', position: {} });
    assert.deepEqual(dropTarget(tree, get('c'), get('a'), 'before'), {
      parentId: 's1',
      position: { beforeId: 'a' },
    });
    assert.equal(dropTarget(tree, get('a'), get('s2'), 'before'), null, 'a page cannot be a root');
    assert.equal(dropTarget(tree, get('s2'), get('a'), 'inside'), null);
    assert.deepEqual(dropTarget(tree, get('s2'), get('s1'), 'before'), {
      parentId: null,
      position: { beforeId: 's1' },
    });
    assert.equal(dropTarget(tree, get('b'), get('b1'), 'inside'), null, 'not into its own child');
    assert.equal(dropTarget(tree, get('b'), get('b'), 'after'), null);
  });
});
