import { ApiErrorCode } from '../../shared/api/common';
import type { Notebook, NotebookUser } from '../../shared/api/notebooks';
import { StreamType } from '../../shared/api/sync-protocol';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { NotebookAction } from '../../shared/model/permissions';
import { NotebookStatus, type NotebookRole } from '../../shared/model/roles';
import type { ServerContext } from '../context';
import { ApiError, badRequest, forbidden, notFound } from '../http/errors';
import type { AccountRow, MemberWithAccount, NotebookRow } from '../storage/repository';
import type { Change } from '../sync/change-bus';
import { notebookAccess } from './access';
import { refreshCollaborations } from './collaborations';
import { ensureAccount } from './tokens';
import { present } from '../invariant';

export const toNotebookOutput = (notebook: NotebookRow, userId: string, role: NotebookRole): Notebook => ({
  id: notebook.id,
  name: notebook.name,
  description: notebook.description,
  avatar: notebook.avatar,
  user: { id: userId, role },
  status: notebook.status,
  maxFileSize: String(notebook.maxFileSize),
});

export const toUserOutput = (member: MemberWithAccount): NotebookUser => ({
  id: member.userId,
  username: member.username,
  name: member.name,
  avatar: member.avatar,
  role: member.role,
  customName: member.customName,
  customAvatar: member.customAvatar,
  createdAt: member.createdAt,
  updatedAt: member.updatedAt,
  revision: String(member.revision),
  status: member.role === 'none' ? 2 : 1,
});

/** Runs `fn` in one write transaction and announces its changes once committed. */
export function write<T>(ctx: ServerContext, fn: (changes: Change[]) => T): T {
  const changes: Change[] = [];
  const result = ctx.repo.transaction(() => fn(changes));
  ctx.bus.publish(changes);
  return result;
}

function setMember(
  ctx: ServerContext,
  notebookId: string,
  account: AccountRow,
  role: NotebookRole,
  changes: Change[],
): MemberWithAccount {
  const existing = ctx.repo.getMember(notebookId, account.id);
  const now = ctx.now();
  ctx.repo.upsertMember({
    notebookId,
    userId: account.id,
    role,
    customName: existing?.customName ?? null,
    customAvatar: existing?.customAvatar ?? null,
    createdAt: existing?.createdAt ?? now,
    updatedAt: existing ? now : null,
    revision: ctx.repo.nextRevision(),
  });
  // `userId`: the member's own sockets are told their notebook list changed (a `notebooks.changed` frame).
  changes.push({ notebookId, stream: StreamType.users, userId: account.id });
  return present(ctx.repo.getMember(notebookId, account.id), 'member just written');
}

function requireName(name: string | undefined): string {
  const trimmed = name?.trim() ?? '';
  if (trimmed === '') {
    throw new ApiError(400, ApiErrorCode.notebookNameRequired, 'Notebook name is required.', [
      { path: 'body.name', message: 'Name is required and cannot be empty' },
    ]);
  }
  return trimmed;
}

/** What creating or updating a notebook may set (`POST`/`PATCH /notebooks`). */
interface NotebookFields {
  name?: string | undefined;
  description?: string | null | undefined;
  avatar?: string | null | undefined;
}

export function createNotebook(
  ctx: ServerContext,
  user: AccountRow,
  input: NotebookFields,
  isDefault = false,
): Notebook {
  return write(ctx, (changes) => createNotebookIn(ctx, user, input, changes, isDefault));
}

/** `createNotebook` inside a write the caller holds (`POST /notebooks` with an `Idempotency-Key`). */
export function createNotebookIn(
  ctx: ServerContext,
  user: AccountRow,
  input: NotebookFields,
  changes: Change[],
  isDefault = false,
): Notebook {
  const name = requireName(input.name);
  const notebook: NotebookRow = {
    id: newId(IdPrefix.notebook),
    name,
    description: input.description ?? null,
    avatar: input.avatar ?? null,
    status: NotebookStatus.active,
    maxFileSize: ctx.defaultMaxFileSize,
    isDefaultFor: isDefault ? user.id : null,
    createdAt: ctx.now(),
    createdBy: user.id,
    updatedAt: null,
  };
  ctx.repo.insertNotebook(notebook);
  setMember(ctx, notebook.id, user, 'owner', changes);
  return toNotebookOutput(notebook, user.id, 'owner');
}

/** `/me`: the caller's identity and default notebook, created on first call. */
export function identity(ctx: ServerContext, user: AccountRow) {
  let notebook = ctx.repo.findDefaultNotebook(user.id);
  if (!notebook) {
    createNotebook(ctx, user, { name: 'My Notebook' }, true);
    notebook = present(ctx.repo.findDefaultNotebook(user.id), 'default notebook just created');
  }
  const role = ctx.repo.getMember(notebook.id, user.id)?.role ?? 'none';
  return { userId: user.id, username: user.username, role, notebookId: notebook.id };
}

export function listNotebooks(ctx: ServerContext, user: AccountRow): { notebooks: Notebook[] } {
  const rows = ctx.repo
    .listNotebooksOf(user.id)
    .filter((row) => row.role !== 'none' && row.status !== NotebookStatus.inactive);
  return { notebooks: rows.map((row) => toNotebookOutput(row, user.id, row.role)) };
}

