import {
  ROOT_STREAM_TYPES,
  StreamType,
  type CollaborationItem,
  type DocumentUpdateItem,
  type NodeInteractionItem,
  type NodeCommentsItem,
  type NodeReactionItem,
  type NodeTombstoneItem,
  type NodeUpdateItem,
  type StreamItem,
  type StreamItemData,
  type StreamSpec,
  type UserItem,
  streamKey,
  streamKeyPrefix,
} from '../../shared/api/sync-protocol';
import * as Y from 'yjs';
import { NotebookRole } from '../../shared/model/roles';
import { fromBase64 } from '../../shared/lib/base64';
import { forgetOutboxOf, unsyncedPages, type SalvageScope, type SalvageSink } from './access-loss';
import type { Db } from '../db/open';
import { dropPendingUpdate } from '../replica/confirmed-state.repository';
import { NodesRepository, notebookOfNode } from '../nodes/nodes.repository';
import { NotebooksRepository } from '../notebooks/notebooks.repository';
import { writeReaction } from '../reactions/reactions.repository';
import type { StreamTarget } from './synced-account';
import {
  canReadRoot,
  cursorValue,
  deleteCollaboration,
  deleteCursors,
  memberName,
  readableRoots,
  saveCursor,
  setNotebookRole,
  upsertCollaboration,
  upsertStreamedInteraction,
  upsertStreamedReaction,
  upsertUser,
} from './sync.repository';

/** Not a stream: the `cursors` row (epoch ms) behind `lastSyncedAt`. */
const LAST_SYNCED_KEY = 'sync.lastConfirmedAt';

export function rootStreams(notebookId: string, rootId: string): StreamSpec[] {
  return ROOT_STREAM_TYPES.map((type) => ({ type, notebookId, rootId }));
}

/** What one applied batch changed, for events and for the socket to (un)subscribe root streams. */
export interface AppliedBatch {
  cursor: string;
  /** Every item was at or before the saved cursor (a duplicated or late output): nothing applied. */
  stale: boolean;
  changedNodes: Map<string, Set<string>>;
  documentUpdates: { documentId: string; update: Uint8Array }[];
  rootsGained: { notebookId: string; rootId: string }[];
  rootsLost: LostRoot[];
  /** Deletions made elsewhere that took pages this device had unconfirmed changes in (copied first). */
  deletedWithChanges: Salvaged[];
  /** Pages whose comments changed on the server (fetched again after the commit). */
  commentsChanged: Set<string>;
}

/** Where a lost or deleted place's pages with unconfirmed changes were copied (if any). */
export interface Salvaged {
  origin: string;
  salvaged: number;
  savedTo: string | null;
}

/** A section this account can no longer read. */
export interface LostRoot extends Salvaged {
  notebookId: string;
  rootId: string;
}

type AnyItem = StreamItem<StreamItemData[StreamType]>;

/**
 * Applies socket stream items to an account's replica: one transaction per batch, the stream's cursor saved
 * in it, so a crash either applies a batch and its cursor or neither. Node and document rows go through
 * the same services the local edits use. Only tombstones and lost access ever delete.
 */
export class StreamApplier {
  private readonly db: Db;

  constructor(
    private readonly context: StreamTarget,
    /** Where pages with unconfirmed changes go when their section is lost; `server` names the origin. */
    private readonly salvageTo: { sink: SalvageSink; server: string },
  ) {
    this.db = context.replica.db;
  }

  cursor(spec: StreamSpec): string {
    const value = cursorValue(this.db, streamKey(spec));
    return value === undefined ? '0' : value.toString();
  }

  /** When everything local was last confirmed while connected (kept across restarts for the sync indicator). */
  lastSyncedAt(): string | null {
    const ms = cursorValue(this.db, LAST_SYNCED_KEY);
    return ms === undefined ? null : new Date(Number(ms)).toISOString();
  }

