import * as Y from 'yjs';
import { createYDoc } from './ydoc';

/**
 * A node's attributes live in one Y.Map per node doc. Plain values are last-writer-wins per key; records
 * (`collaborators`, `fields`, `values`, `views`) are nested maps so concurrent edits of different keys both survive.
 * `node.create`/`node.update` mutations carry these docs' updates (base64) on the wire.
 */
export const NODE_ATTRIBUTES_MAP = 'attributes';

const NESTED_KEYS: ReadonlySet<string> = new Set(['collaborators', 'fields', 'values', 'views']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function writeNested(parent: Y.Map<unknown>, key: string, next: Record<string, unknown>): void {
  let map = parent.get(key);
  if (!(map instanceof Y.Map)) {
    map = new Y.Map<unknown>();
    parent.set(key, map);
  }
  const nested = map as Y.Map<unknown>;
  for (const existing of [...nested.keys()]) if (!(existing in next)) nested.delete(existing);
  for (const [k, v] of Object.entries(next)) {
    if (v === undefined) continue;
    if (!sameJson(nested.get(k), v)) nested.set(k, v);
  }
}

/** Writes `next` into the doc (only what changed) and returns the Yjs update, or null when nothing changed. */
export function writeNodeAttributes(doc: Y.Doc, next: Record<string, unknown>): Uint8Array | null {
  const before = Y.encodeStateVector(doc);
  const map = doc.getMap<unknown>(NODE_ATTRIBUTES_MAP);
  doc.transact(() => {
    for (const existing of [...map.keys()]) if (next[existing] === undefined) map.delete(existing);
    for (const [key, value] of Object.entries(next)) {
      if (value === undefined) continue;
      if (NESTED_KEYS.has(key) && isPlainObject(value)) writeNested(map, key, value);
      else if (!sameJson(toJson(map.get(key)), value)) map.set(key, value);
    }
  });
  const update = Y.encodeStateAsUpdate(doc, before);
  return hasChanges(update) ? update : null;
}

function hasChanges(update: Uint8Array): boolean {
  const decoded = Y.decodeUpdate(update);
  return decoded.structs.length > 0 || decoded.ds.clients.size > 0;
}

function toJson(value: unknown): unknown {
  return value instanceof Y.AbstractType ? (value.toJSON() as Json) : value;
}

export function readNodeAttributes(doc: Y.Doc): Record<string, unknown> {
  return doc.getMap<unknown>(NODE_ATTRIBUTES_MAP).toJSON() as Record<string, unknown>;
}

export function nodeDocFromUpdates(updates: Iterable<Uint8Array>): Y.Doc {
  const doc = createYDoc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

export function createNodeState(attributes: Record<string, unknown>): { doc: Y.Doc; update: Uint8Array } {
  const doc = createYDoc();
  writeNodeAttributes(doc, attributes);
  return { doc, update: Y.encodeStateAsUpdate(doc) };
}
