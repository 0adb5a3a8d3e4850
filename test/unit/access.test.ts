import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  nodeCapabilities,
  treeRoles,
  viewOnlyReason,
  type TreeNodeInput,
} from '../../src/shared/model/access';
import { effectiveNodeRole } from '../../src/shared/model/permissions';
import { NodeRole, NotebookRole } from '../../src/shared/model/roles';
import { seededRandom } from '../support/random';

describe('access: the roles of a whole tree', () => {
  it('gives every node of 200 seeded random trees the role effectiveNodeRole gives it alone', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = seededRandom(seed);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
      const users = ['u1', 'u2', 'u3'];
      const nodes: TreeNodeInput[] = [];
      for (let i = 0; i < 40; i++) {
        const parent = i === 0 || random() < 0.15 ? null : pick(nodes).id;
        const collaborators: Record<string, NodeRole> = {};
        if (random() < 0.3) collaborators[pick(users)] = pick(NodeRole);
        nodes.push({ id: `n${i}`, parentId: parent, ...(random() < 0.5 ? { collaborators } : {}) });
      }
      const byId = new Map(nodes.map((n) => [n.id, n]));
      for (const notebookRole of NotebookRole)
        for (const user of users) {
          const roles = treeRoles(notebookRole, user, nodes);
          for (const node of nodes) {
            const ancestry: TreeNodeInput[] = [];
            for (
              let n: TreeNodeInput | undefined = node;
              n;
              n = n.parentId ? byId.get(n.parentId) : undefined
            )
              ancestry.push(n);
            const expected = effectiveNodeRole(notebookRole, user, ancestry);
            assert.equal(
              roles.get(node.id)?.role,
              expected,
              `seed ${seed}, ${notebookRole} ${user} on ${node.id}`,
            );
            const grant = roles.get(node.id)?.grantedOn;
            if (grant) assert.equal(ancestry.find((a) => a.collaborators?.[user])?.id, grant);
          }
        }
    }
  });

  it('survives a cycle in stored parent links', () => {
    const roles = treeRoles('guest', 'u', [
      { id: 'a', parentId: 'b' },
      { id: 'b', parentId: 'a', collaborators: { u: 'viewer' } },
    ]);
    assert.equal(roles.get('a')?.role, 'viewer');
  });
});

describe('access: capabilities from the permission table', () => {
  const page = { type: 'page', createdBy: 'someone' } as const;
  it('a viewer reads only, a collaborator comments, an editor edits, an admin shares and deletes', () => {
    const allowed = (role: NodeRole | null) =>
      Object.entries(nodeCapabilities(role, 'me', page))
        .filter(([, on]) => on)
        .map(([name]) => name);
    assert.deepEqual(allowed(null), []);
    assert.deepEqual(allowed('viewer'), []);
    assert.deepEqual(allowed('collaborator'), ['comment']);
    assert.deepEqual(allowed('editor'), ['edit', 'update', 'createChild', 'comment', 'versions']);
    assert.deepEqual(allowed('admin'), [
      'edit',
      'update',
      'delete',
      'createChild',
      'comment',
      'moderateComments',
      'share',
      'versions',
    ]);
    assert.equal(nodeCapabilities('admin', 'me', { type: 'hologram', createdBy: 'me' }).edit, false);
    // A record's author edits their own as a collaborator (creatorMinRole).
    assert.equal(nodeCapabilities('collaborator', 'me', { type: 'record', createdBy: 'me' }).edit, true);
    assert.equal(nodeCapabilities('collaborator', 'me', { type: 'record', createdBy: 'you' }).edit, false);
  });

  it('says why a page is view only', () => {
    assert.equal(viewOnlyReason('viewer', 'Team'), 'You are a viewer on “Team”: you can read, not edit.');
    assert.equal(
      viewOnlyReason('collaborator', null),
      'You are a collaborator in this notebook: you can read and comment, not edit.',
    );
  });
});