  recordSynced(at: Date): void {
    saveCursor(this.db, LAST_SYNCED_KEY, BigInt(at.getTime()), at.toISOString());
  }

  /** Roots this account can read, as the last `collaborations` items said. */
  readableRoots(notebookId: string): string[] {
    return readableRoots(this.db, notebookId);
  }

  /** A notebook member's display name (their username if the name is empty), or null. */
  userName(userId: string): string | null {
    return memberName(this.db, userId);
  }

  /** The notebook of a (non-deleted) node in this replica, or null. */
  notebookOf(nodeId: string): string | null {
    return notebookOfNode(this.db, nodeId);
  }

  /**
   * Applies the items after the stream's saved cursor (an output delivered twice, or late, carries items we
   * already have: those are skipped, so the cursor never moves back). `stale`: nothing was new.
   */
  apply(spec: StreamSpec, all: readonly AnyItem[], now: string): AppliedBatch {
    const saved = this.cursor(spec);
    const items = all.filter((item) => BigInt(item.cursor) > BigInt(saved));
    const last = items.at(-1);
    const batch: AppliedBatch = {
      cursor: last ? last.cursor : saved,
      stale: !last,
      changedNodes: new Map(),
      documentUpdates: [],
      rootsGained: [],
      rootsLost: [],
      deletedWithChanges: [],
      commentsChanged: new Set(),
    };
    if (!last) return batch;
    this.db.transaction(() => {
      if (spec.type === StreamType.documentUpdates)
        this.applyDocumentUpdates(
          items.map((item) => item.data as DocumentUpdateItem),
          batch,
        );
      else for (const item of items) this.applyItem(spec.type, item.data, batch);
      saveCursor(this.db, streamKey(spec), BigInt(last.cursor), now);
    })();
    return batch;
  }

  /**
   * A batch's document updates, merged per document first: one read-merge-write of each document's state
   * per batch instead of one per keystroke (a catch-up batch is mostly keystrokes of a few pages). Our own
   * pending copies are dropped by every update id; Yjs merges are order-independent and idempotent.
   */
  private applyDocumentUpdates(items: readonly DocumentUpdateItem[], batch: AppliedBatch): void {
    const byDocument = new Map<string, DocumentUpdateItem[]>();
    for (const item of items) {
      const group = byDocument.get(item.documentId);
      if (group) group.push(item);
      else byDocument.set(item.documentId, [item]);
    }
    for (const [documentId, group] of byDocument) {
      const updates = group.map((item) => fromBase64(item.data));
      const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
      const lastItem = group.at(-1)!;
      for (const item of group.slice(0, -1)) dropPendingUpdate(this.db, 'document', item.id);
      this.context.documents.applyRemoteUpdate(
        documentId,
        lastItem.notebookId,
        lastItem.id,
        update,
        lastItem.createdAt,
      );
      batch.documentUpdates.push({ documentId, update });
    }
  }

