import * as Y from 'yjs';
import type { NodeOutput } from '../../shared/api/nodes';
import { StreamType } from '../../shared/api/sync-protocol';
import { nodeDocFromUpdates, readNodeAttributes, writeNodeAttributes } from '../../shared/crdt/node-doc';
import { createYDoc } from '../../shared/crdt/ydoc';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { ErrorCode, validationError } from '../../shared/lib/result';
import { ALLOWED_PARENTS, NodeAttributes, type NodeType } from '../../shared/model/nodes';
import { keyBetween } from '../../shared/model/ordering';
import { canOnNode, canOnNotebook, NodeAction, NotebookAction } from '../../shared/model/permissions';
import { ApiErrorCode } from '../../shared/api/common';
import { NotebookStatus } from '../../shared/model/roles';
import type { ServerContext } from '../context';
import { ApiError, badRequest, conflict, forbidden, notFound } from '../http/errors';
import type { NodeRow } from '../storage/repository';
import type { Change } from '../sync/change-bus';
import { assertDecision, nodeAccess, nodeRoleOf, type NotebookAccess } from './access';
import { refreshCollaborations } from './collaborations';
import { parseSafely } from '../../shared/lib/parse-safely';

/**
 * Node writes. REST and mutations share these functions: REST turns its JSON into a Yjs update of the node's
 * attribute doc, so both paths store the same history and sync the same way.
 */

export function toNodeOutput(node: NodeRow): NodeOutput {
  return {
    ...node.attributes,
    id: node.id,
    type: node.type,
    parentId: node.parentId,
    rootId: node.rootId,
    name: typeof node.attributes.name === 'string' ? node.attributes.name : '',
    attributes: node.attributes,
    createdAt: node.createdAt,
    createdBy: node.createdBy,
    updatedAt: node.updatedAt,
    updatedBy: node.updatedBy,
    revision: String(node.revision),
  };
}

/** Validates merged attributes (the shared schema); `alias` exists on pages only. */
function validateAttributes(raw: Record<string, unknown>): {
  attributes: Record<string, unknown>;
  alias: string | null;
} {
  if (raw.alias !== undefined && raw.alias !== null && raw.type !== 'page')
    throw badRequest('Only pages have an alias.', [{ path: 'attributes.alias', message: 'pages only' }]);
  const parsed = parseSafely(NodeAttributes, raw);
  if (!parsed.success) throw validationError(parsed.error.issues, 'attributes');
  const alias = parsed.data.type === 'page' ? (parsed.data.alias ?? null) : null;
  return { attributes: { ...parsed.data }, alias };
}

function assertAliasFree(ctx: ServerContext, notebookId: string, alias: string | null, nodeId: string): void {
  if (alias === null) return;
  const owner = ctx.repo.findNodeByAlias(notebookId, alias);
  if (owner && owner.id !== nodeId) throw conflict(`Alias '${alias}' is already used in this notebook.`);
}

const docKey = (nodeId: string): string => `node:${nodeId}`;

/**
 * Merges the update onto the node's stored state (`base`; a cached doc holding exactly that state when there
 * is one) and reads the raw attributes; anything undecodable is the client's 400.
 */
function decodeUpdate(
  ctx: ServerContext,
  nodeId: string,
  update: Uint8Array,
  base?: Uint8Array,
): { doc: Y.Doc; raw: Record<string, unknown> } {
  try {
    const doc = (base && ctx.docs.take(docKey(nodeId), base)) ?? nodeDocFromUpdates(base ? [base] : []);
    Y.applyUpdate(doc, update);
    return { doc, raw: readNodeAttributes(doc) };
  } catch {
    throw badRequest('data is not a valid Yjs update', [{ path: 'data', message: 'invalid Yjs update' }]);
  }
}

