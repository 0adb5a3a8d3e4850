import { Mutation, MutationType, type MutationOf, type MutationResult } from '../../shared/model/mutations';
import { fromBase64 } from '../../shared/lib/base64';
import { toHttpError } from '../http/errors';
import { NotebookAction } from '../../shared/model/permissions';
import type { ServerContext } from '../context';
import type { AccountRow } from '../storage/repository';
import type { Change } from '../sync/change-bus';
import { notebookAccess, type NotebookAccess } from './access';
import { applyDocumentUpdate } from './documents';
import { recordInteraction, setReaction } from './reactions';
import { createNodeFromUpdate, deleteNode, updateNodeFromUpdate } from './nodes';
import { parseSafely } from '../../shared/lib/parse-safely';

/**
 * `POST /notebooks/{id}/mutations`: applied in order, each in its own savepoint (one failure does not undo
 * the others), answered per mutation with an HTTP-like status. The batch commits once, so it costs one
 * fsync rather than one per mutation, and a crash mid-batch leaves none of it (the client retries the
 * batch; ids and updateIds make that idempotent). Changes reach sockets only after that commit. A mutation
 * id seen before answers its first success again without re-applying; `node.update`/`document.update` are
 * also idempotent by `updateId`.
 */
export function applyMutations(
  ctx: ServerContext,
  user: AccountRow,
  notebookId: string,
  mutations: readonly unknown[],
): { results: MutationResult[] } {
  const access = notebookAccess(ctx, user, notebookId, NotebookAction.read);
  const results: MutationResult[] = [];
  const committed: Change[] = [];
  ctx.repo.transaction(() => {
    // Statuses of mutations applied before, read once for the batch (and kept current as it applies).
    const applied = ctx.repo.getAppliedMutations(user.id, mutations.map(mutationIdOf));
    for (const raw of mutations) {
      const parsed = parseSafely(Mutation, raw);
      const id = mutationIdOf(raw);
      if (!parsed.success) {
        results.push({ id, status: isKnownType(raw) ? 400 : 405 });
        continue;
      }
      results.push({ id, status: applyOne(ctx, access, parsed.data, applied, committed) });
      ctx.afterMutation?.();
    }
  });
  ctx.bus.publish(committed);
  return { results };
}

function mutationIdOf(raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id.slice(0, 128) : '';
}

const KNOWN_TYPES: ReadonlySet<unknown> = new Set(Object.values(MutationType));
const isKnownType = (raw: unknown): boolean =>
  typeof raw === 'object' && raw !== null && KNOWN_TYPES.has((raw as { type?: unknown }).type);

/** Runs inside the batch transaction; its own nested transaction is a savepoint that a failure rolls back. */
function applyOne(
  ctx: ServerContext,
  access: NotebookAccess,
  mutation: Mutation,
  applied: Map<string, number>,
  committed: Change[],
): number {
  const seen = applied.get(mutation.id);
  if (seen !== undefined) return seen;
  const changes: Change[] = [];
  try {
    const status = ctx.repo.transaction(() => {
      const applied = dispatch(ctx, access, mutation, changes);
      ctx.repo.insertAppliedMutation(access.user.id, mutation.id, applied, ctx.now());
      return applied;
    });
    committed.push(...changes);
    applied.set(mutation.id, status);
    return status;
  } catch (error) {
    // Only successes are remembered: a refused mutation is re-evaluated when the user retries it (its parent
    // may have arrived, or their role changed), and the failed transaction left nothing behind.
    const { status } = toHttpError(error);
    if (status >= 500) {
      ctx.log.error(
        { err: error, mutationId: mutation.id, type: mutation.type, userId: access.user.id },
        'mutation failed',
      );
    }
    return status;
  }
}

/**
 * Times a client stamped on a mutation, capped at the server's clock. A device whose clock runs ahead would
 * otherwise date nodes, reactions and "last seen" in the future, where they would stay newest for good;
 * capping keeps the edit (refusing it would punish the user for a wrong clock). Past times are kept: they
 * are the device's best knowledge of when the user acted offline.
 */
function clientTime(ctx: ServerContext, at: string): string {
  const now = ctx.now();
  return Date.parse(at) > Date.parse(now) ? now : at;
}

const nodeUpdateOf = (ctx: ServerContext, data: MutationOf<typeof MutationType.nodeCreate>['data']) => ({
  nodeId: data.nodeId,
  updateId: data.updateId,
  update: fromBase64(data.data),
  createdAt: clientTime(ctx, data.createdAt),
});

function dispatch(ctx: ServerContext, access: NotebookAccess, mutation: Mutation, changes: Change[]): number {
  switch (mutation.type) {
    case MutationType.nodeCreate:
      return createNodeFromUpdate(ctx, access, nodeUpdateOf(ctx, mutation.data), changes).created ? 201 : 200;
    case MutationType.nodeUpdate:
      updateNodeFromUpdate(ctx, access, nodeUpdateOf(ctx, mutation.data), changes);
      return 200;
    case MutationType.nodeDelete:
      // Deleting what is already gone succeeds: the outcome the client asked for holds.
      if (!ctx.repo.getNode(mutation.data.nodeId)) return 200;
      deleteNode(ctx, access, mutation.data.nodeId, clientTime(ctx, mutation.data.deletedAt), changes);
      return 200;
    case MutationType.reactionCreate:
    case MutationType.reactionDelete: {
      const { data } = mutation;
      const at = clientTime(ctx, 'createdAt' in data ? data.createdAt : data.deletedAt);
      setReaction(
        ctx,
        access,
        data.nodeId,
        data.reaction,
        mutation.type === MutationType.reactionCreate,
        at,
        changes,
      );
      return 200;
    }
    case MutationType.interactionSeen:
      recordInteraction(
        ctx,
        access,
        mutation.data.nodeId,
        'seen',
        clientTime(ctx, mutation.data.seenAt),
        changes,
      );
      return 200;
    case MutationType.interactionOpened:
      recordInteraction(
        ctx,
        access,
        mutation.data.nodeId,
        'opened',
        clientTime(ctx, mutation.data.openedAt),
        changes,
      );
      return 200;
    case MutationType.documentUpdate: {
      const { data } = mutation;
      applyDocumentUpdate(
        ctx,
        access,
        {
          documentId: data.documentId,
          updateId: data.updateId,
          update: fromBase64(data.data),
          createdAt: clientTime(ctx, data.createdAt),
        },
        changes,
      );
      return 200;
    }
  }
}
