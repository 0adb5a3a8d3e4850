import * as z from 'zod';
import type { Capability } from '../model/access';
import { NodeRole, NotebookRole } from '../model/roles';
import { command, event, type CommandSpec, type EventSpec } from './define';
import { accountId, id } from './schemas';

/**
 * Sharing: notebook members, per-node collaborators and what the user may do where. Roles and grants are read
 * from the replica (offline); a collaborator change is a node edit (its `collaborators` attribute) sent by the
 * outbox like any other; inviting and notebook roles are the server's REST calls (online only).
 */

/** A notebook member, as the server's `users` stream brought them. */
export interface MemberView {
  userId: string;
  username: string;
  name: string;
  avatar: string | null;
  role: NotebookRole;
  isMe: boolean;
}

/** The user's effective role on one node, where it comes from, and the actions it allows. */
export interface NodeAccessView {
  role: NodeRole | null;
  /** The node (this one or an ancestor) whose grant gives the role; null: the notebook role. */
  grantedOn: string | null;
  can: Capability[];
}

/** The user's access to a notebook and to every node in it, computed locally with the permission table. */
export interface NotebookAccessView {
  notebookId: string;
  userId: string;
  notebookRole: NotebookRole;
  /** A server account's notebook: it can be shared (the Local account's stay on this device). */
  shareable: boolean;
  canCreateSection: boolean;
  /** Invite people and change notebook roles (admin or owner). */
  canManageMembers: boolean;
  nodes: Record<string, NodeAccessView>;
}

/** One person with access to a node, and why. */
export interface NodePersonView {
  userId: string;
  name: string;
  username: string;
  avatar: string | null;
  isMe: boolean;
  notebookRole: NotebookRole;
  /** Their effective role here (null: no access). */
  role: NodeRole | null;
  /** `notebook`: from their notebook role; `here`: granted on this node; `inherited`: granted on a parent. */
  source: 'notebook' | 'here' | 'inherited' | 'none';
  /** The name of the node the inherited grant is on. */
  grantedOnName: string | null;
}

/** Who has access to a node (the Share dialog). */
export interface NodeSharingView {
  nodeId: string;
  nodeName: string;
  canShare: boolean;
  people: NodePersonView[];
  /** A collaborator change of this node not yet confirmed by the server. */
  pending: boolean;
  /** The server refused a change of this node: its message (the change is kept, see the Sync panel). */
  refused: string | null;
}

export interface InviteResultView {
  invited: MemberView[];
  /** Per username: why it was not invited (unknown user, already a member…). */
  errors: { username: string; message: string }[];
}

/** One or several usernames, separated by commas, spaces or new lines (as typed into the invite field). */
const USERNAME = /^[A-Za-z0-9._-]{1,64}$/;
export const splitUsernames = (text: string): string[] => [
  ...new Set(text.split(/[\s,;]+/).filter((name) => name !== '')),
];
const usernames = z
  .string()
  .max(4_000)
  .superRefine((text, ctx) => {
    const names = splitUsernames(text);
    const bad = names.filter((name) => !USERNAME.test(name));
    if (names.length === 0) ctx.addIssue({ code: 'custom', message: 'type at least one username' });
    else if (names.length > 50) ctx.addIssue({ code: 'custom', message: 'at most 50 people at once' });
    else if (bad.length > 0)
      ctx.addIssue({
        code: 'custom',
        message: `not a username: ${bad.slice(0, 3).join(', ')} (letters, digits, ".", "_" and "-" only)`,
      });
  });

export const sharingCommands = {
  /** The user's role and allowed actions on a notebook and each of its nodes. */
  'sharing.access': command<NotebookAccessView>()(() => z.object({ accountId, notebookId: id })),
  /** The notebook's members with their roles (empty on the Local account). */
  'sharing.members': command<MemberView[]>()(() => z.object({ accountId, notebookId: id })),
  /** Who has access to a section, page or database, and why. */
  'sharing.people': command<NodeSharingView>()(() => z.object({ accountId, nodeId: id })),
  /**
   * Grants a member a role on a node (`role: null` removes the grant). Saved at once and sent by the outbox;
   * refused locally when the user may not manage this node's collaborators.
   */
  'sharing.setRole': command<NodeSharingView>()(() =>
    z.object({ accountId, nodeId: id, userId: id, role: z.enum(NodeRole).nullable() }),
  ),
  /** Invites people to the notebook by username, all with one role (online: the server looks the names up). */
  'sharing.invite': command<InviteResultView>()(() =>
    z.object({
      accountId,
      notebookId: id,
      usernames,
      role: z.enum(NotebookRole).exclude(['owner', 'none']),
    }),
  ),
  /** Changes a member's notebook role; `none` removes them from the notebook (online). */
  'sharing.setMemberRole': command<MemberView[]>()(() =>
    z.object({ accountId, notebookId: id, userId: id, role: z.enum(NotebookRole).exclude(['owner']) }),
  ),
  /**
   * Leaves the notebook (online): it is then removed from this device, pages with unsent changes kept in the
   * Local account. The last owner cannot leave.
   */
  'sharing.leave': command<null>()(() => z.object({ accountId, notebookId: id })),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;

export const sharingEvents = {
  /** A notebook's members or the user's own role in it changed (the server's `users` stream, or an invite). */
  'sharing.changed': event<{ accountId: string; notebookId: string }>(),
} as const satisfies Record<string, EventSpec<unknown>>;