/** Where a node may live: parent type rules, same notebook, permission on the parent. Returns the root id. */
function placeNode(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  type: NodeType,
  parentId: string | null,
): string {
  if (parentId === null) {
    if (!ALLOWED_PARENTS[type].includes(null)) {
      throw badRequest(`A ${type} needs a parent.`, [{ path: 'parentId', message: 'required' }]);
    }
    assertDecision(canOnNotebook(access.role, access.notebook.status, NotebookAction.createSection));
    return nodeId;
  }
  if (access.notebook.status !== NotebookStatus.active) {
    throw forbidden('Notebook is read-only.', ApiErrorCode.notebookReadonly);
  }
  const parent = ctx.repo.getNode(parentId);
  if (!parent && ctx.repo.getTombstone(parentId)?.notebookId === access.notebook.id) {
    // Deleted meanwhile by someone else (docs/sync-protocol.md §1, "Deleted parents"): refused, never placed
    // out of every subtree; the client keeps the node and places it again (its section's top level).
    throw new ApiError(409, ErrorCode.conflict, 'The parent was deleted.', [
      { path: 'parentId', message: `${parentId} was deleted` },
    ]);
  }
  if (!parent || parent.notebookId !== access.notebook.id) {
    throw badRequest('Parent node not found.', [{ path: 'parentId', message: `no node ${parentId}` }]);
  }
  if (!ALLOWED_PARENTS[type].includes(parent.type)) {
    throw badRequest(`A ${type} cannot be placed under a ${parent.type}.`, [
      { path: 'parentId', message: `allowed parents: ${ALLOWED_PARENTS[type].map(String).join(', ')}` },
    ]);
  }
  const role = nodeRoleOf(ctx, access, parent);
  assertDecision(
    canOnNode(role, access.user.id, { type, createdBy: '' }, NodeAction.createChild),
    NodeAction.createChild,
  );
  return parent.rootId;
}

export interface NodeUpdateInput {
  nodeId: string;
  updateId: string;
  update: Uint8Array;
  createdAt: string;
}

/** `node.create`: the update is the node's whole initial state. Creating an existing id again is a no-op. */
export function createNodeFromUpdate(
  ctx: ServerContext,
  access: NotebookAccess,
  input: NodeUpdateInput,
  changes: Change[],
): { node: NodeRow; created: boolean } {
  const existing = ctx.repo.getNode(input.nodeId);
  if (existing) {
    if (existing.notebookId !== access.notebook.id) throw conflict('Node id already in use.');
    return { node: existing, created: false };
  }
  if (ctx.repo.getTombstone(input.nodeId)) throw conflict('Node was deleted; ids are never reused.');
  const { doc, raw } = decodeUpdate(ctx, input.nodeId, input.update);
  const { attributes, alias } = validateAttributes(raw);
  const type = attributes.type as NodeType;
  const parentId = (attributes.parentId as string | null) ?? null;
  const rootId = placeNode(ctx, access, input.nodeId, type, parentId);
  if (type === 'section' && access.role !== 'owner' && access.role !== 'admin') {
    // A section's creator must be able to manage it; members without admin rights list themselves as admin.
    const collaborators = attributes.collaborators as Record<string, string> | undefined;
    if (collaborators?.[access.user.id] !== 'admin') {
      throw forbidden('The creator of a section must be one of its admins.');
    }
  }
  assertAliasFree(ctx, access.notebook.id, alias, input.nodeId);
  const revision = ctx.repo.nextRevision();
  const node: NodeRow = {
    id: input.nodeId,
    notebookId: access.notebook.id,
    type,
    parentId,
    rootId,
    alias,
    attributes,
    state: Y.encodeStateAsUpdate(doc),
    createdAt: input.createdAt,
    createdBy: access.user.id,
    updatedAt: null,
    updatedBy: null,
    revision,
  };
  ctx.repo.insertNode(node);
  ctx.docs.put(docKey(node.id), doc, node.state);
  recordCollaboratorTimes(ctx, node.id, undefined, attributes.collaborators, input.createdAt);
  ctx.repo.insertNodeUpdate({
    id: input.updateId,
    targetId: node.id,
    rootId,
    notebookId: node.notebookId,
    data: input.update,
    createdAt: input.createdAt,
    createdBy: access.user.id,
    revision,
  });
  changes.push({ notebookId: node.notebookId, stream: StreamType.nodeUpdates, rootId });
  if (type === 'section') refreshCollaborations(ctx, node.notebookId, changes);
  return { node, created: true };
}

type Collaborators = Record<string, string> | undefined;

/** Keeps `node_collaborators` timestamps in step with the collaborators map, whichever path changed it. */
function recordCollaboratorTimes(
  ctx: ServerContext,
  nodeId: string,
  before: unknown,
  after: unknown,
  at: string,
) {
  const old = (before ?? {}) as NonNullable<Collaborators>;
  const next = (after ?? {}) as NonNullable<Collaborators>;
  for (const userId of Object.keys(old))
    if (!(userId in next)) ctx.repo.deleteCollaboratorTimes(nodeId, userId);
  for (const [userId, role] of Object.entries(next)) {
    if (old[userId] === role) continue;
    ctx.repo.upsertCollaboratorTimes({ nodeId, userId, createdAt: at, updatedAt: userId in old ? at : null });
  }
}

