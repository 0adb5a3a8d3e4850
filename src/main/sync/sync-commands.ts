import type { OutboxEntryView } from '../../shared/contract';
import { badRequest, notFound } from '../../shared/lib/result';
import { isoNow, type Clock } from '../lib/clock';
import type { EventBus } from '../lib/events';
import {
  getOutboxRow,
  listOutbox,
  markPending,
  refusedRows,
  type OutboxRow,
} from '../outbox/outbox.repository';
import { discardRefused, retryRefused, type RefusedScope } from '../outbox/refused-changes';
import { isReactionMutation } from '../reactions/reactions.service';
import type { SyncedAccount } from './synced-account';

export interface SyncCommandsDeps {
  context: Pick<SyncedAccount, 'replica' | 'nodes' | 'documents'>;
  events: EventBus;
  clock: Clock;
  /** Publishes the account's status after a change to the outbox. */
  publish(): void;
  /** Asks the outbox pump to send. */
  requestFlush(): void;
}

/** The Sync panel's commands on one account's outbox: list it, retry or discard refused changes. */
export class SyncCommands {
  private readonly accountId: string;

  constructor(private readonly deps: SyncCommandsDeps) {
    this.accountId = deps.context.replica.accountId;
  }

  outbox(): OutboxEntryView[] {
    return listOutbox(this.deps.context.replica.db, Number.MAX_SAFE_INTEGER).map((row) => ({
      id: row.id,
      notebookId: row.notebookId,
      type: row.type,
      objectId: row.objectId,
      createdAt: row.createdAt,
      attempts: row.attempts,
      lastError: row.lastError,
      status: row.status,
      payload: JSON.stringify(row.mutation),
    }));
  }

  retry(mutationId: string): void {
    this.requireMutation(mutationId);
    if (!markPending(this.deps.context.replica.db, mutationId))
      throw badRequest('Only a rejected change can be retried', [
        { path: 'mutationId', message: 'is not rejected' },
      ]);
    this.deps.publish();
    this.deps.requestFlush();
  }

  /** Sends every refused change (of a notebook or of one page, if given) again; answers how many. */
  retryRefused(scope: RefusedScope): number {
    const count = retryRefused(this.deps.context.replica.db, scope);
    this.deps.publish();
    if (count > 0) this.deps.requestFlush();
    return count;
  }

  /**
   * The only path that reverts local content: the user chose to drop a rejected change. Pending changes
   * cannot be discarded: one may be in flight, and the server would then send it back anyway.
   */
  discard(mutationId: string): void {
    this.discardRows([this.requireMutation(mutationId)]);
  }

  /** Discards every refused change (of a notebook or of one page, if given) at once; answers how many. */
  discardRefused(scope: RefusedScope): number {
    return this.discardRows(refusedRows(this.deps.context.replica.db, scope));
  }

  private discardRows(rows: readonly OutboxRow[]): number {
    const { context, events } = this.deps;
    const discarded = discardRefused(context.replica.db, rows, {
      node: (nodeId) => context.nodes.reloadFromStoredUpdates(nodeId),
      document: (documentId) =>
        context.documents.reloadFromStoredUpdates(documentId, isoNow(this.deps.clock)),
    });
    const changed = new Map<string, Set<string>>();
    for (const row of discarded.rows) {
      if (!discarded.nodes.has(row.objectId) && !isReactionMutation(row.type)) continue;
      const ids = changed.get(row.notebookId) ?? new Set<string>();
      changed.set(row.notebookId, ids.add(row.objectId));
    }
    for (const [notebookId, ids] of changed)
      events.emit('node.changed', { accountId: this.accountId, notebookId, nodeIds: [...ids] });
    // Open editors still hold the discarded text in their Y.Doc: they open the document again.
    for (const documentId of discarded.documents)
      events.emit('document.reset', { accountId: this.accountId, documentId });
    this.deps.publish();
    return discarded.rows.length;
  }

  private requireMutation(mutationId: string) {
    const row = getOutboxRow(this.deps.context.replica.db, mutationId);
    if (!row) throw notFound('Change', mutationId);
    return row;
  }
}