  private applyItem(type: StreamType, data: StreamItemData[StreamType], batch: AppliedBatch): void {
    switch (type) {
      case StreamType.nodeUpdates: {
        const item = data as NodeUpdateItem;
        const nodeId = this.context.nodes.applyRemoteUpdate({
          updateId: item.id,
          nodeId: item.nodeId,
          notebookId: item.notebookId,
          rootId: item.rootId,
          data: fromBase64(item.data),
          createdAt: item.createdAt,
          createdBy: item.createdBy,
        });
        if (nodeId) changed(batch, item.notebookId, [nodeId]);
        return;
      }
      case StreamType.documentUpdates:
        return this.applyDocumentUpdates([data as DocumentUpdateItem], batch);
      case StreamType.nodeTombstones: {
        const item = data as NodeTombstoneItem;
        // Deleted elsewhere while this device still had unconfirmed changes in it: keep a copy of those pages
        // (only of what is deleted: a page re-homed out of a deleted parent stays where it is).
        const salvaged: Salvaged[] = [];
        const deleted = this.context.nodes.applyRemoteDeletion(item.id, item.deletedAt, item, (ids) => {
          salvaged.push(this.salvage(item.notebookId, item.id, { nodeIds: ids }));
        });
        forgetOutboxOf(this.db, deleted);
        changed(batch, item.notebookId, deleted);
        batch.deletedWithChanges.push(...salvaged.filter((copy) => copy.savedTo !== null));
        return;
      }
      case StreamType.collaborations:
        return this.applyCollaboration(data as CollaborationItem, batch);
      case StreamType.users: {
        const item = data as UserItem;
        upsertUser(this.db, item);
        // The user's own notebook role, live (it decides what the app offers): the users stream says it first.
        if (
          item.id === this.context.replica.userId &&
          (NotebookRole as readonly string[]).includes(item.role)
        )
          setNotebookRole(this.db, item.notebookId, item.role);
        return;
      }
      case StreamType.nodeReactions: {
        const item = data as NodeReactionItem;
        changed(batch, item.notebookId, [item.nodeId]);
        if (item.collaboratorId === this.context.replica.userId)
          this.context.reactions.echoed(item.nodeId, item.reaction);
        if (item.deletedAt !== null) {
          writeReaction(
            this.db,
            item.collaboratorId,
            { id: item.nodeId, rootId: item.rootId },
            item.reaction,
            false,
            item.deletedAt,
          );
          return;
        }
        upsertStreamedReaction(this.db, item);
        return;
      }
      case StreamType.nodeComments:
        batch.commentsChanged.add((data as NodeCommentsItem).nodeId);
        return;
      case StreamType.nodeInteractions: {
        const item = data as NodeInteractionItem;
        upsertStreamedInteraction(this.db, item);
        return;
      }
    }
  }

  /**
   * Copies the pages in `scope` with unconfirmed changes out (the sink commits in its own database, before
   * this batch: a crash in between copies them twice at worst). `nodeId` names where they were.
   */
  private salvage(notebookId: string, nodeId: string, scope: SalvageScope): Salvaged {
    const origin = [
      new NotebooksRepository(this.db).get(notebookId)?.name ?? '',
      new NodesRepository(this.db).get(nodeId)?.name ?? '',
    ]
      .filter((part) => part !== '')
      .join(' › ');
    const pages = unsyncedPages(this.db, scope);
    const savedTo =
      pages.length > 0 ? this.salvageTo.sink({ origin, server: this.salvageTo.server, pages }) : null;
    return { origin, salvaged: savedTo ? pages.length : 0, savedTo };
  }

  /** A root became readable (subscribe to it) or was lost (purge it locally: the server said so explicitly). */
  private applyCollaboration(item: CollaborationItem, batch: AppliedBatch): void {
    const root = { notebookId: item.notebookId, rootId: item.nodeId };
    const had = canReadRoot(this.db, item.notebookId, item.nodeId);
    if (item.role === null) {
      const salvaged = had
        ? this.salvage(item.notebookId, item.nodeId, { notebookId: item.notebookId, rootId: item.nodeId })
        : null;
      deleteCollaboration(this.db, item.notebookId, item.nodeId);
      deleteCursors(this.db, streamKeyPrefix(item.notebookId, item.nodeId));
      const dropped = this.context.nodes.dropRoot(item.nodeId);
      forgetOutboxOf(this.db, dropped);
      changed(batch, item.notebookId, dropped);
      if (salvaged) batch.rootsLost.push({ notebookId: item.notebookId, rootId: item.nodeId, ...salvaged });
      return;
    }
    upsertCollaboration(this.db, { ...item, role: item.role });
    if (!had) batch.rootsGained.push(root);
  }
}

function changed(batch: AppliedBatch, notebookId: string, nodeIds: readonly string[]): void {
  if (nodeIds.length === 0) return;
  const set = batch.changedNodes.get(notebookId) ?? new Set<string>();
  for (const id of nodeIds) set.add(id);
  batch.changedNodes.set(notebookId, set);
}
