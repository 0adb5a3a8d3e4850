import type * as Y from 'yjs';
import type { NodeView } from '../../shared/contract';
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
  TYPES_WITH_DOCUMENT,
  type NodeType,
} from '../../shared/model/nodes';
import { MutationType } from '../../shared/model/mutations';
import { indexForPosition, keyBetween, type Position } from '../../shared/model/ordering';
import { isoNow, type Clock } from '../core/clock';
import type { EventBus } from '../core/events';
import { DocumentsRepository } from '../documents/documents.repository';
import { enqueueMutation } from '../outbox/outbox.repository';
import type { Replica } from '../replica/replica';
import { NotebooksRepository } from '../notebooks/notebooks.repository';
import { NodesRepository, type NodeRow } from './nodes.repository';

export interface CreateNodeInput {
  notebookId: string;
  type: NodeType;
  parentId: string | null;
  name: string;
  icon?: string | null | undefined;
  position?: Position | undefined;
}

export const toNodeView = (row: NodeRow, pendingIds: ReadonlySet<string>): NodeView => ({
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
  ) {
    this.nodes = new NodesRepository(replica.db);
    this.notebooks = new NotebooksRepository(replica.db);
    this.documents = new DocumentsRepository(replica.db);
  }

  tree(notebookId: string): NodeView[] {
    this.requireNotebook(notebookId);
    const rows = this.nodes.listNotebook(notebookId);
    const trashed = new Set(rows.filter((r) => r.trashedAt !== null).map((r) => r.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const hidden = (row: NodeRow): boolean => {
      for (let p: NodeRow | undefined = row; p; p = p.parentId === null ? undefined : byId.get(p.parentId)) {
        if (trashed.has(p.id)) return true;
      }
      return false;
    };
    const pending = this.pendingNodeIds();
    return rows.filter((r) => !hidden(r)).map((r) => toNodeView(r, pending));
  }

  trashList(notebookId: string): NodeView[] {
    this.requireNotebook(notebookId);
    const pending = this.pendingNodeIds();
    return this.nodes.listTrashRoots(notebookId).map((r) => toNodeView(r, pending));
  }

  get(nodeId: string): NodeView {
    const row = this.requireNode(nodeId);
    return toNodeView(row, this.nodes.hasPendingUpdates(nodeId) ? new Set([nodeId]) : new Set());
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
      type: input.type,
      parentId: input.parentId,
      index,
      name: input.name,
      ...(input.icon ? { icon: input.icon } : {}),
    });
    const { update } = createNodeState(attributes);
    const row: NodeRow = {
      id,
      notebookId: notebook.id,
      type: input.type,
      parentId: input.parentId,
      rootId: parent ? parent.rootId : id,
      index,
      name: input.name,
      icon: input.icon ?? null,
      trashedAt: null,
      attributes: JSON.stringify(attributes),
      createdAt: now,
      createdBy: this.replica.userId,
      updatedAt: now,
      updatedBy: this.replica.userId,
      serverRevision: 0,
      localRevision: 1,
    };
    this.replica.db.transaction(() => {
      this.nodes.insert(row);
      this.recordUpdate(row, MutationType.nodeCreate, update, now);
      if (TYPES_WITH_DOCUMENT.has(input.type)) this.documents.insertEmpty(id, notebook.id, now);
    })();
    this.changed(notebook.id, [id]);
    return this.get(id);
  }

  update(nodeId: string, patch: { name?: string | undefined; icon?: string | null | undefined }): NodeView {
    return this.edit(nodeId, (attributes) => ({
      ...attributes,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.icon !== undefined ? { icon: patch.icon } : {}),
    }));
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
    const ids = this.nodes.subtreeIds(nodeId);
    const now = isoNow(this.clock);
    this.replica.db.transaction(() => {
      this.documents.delete(ids);
      this.nodes.delete([...ids].reverse());
      this.nodes.insertTombstone(
        node.id,
        node.notebookId,
        node.rootId,
        { type: node.type, name: node.name },
        now,
      );
      enqueueMutation(this.replica.db, node.notebookId, {
        id: newId(IdPrefix.mutation),
        createdAt: now,
        type: MutationType.nodeDelete,
        data: { nodeId: node.id, rootId: node.rootId, deletedAt: now },
      });
    })();
    this.changed(node.notebookId, ids);
  }

  /** Applies `change` to the node's attributes; `alsoInTransaction` commits with it (e.g. re-rooting a subtree). */
  private edit(
    nodeId: string,
    change: (attributes: NodeAttributes) => Record<string, unknown>,
    alsoInTransaction?: () => void,
  ): NodeView {
    const row = this.requireNode(nodeId);
    const doc = this.loadDoc(row);
    const current = this.validate(readNodeAttributes(doc));
    const next = this.validate(change(current));
    const update = writeNodeAttributes(doc, next);
    if (update === null) return this.get(nodeId);
    const now = isoNow(this.clock);
    const updated: NodeRow = {
      ...row,
      parentId: next.parentId,
      index: next.index,
      name: next.name,
      icon: next.icon ?? null,
      trashedAt: next.trashedAt ?? null,
      attributes: JSON.stringify(next),
      updatedAt: now,
      updatedBy: this.replica.userId,
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

  private validate(attributes: unknown): NodeAttributes {
    const parsed = NodeAttributes.safeParse(attributes);
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

  private assertParentAllowed(type: NodeType, parent: NodeRow | null): void {
    const allowed = ALLOWED_PARENTS[type];
    if (!allowed.includes(parent ? parent.type : null)) {
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
