import { effectiveNodeRole } from '../../shared/model/permissions';
import type { NodeRole } from '../../shared/model/roles';
import { StreamType } from '../../shared/api/sync-protocol';
import type { ServerContext } from '../context';
import type { Change } from '../sync/change-bus';

/**
 * Mirrors "who can read which root" into `collaborations`, the table behind the `collaborations` stream that
 * tells each client which roots to sync. Recomputed (inside the caller's transaction) whenever a root or a
 * membership changes; only rows whose role actually changed get a new revision.
 */
export function refreshCollaborations(ctx: ServerContext, notebookId: string, changes: Change[]): void {
  const { repo } = ctx;
  const now = ctx.now();
  const roots = repo.listRoots(notebookId);
  const members = repo.listMembers(notebookId);
  const existing = new Map(
    repo.listCollaborations(notebookId).map((row) => [`${row.userId}|${row.rootId}`, row]),
  );
  const expected = new Map<string, { userId: string; rootId: string; role: NodeRole | null }>();
  for (const member of members) {
    for (const root of roots) {
      const collaborators = root.attributes.collaborators as Record<string, NodeRole> | undefined;
      const role = effectiveNodeRole(member.role, member.userId, [{ collaborators }]);
      expected.set(`${member.userId}|${root.id}`, { userId: member.userId, rootId: root.id, role });
    }
  }
  // Roots or members that disappeared lose access explicitly, so clients purge them.
  for (const [key, row] of existing) {
    if (!expected.has(key)) expected.set(key, { userId: row.userId, rootId: row.rootId, role: null });
  }
  for (const [key, want] of expected) {
    const have = existing.get(key);
    if ((have?.role ?? null) === want.role) continue;
    if (!have && want.role === null) continue;
    repo.upsertCollaboration({
      notebookId,
      userId: want.userId,
      rootId: want.rootId,
      role: want.role,
      createdAt: have?.createdAt ?? now,
      updatedAt: have ? now : null,
      deletedAt: want.role === null ? now : null,
      revision: repo.nextRevision(),
    });
    changes.push({ notebookId, stream: StreamType.collaborations, userId: want.userId });
  }
}
