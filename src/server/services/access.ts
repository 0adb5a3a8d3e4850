import { NotebookStatus, type NodeRole, type NotebookRole } from '../../shared/model/roles';
import {
  canOnNode,
  canOnNotebook,
  Denial,
  effectiveNodeRole,
  NODE_WRITE_ACTIONS,
  NodeAction,
  NotebookAction,
  type Decision,
} from '../../shared/model/permissions';
import { ApiErrorCode } from '../../shared/api/common';
import type { ServerContext } from '../context';
import { badRequest, forbidden, notFound } from '../http/errors';
import type { AccountRow, MemberWithAccount, NodeRow, NotebookRow } from '../storage/repository';
import { present } from '../invariant';

/** The caller inside one notebook, after the notebook gate passed. */
export interface NotebookAccess {
  user: AccountRow;
  notebook: NotebookRow;
  member: MemberWithAccount;
  role: NotebookRole;
}

/** Which error codes a route group answers with (notebook routes use `notebook_*`, node routes the generic). */
export type CodeStyle = 'notebook' | 'node';

export function notebookAccess(
  ctx: ServerContext,
  user: AccountRow,
  notebookId: string,
  action: NotebookAction,
  style: CodeStyle = 'node',
  deniedCode?: string,
): NotebookAccess {
  const notebook = ctx.repo.getNotebook(notebookId);
  if (!notebook) {
    throw notFound('Notebook not found.', style === 'notebook' ? ApiErrorCode.notebookNotFound : 'not_found');
  }
  const member = ctx.repo.getMember(notebookId, user.id);
  const decision = canOnNotebook(member?.role ?? null, notebook.status, action);
  if (!decision.allowed) {
    if (decision.reason === Denial.readonly)
      throw forbidden('Notebook is read-only.', ApiErrorCode.notebookReadonly);
    if (decision.reason === Denial.noAccess) {
      throw forbidden(
        'You do not have access to this notebook.',
        style === 'notebook' ? ApiErrorCode.notebookNoAccess : 'forbidden',
      );
    }
    throw forbidden('You do not have permission to perform this action.', deniedCode ?? 'forbidden');
  }
  const granted = present(member, 'membership of an allowed caller');
  return { user, notebook, member: granted, role: granted.role };
}

/** The notebook gate of node-scoped routes (membership, readable notebook); node actions are checked after it. */
export const memberAccess = (ctx: ServerContext, user: AccountRow, notebookId: string): NotebookAccess =>
  notebookAccess(ctx, user, notebookId, NotebookAction.read);

/** Parent first, up to the root. */
export function ancestry(ctx: ServerContext, node: NodeRow): NodeRow[] {
  const chain = [node];
  let current = node;
  while (current.parentId !== null && chain.length < 1_000) {
    const parent = ctx.repo.getNode(current.parentId);
    if (!parent) break;
    chain.push(parent);
    current = parent;
  }
  return chain;
}

const collaboratorsOf = (node: NodeRow): Record<string, NodeRole> | undefined =>
  node.attributes.collaborators as Record<string, NodeRole> | undefined;

export function nodeRoleOf(ctx: ServerContext, access: NotebookAccess, node: NodeRow): NodeRole | null {
  return effectiveNodeRole(
    access.role,
    access.user.id,
    ancestry(ctx, node).map((n) => ({ collaborators: collaboratorsOf(n) })),
  );
}

const NOT_APPLICABLE: Partial<Record<NodeAction, string>> = {
  [NodeAction.editDocument]: 'Node type does not support documents.',
  [NodeAction.comment]: 'Node type does not support comments.',
  [NodeAction.moderateComments]: 'Node type does not support comments.',
  [NodeAction.manageCollaborators]: 'Node type does not support collaborators.',
  [NodeAction.manageVersions]: 'Node type does not support versions.',
  [NodeAction.createChild]: 'This node type cannot be created there.',
};

/** Throws the documented error for a refused action. */
export function assertDecision(decision: Decision, action?: NodeAction): void {
  if (decision.allowed) return;
  if (decision.reason === Denial.notApplicable) {
    throw badRequest((action && NOT_APPLICABLE[action]) ?? 'This node type does not support that action.');
  }
  if (decision.reason === Denial.readonly)
    throw forbidden('Notebook is read-only.', ApiErrorCode.notebookReadonly);
  if (decision.reason === Denial.noAccess) throw forbidden('You do not have access to this node.');
  throw forbidden();
}

export interface NodeAccess extends NotebookAccess {
  node: NodeRow;
  nodeRole: NodeRole | null;
}

/** Loads a node of the notebook and checks `action` on it (404 for ids of other notebooks). */
export function nodeAccess(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  action: NodeAction,
): NodeAccess {
  const node = ctx.repo.getNode(nodeId);
  if (!node || node.notebookId !== access.notebook.id) throw notFound('Node not found.');
  const nodeRole = nodeRoleOf(ctx, access, node);
  const readable = canOnNode(nodeRole, access.user.id, node, 'node.read');
  if (!readable.allowed) throw forbidden('You do not have access to this node.');
  assertDecision(canOnNode(nodeRole, access.user.id, node, action), action);
  if (NODE_WRITE_ACTIONS.has(action) && access.notebook.status !== NotebookStatus.active) {
    throw forbidden('Notebook is read-only.', ApiErrorCode.notebookReadonly);
  }
  return { ...access, node, nodeRole };
}

/** Shortcut for node routes: notebook gate (read, or write for write actions) then the node gate. */
export function nodeRouteAccess(
  ctx: ServerContext,
  user: AccountRow,
  notebookId: string,
  nodeId: string,
  action: NodeAction,
): NodeAccess {
  return nodeAccess(ctx, memberAccess(ctx, user, notebookId), nodeId, action);
}
