import type { NodeType } from './nodes';
import type { NodeRole, NotebookRole } from './roles';
import { NotebookStatus, nodeRoleAtLeast, notebookRoleAtLeast } from './roles';

/**
 * The one permission table. The server checks every route and mutation against it; the desktop client uses the
 * same functions to grey out what the user cannot do. Two layers:
 *
 * 1. Notebook actions need a minimum notebook role (and an active notebook for writes).
 * 2. Node actions need a minimum *effective node role* on the node, per node type. The effective role is the
 *    stronger of the default granted by the notebook role and the nearest explicit `collaborators` entry for
 *    the user on the node or its ancestors (explicit grants only ever raise access, so an owner can never be
 *    locked out of their own notebook by a stale map).
 */

export const NotebookAction = {
  read: 'notebook.read',
  update: 'notebook.update',
  delete: 'notebook.delete',
  inviteUsers: 'notebook.users.invite',
  updateUserRole: 'notebook.users.updateRole',
  createSection: 'notebook.sections.create',
  uploadFile: 'notebook.files.upload',
} as const;
export type NotebookAction = (typeof NotebookAction)[keyof typeof NotebookAction];

export const NOTEBOOK_PERMISSIONS: Record<NotebookAction, { minRole: NotebookRole; write: boolean }> = {
  [NotebookAction.read]: { minRole: 'guest', write: false },
  [NotebookAction.update]: { minRole: 'admin', write: true },
  [NotebookAction.delete]: { minRole: 'owner', write: true },
  [NotebookAction.inviteUsers]: { minRole: 'admin', write: true },
  [NotebookAction.updateUserRole]: { minRole: 'admin', write: true },
  [NotebookAction.createSection]: { minRole: 'collaborator', write: true },
  [NotebookAction.uploadFile]: { minRole: 'collaborator', write: true },
};

export const NodeAction = {
  read: 'node.read',
  /** Creating a child of the given type; checked against the role on the *parent*. */
  createChild: 'node.createChild',
  update: 'node.update',
  delete: 'node.delete',
  editDocument: 'document.edit',
  react: 'node.react',
  interact: 'node.interact',
  comment: 'comment.create',
  moderateComments: 'comment.moderate',
  manageCollaborators: 'collaborators.manage',
  manageVersions: 'versions.manage',
} as const;
export type NodeAction = (typeof NodeAction)[keyof typeof NodeAction];

/**
 * `minRole`: the effective node role anyone needs. `creatorMinRole`: a lower bar for the node's creator
 * (a record's or message's author edits their own). `null` in the table: the action does not apply to that type.
 */
export interface NodeRule {
  minRole: NodeRole;
  creatorMinRole?: NodeRole;
}

const all = (rule: NodeRule): Record<NodeType, NodeRule> => ({
  section: rule,
  page: rule,
  channel: rule,
  message: rule,
  database: rule,
  record: rule,
});

export const NODE_PERMISSIONS: Record<NodeAction, Record<NodeType, NodeRule | null>> = {
  [NodeAction.read]: all({ minRole: 'viewer' }),
  [NodeAction.createChild]: {
    section: null, // sections are roots: NotebookAction.createSection
    page: { minRole: 'editor' },
    channel: { minRole: 'editor' },
    message: { minRole: 'collaborator' },
    database: { minRole: 'editor' },
    record: { minRole: 'collaborator' },
  },
  [NodeAction.update]: {
    section: { minRole: 'admin' },
    page: { minRole: 'editor' },
    channel: { minRole: 'editor' },
    message: { minRole: 'admin', creatorMinRole: 'collaborator' },
    database: { minRole: 'editor' },
    record: { minRole: 'editor', creatorMinRole: 'collaborator' },
  },
  [NodeAction.delete]: {
    section: { minRole: 'admin' },
    page: { minRole: 'admin' },
    channel: { minRole: 'admin' },
    message: { minRole: 'admin', creatorMinRole: 'collaborator' },
    database: { minRole: 'editor' },
    record: { minRole: 'admin', creatorMinRole: 'collaborator' },
  },
  [NodeAction.editDocument]: {
    section: null,
    page: { minRole: 'editor' },
    channel: null,
    message: { minRole: 'admin', creatorMinRole: 'collaborator' },
    database: null,
    record: { minRole: 'editor', creatorMinRole: 'collaborator' },
  },
  [NodeAction.react]: all({ minRole: 'viewer' }),
  [NodeAction.interact]: all({ minRole: 'viewer' }),
  [NodeAction.comment]: {
    section: null,
    page: { minRole: 'collaborator' },
    channel: null,
    message: null,
    database: null,
    record: { minRole: 'collaborator' },
  },
  [NodeAction.moderateComments]: {
    section: null,
    page: { minRole: 'admin' },
    channel: null,
    message: null,
    database: null,
    record: { minRole: 'admin' },
  },
  [NodeAction.manageCollaborators]: {
    section: { minRole: 'admin' },
    page: { minRole: 'admin' },
    channel: null,
    message: null,
    database: { minRole: 'admin' },
    record: null,
  },
  [NodeAction.manageVersions]: {
    section: null,
    page: { minRole: 'editor' },
    channel: null,
    message: null,
    database: null,
    record: { minRole: 'editor' },
  },
};

