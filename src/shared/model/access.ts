import type { NodeType } from './nodes';
import { isKnownNodeType, type StoredNodeType } from './nodes';
import { DEFAULT_NODE_ROLE, NodeAction, canOnNode, strongerNodeRole, type Decision } from './permissions';
import type { NodeRole, NotebookRole } from './roles';

/**
 * What the app offers on a node, derived from the one permission table (`permissions.ts`) so the UI never
 * offers what the server would refuse. Main computes the roles of a whole tree in one pass (`treeRoles`);
 * main and the renderer both turn a role into capabilities with `nodeCapabilities`.
 */

/** Where a user's effective role on a node comes from: the notebook role, or an explicit grant. */
export interface RoleGrant {
  role: NodeRole | null;
  /** The node whose collaborators map names the user (this node or an ancestor); null: the notebook role. */
  grantedOn: string | null;
}

export interface TreeNodeInput {
  id: string;
  parentId: string | null;
  collaborators?: Readonly<Record<string, NodeRole>> | undefined;
}

/**
 * The effective role of `userId` on every node, in one pass over the tree (parents before children is not
 * required: each node walks up until a node already resolved). Same rule as `effectiveNodeRole`: the
 * nearest explicit grant, raised to the notebook role's default.
 */
export function treeRoles(
  notebookRole: NotebookRole,
  userId: string,
  nodes: readonly TreeNodeInput[],
): Map<string, RoleGrant> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // The nearest explicit grant per node (before raising to the default), memoised along each walk.
  const nearest = new Map<string, { role: NodeRole | null; grantedOn: string | null }>();
  const resolve = (start: TreeNodeInput): { role: NodeRole | null; grantedOn: string | null } => {
    const path: TreeNodeInput[] = [];
    let found: { role: NodeRole | null; grantedOn: string | null } = { role: null, grantedOn: null };
    const seen = new Set<string>();
    for (let node: TreeNodeInput | undefined = start; node;) {
      const known = nearest.get(node.id);
      if (known) {
        found = known;
        break;
      }
      if (seen.has(node.id)) break; // a cycle in stored parent links: stop, nothing further up
      seen.add(node.id);
      const own = node.collaborators?.[userId];
      if (own !== undefined) {
        found = { role: own, grantedOn: node.id };
        nearest.set(node.id, found);
        break;
      }
      path.push(node);
      node = node.parentId === null ? undefined : byId.get(node.parentId);
    }
    for (const node of path) nearest.set(node.id, found);
    return found;
  };
  const fallback = notebookRole === 'none' ? null : DEFAULT_NODE_ROLE[notebookRole];
  const roles = new Map<string, RoleGrant>();
  for (const node of nodes) {
    if (notebookRole === 'none') {
      roles.set(node.id, { role: null, grantedOn: null });
      continue;
    }
    const explicit = resolve(node);
    const role = strongerNodeRole(fallback, explicit.role);
    // The notebook role wins a tie: "from the notebook" is the simpler reason to show.
    const fromGrant = explicit.role !== null && role === explicit.role && role !== fallback;
    roles.set(node.id, { role, grantedOn: fromGrant ? explicit.grantedOn : null });
  }
  return roles;
}

/** The actions the UI offers or hides; each maps to one row of the permission table. */
export const Capability = {
  /** Type into the page's document. */
  edit: 'edit',
  /** Rename, change the icon, move within its parent. */
  update: 'update',
  /** Move to the trash, delete for good. */
  delete: 'delete',
  /** Create a page (or another child) inside it. */
  createChild: 'createChild',
  comment: 'comment',
  moderateComments: 'moderateComments',
  /** Open the Share dialog to add, change or remove people. */
  share: 'share',
  versions: 'versions',
} as const;
export type Capability = (typeof Capability)[keyof typeof Capability];

const ACTION_OF: Record<Capability, NodeAction> = {
  edit: NodeAction.editDocument,
  update: NodeAction.update,
  delete: NodeAction.delete,
  createChild: NodeAction.createChild,
  comment: NodeAction.comment,
  moderateComments: NodeAction.moderateComments,
  share: NodeAction.manageCollaborators,
  versions: NodeAction.manageVersions,
};

export type Capabilities = Record<Capability, boolean>;

/** A node of a type this app does not know: only reading is offered (its rules are not ours to guess). */
const NONE: Capabilities = {
  edit: false,
  update: false,
  delete: false,
  createChild: false,
  comment: false,
  moderateComments: false,
  share: false,
  versions: false,
};

/**
 * What `role` allows on a node of `type`. `createChild` is judged for the child the UI would make: a page
 * inside a section or page, a record inside a database.
 */
export function nodeCapabilities(
  role: NodeRole | null,
  userId: string,
  node: { type: StoredNodeType; createdBy: string | null },
): Capabilities {
  if (!isKnownNodeType(node.type)) return NONE;
  const subject = { type: node.type, createdBy: node.createdBy ?? '' };
  const decide = (capability: Capability): Decision => {
    if (capability === Capability.createChild) {
      const child: NodeType = node.type === 'database' ? 'record' : 'page';
      return canOnNode(role, userId, { type: child, createdBy: '' }, NodeAction.createChild);
    }
    return canOnNode(role, userId, subject, ACTION_OF[capability]);
  };
  const result = { ...NONE };
  for (const capability of Object.values(Capability)) result[capability] = decide(capability).allowed;
  return result;
}

/** Why a page is read-only, in words for the "View only" notice. */
export function viewOnlyReason(role: NodeRole | null, grantedOnName: string | null): string {
  if (role === null) return 'You have no access to this page.';
  const where = grantedOnName === null ? 'in this notebook' : `on “${grantedOnName}”`;
  const article = role === 'admin' || role === 'editor' ? 'an' : 'a';
  return `You are ${article} ${role} ${where}: you can read${role === 'collaborator' ? ' and comment' : ''}, not edit.`;
}