/** `node.update`: merges the update into the node's doc. A repeated `updateId` is a no-op. */
export function updateNodeFromUpdate(
  ctx: ServerContext,
  access: NotebookAccess,
  input: NodeUpdateInput,
  changes: Change[],
): NodeRow {
  if (ctx.repo.hasNodeUpdate(input.updateId)) {
    const node = ctx.repo.getNode(input.nodeId);
    if (!node) throw notFound('Node not found.');
    return node;
  }
  const { node } = nodeAccess(ctx, access, input.nodeId, NodeAction.update);
  const { doc, raw } = decodeUpdate(ctx, node.id, input.update, node.state);
  const { attributes, alias } = validateAttributes(raw);
  if (attributes.type !== node.type)
    throw badRequest('A node type cannot change.', [{ path: 'type', message: 'immutable' }]);
  const parentId = (attributes.parentId as string | null) ?? null;
  if (parentId !== node.parentId) {
    const rootId = placeNode(ctx, access, node.id, node.type, parentId);
    if (rootId !== node.rootId || parentId === null) {
      throw badRequest('A node can only move within its root.', [
        { path: 'parentId', message: 'different root' },
      ]);
    }
    if (ctx.repo.listSubtree(node.id).some((descendant) => descendant.id === parentId)) {
      throw badRequest('A node cannot move under itself.', [{ path: 'parentId', message: 'cycle' }]);
    }
  }
  const collaboratorsChanged =
    JSON.stringify(attributes.collaborators) !== JSON.stringify(node.attributes.collaborators);
  if (collaboratorsChanged) {
    assertDecision(
      canOnNode(nodeRoleOf(ctx, access, node), access.user.id, node, NodeAction.manageCollaborators),
      NodeAction.manageCollaborators,
    );
  }
  assertAliasFree(ctx, access.notebook.id, alias, node.id);
  const revision = ctx.repo.nextRevision();
  const next: NodeRow = {
    ...node,
    parentId,
    alias,
    attributes,
    state: Y.encodeStateAsUpdate(doc),
    updatedAt: input.createdAt,
    updatedBy: access.user.id,
    revision,
  };
  ctx.repo.updateNode(next);
  ctx.docs.put(docKey(node.id), doc, next.state);
  if (collaboratorsChanged) {
    recordCollaboratorTimes(
      ctx,
      node.id,
      node.attributes.collaborators,
      attributes.collaborators,
      input.createdAt,
    );
  }
  ctx.repo.insertNodeUpdate({
    id: input.updateId,
    targetId: node.id,
    rootId: node.rootId,
    notebookId: node.notebookId,
    data: input.update,
    createdAt: input.createdAt,
    createdBy: access.user.id,
    revision,
  });
  changes.push({ notebookId: node.notebookId, stream: StreamType.nodeUpdates, rootId: node.rootId });
  if (node.type === 'section' || collaboratorsChanged) refreshCollaborations(ctx, node.notebookId, changes);
  return next;
}

/**
 * Purges a node and its subtree (documents, updates, reactions, interactions, uploaded files and their bytes),
 * leaving tombstones.
 */
export function deleteNode(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  deletedAt: string,
  changes: Change[],
): void {
  const { node } = nodeAccess(ctx, access, nodeId, NodeAction.delete);
  const subtree = ctx.repo.listSubtree(node.id);
  if (node.parentId === null) {
    // A section takes every node of its root, even one whose parent links do not lead to it.
    const linked = new Set(subtree.map((victim) => victim.id));
    const unlinked = listRoot(ctx, node).filter((row) => !linked.has(row.id));
    subtree.push(...unlinked);
  }
  // Children before parents: a client applying the tombstones in order never sees a child outlive its parent.
  for (const victim of subtree.reverse()) {
    ctx.repo.insertTombstone({
      id: victim.id,
      rootId: victim.rootId,
      notebookId: victim.notebookId,
      deletedAt,
      deletedBy: access.user.id,
      revision: ctx.repo.nextRevision(),
    });
    ctx.files.discardAfterCommit(ctx.repo.deleteFilesOfDocument(victim.id));
    ctx.repo.deleteNode(victim.id);
    ctx.docs.delete(docKey(victim.id));
  }
  changes.push({ notebookId: node.notebookId, stream: StreamType.nodeTombstones, rootId: node.rootId });
  if (node.type === 'section') refreshCollaborations(ctx, node.notebookId, changes);
}