export function getNotebook(ctx: ServerContext, user: AccountRow, notebookId: string): Notebook {
  const access = notebookAccess(ctx, user, notebookId, NotebookAction.read, 'notebook');
  return toNotebookOutput(access.notebook, user.id, access.role);
}

export function updateNotebook(
  ctx: ServerContext,
  user: AccountRow,
  notebookId: string,
  input: NotebookFields,
): Notebook {
  const access = notebookAccess(
    ctx,
    user,
    notebookId,
    NotebookAction.update,
    'notebook',
    ApiErrorCode.notebookUpdateNotAllowed,
  );
  const name = requireName(input.name);
  return write(ctx, () => {
    const next: NotebookRow = {
      ...access.notebook,
      name,
      description: input.description === undefined ? access.notebook.description : input.description,
      avatar: input.avatar === undefined ? access.notebook.avatar : input.avatar,
      updatedAt: ctx.now(),
    };
    ctx.repo.updateNotebook(next);
    return toNotebookOutput(next, user.id, access.role);
  });
}

export function deleteNotebook(ctx: ServerContext, user: AccountRow, notebookId: string): Notebook {
  const access = notebookAccess(
    ctx,
    user,
    notebookId,
    NotebookAction.delete,
    'notebook',
    ApiErrorCode.notebookDeleteNotAllowed,
  );
  write(ctx, () => {
    ctx.files.discardAfterCommit(ctx.repo.listFileIdsOfNotebook(notebookId));
    ctx.repo.deleteNotebook(notebookId);
  });
  return toNotebookOutput(access.notebook, user.id, access.role);
}

/** Only an owner may create owners or change an owner's role; the last owner cannot step down. */
function assertRoleChangeAllowed(
  ctx: ServerContext,
  callerRole: NotebookRole,
  notebookId: string,
  current: NotebookRole | undefined,
  next: NotebookRole,
  deniedCode: string,
): void {
  if ((next === 'owner' || current === 'owner') && callerRole !== 'owner') {
    throw forbidden('Only an owner can grant or change the owner role.', deniedCode);
  }
  if (current === 'owner' && next !== 'owner') {
    const owners = ctx.repo.listMembers(notebookId).filter((m) => m.role === 'owner').length;
    if (owners <= 1)
      throw badRequest('A notebook needs at least one owner.', [{ path: 'role', message: 'last owner' }]);
  }
}

export function inviteUsers(
  ctx: ServerContext,
  user: AccountRow,
  notebookId: string,
  invites: { username: string; role: NotebookRole }[],
): { users: NotebookUser[]; errors: { username: string; error: string }[] } {
  const access = notebookAccess(
    ctx,
    user,
    notebookId,
    NotebookAction.inviteUsers,
    'node',
    ApiErrorCode.userInviteNoAccess,
  );
  if (invites.length === 0) {
    throw new ApiError(400, ApiErrorCode.userInputRequired, 'At least one user is required.');
  }
  return write(ctx, (changes) => {
    const users: NotebookUser[] = [];
    const errors: { username: string; error: string }[] = [];
    for (const invite of invites) {
      const account = ensureAccount(ctx.repo, invite.username, ctx.now());
      const existing = ctx.repo.getMember(notebookId, account.id);
      if (existing && existing.role !== 'none') {
        errors.push({ username: invite.username, error: 'Username already exists in notebook' });
        continue;
      }
      if (invite.role === 'owner' && access.role !== 'owner') {
        errors.push({ username: invite.username, error: 'Only an owner can grant the owner role' });
        continue;
      }
      users.push(toUserOutput(setMember(ctx, notebookId, account, invite.role, changes)));
    }
    refreshCollaborations(ctx, notebookId, changes);
    return { users, errors };
  });
}

export function updateUserRole(
  ctx: ServerContext,
  user: AccountRow,
  notebookId: string,
  userId: string,
  role: NotebookRole,
): NotebookUser {
  // Leaving: any member may set their own role to `none` (the last owner still cannot, below). Everything
  // else needs the admin role.
  const leaving = userId === user.id && role === 'none';
  const access = notebookAccess(
    ctx,
    user,
    notebookId,
    leaving ? NotebookAction.read : NotebookAction.updateUserRole,
    'node',
    ApiErrorCode.userUpdateNoAccess,
  );
  const target = ctx.repo.getMember(notebookId, userId);
  if (!target) throw new ApiError(404, ApiErrorCode.userNotFound, 'User not found.');
  assertRoleChangeAllowed(ctx, access.role, notebookId, target.role, role, ApiErrorCode.userUpdateNoAccess);
  return write(ctx, (changes) => {
    const account = present(ctx.repo.getAccount(userId), 'account of a member');
    const member = setMember(ctx, notebookId, account, role, changes);
    refreshCollaborations(ctx, notebookId, changes);
    return toUserOutput(member);
  });
}

export function setNotebookStatus(ctx: ServerContext, notebookId: string, status: NotebookStatus): void {
  const notebook = ctx.repo.getNotebook(notebookId);
  if (!notebook) throw notFound('Notebook not found.', ApiErrorCode.notebookNotFound);
  write(ctx, () => ctx.repo.updateNotebook({ ...notebook, status, updatedAt: ctx.now() }));
}
