import type { NotebookUser } from '../../shared/api/notebooks';
import type {
  InviteResultView,
  MemberView,
  NodeAccessView,
  NodePersonView,
  NodeSharingView,
  NotebookAccessView,
} from '../../shared/contract';
import { Capability, nodeCapabilities, treeRoles } from '../../shared/model/access';
import type { NodeAttributes } from '../../shared/model/nodes';
import { NotebookAction, canOnNotebook, effectiveNodeRole } from '../../shared/model/permissions';
import { NotebookStatus, type NodeRole, type NotebookRole } from '../../shared/model/roles';
import { AppError, ErrorCode, badRequest, notFound } from '../../shared/lib/result';
import { serverCall } from '../accounts/server-call';
import type { EventBus } from '../lib/events';
import { NodesRepository } from '../nodes/nodes.repository';
import type { NodesService } from '../nodes/nodes.service';
import { NotebooksRepository } from '../notebooks/notebooks.repository';
import { refusedRows } from '../outbox/outbox.repository';
import type { NotebookSync } from '../notebooks/notebooks.service';
import type { Replica } from '../replica/replica';
import { SharingRepository, type AccessNodeRow, type MemberRow } from './sharing.repository';

/** The server's notebook-members API, as the desktop calls it (ServerClient). */
export interface MembersRemote {
  inviteUsers(
    notebookId: string,
    users: readonly { username: string; role: NotebookRole }[],
  ): Promise<{ users: NotebookUser[]; errors: { username: string; error: string }[] }>;
  setUserRole(notebookId: string, userId: string, role: NotebookRole): Promise<NotebookUser>;
}

const memberRow = (user: NotebookUser): MemberRow => ({
  userId: user.id,
  username: user.username,
  name: user.customName ?? user.name,
  avatar: user.customAvatar ?? user.avatar,
  role: user.role,
});

/**
 * Sharing of one account (docs/ARCHITECTURE.md, "Sharing and roles"): the user's access computed from the
 * replica with the shared permission table, members as the `users` stream keeps them, collaborator grants
 * edited as node attributes (so they are saved offline and sent by the outbox, and a refusal stays visible in
 * the Sync panel), and invites / notebook roles through the server's REST API, online only.
 */
export class SharingService {
  private readonly sharing: SharingRepository;
  private readonly notebooks: NotebooksRepository;
  private readonly nodeRows: NodesRepository;
  private remote: MembersRemote | null = null;
  private sync: Pick<NotebookSync, 'dropNotebook'> | null = null;

  constructor(
    private readonly replica: Replica,
    private readonly events: EventBus,
    private readonly nodes: Pick<NodesService, 'editAttributes'>,
    /** A server account: notebooks can be shared (the Local account's stay on this device). */
    private readonly synced: boolean,
  ) {
    this.sharing = new SharingRepository(replica.db);
    this.notebooks = new NotebooksRepository(replica.db);
    this.nodeRows = new NodesRepository(replica.db);
  }

  connect(remote: MembersRemote, sync: Pick<NotebookSync, 'dropNotebook'>): void {
    this.remote = remote;
    this.sync = sync;
  }

  access(notebookId: string): NotebookAccessView {
    const notebook = this.requireNotebook(notebookId);
    const userId = this.replica.userId;
    const rows = this.sharing.notebookNodes(notebookId);
    const roles = treeRoles(notebook.role, userId, rows);
    const nodes: Record<string, NodeAccessView> = {};
    for (const row of rows) {
      const grant = roles.get(row.id) ?? { role: null, grantedOn: null };
      const can = nodeCapabilities(grant.role, userId, row);
      if (!this.synced) can.share = false;
      nodes[row.id] = {
        role: grant.role,
        grantedOn: grant.grantedOn,
        can: Object.values(Capability).filter((c) => can[c]),
      };
    }
    const allowed = (action: NotebookAction) =>
      canOnNotebook(notebook.role, NotebookStatus.active, action).allowed;
    return {
      notebookId,
      userId,
      notebookRole: notebook.role,
      shareable: this.synced,
      canCreateSection: allowed(NotebookAction.createSection),
      canManageMembers: this.synced && allowed(NotebookAction.inviteUsers),
      nodes,
    };
  }

  members(notebookId: string): MemberView[] {
    this.requireNotebook(notebookId);
    return this.sharing.members(notebookId).map((row) => this.memberView(row));
  }

  people(nodeId: string): NodeSharingView {
    const ancestry = this.sharing.ancestry(nodeId);
    const node = ancestry[0];
    if (!node) throw notFound('Node', nodeId);
    const notebook = this.requireNotebook(this.notebookOf(nodeId));
    const people = this.sharing
      .members(notebook.id)
      .map((member) => this.personView(member, ancestry))
      .sort((a, b) => Number(b.role !== null) - Number(a.role !== null));
    const refused = refusedRows(this.replica.db, { objectId: nodeId }).at(-1);
    return {
      nodeId,
      nodeName: node.name,
      canShare: this.canShare(notebook.role, ancestry),
      people,
      pending: this.nodeRows.hasPendingUpdates(nodeId),
      refused: refused ? (refused.lastError ?? 'The server refused this change') : null,
    };
  }

