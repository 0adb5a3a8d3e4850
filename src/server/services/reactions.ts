import { StreamType } from '../../shared/api/sync-protocol';
import { NodeAction } from '../../shared/model/permissions';
import type { ServerContext } from '../context';
import type { InteractionRow, ReactionRow } from '../storage/repository';
import type { Change } from '../sync/change-bus';
import { nodeAccess, type NotebookAccess } from './access';

/** Adds (`active`) or removes the caller's reaction; a no-op when it is already in that state. Returns the row. */
export function setReaction(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  reaction: string,
  active: boolean,
  at: string,
  changes: Change[],
): ReactionRow {
  const { node } = nodeAccess(ctx, access, nodeId, NodeAction.react);
  const existing = ctx.repo.getReaction(node.id, access.user.id, reaction);
  const isActive = existing !== undefined && existing.deletedAt === null;
  if (existing && isActive === active) return existing;
  const row: ReactionRow = {
    nodeId: node.id,
    collaboratorId: access.user.id,
    reaction,
    rootId: node.rootId,
    notebookId: node.notebookId,
    createdAt: active ? at : (existing?.createdAt ?? at),
    deletedAt: active ? null : at,
    revision: ctx.repo.nextRevision(),
  };
  if (!existing && !active) return row; // removing a reaction that never existed changes nothing
  ctx.repo.upsertReaction(row);
  changes.push({ notebookId: node.notebookId, stream: StreamType.nodeReactions, rootId: node.rootId });
  return row;
}

export function listReactions(ctx: ServerContext, access: NotebookAccess, nodeId: string) {
  const { node } = nodeAccess(ctx, access, nodeId, NodeAction.read);
  return {
    reactions: ctx.repo.listReactions(node.id).map((row) => ({
      reaction: row.reaction,
      collaboratorId: row.collaboratorId,
      createdAt: row.createdAt,
      name: row.name,
      username: row.username,
    })),
  };
}

const earliest = (a: string | null, b: string): string => (a !== null && a <= b ? a : b);
const latest = (a: string | null, b: string): string => (a !== null && a >= b ? a : b);

/** Seen/opened: first and last timestamps, for the caller (a payload's collaboratorId is never trusted). */
export function recordInteraction(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  kind: 'seen' | 'opened',
  at: string,
  changes: Change[],
): InteractionRow {
  const { node } = nodeAccess(ctx, access, nodeId, NodeAction.interact);
  const when = new Date(at).toISOString();
  const existing = ctx.repo.getInteraction(node.id, access.user.id);
  const row: InteractionRow = {
    nodeId: node.id,
    collaboratorId: access.user.id,
    rootId: node.rootId,
    notebookId: node.notebookId,
    firstSeenAt: existing?.firstSeenAt ?? null,
    lastSeenAt: existing?.lastSeenAt ?? null,
    firstOpenedAt: existing?.firstOpenedAt ?? null,
    lastOpenedAt: existing?.lastOpenedAt ?? null,
    revision: 0,
  };
  if (kind === 'seen') {
    row.firstSeenAt = earliest(row.firstSeenAt, when);
    row.lastSeenAt = latest(row.lastSeenAt, when);
  } else {
    row.firstOpenedAt = earliest(row.firstOpenedAt, when);
    row.lastOpenedAt = latest(row.lastOpenedAt, when);
  }
  const unchanged =
    existing &&
    existing.firstSeenAt === row.firstSeenAt &&
    existing.lastSeenAt === row.lastSeenAt &&
    existing.firstOpenedAt === row.firstOpenedAt &&
    existing.lastOpenedAt === row.lastOpenedAt;
  if (unchanged) return existing;
  row.revision = ctx.repo.nextRevision();
  ctx.repo.upsertInteraction(row);
  changes.push({ notebookId: node.notebookId, stream: StreamType.nodeInteractions, rootId: node.rootId });
  return row;
}
