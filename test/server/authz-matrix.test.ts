import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeType } from '../../src/shared/model/nodes';
import {
  Denial,
  canOnNode,
  effectiveNodeRole,
  NodeAction,
  type NodeAction as NodeActionType,
} from '../../src/shared/model/permissions';
import { NodeRole, NotebookRole } from '../../src/shared/model/roles';
import { Client, useServer } from './helpers';

/**
 * The authorization matrix, generated from the permission table: every node action × node type × notebook
 * role × explicit grant on the root, answered by the real server and compared with what the table decides.
 */
type Expected = 'allowed' | 400 | 403;
type Tree = Record<NodeType, string>;

const ACTIONS: readonly NodeActionType[] = [
  NodeAction.read,
  NodeAction.update,
  NodeAction.editDocument,
  NodeAction.react,
  NodeAction.comment,
  NodeAction.manageCollaborators,
  NodeAction.manageVersions,
  NodeAction.createChild,
];
/** Children first, so each delete still finds its node. */
const DELETE_ORDER: readonly NodeType[] = ['record', 'message', 'database', 'channel', 'page', 'section'];
const CHILD_OF: Partial<Record<NodeType, NodeType>> = {
  section: 'page',
  page: 'page',
  database: 'record',
  channel: 'message',
};

function expected(
  role: NotebookRole,
  userId: string,
  grant: NodeRole | null,
  type: NodeType,
  action: NodeActionType,
): Expected {
  if (role === 'none') return 403;
  const nodeRole = effectiveNodeRole(role, userId, [
    { collaborators: grant === null ? undefined : { [userId]: grant } },
  ]);
  const subject = {
    type: action === NodeAction.createChild ? (CHILD_OF[type] ?? type) : type,
    createdBy: 'owner',
  };
  if (!canOnNode(nodeRole, userId, { type, createdBy: 'owner' }, NodeAction.read).allowed) return 403;
  const decision = canOnNode(nodeRole, userId, subject, action);
  if (decision.allowed) return 'allowed';
  return decision.reason === Denial.notApplicable ? 400 : 403;
}

function request(
  member: Client,
  notebookId: string,
  ownerId: string,
  type: NodeType,
  nodeId: string,
  action: NodeActionType,
) {
  const node = `/notebooks/${notebookId}/nodes/${nodeId}`;
  switch (action) {
    case NodeAction.read:
      return member.get(node);
    case NodeAction.update:
      return member.patch(node, { attributes: { name: 'renamed' } });
    case NodeAction.editDocument:
      return member.put(`${node}/document`, {
        content: { type: 'doc', content: [{ type: 'paragraph', text: 'x' }] },
      });
    case NodeAction.react:
      return member.post(`${node}/reactions`, { reaction: '👍' });
    case NodeAction.comment:
      return member.post(`${node}/comments`, { content: 'hi' });
    case NodeAction.manageCollaborators:
      return member.post(`${node}/collaborators`, { collaboratorId: ownerId, role: 'viewer' });
    case NodeAction.manageVersions:
      return member.post(`${node}/versions`);
    case NodeAction.createChild:
      return member.post(`/notebooks/${notebookId}/nodes`, {
        type: CHILD_OF[type],
        parentId: nodeId,
        attributes: { name: 'child' },
      });
    default:
      return member.delete(node);
  }
}

const matches = (status: number, want: Expected): boolean =>
  want === 'allowed' ? status >= 200 && status < 300 : status === want;

describe('authorization matrix', () => {
  const { server, client } = useServer();

  async function tree(
    owner: Client,
    notebookId: string,
    collaborators: Record<string, NodeRole>,
  ): Promise<Tree> {
    const section = await owner.createNode(notebookId, 'section', null, { collaborators });
    const page = await owner.createNode(notebookId, 'page', section.id);
    const database = await owner.createNode(notebookId, 'database', section.id);
    const record = await owner.createNode(notebookId, 'record', database.id);
    const channel = await owner.createNode(notebookId, 'channel', section.id);
    const message = await owner.createNode(notebookId, 'message', channel.id);
    for (const id of [page.id, record.id]) {
      await owner.put(`/notebooks/${notebookId}/nodes/${id}/document`, {
        content: { type: 'doc', content: [] },
      });
    }
    return {
      section: section.id,
      page: page.id,
      database: database.id,
      record: record.id,
      channel: channel.id,
      message: message.id,
    };
  }

  it('answers every node action × type × notebook role × root grant as the permission table says', async () => {
    const owner = client();
    const { notebookId, userId: ownerId } = await owner.me();
    const mismatches: string[] = [];
    let checked = 0;
    for (const role of NotebookRole) {
      const member = client();
      const memberId = (await member.me()).userId;
      await owner.post(`/notebooks/${notebookId}/users`, { users: [{ username: member.username, role }] });
      for (const grant of [null, ...NodeRole]) {
        const nodes = await tree(owner, notebookId, grant === null ? {} : { [memberId]: grant });
        for (const type of Object.keys(nodes) as NodeType[]) {
          for (const action of ACTIONS) {
            if (action === NodeAction.createChild && !CHILD_OF[type]) continue;
            const want = expected(role, memberId, grant, type, action);
            const { status } = await request(member, notebookId, ownerId, type, nodes[type], action);
            checked++;
            if (!matches(status, want))
              mismatches.push(`${role}/${grant ?? '-'} ${action} ${type}: got ${status}, want ${want}`);
          }
        }
        for (const type of DELETE_ORDER) {
          const want = expected(role, memberId, grant, type, NodeAction.delete);
          const { status } = await request(member, notebookId, ownerId, type, nodes[type], NodeAction.delete);
          checked++;
          if (!matches(status, want))
            mismatches.push(`${role}/${grant ?? '-'} delete ${type}: got ${status}, want ${want}`);
        }
      }
    }
    assert.deepEqual(mismatches, []);
    assert.ok(checked > 1_000, `${checked} cases`);
  });

  it('never answers 2xx for node ids of another notebook, and 401s every route without a valid token', async () => {
    const owner = client();
    const { notebookId, userId: ownerId } = await owner.me();
    const nodes = await tree(owner, notebookId, {});
    const other = client();
    const otherNotebook = (await other.me()).notebookId;
    const revoked = client();
    await revoked.me();
    server().revokeToken(revoked.token ?? '');
    const noToken = new Client(server().url, null, 'anonymous');
    const malformed = new Client(server().url, 'not a token', 'anonymous');
    for (const type of Object.keys(nodes) as NodeType[]) {
      for (const action of [...ACTIONS, NodeAction.delete]) {
        if (action === NodeAction.createChild && !CHILD_OF[type]) continue;
        const viaOwn = await request(other, otherNotebook, ownerId, type, nodes[type], action);
        assert.ok(
          action === NodeAction.createChild ? viaOwn.status === 400 : viaOwn.status === 404,
          `${action} ${type} through a foreign notebook: ${viaOwn.status}`,
        );
        const direct = await request(other, notebookId, ownerId, type, nodes[type], action);
        assert.equal(direct.status, 403, `${action} ${type} in a notebook you are not in`);
        for (const bad of [noToken, malformed, revoked]) {
          const response = await request(bad, notebookId, ownerId, type, nodes[type], action);
          assert.equal(response.status, 401);
          assert.equal(response.headers.get('www-authenticate'), 'Bearer');
        }
      }
    }
  });
});