  /** Grants (or with `null` removes) a member's role on a node: a node edit, saved now, sent by the outbox. */
  setRole(nodeId: string, userId: string, role: NodeRole | null): NodeSharingView {
    const ancestry = this.sharing.ancestry(nodeId);
    const node = ancestry[0];
    if (!node) throw notFound('Node', nodeId);
    const notebook = this.requireNotebook(this.notebookOf(nodeId));
    if (!this.synced)
      throw badRequest('Pages on this device are not shared: move the notebook to a server account first', [
        { path: 'accountId', message: 'is the Local account' },
      ]);
    if (!this.canShare(notebook.role, ancestry))
      throw new AppError(ErrorCode.forbidden, `You cannot change who has access to “${node.name}”`, [
        { path: 'nodeId', message: 'needs the admin role on this node' },
      ]);
    const member = this.sharing.member(notebook.id, userId);
    if (role !== null && (!member || member.role === 'none'))
      throw badRequest('Only members of the notebook can be given access: invite them first', [
        { path: 'userId', message: 'is not a member of this notebook' },
      ]);
    this.nodes.editAttributes(nodeId, (attributes): NodeAttributes => {
      const next = Object.fromEntries(
        Object.entries(attributes.collaborators ?? {}).filter(([id]) => id !== userId),
      );
      if (role !== null) next[userId] = role;
      return { ...attributes, collaborators: next };
    });
    return this.people(nodeId);
  }

  async invite(
    notebookId: string,
    users: readonly { username: string; role: NotebookRole }[],
  ): Promise<InviteResultView> {
    const remote = this.requireMembersAdmin(notebookId);
    const answer = await serverCall(() => remote.inviteUsers(notebookId, users));
    const invited = answer.users.map(memberRow);
    this.replica.db.transaction(() => {
      for (const row of invited) this.sharing.upsertMember(notebookId, row);
    })();
    if (invited.length > 0) this.changed(notebookId);
    return {
      invited: invited.map((row) => this.memberView(row)),
      errors: answer.errors.map(({ username, error }) => ({ username, message: error })),
    };
  }

  async setMemberRole(notebookId: string, userId: string, role: NotebookRole): Promise<MemberView[]> {
    const remote = this.requireMembersAdmin(notebookId);
    if (!this.sharing.member(notebookId, userId)) throw notFound('Member', userId);
    const user = await serverCall(() => remote.setUserRole(notebookId, userId, role));
    this.sharing.upsertMember(notebookId, memberRow(user));
    this.changed(notebookId);
    return this.members(notebookId);
  }

  /**
   * Leaves a notebook (the user's own role to `none`, on the server first). Then it goes from this device, its
   * pages with unconfirmed changes kept in the Local account. The last owner cannot leave (the server says so).
   */
  async leave(notebookId: string): Promise<void> {
    this.requireNotebook(notebookId);
    if (!this.synced || !this.remote || !this.sync)
      throw badRequest('A notebook on this device has no members to leave', [
        { path: 'accountId', message: 'is not a signed-in server account' },
      ]);
    const remote = this.remote;
    await serverCall(() => remote.setUserRole(notebookId, this.replica.userId, 'none'));
    this.sync.dropNotebook(notebookId, true);
  }

  private canShare(notebookRole: NotebookRole, ancestry: readonly AccessNodeRow[]): boolean {
    const node = ancestry[0];
    if (!this.synced || !node) return false;
    const role = effectiveNodeRole(notebookRole, this.replica.userId, ancestry);
    return nodeCapabilities(role, this.replica.userId, node).share;
  }

  private personView(member: MemberRow, ancestry: readonly AccessNodeRow[]): NodePersonView {
    const role = effectiveNodeRole(member.role, member.userId, ancestry);
    const granted = ancestry.find((n) => n.collaborators?.[member.userId] !== undefined);
    const explicit = granted?.collaborators?.[member.userId] ?? null;
    const fromGrant = granted !== undefined && role === explicit && role !== this.defaultRole(member.role);
    const source: NodePersonView['source'] =
      role === null ? 'none' : !fromGrant ? 'notebook' : granted === ancestry[0] ? 'here' : 'inherited';
    return {
      ...this.memberView(member),
      notebookRole: member.role,
      role,
      source,
      grantedOnName: source === 'inherited' ? (granted?.name ?? null) : null,
    };
  }

  private defaultRole(notebookRole: NotebookRole): NodeRole | null {
    return effectiveNodeRole(notebookRole, '', []);
  }

  private memberView(row: MemberRow): MemberView {
    return { ...row, isMe: row.userId === this.replica.userId };
  }

  private requireMembersAdmin(notebookId: string): MembersRemote {
    const notebook = this.requireNotebook(notebookId);
    if (!this.synced || !this.remote)
      throw badRequest('Notebooks on this device are not shared: move it to a server account first', [
        { path: 'accountId', message: 'is the Local account' },
      ]);
    if (!canOnNotebook(notebook.role, NotebookStatus.active, NotebookAction.inviteUsers).allowed)
      throw new AppError(ErrorCode.forbidden, 'Only the notebook’s owner and admins can manage its members', [
        { path: 'notebookId', message: `your role is ${notebook.role}` },
      ]);
    return this.remote;
  }

  private notebookOf(nodeId: string): string {
    const row = this.nodeRows.get(nodeId);
    if (!row) throw notFound('Node', nodeId);
    return row.notebookId;
  }

  private requireNotebook(notebookId: string) {
    const notebook = this.notebooks.get(notebookId);
    if (!notebook) throw notFound('Notebook', notebookId);
    return notebook;
  }

  private changed(notebookId: string): void {
    this.events.emit('sharing.changed', { accountId: this.replica.accountId, notebookId });
  }
}
