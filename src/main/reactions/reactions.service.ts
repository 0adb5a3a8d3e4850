import type { ReactionView } from '../../shared/contract';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { notFound } from '../../shared/lib/result';
import { MutationType, type Mutation } from '../../shared/model/mutations';
import { isoNow, type Clock } from '../core/clock';
import type { EventBus } from '../core/events';
import type { Db } from '../db/open';
import { enqueueMutation } from '../outbox/outbox.repository';
import type { Replica } from '../replica/replica';

const REACTION_MUTATIONS: ReadonlySet<string> = new Set([
  MutationType.reactionCreate,
  MutationType.reactionDelete,
]);
export const isReactionMutation = (type: string): boolean => REACTION_MUTATIONS.has(type);

/**
 * Whether the user's own reaction on a node has a change still on its way to the server. While it has, the
 * local row is the truth: a stream item about that reaction is older than the change and is not applied
 * (the server streams the outcome once the change lands), so a toggle never flickers back.
 */
export function ownReactionPending(db: Db, nodeId: string, reaction: string): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM outbox WHERE object_id = ? AND type IN (?, ?) AND json_extract(payload, '$.data.reaction') = ?
         LIMIT 1`,
      )
      .get(nodeId, MutationType.reactionCreate, MutationType.reactionDelete, reaction) !== undefined
  );
}

/**
 * Reactions (emoji) on a node. Setting one is a local write like any edit: the row and its outbox mutation
 * commit in one transaction, then the sync engine sends it.
 */
export class ReactionsService {
  constructor(
    private readonly replica: Replica,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  list(nodeId: string): ReactionView[] {
    this.requireNode(nodeId);
    return this.replica.db
      .prepare(
        `SELECT reaction, count(*) AS count, max(collaborator_id = ?) AS mine FROM node_reactions
         WHERE node_id = ? GROUP BY reaction ORDER BY min(created_at), reaction`,
      )
      .all(this.replica.userId, nodeId)
      .map((row) => {
        const { reaction, count, mine } = row as { reaction: string; count: number; mine: number };
        return { reaction, count, mine: mine === 1 };
      });
  }

  /** Adds (`on`) or removes the user's `reaction`; setting what already holds writes nothing. */
  set(nodeId: string, reaction: string, on: boolean): ReactionView[] {
    const node = this.requireNode(nodeId);
    const { db, userId } = this.replica;
    const has =
      db
        .prepare('SELECT 1 FROM node_reactions WHERE node_id = ? AND collaborator_id = ? AND reaction = ?')
        .get(nodeId, userId, reaction) !== undefined;
    if (has === on) return this.list(nodeId);
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
    db.transaction(() => {
      if (on) this.insertOwn(node, reaction, now);
      else
        db.prepare(
          'DELETE FROM node_reactions WHERE node_id = ? AND collaborator_id = ? AND reaction = ?',
        ).run(nodeId, userId, reaction);
      enqueueMutation(db, node.notebookId, mutation);
    })();
    this.changed(node);
    return this.list(nodeId);
  }

  /**
   * A refused reaction change the user discarded: the local row goes back to what the server kept (an added
   * reaction disappears, a removed one returns). Runs inside the discard's transaction.
   */
  revert(mutation: Mutation): void {
    if (mutation.type !== MutationType.reactionCreate && mutation.type !== MutationType.reactionDelete)
      return;
    const node = this.replica.db
      .prepare('SELECT notebook_id AS notebookId, root_id AS rootId FROM nodes WHERE id = ?')
      .get(mutation.data.nodeId) as { notebookId: string; rootId: string } | undefined;
    if (!node) return;
    const { nodeId, reaction } = mutation.data;
    if (mutation.type === MutationType.reactionDelete)
      this.insertOwn({ id: nodeId, ...node }, reaction, mutation.createdAt);
    else
      this.replica.db
        .prepare('DELETE FROM node_reactions WHERE node_id = ? AND collaborator_id = ? AND reaction = ?')
        .run(nodeId, this.replica.userId, reaction);
  }

  private insertOwn(node: { id: string; rootId: string }, reaction: string, at: string): void {
    this.replica.db
      .prepare(
        `INSERT INTO node_reactions (node_id, collaborator_id, reaction, root_id, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      )
      .run(node.id, this.replica.userId, reaction, node.rootId, at);
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
    const node = this.replica.db
      .prepare('SELECT id, notebook_id AS notebookId, root_id AS rootId FROM nodes WHERE id = ?')
      .get(nodeId) as { id: string; notebookId: string; rootId: string } | undefined;
    if (!node) throw notFound('Node', nodeId);
    return node;
  }
}
