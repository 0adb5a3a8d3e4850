import { Node as PmNode } from '@tiptap/pm/model';
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { DocumentOutput } from '../../shared/api/documents';
import { StreamType } from '../../shared/api/sync-protocol';
import {
  DOCUMENT_FRAGMENT,
  documentFromUpdates,
  emptyDocument,
  normalizeDocument,
  readDocument,
  writeDocument,
  type TiptapDoc,
  type TiptapNode,
} from '../../shared/crdt/document';
import { editorSchema } from '../../shared/editor/extensions';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { TYPES_WITH_DOCUMENT } from '../../shared/model/nodes';
import { NodeAction } from '../../shared/model/permissions';
import type { ServerContext } from '../context';
import { badRequest, notFound } from '../http/errors';
import type { DocumentRow, NodeRow } from '../storage/repository';
import type { Change } from '../sync/change-bus';
import { nodeAccess, type NotebookAccess } from './access';

export function toDocumentOutput(
  row: DocumentRow,
  content: TiptapDoc = JSON.parse(row.content) as TiptapDoc,
): DocumentOutput {
  return {
    id: row.id,
    content,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    // The reference shows all four on every document: its creation is its first change, so a document written
    // once was last updated then, by its creator (the row keeps null until a second change).
    updatedAt: row.updatedAt ?? row.createdAt,
    updatedBy: row.updatedBy ?? row.createdBy,
    revision: String(row.revision),
  };
}

const docKey = (documentId: string): string => `document:${documentId}`;

function assertHasDocument(node: NodeRow): void {
  if (!TYPES_WITH_DOCUMENT.has(node.type)) throw badRequest('Node type does not support documents.');
}

const EMPTY_CONTENT = JSON.stringify(emptyDocument());

/**
 * The merged content (as stored JSON) must still be a valid document; a bad update is refused before anything
 * is stored. Converting Yjs to ProseMirror silently deletes elements the schema rejects (y-prosemirror does
 * that for live editors); here any such repair means the update was invalid.
 */
function contentOf(ydoc: Y.Doc): string {
  const fragment = ydoc.getXmlFragment(DOCUMENT_FRAGMENT);
  let repaired = false;
  const onUpdate = () => {
    repaired = true;
  };
  ydoc.on('update', onUpdate);
  try {
    if (fragment.length === 0) return EMPTY_CONTENT;
    const node = yXmlFragmentToProseMirrorRootNode(fragment, editorSchema());
    node.check();
    if (repaired) throw new Error('content outside the schema');
    return JSON.stringify(node.toJSON());
  } catch {
    throw badRequest('The update does not produce a valid document.', [
      { path: 'data', message: 'invalid document' },
    ]);
  } finally {
    ydoc.off('update', onUpdate);
  }
}

export interface DocumentUpdateInput {
  documentId: string;
  updateId: string;
  update: Uint8Array;
  createdAt: string;
}

/** `document.update` and every REST write end here. A repeated `updateId` is a no-op. */
export function applyDocumentUpdate(
  ctx: ServerContext,
  access: NotebookAccess,
  input: DocumentUpdateInput,
  changes: Change[],
): DocumentRow {
  const { node } = nodeAccess(ctx, access, input.documentId, NodeAction.editDocument);
  assertHasDocument(node);
  const existing = ctx.repo.getDocument(node.id);
  if (ctx.repo.hasDocumentUpdate(input.updateId)) {
    if (!existing) throw notFound('Document not found.');
    return existing;
  }
  let ydoc: Y.Doc;
  try {
    // A cached doc holding exactly the stored state saves decoding it again (see DocCache).
    ydoc =
      (existing && ctx.docs.take(docKey(node.id), existing.state)) ??
      documentFromUpdates(existing ? [existing.state] : []);
    Y.applyUpdate(ydoc, input.update);
  } catch {
    throw badRequest('data is not a valid Yjs update', [{ path: 'data', message: 'invalid Yjs update' }]);
  }
  const content = contentOf(ydoc);
  const revision = ctx.repo.nextRevision();
  const row: DocumentRow = {
    id: node.id,
    notebookId: node.notebookId,
    rootId: node.rootId,
    state: Y.encodeStateAsUpdate(ydoc),
    content,
    createdAt: existing?.createdAt ?? input.createdAt,
    createdBy: existing?.createdBy ?? access.user.id,
    updatedAt: existing ? input.createdAt : null,
    updatedBy: existing ? access.user.id : null,
    revision,
  };
  ctx.repo.upsertDocument(row);
  ctx.docs.put(docKey(node.id), ydoc, row.state);
  ctx.repo.insertDocumentUpdate({
    id: input.updateId,
    targetId: node.id,
    rootId: node.rootId,
    notebookId: node.notebookId,
    data: input.update,
    createdAt: input.createdAt,
    createdBy: access.user.id,
    revision,
  });
  changes.push({ notebookId: node.notebookId, stream: StreamType.documentUpdates, rootId: node.rootId });
  return row;
}

