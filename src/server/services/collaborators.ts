import type { NodeRole } from '../../shared/model/roles';
import { ApiErrorCode } from '../../shared/api/common';
import { NODE_PERMISSIONS, NodeAction } from '../../shared/model/permissions';
import type { NodeType } from '../../shared/model/nodes';
import type { ServerContext } from '../context';
import { ApiError, badRequest, notFound } from '../http/errors';
import { nodeAccess, type NotebookAccess } from './access';
import { updateNodeFromJson } from './nodes';
import { write } from './notebooks';

/**
 * Explicit node collaborators: the `collaborators` map in the node's attributes (so changes sync as Yjs
 * updates), with timestamps from `node_collaborators`.
 */
const rolesOf = (attributes: Record<string, unknown>): Record<string, NodeRole> =>
  (attributes.collaborators ?? {}) as Record<string, NodeRole>;

export function listCollaborators(ctx: ServerContext, access: NotebookAccess, nodeId: string) {
  const { node } = nodeAccess(ctx, access, nodeId, NodeAction.read);
  assertSupportsCollaborators(node.type);
  const times = new Map(ctx.repo.listCollaboratorTimes(node.id).map((row) => [row.userId, row]));
  const collaborators = Object.entries(rolesOf(node.attributes)).map(([userId, role]) => {
    const account = ctx.repo.getAccount(userId);
    return {
      userId,
      role,
      name: account?.name ?? userId,
      username: account?.username ?? userId,
      avatar: account?.avatar ?? null,
      createdAt: times.get(userId)?.createdAt ?? null,
      updatedAt: times.get(userId)?.updatedAt ?? null,
    };
  });
  return { collaborators };
}

/** Listing is a read, but only for types that can have collaborators at all (the permission table decides). */
function assertSupportsCollaborators(type: NodeType): void {
  if (NODE_PERMISSIONS[NodeAction.manageCollaborators][type] === null) {
    throw badRequest('Node type does not support collaborators.', [
      { path: 'nodeId', message: 'This node type cannot have collaborators' },
    ]);
  }
}

/** Sets (role) or removes (null) one collaborator; `mustExist` for updates and removals. */
export function setCollaborator(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  userId: string,
  role: NodeRole | null,
  mustExist: boolean,
) {
  const { node } = nodeAccess(ctx, access, nodeId, NodeAction.manageCollaborators);
  const current = rolesOf(node.attributes);
  if (mustExist && current[userId] === undefined) throw notFound('Collaborator not found.');
  if (!mustExist) {
    const member = ctx.repo.getMember(access.notebook.id, userId);
    if (!member || member.role === 'none') {
      throw new ApiError(404, ApiErrorCode.userNotFound, 'Collaborator user was not found.');
    }
  }
  const next = Object.fromEntries(Object.entries(current).filter(([id]) => id !== userId));
  if (role !== null) next[userId] = role;
  write(ctx, (changes) => updateNodeFromJson(ctx, access, node.id, { collaborators: next }, changes));
  const times = ctx.repo.listCollaboratorTimes(node.id).find((row) => row.userId === userId);
  return role === null
    ? { success: true as const }
    : { userId, role, createdAt: times?.createdAt ?? null, updatedAt: times?.updatedAt ?? null };
}
