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
 * `POST /notebooks/{id}/mutations`: applied in order, each all-or-nothing (one failure does not undo the
 * others), answered per mutation with an HTTP-like status. The batch commits once, so it costs one fsync
 * rather than one per mutation, and a crash mid-batch leaves none of it (the client retries the batch; ids
 * and updateIds make that idempotent). Changes reach sockets only after that commit. A mutation id seen
 * before answers its first success again without re-applying; `node.update`/`document.update` are also
 * idempotent by `updateId`.
 *
 * A savepoint per mutation cost two statements and a journal of its own each, while almost every refusal
 * (access, validation, a bad update) is decided before the mutation writes anything. So the batch first runs
 * without savepoints: a mutation refused before its first write leaves nothing to undo. Only if one fails
 * after writing does the whole transaction roll back and the batch run again with a savepoint per mutation.
 */
export function applyMutations(
  ctx: ServerContext,
  user: AccountRow,
  notebookId: string,
  mutations: readonly unknown[],
): { results: MutationResult[] } {
  const access = notebookAccess(ctx, user, notebookId, NotebookAction.read);
  let batch: Batch;
  try {
    batch = ctx.repo.transaction(() => applyBatch(ctx, access, mutations, false));
  } catch (error) {
    if (!(error instanceof FailedAfterWriting)) throw error;
    batch = ctx.repo.transaction(() => applyBatch(ctx, access, mutations, true));
  }
  ctx.bus.publish(batch.committed);
  return { results: batch.results };
}

interface Batch {
  results: MutationResult[];
  committed: Change[];
}

/** A mutation failed after it wrote: without a savepoint of its own, only rolling back everything undoes it. */
class FailedAfterWriting extends Error {}

function applyBatch(
  ctx: ServerContext,
  access: NotebookAccess,
  mutations: readonly unknown[],
  savepoints: boolean,
): Batch {
  const batch: Batch = { results: [], committed: [] };
  // Statuses of mutations applied before, read once for the batch (and kept current as it applies).
  const applied = ctx.repo.getAppliedMutations(access.user.id, mutations.map(mutationIdOf));
  const newlyApplied: { id: string; status: number }[] = [];
  const clock = batchClock(ctx);
  for (const raw of mutations) {
    const parsed = parseSafely(Mutation, raw);
    const id = mutationIdOf(raw);
    if (!parsed.success) {
      batch.results.push({ id, status: isKnownType(raw) ? 400 : 405 });
      continue;
    }
    const { status, fresh } = applyOne(ctx, access, clock, parsed.data, applied, batch.committed, savepoints);
    if (fresh) newlyApplied.push({ id: parsed.data.id, status });
    batch.results.push({ id, status });
    ctx.afterMutation?.();
  }
  // The successes are recorded in one statement, in the same transaction: a mutation whose own writes
  // were rolled back (its savepoint) is not among them, and nothing is recorded if the batch does not commit.
  ctx.repo.insertAppliedMutations(access.user.id, newlyApplied, clock.now);
  return batch;
}

/** One reading of the server's clock for the whole batch (it runs in a few milliseconds). */
interface BatchClock {
  now: string;
  nowMs: number;
}

function batchClock(ctx: ServerContext): BatchClock {
  const now = ctx.now();
  return { now, nowMs: Date.parse(now) };
}

/**
 * Runs inside the batch transaction; with `savepoints`, its own nested transaction that a failure rolls back.
 * `fresh`: applied now (the caller records it as applied), not answered from an earlier application or refused.
 */
function applyOne(
  ctx: ServerContext,
  access: NotebookAccess,
  clock: BatchClock,
  mutation: Mutation,
  applied: Map<string, number>,
  committed: Change[],
  savepoints: boolean,
): { status: number; fresh: boolean } {
  const seen = applied.get(mutation.id);
  if (seen !== undefined) return { status: seen, fresh: false };
  const changes: Change[] = [];
  const writesBefore = ctx.repo.writeCount();
  const apply = (): number => dispatch(ctx, access, clock, mutation, changes);
  try {
    const status = savepoints ? ctx.repo.transaction(apply) : apply();
    committed.push(...changes);
    applied.set(mutation.id, status);
    return { status, fresh: true };
  } catch (error) {
    if (!savepoints && ctx.repo.writeCount() !== writesBefore) throw new FailedAfterWriting();
    // Only successes are remembered: a refused mutation is re-evaluated when the user retries it (its parent
    // may have arrived, or their role changed), and the failed transaction left nothing behind.
    const { status } = toHttpError(error);
    if (status >= 500) {
      ctx.log.error(
        { err: error, mutationId: mutation.id, type: mutation.type, userId: access.user.id },
        'mutation failed',
      );
    }
    return { status, fresh: false };
  }
}

function mutationIdOf(raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id.slice(0, 128) : '';
}

const KNOWN_TYPES: ReadonlySet<unknown> = new Set(Object.values(MutationType));
const isKnownType = (raw: unknown): boolean =>
  typeof raw === 'object' && raw !== null && KNOWN_TYPES.has((raw as { type?: unknown }).type);

/**
 * Times a client stamped on a mutation, capped at the server's clock. A device whose clock runs ahead would
 * otherwise date nodes, reactions and "last seen" in the future, where they would stay newest for good;
 * capping keeps the edit (refusing it would punish the user for a wrong clock). Past times are kept: they
 * are the device's best knowledge of when the user acted offline.
 */
function clientTime(clock: BatchClock, at: string): string {
  return Date.parse(at) > clock.nowMs ? clock.now : at;
}

const nodeUpdateOf = (clock: BatchClock, data: MutationOf<typeof MutationType.nodeCreate>['data']) => ({
  nodeId: data.nodeId,
  updateId: data.updateId,
  update: fromBase64(data.data),
  createdAt: clientTime(clock, data.createdAt),
});

function dispatch(
  ctx: ServerContext,
  access: NotebookAccess,
  clock: BatchClock,
  mutation: Mutation,
  changes: Change[],
): number {
  switch (mutation.type) {
    case MutationType.nodeCreate:
      return createNodeFromUpdate(ctx, access, nodeUpdateOf(clock, mutation.data), changes).created
        ? 201
        : 200;
    case MutationType.nodeUpdate:
      updateNodeFromUpdate(ctx, access, nodeUpdateOf(clock, mutation.data), changes);
      return 200;
    case MutationType.nodeDelete:
      // Deleting what is already gone succeeds: the outcome the client asked for holds.
      if (!ctx.repo.getNode(mutation.data.nodeId)) return 200;
      deleteNode(ctx, access, mutation.data.nodeId, clientTime(clock, mutation.data.deletedAt), changes);
      return 200;
    case MutationType.reactionCreate:
    case MutationType.reactionDelete: {
      const { data } = mutation;
      const at = clientTime(clock, 'createdAt' in data ? data.createdAt : data.deletedAt);
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
        clientTime(clock, mutation.data.seenAt),
        changes,
      );
      return 200;
    case MutationType.interactionOpened:
      recordInteraction(
        ctx,
        access,
        mutation.data.nodeId,
        'opened',
        clientTime(clock, mutation.data.openedAt),
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
          createdAt: clientTime(clock, data.createdAt),
        },
        changes,
      );
      return 200;
    }
  }
}
