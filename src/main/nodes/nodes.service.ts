import * as Y from 'yjs';
import type { NodeContentsView, NodeView } from '../../shared/contract';
import {
  readNodeAttributes,
  writeNodeAttributes,
  nodeDocFromUpdates,
  createNodeState,
} from '../../shared/crdt/node-doc';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { toBase64 } from '../../shared/lib/base64';
import { AppError, ErrorCode, badRequest, notFound } from '../../shared/lib/result';
import {
  ALLOWED_PARENTS,
  NodeAttributes,
  StoredNodeAttributes,
  hasDocument,
  isKnownNodeType,
  type NodeType,
  type StoredNodeType,
} from '../../shared/model/nodes';
import { MutationType, type Mutation } from '../../shared/model/mutations';
import { effectiveNodeRole } from '../../shared/model/permissions';
import type { NodeRole } from '../../shared/model/roles';
import { indexForPosition, keyBetween, type Position } from '../../shared/model/ordering';
import { isoNow, type Clock } from '../lib/clock';
import type { EventBus } from '../lib/events';
import { DocumentsRepository } from '../documents/documents.repository';
import { deleteOutboxRow, enqueueMutation, replaceMutation } from '../outbox/outbox.repository';
import { dropPendingUpdate, mergeIntoState } from '../replica/confirmed-state.repository';
import type { Replica } from '../replica/replica';
import { NotebooksRepository } from '../notebooks/notebooks.repository';
import { NodesRepository, type NodeRow, type NodeViewRow } from './nodes.repository';
import { parseSafely } from '../../shared/lib/parse-safely';

export interface CreateNodeInput {
  notebookId: string;
  type: NodeType;
  parentId: string | null;
  name: string;
  icon?: string | null | undefined;
  position?: Position | undefined;
  /** Type-specific attributes set at creation (a database's fields and views, a record's values). */
  attributes?: Record<string, unknown> | undefined;
}

/** A node update that arrived from the server (its `node.updates` stream). */
export interface RemoteNodeUpdate {
  updateId: string;
  nodeId: string;
  notebookId: string;
  rootId: string;
  data: Uint8Array;
  createdAt: string;
  createdBy: string;
}

export interface NodesServiceOptions {
  /**
   * A server account (see docs/sync-protocol.md). The server moves nodes only within their root (the root
   * is derived server-side and streams are per root), so cross-section moves are refused instead of
   * re-rooted as on the Local account; and a section lists its creator as `admin`, which the server requires
   * of members below notebook admin so that every section has someone who can manage it.
   */
  synced: boolean;
}

/** The materialised row of a node from its attributes; `fixed` holds what attributes do not carry. */
function rowFromAttributes(
  fixed: Pick<
    NodeRow,
    'id' | 'notebookId' | 'rootId' | 'createdAt' | 'createdBy' | 'serverRevision' | 'localRevision'
  >,
  attributes: StoredNodeAttributes,
  updatedAt: string,
  updatedBy: string | null,
): NodeRow {
  return {
    ...fixed,
    type: attributes.type,
    parentId: attributes.parentId,
    index: attributes.index,
    name: attributes.name,
    icon: attributes.icon ?? null,
    trashedAt: attributes.trashedAt ?? null,
    attributes: JSON.stringify(attributes),
    updatedAt,
    updatedBy,
  };
}

/**
 * Attributes from the server or the stored rows: the model's when they are valid, else what can be read of
 * them (an unknown type, a newer form of a field), so the node is kept and shown rather than dropped with
 * everything under it. Null when not even that can be read (not a node yet).
 */
function readStored(raw: Record<string, unknown>): StoredNodeAttributes | null {
  const strict = parseSafely(NodeAttributes, raw);
  if (strict.success) return strict.data;
  const loose = parseSafely(StoredNodeAttributes, raw);
  return loose.success ? loose.data : null;
}

/** A page's alias from its stored attributes. */
function aliasOf(row: NodeRow): string | null {
  try {
    const alias = (JSON.parse(row.attributes) as { alias?: unknown }).alias;
    return typeof alias === 'string' ? alias : null;
  } catch {
    return null;
  }
}

export const toNodeView = (row: NodeViewRow, pendingIds: ReadonlySet<string>): NodeView => ({
  id: row.id,
  notebookId: row.notebookId,
  type: row.type,
  parentId: row.parentId,
  rootId: row.rootId,
  index: row.index,
  name: row.name,
  icon: row.icon,
  trashedAt: row.trashedAt,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  pending: pendingIds.has(row.id),
});

