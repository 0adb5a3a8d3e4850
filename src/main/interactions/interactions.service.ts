import {
  StreamType,
  type DocumentUpdateItem,
  type NodeInteractionItem,
  type NodeUpdateItem,
  type StreamItem,
  type StreamItemData,
  type StreamSpec,
} from '../../shared/api/sync-protocol';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { notFound } from '../../shared/lib/result';
import type { Mutation } from '../../shared/model/mutations';
import { NotebookStatus } from '../../shared/model/roles';
import { isoNow, type Clock } from '../lib/clock';
import type { EventBus } from '../lib/events';
import type { Db } from '../db/open';
import { deleteOutboxRow, enqueueMutation, findMutation, replaceMutation } from '../outbox/outbox.repository';
import type { Replica } from '../replica/replica';
import {
  INTERACTION_MUTATION,
  InteractionsRepository,
  type InteractionKind,
} from './interactions.repository';

const KIND_OF: ReadonlyMap<string, InteractionKind> = new Map(
  (Object.keys(INTERACTION_MUTATION) as InteractionKind[]).map((kind) => [INTERACTION_MUTATION[kind], kind]),
);
export const isInteractionMutation = (type: string): boolean => KIND_OF.has(type);

/** Nodes whose unread state may have changed, per notebook (what `interaction.changed` announces). */
export type ReadChanges = Map<string, Set<string>>;

function add(changes: ReadChanges, notebookId: string, nodeId: string): void {
  const ids = changes.get(notebookId);
  if (ids) ids.add(nodeId);
  else changes.set(notebookId, new Set([nodeId]));
}

function buildMark(kind: InteractionKind, nodeId: string, userId: string, at: string): Mutation {
  const base = { id: newId(IdPrefix.mutation), createdAt: at };
  return kind === 'opened'
    ? { ...base, type: INTERACTION_MUTATION.opened, data: { nodeId, collaboratorId: userId, openedAt: at } }
    : { ...base, type: INTERACTION_MUTATION.seen, data: { nodeId, collaboratorId: userId, seenAt: at } };
}

/**
 * The Local account has no server to stream its rows back: its own marks become the stored rows and leave
 * the outbox (see compaction.ts, which runs this before its Yjs fold retires a node's outbox rows).
 */
export function foldOwnInteractions(db: Db, userId: string): number {
  const repository = new InteractionsRepository(db);
  const rows = repository.ownMarks();
  for (const row of rows) {
    const kind = KIND_OF.get(row.type);
    if (kind) repository.foldMark(row.nodeId, userId, kind, row.at);
    deleteOutboxRow(db, row.id);
  }
  return rows.length;
}

/**
 * Seen/opened marks and unread pages. `node_interactions` holds what the server streamed (written by the
 * stream and, for the Local account, by compaction); the user's own latest mark on this device (`node_reads`)
 * counts on top of it, also once the outbox row is gone, so a confirmed mark never looks unread while its
 * echo is on its way. A page is unread when someone else changed it (`node_activity`, recorded from the
 * stream) after the user last opened or saw it.
 */
export class InteractionsService {
  private readonly interactions: InteractionsRepository;

  constructor(
    private readonly replica: Replica,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {
    this.interactions = new InteractionsRepository(replica.db);
  }

  /**
   * Writes the mark's outbox mutation in one transaction. A mark of the same kind for the node still waiting
   * in the outbox is replaced (its time moves on, never back), so flipping between pages offline leaves at
   * most one row per node and kind.
   */
  mark(nodeId: string, kind: InteractionKind): null {
    const { db, userId } = this.replica;
    const node = this.requireNode(nodeId);
    // A read-only (or inactive) notebook refuses every mark: it would only pile up as refused changes.
    if (node.status !== NotebookStatus.active) return null;
    db.transaction(() => {
      const now = isoNow(this.clock);
      const waiting = findMutation(db, nodeId, INTERACTION_MUTATION[kind]);
      const at = waiting && waiting.createdAt > now ? waiting.createdAt : now;
      const mutation = buildMark(kind, nodeId, userId, at);
      if (waiting) replaceMutation(db, waiting.id, mutation);
      else enqueueMutation(db, node.notebookId, mutation);
      this.interactions.recordRead(nodeId, at);
    })();
    this.announce(new Map([[node.notebookId, new Set([nodeId])]]), 'local');
    return null;
  }

  unread(notebookId: string): string[] {
    return this.interactions.unreadIn(notebookId, this.replica.userId);
  }

  /**
   * Called by the sync engine inside the transaction that applies a stream batch (after the applier): notes
   * changes by others to nodes and documents, and answers the nodes whose unread state changed (a page
   * that became unread; the user's own marks from another device).
   */
  recordStream(stream: StreamSpec, items: readonly StreamItem<StreamItemData[StreamType]>[]): ReadChanges {
    const changes: ReadChanges = new Map();
    const { userId } = this.replica;
    if (stream.type === StreamType.nodeInteractions) {
      for (const { data } of items) {
        const item = data as NodeInteractionItem;
        if (item.collaboratorId === userId) add(changes, item.notebookId, item.nodeId);
      }
      return changes;
    }
    if (stream.type !== StreamType.nodeUpdates && stream.type !== StreamType.documentUpdates) return changes;
    // The latest change by someone else per node in this batch.
    const latest = new Map<string, { notebookId: string; at: string; by: string }>();
    for (const { data } of items) {
      const item = data as NodeUpdateItem | DocumentUpdateItem;
      if (item.createdBy === userId) continue;
      const nodeId =
        stream.type === StreamType.nodeUpdates
          ? (item as NodeUpdateItem).nodeId
          : (item as DocumentUpdateItem).documentId;
      const seen = latest.get(nodeId);
      if (!seen || item.createdAt > seen.at)
        latest.set(nodeId, { notebookId: item.notebookId, at: item.createdAt, by: item.createdBy });
    }
    for (const [nodeId, change] of latest) {
      const before = this.interactions.isUnread(nodeId, userId);
      if (!this.interactions.recordActivity(nodeId, change.notebookId, change.at, change.by)) continue;
      if (!before && this.interactions.isUnread(nodeId, userId)) add(changes, change.notebookId, nodeId);
    }
    return changes;
  }

  /** After the transaction that made them committed: tells the windows to reload their unread pages. */
  announce(changes: ReadChanges, origin: 'local' | 'sync'): void {
    for (const [notebookId, ids] of changes)
      this.events.emit('interaction.changed', {
        accountId: this.replica.accountId,
        notebookId,
        nodeIds: [...ids],
        origin,
      });
  }

  private requireNode(nodeId: string): { notebookId: string; status: number } {
    const node = this.interactions.nodeNotebook(nodeId);
    if (!node) throw notFound('Node', nodeId);
    return node;
  }
}
