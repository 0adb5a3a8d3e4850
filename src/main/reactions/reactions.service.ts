import type { ReactionView } from '../../shared/contract';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { notFound } from '../../shared/lib/result';
import { MutationType, type Mutation } from '../../shared/model/mutations';
import { isoNow, type Clock } from '../lib/clock';
import type { EventBus } from '../lib/events';
import type { Db } from '../db/open';
import { enqueueMutation } from '../outbox/outbox.repository';
import type { Replica } from '../replica/replica';
import {
  nodePlace,
  ownReactionChanges,
  reactionRows,
  retireOwnReactionChanges,
  writeReaction,
} from './reactions.repository';

const REACTION_MUTATIONS: ReadonlySet<string> = new Set([
  MutationType.reactionCreate,
  MutationType.reactionDelete,
]);
export const isReactionMutation = (type: string): boolean => REACTION_MUTATIONS.has(type);

/**
 * The Local account has no server to stream the outcome back: its own reaction changes become the stored
 * state and leave the outbox (see compaction.ts).
 */
export function foldOwnReactions(db: Db, userId: string, now: string): number {
  for (const change of ownReactionChanges(db)) {
    const node = nodePlace(db, change.nodeId);
    if (node) writeReaction(db, userId, node, change.reaction, change.on, now);
  }
  return retireOwnReactionChanges(db);
}

/**
 * Reactions (emoji) on a node. Setting one is a local write like any edit: the row and its outbox mutation
 * commit in one transaction, then the sync engine sends it.
 */
export class ReactionsService {
  /**
   * The user's changes the server confirmed whose stream row has not arrived yet (`nodeId|reaction` → on).
   * Without them a confirmed reaction would vanish for the moment between the answer and the echo. Kept in
   * memory only: display state, cleared by the next stream item for that reaction (or a restart).
   */
  private readonly awaitingEcho = new Map<string, boolean>();

  constructor(
    private readonly replica: Replica,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  /**
   * What the server last told us (`node_reactions`, written only by the stream), with the user's own
   * unconfirmed changes on top: the latest change per emoji decides whether it is theirs. Nothing local is
   * ever written over server state, so a stream item is always applied and nothing is lost in a race; a
   * discarded change simply stops being on top.
   */
  list(nodeId: string): ReactionView[] {
    this.requireNode(nodeId);
    const { db, userId } = this.replica;
    const byReaction = new Map<string, { others: number; mine: boolean; firstAt: string }>();
    for (const row of reactionRows(db, nodeId)) {
      const entry = byReaction.get(row.reaction) ?? { others: 0, mine: false, firstAt: row.at };
      if (row.userId === userId) entry.mine = true;
      else entry.others++;
      if (row.at < entry.firstAt) entry.firstAt = row.at;
      byReaction.set(row.reaction, entry);
    }
    for (const [key, on] of this.awaitingEcho) {
      const [echoNode, reaction] = key.split('|') as [string, string];
      if (echoNode !== nodeId) continue;
      const entry = byReaction.get(reaction) ?? { others: 0, mine: false, firstAt: '\uffff' };
      entry.mine = on;
      byReaction.set(reaction, entry);
    }
    for (const change of ownReactionChanges(db, nodeId)) {
      const entry = byReaction.get(change.reaction) ?? { others: 0, mine: false, firstAt: '\uffff' };
      entry.mine = change.on;
      byReaction.set(change.reaction, entry);
    }
    return [...byReaction]
      .filter(([, e]) => e.others > 0 || e.mine)
      .sort(([ra, a], [rb, b]) => a.firstAt.localeCompare(b.firstAt) || ra.localeCompare(rb))
      .map(([reaction, e]) => ({ reaction, count: e.others + (e.mine ? 1 : 0), mine: e.mine }));
  }

  /** The server confirmed the user's change: shown as confirmed until its stream row arrives. */
  confirmed(mutation: Mutation): void {
    if (mutation.type !== MutationType.reactionCreate && mutation.type !== MutationType.reactionDelete)
      return;
    this.awaitingEcho.set(
      `${mutation.data.nodeId}|${mutation.data.reaction}`,
      mutation.type === MutationType.reactionCreate,
    );
  }

  /** A stream row for the user's own reaction arrived: the server's word replaces the confirmed change. */
  echoed(nodeId: string, reaction: string): void {
    this.awaitingEcho.delete(`${nodeId}|${reaction}`);
  }

  /** Adds (`on`) or removes the user's `reaction`; setting what already holds writes nothing. */
  set(nodeId: string, reaction: string, on: boolean): ReactionView[] {
    const node = this.requireNode(nodeId);
    const mine = this.list(nodeId).some((r) => r.reaction === reaction && r.mine);
    if (mine === on) return this.list(nodeId);
    const now = isoNow(this.clock);
    const mutation: Mutation = on
      ? {
          id: newId(IdPrefix.mutation),
          createdAt: now,
          type: MutationType.reactionCreate,
          data: { nodeId, reaction, rootId: node.rootId, createdAt: now },
        }
      : {
          id: newId(IdPrefix.mutation),
          createdAt: now,
          type: MutationType.reactionDelete,
          data: { nodeId, reaction, rootId: node.rootId, deletedAt: now },
        };
    enqueueMutation(this.replica.db, node.notebookId, mutation);
    this.changed(node);
    return this.list(nodeId);
  }

  private changed(node: { id: string; notebookId: string }): void {
    // node.changed is what the sync engine sends on and what the renderer reloads a page's reactions on.
    this.events.emit('node.changed', {
      accountId: this.replica.accountId,
      notebookId: node.notebookId,
      nodeIds: [node.id],
    });
  }

  private requireNode(nodeId: string): { id: string; notebookId: string; rootId: string } {
    const node = nodePlace(this.replica.db, nodeId);
    if (!node) throw notFound('Node', nodeId);
    return node;
  }
}