/**
 * The node tree's use cases. Each write is one transaction: materialised row + pending Yjs update + outbox
 * mutation, then an event. Node attributes (name, parent, order, icon, trash) are a Yjs map per node, so
 * edits from several devices merge key by key.
 */
export class NodesService {
  private readonly nodes: NodesRepository;
  private readonly notebooks: NotebooksRepository;
  private readonly documents: DocumentsRepository;

  constructor(
    private readonly replica: Replica,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly options: NodesServiceOptions = { synced: false },
  ) {
    this.nodes = new NodesRepository(replica.db);
    this.notebooks = new NotebooksRepository(replica.db);
    this.documents = new DocumentsRepository(replica.db);
  }

  tree(notebookId: string): NodeView[] {
    this.requireNotebook(notebookId);
    const rows = this.nodes.listNotebookViews(notebookId);
    const trashed = new Set(rows.filter((r) => r.trashedAt !== null).map((r) => r.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const hidden = (row: NodeViewRow): boolean => {
      for (
        let p: NodeViewRow | undefined = row;
        p;
        p = p.parentId === null ? undefined : byId.get(p.parentId)
      ) {
        if (trashed.has(p.id)) return true;
      }
      return false;
    };
    const pending = this.pendingNodeIds();
    // Most trees have nothing in the trash: then no row needs its ancestors walked.
    const shown = trashed.size === 0 ? rows : rows.filter((r) => !hidden(r));
    return shown.map((r) => toNodeView(r, pending));
  }

  trashList(notebookId: string): NodeView[] {
    this.requireNotebook(notebookId);
    const pending = this.pendingNodeIds();
    return this.nodes.listTrashRoots(notebookId).map((r) => toNodeView(r, pending));
  }

  get(nodeId: string): NodeView {
    const row = this.requireNode(nodeId);
    return {
      ...toNodeView(row, this.nodes.hasPendingUpdates(nodeId) ? new Set([nodeId]) : new Set()),
      alias: aliasOf(row),
    };
  }

  /** The page with this alias (see NodesRepository.pageByAlias), or null. */
  byAlias(notebookId: string | null, alias: string): NodeView | null {
    const row = this.nodes.pageByAlias(notebookId, alias);
    return row ? this.get(row.id) : null;
  }

  /** What is inside a node, by type: said before it goes to the trash with it. */
  contents(nodeId: string): NodeContentsView {
    this.requireNode(nodeId);
    return { counts: this.nodes.descendantCounts(nodeId) };
  }

  create(input: CreateNodeInput): NodeView {
    const notebook = this.requireNotebook(input.notebookId);
    const parent = input.parentId === null ? null : this.requireNode(input.parentId);
    if (parent && parent.notebookId !== notebook.id)
      throw badRequest('Parent is in another notebook', [
        { path: 'parentId', message: 'not in this notebook' },
      ]);
    if (parent?.trashedAt)
      throw badRequest('Cannot create inside a trashed node', [
        { path: 'parentId', message: 'is in the trash' },
      ]);
    this.assertParentAllowed(input.type, parent);
    const id = newId(IdPrefix.node);
    const now = isoNow(this.clock);
    const index = this.indexAmong(notebook.id, input.parentId, input.position ?? {}, id);
    const attributes = this.validate({
      ...input.attributes,
      type: input.type,
      parentId: input.parentId,
      index,
      name: input.name,
      ...(input.icon ? { icon: input.icon } : {}),
      ...(input.type === 'section' && this.options.synced
        ? { collaborators: { [this.replica.userId]: 'admin' } }
        : {}),
    });
    const { update } = createNodeState(attributes);
    const row = rowFromAttributes(
      {
        id,
        notebookId: notebook.id,
        rootId: parent ? parent.rootId : id,
        createdAt: now,
        createdBy: this.replica.userId,
        serverRevision: 0,
        localRevision: 1,
      },
      attributes,
      now,
      this.replica.userId,
    );
    this.replica.db.transaction(() => {
      this.nodes.insert(row);
      this.recordUpdate(row, MutationType.nodeCreate, update, now);
      if (hasDocument(input.type)) this.documents.insertEmpty(id, notebook.id, now);
    })();
    this.changed(notebook.id, [id]);
    return this.get(id);
  }

  /**
   * A type-specific edit (a database's schema, a record's values): `change` gets the node's current
   * attributes and answers the next ones, validated, saved and sent like every node edit.
   */
  editAttributes(nodeId: string, change: (attributes: NodeAttributes) => NodeAttributes): NodeView {
    return this.edit(nodeId, (attributes) => change(this.validate(attributes)));
  }

  /** The user's effective role on a node (their notebook role, raised by explicit grants up its tree). */
  roleOn(nodeId: string): NodeRole | null {
    const node = this.requireNode(nodeId);
    const notebook = this.requireNotebook(node.notebookId);
    const ancestry = [node, ...this.nodes.ancestors(nodeId)].map((row) => {
      try {
        return {
          collaborators: (JSON.parse(row.attributes) as { collaborators?: Record<string, NodeRole> })
            .collaborators,
        };
      } catch {
        return {};
      }
    });
    return effectiveNodeRole(notebook.role, this.replica.userId, ancestry);
  }

  update(
    nodeId: string,
    patch: { name?: string | undefined; icon?: string | null | undefined; alias?: string | null | undefined },
  ): NodeView {
    if (patch.alias !== undefined) this.assertAliasFree(this.requireNode(nodeId), patch.alias);
    return this.edit(nodeId, (attributes) => ({
      ...attributes,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.icon !== undefined ? { icon: patch.icon } : {}),
      ...(patch.alias !== undefined ? { alias: patch.alias } : {}),
    }));
  }

  /** As the server: only pages have an alias, unique within the notebook (the server refuses the same). */
  private assertAliasFree(row: NodeRow, alias: string | null): void {
    if (alias === null) return;
    if (row.type !== 'page')
      throw badRequest('Only pages have an alias.', [{ path: 'alias', message: 'pages only' }]);
    const owner = this.nodes.pageByAlias(row.notebookId, alias);
    if (owner && owner.id !== row.id)
      throw new AppError(ErrorCode.conflict, `Alias '${alias}' is already used in this notebook.`, [
        { path: 'alias', message: `used by “${owner.name}”` },
      ]);
  }

  move(nodeId: string, parentId: string | null, position: Position): NodeView {
    const node = this.requireNode(nodeId);
    const parent = parentId === null ? null : this.requireNode(parentId);
    if (parent) {
      if (parent.notebookId !== node.notebookId)
        throw badRequest('Cannot move to another notebook', [
          { path: 'parentId', message: 'not in this notebook' },
        ]);
      if (parent.id === node.id || this.nodes.ancestors(parent.id).some((a) => a.id === node.id)) {
        throw badRequest('Cannot move a node inside itself', [
          { path: 'parentId', message: 'is the node or one of its descendants' },
        ]);
      }
    }
    this.assertParentAllowed(node.type, parent);
    const index = this.indexAmong(node.notebookId, parentId, position, node.id);
    const newRoot = parent ? parent.rootId : node.id;
    if (newRoot !== node.rootId && this.options.synced) {
      throw badRequest('This server keeps pages within their section: move it inside the same section', [
        { path: 'parentId', message: 'is in another section' },
      ]);
    }
    const reroot = (): void => {
      if (newRoot !== node.rootId) this.nodes.setRoot(this.nodes.subtreeIds(node.id), newRoot);
    };
    return this.edit(nodeId, (attributes) => ({ ...attributes, parentId, index }), reroot);
  }

  trash(nodeId: string): NodeView {
    return this.edit(nodeId, (attributes) => ({ ...attributes, trashedAt: isoNow(this.clock) }));
  }

  /** Restores from the trash; if its container is gone or still trashed, it lands at the end of its section. */
  restore(nodeId: string): NodeView {
    const node = this.requireNode(nodeId);
    if (node.trashedAt === null) return this.get(nodeId);
    const containerGone =
      node.parentId !== null && this.nodes.ancestors(node.id).some((a) => a.trashedAt !== null);
    const parentMissing = node.parentId !== null && this.nodes.get(node.parentId) === undefined;
    if (!(containerGone || parentMissing)) {
      return this.edit(nodeId, (attributes) => ({ ...attributes, trashedAt: null }));
    }
    const root = this.nodes.get(node.rootId);
    if (!root || root.id === node.id || root.trashedAt !== null) {
      throw new AppError(ErrorCode.conflict, 'Restore the section that contained this page first', [
        { path: 'nodeId', message: 'its section is in the trash or deleted' },
      ]);
    }
    const index = this.indexAmong(node.notebookId, root.id, {}, node.id);
    return this.edit(nodeId, (attributes) => ({ ...attributes, trashedAt: null, parentId: root.id, index }));
  }

  /** Deletes for good: the node and its subtree locally, one `node.delete` (the server cascades). */
  purge(nodeId: string): void {
    const node = this.requireNode(nodeId);
    const now = isoNow(this.clock);
    let ids: string[] = [];
    this.replica.db.transaction(() => {
      ids = this.deleteLocally(node, now);
      enqueueMutation(this.replica.db, node.notebookId, {
        id: newId(IdPrefix.mutation),
        createdAt: now,
        type: MutationType.nodeDelete,
        data: { nodeId: node.id, rootId: node.rootId, deletedAt: now },
      });
    })();
    this.changed(node.notebookId, ids);
  }

  /**
   * Applies a server update inside the caller's transaction: merges it into the confirmed state, retires the
   * pending copy if it was ours, and re-materialises the row from confirmed + still-pending updates. Answers
   * the node's id when its row changed, or null when its attributes are not (yet) a valid node.
   */
  applyRemoteUpdate(update: RemoteNodeUpdate): string | null {
    // Deleted for good: a late or repeated output (its stream's cursor may be gone with the section) must not
    // bring the node back, outside every tree and with no tombstone left to come.
    if (this.nodes.isTombstoned(update.nodeId)) return null;
    dropPendingUpdate(this.replica.db, 'node', update.updateId);
    const state = this.nodes.state(update.nodeId);
    const doc = nodeDocFromUpdates([
      ...(state ? [state] : []),
      update.data,
      ...this.nodes.pendingUpdates(update.nodeId),
    ]);
    const attributes = readStored(readNodeAttributes(doc));
    if (attributes === null) return null;
    const existing = this.nodes.get(update.nodeId);
    const row = rowFromAttributes(
      existing ?? {
        id: update.nodeId,
        notebookId: update.notebookId,
        rootId: update.rootId,
        createdAt: update.createdAt,
        createdBy: update.createdBy,
        serverRevision: 0,
        localRevision: 0,
      },
      attributes,
      update.createdAt,
      update.createdBy,
    );
    if (existing) this.nodes.update({ ...row, rootId: update.rootId });
    else {
      this.nodes.insert(row);
      if (hasDocument(row.type) && !this.documents.get(row.id))
        this.documents.insertEmpty(row.id, row.notebookId, update.createdAt);
    }
    mergeIntoState(this.replica.db, 'node', update.nodeId, [update.data]);
    return update.nodeId;
  }

  /**
   * Re-materialises a node from its stored Yjs rows after a pending update was discarded (inside the caller's
   * transaction). A node the server never confirmed and with nothing left pending is removed.
   */
  reloadFromStoredUpdates(nodeId: string): void {
    const row = this.nodes.get(nodeId);
    if (!row) return;
    const state = this.nodes.state(nodeId);
    const blobs = [...(state ? [state] : []), ...this.nodes.pendingUpdates(nodeId)];
    const attributes = readStored(readNodeAttributes(nodeDocFromUpdates(blobs)));
    if (attributes === null) {
      this.documents.delete([nodeId]);
      this.nodes.delete([nodeId]);
      return;
    }
    this.nodes.update(rowFromAttributes(row, attributes, row.updatedAt, row.updatedBy));
  }

  /**
   * A server tombstone, inside the caller's transaction; answers the ids deleted. The server sends one per
   * node it deleted, children before parents, so this deletes only what it names, and a section everything of
   * its root. A child still here when its parent's tombstone comes was not deleted on the server: moved out
   * there (its update follows) or placed under it here (a create or move not confirmed, which the server
   * refuses, 409). The latter is placed again at its section's top level, so neither its content nor the
   * edit is lost (docs/sync-protocol.md §8).
   */
  applyRemoteDeletion(
    nodeId: string,
    deletedAt: string,
    where: { notebookId: string; rootId: string } | null = null,
    /** Sees the ids about to be deleted, before anything is (to copy out what must not be lost). */
    beforeDelete: (ids: readonly string[]) => void = () => undefined,
  ): string[] {
    const node = this.nodes.get(nodeId);
    if (!node) {
      // Never had it, or already gone: remember it all the same, so nothing late brings it back.
      if (where && !this.nodes.isTombstoned(nodeId))
        this.nodes.insertTombstone(nodeId, where.notebookId, where.rootId, {}, deletedAt);
      return [];
    }
    if (node.parentId === null) {
      const ids = this.idsDeletedWith(node);
      beforeDelete(ids);
      return this.deleteIds(node, ids, deletedAt);
    }
    const survivors = this.nodes.childIds(node.id);
    beforeDelete([node.id]);
    const ids = this.deleteIds(node, [node.id], deletedAt);
    const root = this.nodes.get(node.rootId);
    for (const childId of survivors)
      if (root && this.nodes.hasPendingUpdates(childId)) this.rehome(childId, root.id, deletedAt);
    return ids;
  }

  /** Access to a root was lost: everything under it goes (inside the caller's transaction). */
  dropRoot(rootId: string): string[] {
    const ids = this.nodes.idsInRoot(rootId);
    this.documents.delete(ids);
    this.nodes.delete(ids);
    return ids;
  }

  /** The node and its subtree; a section also every node of its root, whatever their parent links say. */
  private deleteLocally(node: NodeRow, deletedAt: string): string[] {
    return this.deleteIds(node, this.idsDeletedWith(node), deletedAt);
  }

  private idsDeletedWith(node: NodeRow): string[] {
    const ids = this.nodes.subtreeIds(node.id);
    if (node.parentId === null) {
      const linked = new Set(ids);
      ids.push(...this.nodes.idsInRoot(node.id).filter((id) => !linked.has(id)));
    }
    return ids;
  }

  /** Deletes `ids` (parents first) and keeps a tombstone of each: ids are never reused, nothing revives them. */
  private deleteIds(node: NodeRow, ids: string[], deletedAt: string): string[] {
    this.documents.delete(ids);
    this.nodes.delete([...ids].reverse());
    for (const id of ids) {
      const data = id === node.id ? { type: node.type, name: node.name } : { within: node.id };
      this.nodes.insertTombstone(id, node.notebookId, node.rootId, data, deletedAt);
    }
    return ids;
  }

  /**
   * Places a node whose parent was deleted elsewhere at the end of its section's top level, as one pending
   * change that replaces the ones not yet confirmed (they put it under the deleted parent; the server refuses
   * those): their Yjs rows become one, sent in the place of the first, as a create when the server never had
   * the node. Its document edits that were refused because the node was unknown are sent again after it.
   */
  private rehome(nodeId: string, rootId: string, now: string): void {
    const row = this.nodes.get(nodeId);
    if (!row) return;
    const db = this.replica.db;
    const state = this.nodes.state(nodeId);
    const doc = this.loadDoc(row);
    const index = keyBetween(this.nodes.lastSiblingIndex(row.notebookId, rootId, nodeId), null);
    const next = this.validate({ ...this.validate(readNodeAttributes(doc)), parentId: rootId, index });
    writeNodeAttributes(doc, next);
    const update = state
      ? Y.encodeStateAsUpdate(doc, Y.encodeStateVectorFromUpdate(state))
      : Y.encodeStateAsUpdate(doc);
    this.nodes.deletePendingUpdates(nodeId);
    const updateId = newId(IdPrefix.update);
    this.nodes.insertUpdate(updateId, nodeId, update, now);
    const mutation = {
      id: newId(IdPrefix.mutation),
      createdAt: now,
      type: state ? MutationType.nodeUpdate : MutationType.nodeCreate,
      data: { nodeId, updateId, createdAt: now, data: toBase64(update) },
    } as const;
    const waiting = this.nodes.waitingMutations(nodeId);
    const [first, ...others] = waiting.filter(
      (r) => r.type === MutationType.nodeCreate || r.type === MutationType.nodeUpdate,
    );
    if (first) replaceMutation(db, first.id, mutation);
    else enqueueMutation(db, row.notebookId, mutation);
    for (const other of others) deleteOutboxRow(db, other.id);
    // Its document edits would be (or were) refused while the server did not know the node: they go again
    // after the create, under new ids, so an answer still on its way for the old ones rejects nothing.
    if (!state)
      for (const r of waiting)
        if (r.type === MutationType.documentUpdate)
          replaceMutation(db, r.id, { ...(JSON.parse(r.payload) as Mutation), id: newId(IdPrefix.mutation) });
    this.nodes.update({
      ...rowFromAttributes(row, next, now, this.replica.userId),
      localRevision: row.localRevision + 1,
    });
  }

  /** Applies `change` to the node's attributes; `alsoInTransaction` commits with it (e.g. re-rooting a subtree). */
  private edit(
    nodeId: string,
    change: (attributes: StoredNodeAttributes) => Record<string, unknown>,
    alsoInTransaction?: () => void,
  ): NodeView {
    const row = this.requireNode(nodeId);
    const doc = this.loadDoc(row);
    // A node of a type this app does not know keeps every attribute it has: only the common ones change.
    const check = isKnownNodeType(row.type) ? this.validate.bind(this) : this.validateStored.bind(this);
    const current = check(readNodeAttributes(doc));
    const next = check(change(current));
    const update = writeNodeAttributes(doc, next);
    if (update === null) return this.get(nodeId);
    const now = isoNow(this.clock);
    const updated: NodeRow = {
      ...rowFromAttributes(row, next, now, this.replica.userId),
      localRevision: row.localRevision + 1,
    };
    this.replica.db.transaction(() => {
      this.nodes.update(updated);
      this.recordUpdate(updated, MutationType.nodeUpdate, update, now);
      alsoInTransaction?.();
    })();
    this.changed(row.notebookId, [nodeId]);
    return this.get(nodeId);
  }

  private recordUpdate(
    row: NodeRow,
    type: typeof MutationType.nodeCreate | typeof MutationType.nodeUpdate,
    update: Uint8Array,
    now: string,
  ): void {
    const updateId = newId(IdPrefix.update);
    this.nodes.insertUpdate(updateId, row.id, update, now);
    enqueueMutation(this.replica.db, row.notebookId, {
      id: newId(IdPrefix.mutation),
      createdAt: now,
      type,
      data: { nodeId: row.id, updateId, createdAt: now, data: toBase64(update) },
    });
  }

  private loadDoc(row: NodeRow): Y.Doc {
    const state = this.nodes.state(row.id);
    return nodeDocFromUpdates([...(state ? [state] : []), ...this.nodes.pendingUpdates(row.id)]);
  }

  private validateStored(attributes: unknown): StoredNodeAttributes {
    const parsed = parseSafely(StoredNodeAttributes, attributes);
    if (!parsed.success) throw badRequest('This item cannot be changed here', []);
    return parsed.data;
  }

  private validate(attributes: unknown): NodeAttributes {
    const parsed = parseSafely(NodeAttributes, attributes);
    if (!parsed.success) {
      throw badRequest(
        'Invalid node attributes',
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    return parsed.data;
  }

  private indexAmong(
    notebookId: string,
    parentId: string | null,
    position: Position,
    movingId: string,
  ): string {
    // Appending (the common case) needs only the largest sibling index, not every sibling.
    if (position.beforeId === undefined && position.afterId === undefined) {
      return keyBetween(this.nodes.lastSiblingIndex(notebookId, parentId, movingId), null);
    }
    try {
      return indexForPosition(this.nodes.siblingOrder(notebookId, parentId), position, movingId);
    } catch (error) {
      if (error instanceof RangeError) {
        throw badRequest('Position refers to a node that is not a sibling', [
          { path: 'position', message: error.message },
        ]);
      }
      throw error;
    }
  }

  private assertParentAllowed(type: StoredNodeType, parent: NodeRow | null): void {
    if (!isKnownNodeType(type))
      throw badRequest(`A ${type} is made by a newer version of the app: it cannot be moved here`, [
        { path: 'nodeId', message: `unknown type ${type}` },
      ]);
    const allowed = ALLOWED_PARENTS[type];
    if (!(allowed as readonly (string | null)[]).includes(parent ? parent.type : null)) {
      const where = parent ? `inside a ${parent.type}` : 'at the top level';
      throw badRequest(`A ${type} cannot be placed ${where}`, [
        { path: 'parentId', message: `allowed parents: ${allowed.map((t) => t ?? 'none').join(', ')}` },
      ]);
    }
  }

  private pendingNodeIds(): ReadonlySet<string> {
    return new Set(this.nodes.nodesWithPendingUpdates());
  }

  private requireNode(nodeId: string): NodeRow {
    const row = this.nodes.get(nodeId);
    if (!row) throw notFound('Node', nodeId);
    return row;
  }

  private requireNotebook(notebookId: string) {
    const notebook = this.notebooks.get(notebookId);
    if (!notebook) throw notFound('Notebook', notebookId);
    return notebook;
  }

  private changed(notebookId: string, nodeIds: string[]): void {
    this.events.emit('node.changed', { accountId: this.replica.accountId, notebookId, nodeIds });
  }
}