/** Every node whose root is `root`, whatever its parent links say. */
function listRoot(ctx: ServerContext, root: NodeRow): NodeRow[] {
  const rows: NodeRow[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = ctx.repo.listNodes({ notebookId: root.notebookId, rootId: root.id, limit: 500, offset });
    rows.push(...page.rows);
    if (page.rows.length < 500) return rows;
  }
}

/**
 * REST names must say something (the reference: "name must be a non-empty string"). Only REST asks this: a page
 * made in the app starts with an empty name (shown as Untitled) and syncs as a Yjs update.
 */
function assertRestName(attributes: Record<string, unknown>): void {
  // Not a string at all is the attribute schema's error (path attributes.name), like any other attribute.
  if (typeof attributes.name === 'string' && attributes.name.trim() === '') {
    throw badRequest('Invalid attributes payload.', [
      { path: 'attributes', message: 'name must be a non-empty string' },
    ]);
  }
}

/** REST create: JSON attributes → initial Yjs state → the `node.create` path. */
export function createNodeFromJson(
  ctx: ServerContext,
  access: NotebookAccess,
  input: {
    id?: string | undefined;
    type: NodeType;
    parentId?: string | null | undefined;
    attributes: Record<string, unknown>;
  },
  changes: Change[],
): NodeRow {
  assertRestName(input.attributes);
  const nodeId = input.id ?? newId(IdPrefix.node);
  if (ctx.repo.getNode(nodeId)) throw conflict('A node with this id already exists.');
  const parentId = input.parentId ?? null;
  const lastIndex = lastSiblingIndex(ctx, access.notebook.id, parentId);
  const attributes: Record<string, unknown> = {
    index: keyBetween(lastIndex, null),
    ...input.attributes,
    type: input.type,
    parentId,
  };
  if (input.type === 'section' && access.role !== 'owner' && access.role !== 'admin') {
    const collaborators = (attributes.collaborators ?? {}) as Record<string, unknown>;
    attributes.collaborators = { ...collaborators, [access.user.id]: 'admin' };
  }
  const doc = createYDoc();
  // Only validated attributes enter the doc: unknown keys never reach other replicas.
  writeNodeAttributes(doc, validateAttributes(attributes).attributes);
  const update = Y.encodeStateAsUpdate(doc);
  return createNodeFromUpdate(
    ctx,
    access,
    { nodeId, updateId: newId(IdPrefix.update), update, createdAt: ctx.now() },
    changes,
  ).node;
}

/** The largest sibling index (children are listed in index order, so the last page holds it). */
function lastSiblingIndex(ctx: ServerContext, notebookId: string, parentId: string | null): string | null {
  let siblings: NodeRow[];
  if (parentId === null) siblings = ctx.repo.listRoots(notebookId);
  else {
    const { total } = ctx.repo.listNodes({ notebookId, parentId, limit: 1, offset: 0 });
    siblings = ctx.repo.listNodes({ notebookId, parentId, limit: 1, offset: Math.max(0, total - 1) }).rows;
  }
  const indexes = siblings.map((node) => node.attributes.index).filter((index) => typeof index === 'string');
  return indexes.sort().at(-1) ?? null;
}

/** REST update: merges the given attributes (type and parentId immutable) → the `node.update` path. */
export function updateNodeFromJson(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  patch: Record<string, unknown>,
  changes: Change[],
): NodeRow {
  const { node } = nodeAccess(ctx, access, nodeId, NodeAction.update);
  assertRestName(patch);
  for (const key of ['type', 'parentId'] as const) {
    if (key in patch && patch[key] !== node.attributes[key]) {
      throw badRequest(`${key} cannot be changed.`, [{ path: `attributes.${key}`, message: 'immutable' }]);
    }
  }
  const merged: Record<string, unknown> = { ...node.attributes, ...patch };
  const doc = nodeDocFromUpdates([node.state]);
  const update = writeNodeAttributes(doc, validateAttributes(merged).attributes);
  if (update === null) return node;
  return updateNodeFromUpdate(
    ctx,
    access,
    { nodeId, updateId: newId(IdPrefix.update), update, createdAt: ctx.now() },
    changes,
  );
}