/** Computes a REST edit as a Yjs update against the current state, then stores it like a mutation. */
export function editDocument(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  edit: (ydoc: Y.Doc, current: TiptapDoc) => Uint8Array | null,
  changes: Change[],
): DocumentRow {
  const { node } = nodeAccess(ctx, access, nodeId, NodeAction.editDocument);
  assertHasDocument(node);
  const existing = ctx.repo.getDocument(node.id);
  const ydoc = documentFromUpdates(existing ? [existing.state] : []);
  const update = edit(ydoc, readDocument(ydoc));
  if (update === null && existing) return existing;
  return applyDocumentUpdate(
    ctx,
    access,
    {
      documentId: node.id,
      updateId: newId(IdPrefix.update),
      update: update ?? Y.encodeStateAsUpdate(ydoc),
      createdAt: ctx.now(),
    },
    changes,
  );
}

/** Rewrites the fragment to `next` with y-prosemirror's minimal diff, so untouched blocks keep their Yjs items. */
function diffInto(ydoc: Y.Doc, next: TiptapDoc): Uint8Array | null {
  const before = Y.encodeStateVector(ydoc);
  const pmNode = PmNode.fromJSON(editorSchema(), next);
  updateYFragment(ydoc, ydoc.getXmlFragment(DOCUMENT_FRAGMENT), pmNode, {
    mapping: new Map(),
    isOMark: new Map(),
  });
  const update = Y.encodeStateAsUpdate(ydoc, before);
  return Y.decodeUpdate(update).structs.length > 0 || Y.decodeUpdate(update).ds.clients.size > 0
    ? update
    : null;
}

export function putDocument(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  input: unknown,
  changes: Change[],
) {
  const next = normalizeDocument(input);
  return editDocument(ctx, access, nodeId, (ydoc) => writeDocument(ydoc, next), changes);
}

const blockId = (block: TiptapNode): string | undefined =>
  typeof block.attrs?.id === 'string' ? block.attrs.id : undefined;

/** Top-level merge by block id: matching blocks are replaced in place, the others appended. */
export function patchDocument(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  input: unknown,
  changes: Change[],
) {
  const incoming = normalizeDocument(input);
  return editDocument(
    ctx,
    access,
    nodeId,
    (ydoc, current) => {
      const byId = new Map(
        incoming.content.flatMap((block) => {
          const id = blockId(block);
          return id === undefined ? [] : [[id, block] as const];
        }),
      );
      const merged = current.content.map((block) => byId.get(blockId(block) ?? '') ?? block);
      const existingIds = new Set(current.content.map(blockId));
      const appended = incoming.content.filter((block) => !existingIds.has(blockId(block)));
      return diffInto(ydoc, { type: 'doc', content: [...merged, ...appended] });
    },
    changes,
  );
}

/** Appends blocks; ids and positions are the server's to assign. */
export function appendDocument(
  ctx: ServerContext,
  access: NotebookAccess,
  nodeId: string,
  input: { text?: string | undefined; blocks?: Record<string, unknown>[] | undefined },
  changes: Change[],
) {
  const blocks: unknown[] = [
    ...(input.text !== undefined ? [{ type: 'paragraph', text: input.text }] : []),
    ...(input.blocks ?? []),
  ];
  if (blocks.length === 0)
    throw badRequest('Nothing to append.', [{ path: 'body', message: 'text or blocks required' }]);
  blocks.forEach((block, i) => {
    const attrs = (block as { attrs?: Record<string, unknown> }).attrs;
    for (const key of ['id', 'parentId', 'index']) {
      if (attrs && key in attrs) {
        throw badRequest(`${key} is assigned by the server.`, [
          { path: `blocks.${i}.attrs.${key}`, message: 'not allowed' },
        ]);
      }
    }
  });
  const addition = normalizeDocument({ type: 'doc', content: blocks });
  return editDocument(
    ctx,
    access,
    nodeId,
    (ydoc, current) => diffInto(ydoc, { type: 'doc', content: [...current.content, ...addition.content] }),
    changes,
  );
}

export function getDocument(ctx: ServerContext, access: NotebookAccess, nodeId: string): DocumentRow {
  const { node } = nodeAccess(ctx, access, nodeId, NodeAction.read);
  assertHasDocument(node);
  const row = ctx.repo.getDocument(node.id);
  if (!row) throw notFound('Document not found.');
  return row;
}

/** `blockIds` keeps the listed top-level blocks; `lines=a-b` keeps top-level blocks a..b (1-based). */
export function selectBlocks(
  content: TiptapDoc,
  blockIds: string | undefined,
  lines: string | undefined,
): TiptapDoc {
  let blocks = content.content;
  if (blockIds !== undefined) {
    const wanted = new Set(blockIds.split(',').map((id) => id.trim()));
    blocks = blocks.filter((block) => wanted.has(blockId(block) ?? ''));
  }
  if (lines !== undefined) {
    const [start, end] = lines.split('-').map(Number) as [number, number];
    if (start < 1 || end < start)
      throw badRequest('Invalid line range.', [
        { path: 'query.lines', message: 'start-end with 1 ≤ start ≤ end' },
      ]);
    blocks = blocks.slice(start - 1, end);
  }
  return { type: 'doc', content: blocks };
}
