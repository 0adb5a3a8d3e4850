import * as Y from 'yjs';
import { createYDoc } from './ydoc';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { BLOCK_TYPES_WITH_ID, editorSchema, newBlockId } from '../editor/extensions';
import { badRequest } from '../lib/result';

/**
 * A document is a Y.Doc whose XmlFragment `default` is what TipTap's collaboration extension binds to, so
 * live editing, undo and remote carets are character-exact. TipTap JSON is the canonical exchange format;
 * these functions are the only place that converts between the two (main, renderer and server share them).
 */
export const DOCUMENT_FRAGMENT = 'default';

export interface TiptapMark {
  type: string;
  attrs?: Record<string, unknown>;
}
export interface TiptapNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: TiptapNode[];
  marks?: TiptapMark[];
  text?: string;
}
export interface TiptapDoc extends TiptapNode {
  type: 'doc';
  content: TiptapNode[];
}

export const emptyDocument = (): TiptapDoc => ({ type: 'doc', content: [] });

const ID_TYPES: ReadonlySet<string> = new Set(BLOCK_TYPES_WITH_ID);

/**
 * Accepts canonical TipTap JSON and the reference's flattened shorthand (`{type:'heading', level:2, text}`),
 * gives every block a stable id, and validates against the schema. Throws `bad_request` on invalid content.
 */
export function normalizeDocument(input: unknown): TiptapDoc {
  if (typeof input !== 'object' || input === null) throw badRequest('Document must be an object');
  const raw = input as Record<string, unknown>;
  const blocks = Array.isArray(raw.content) ? raw.content : Array.isArray(raw.blocks) ? raw.blocks : [];
  if (raw.type !== undefined && raw.type !== 'doc') throw badRequest('Document type must be "doc"');
  const content = blocks.map((block, i) => normalizeNode(block, `content.${i}`));
  // An empty document is stored as no blocks (the editor shows one empty paragraph without writing it).
  return content.length === 0 ? emptyDocument() : canonical({ type: 'doc', content });
}

function normalizeNode(input: unknown, path: string): TiptapNode {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw badRequest(`${path} must be an object`);
  const raw = input as Record<string, unknown>;
  if (typeof raw.type !== 'string')
    throw badRequest(`${path}.type is required`, [{ path: `${path}.type`, message: 'required' }]);
  const node: TiptapNode = { type: raw.type };
  const attrs: Record<string, unknown> =
    typeof raw.attrs === 'object' && raw.attrs !== null ? { ...(raw.attrs as object) } : {};
  if (raw.type === 'heading' && typeof raw.level === 'number' && attrs.level === undefined)
    attrs.level = raw.level;
  if (typeof raw.id === 'string' && attrs.id === undefined) attrs.id = raw.id;
  if (ID_TYPES.has(raw.type) && (typeof attrs.id !== 'string' || attrs.id === '')) attrs.id = newBlockId();
  if (Object.keys(attrs).length > 0) node.attrs = attrs;
  if (raw.type === 'text') {
    if (typeof raw.text !== 'string' || raw.text === '')
      throw badRequest(`${path}.text must be a non-empty string`);
    node.text = raw.text;
    if (Array.isArray(raw.marks)) node.marks = raw.marks as TiptapMark[];
    return node;
  }
  if (Array.isArray(raw.content)) {
    node.content = joinTextRuns(raw.content.map((child, i) => normalizeNode(child, `${path}.content.${i}`)));
  } else if (typeof raw.text === 'string' && raw.text !== '') {
    node.content = [{ type: 'text', text: raw.text }];
  }
  return node;
}

/** Adjacent text runs with the same marks are one run in ProseMirror (and in Yjs); store them that way. */
function joinTextRuns(nodes: TiptapNode[]): TiptapNode[] {
  const out: TiptapNode[] = [];
  for (const node of nodes) {
    const last = out.at(-1);
    if (
      last?.text !== undefined &&
      node.text !== undefined &&
      JSON.stringify(last.marks) === JSON.stringify(node.marks)
    ) {
      out[out.length - 1] = { ...last, text: last.text + node.text };
    } else {
      out.push(node);
    }
  }
  return out;
}

/** Validates against the schema and returns the schema's own JSON (default attrs filled, plain objects). */
function canonical(doc: TiptapDoc): TiptapDoc {
  try {
    const node = editorSchema().nodeFromJSON(doc);
    node.check();
    return plainJson(node.toJSON()) as TiptapDoc;
  } catch (error) {
    throw badRequest('Document does not match the schema', [
      { path: 'content', message: error instanceof Error ? error.message : String(error) },
    ]);
  }
}

/** A new Y.Doc holding `doc`; callers encode it with `Y.encodeStateAsUpdate`. */
export function documentToYDoc(doc: TiptapDoc): Y.Doc {
  const ydoc = createYDoc();
  writeDocument(ydoc, doc);
  return ydoc;
}

/** Replaces the whole content inside one transaction (PUT, version restore). Returns the Yjs update. */
export function writeDocument(ydoc: Y.Doc, doc: TiptapDoc): Uint8Array {
  const before = Y.encodeStateVector(ydoc);
  const fragment = ydoc.getXmlFragment(DOCUMENT_FRAGMENT);
  ydoc.transact(() => {
    if (fragment.length > 0) fragment.delete(0, fragment.length);
    prosemirrorJSONToYXmlFragment(editorSchema(), doc, fragment);
  });
  return Y.encodeStateAsUpdate(ydoc, before);
}

/** Appends `blocks` at the end of the document's fragment (built in a scratch doc, then cloned in). */
export function appendBlocks(ydoc: Y.Doc, blocks: TiptapNode[]): void {
  const staged = createYDoc().getXmlFragment(DOCUMENT_FRAGMENT);
  prosemirrorJSONToYXmlFragment(editorSchema(), { type: 'doc', content: blocks }, staged);
  const fragment = ydoc.getXmlFragment(DOCUMENT_FRAGMENT);
  fragment.insert(
    fragment.length,
    staged.toArray().flatMap((item) => (item instanceof Y.XmlHook ? [] : [item.clone()])),
  );
}

export function readDocument(ydoc: Y.Doc): TiptapDoc {
  const fragment = ydoc.getXmlFragment(DOCUMENT_FRAGMENT);
  if (fragment.length === 0) return emptyDocument();
  const json = plainJson(yXmlFragmentToProseMirrorRootNode(fragment, editorSchema()).toJSON()) as TiptapDoc;
  json.content ??= [];
  return json;
}

/** ProseMirror's toJSON shares attrs objects with null prototypes; callers want plain, independent JSON. */
const plainJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

export function documentFromUpdates(updates: Iterable<Uint8Array>): Y.Doc {
  const ydoc = createYDoc();
  ydoc.transact(() => {
    for (const update of updates) Y.applyUpdate(ydoc, update);
  });
  return ydoc;
}

/** Plain text of a document (search index, previews, Markdown-free excerpts). */
export function documentText(doc: TiptapNode): string {
  if (doc.text !== undefined) return doc.text;
  const parts = (doc.content ?? []).map(documentText);
  return parts.join(doc.type === 'doc' || doc.content?.[0]?.type !== 'text' ? '\n' : '');
}