/** The node role every member gets everywhere from their notebook role alone (`null`: explicit grants only). */
export const DEFAULT_NODE_ROLE: Record<NotebookRole, NodeRole | null> = {
  owner: 'admin',
  admin: 'admin',
  collaborator: 'editor',
  guest: null,
  none: null,
};

export const strongerNodeRole = (a: NodeRole | null, b: NodeRole | null): NodeRole | null => {
  if (a === null) return b;
  if (b === null) return a;
  return nodeRoleAtLeast(a, b) ? a : b;
};

/**
 * The effective node role. `ancestry` lists the node first, then its parent, up to the root; each entry's
 * `collaborators` is that node's explicit map (or undefined).
 */
export function effectiveNodeRole(
  notebookRole: NotebookRole,
  userId: string,
  ancestry: readonly { collaborators?: Record<string, NodeRole> | undefined }[],
): NodeRole | null {
  if (notebookRole === 'none') return null;
  let explicit: NodeRole | null = null;
  for (const node of ancestry) {
    const role = node.collaborators?.[userId];
    if (role !== undefined) {
      explicit = role;
      break;
    }
  }
  return strongerNodeRole(DEFAULT_NODE_ROLE[notebookRole], explicit);
}

export const Denial = {
  noAccess: 'no_access',
  readonly: 'readonly',
  notApplicable: 'not_applicable',
  insufficientRole: 'insufficient_role',
} as const;
export type Denial = (typeof Denial)[keyof typeof Denial];

export type Decision = { allowed: true } | { allowed: false; reason: Denial };
const ALLOW: Decision = { allowed: true };
const deny = (reason: Denial): Decision => ({ allowed: false, reason });

/** Notebook gate: inactive notebooks and role `none` see nothing; read-only notebooks refuse writes. */
export function canOnNotebook(
  role: NotebookRole | null,
  status: NotebookStatus,
  action: NotebookAction,
): Decision {
  if (role === null || role === 'none' || status === NotebookStatus.inactive) return deny(Denial.noAccess);
  const rule = NOTEBOOK_PERMISSIONS[action];
  if (rule.write && status === NotebookStatus.readonly) return deny(Denial.readonly);
  return notebookRoleAtLeast(role, rule.minRole) ? ALLOW : deny(Denial.insufficientRole);
}

export interface NodeSubject {
  type: NodeType;
  createdBy: string;
}

/** Node gate, applied after the notebook gate (which also refuses NODE_WRITE_ACTIONS on read-only notebooks). */
export function canOnNode(
  nodeRole: NodeRole | null,
  userId: string,
  node: NodeSubject,
  action: NodeAction,
): Decision {
  const rule = NODE_PERMISSIONS[action][node.type];
  if (rule === null) return deny(Denial.notApplicable);
  if (nodeRole === null) return deny(Denial.noAccess);
  const minRole = node.createdBy === userId && rule.creatorMinRole ? rule.creatorMinRole : rule.minRole;
  return nodeRoleAtLeast(nodeRole, minRole) ? ALLOW : deny(Denial.insufficientRole);
}

/** Node actions that change data, so a read-only notebook refuses them. */
export const NODE_WRITE_ACTIONS: ReadonlySet<NodeAction> = new Set<NodeAction>([
  NodeAction.createChild,
  NodeAction.update,
  NodeAction.delete,
  NodeAction.editDocument,
  NodeAction.react,
  NodeAction.interact,
  NodeAction.comment,
  NodeAction.moderateComments,
  NodeAction.manageCollaborators,
  NodeAction.manageVersions,
]);
