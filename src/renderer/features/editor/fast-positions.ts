import type { Node as PmNode } from '@tiptap/pm/model';
import type { EditorState } from '@tiptap/pm/state';
import { absolutePositionToRelativePosition } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/** y-tiptap's binding mapping: each Yjs type to the ProseMirror node (or text nodes) it was last synced with. */
export type Mapping = Map<Y.AbstractType<unknown>, PmNode | PmNode[]>;

type AnyType = Y.AbstractType<unknown>;

const sizeOf = (mapping: Mapping, type: AnyType): number => {
  const node = mapping.get(type);
  return node && !Array.isArray(node) ? node.nodeSize : 0;
};

const typeOf = (item: Y.Item | null): AnyType | null =>
  item === null ? null : ((item.content as Y.ContentType).type as AnyType);

/**
 * The rest of y-tiptap 3.0.9's absolutePositionToRelativePosition, line for line, from the walk's state at
 * the top-level block `n` with `pos` counted from that block's start (the same state its own walk reaches
 * after skipping the blocks before it).
 */
function walkFrom(n0: AnyType, pos0: number, type: AnyType, mapping: Mapping): Y.RelativePosition {
  let n: AnyType | null = n0;
  let pos = pos0;
  while (n !== null && type !== n) {
    if (n instanceof Y.XmlText) {
      if (n._length >= pos) return Y.createRelativePositionFromTypeIndex(n, pos, -1);
      pos -= n._length;
      if (n._item !== null && n._item.next !== null) {
        n = typeOf(n._item.next);
      } else {
        do {
          n = n!._item === null ? null : (n!._item.parent as AnyType);
          pos--;
        } while (n !== type && n !== null && n._item !== null && n._item.next === null);
        if (n !== null && n !== type) n = n._item === null ? null : typeOf(n._item.next);
      }
    } else {
      const pNodeSize = sizeOf(mapping, n);
      if (n._first !== null && pos < pNodeSize) {
        n = typeOf(n._first);
        pos--;
      } else {
        if (pos === 1 && n._length === 0 && pNodeSize > 1) {
          return new Y.RelativePosition(
            n._item === null ? null : n._item.id,
            n._item === null ? Y.findRootTypeKey(n) : null,
            null,
          );
        }
        pos -= pNodeSize;
        if (n._item !== null && n._item.next !== null) {
          n = typeOf(n._item.next);
        } else {
          if (pos === 0) {
            n = n._item === null ? n : (n._item.parent as AnyType);
            return new Y.RelativePosition(
              n._item === null ? null : n._item.id,
              n._item === null ? Y.findRootTypeKey(n) : null,
              null,
            );
          }
          do {
            n = n!._item!.parent as AnyType;
            pos--;
          } while (n !== type && n._item!.next === null);
          if (n !== type) n = typeOf(n._item!.next);
        }
      }
    }
    if (n === null) throw new Error('Unexpected case');
    if (pos === 0 && n.constructor !== Y.XmlText && n !== type)
      return relativeTo(n._item!.parent as AnyType, n._item!);
  }
  return Y.createRelativePositionFromTypeIndex(type, type._length, -1);
}

/** y-tiptap's createRelativePosition. */
function relativeTo(type: AnyType, item: Y.Item): Y.RelativePosition {
  const typeId = type._item === null ? null : Y.createID(type._item.id.client, type._item.id.clock);
  const name = type._item === null ? Y.findRootTypeKey(type) : null;
  return new Y.RelativePosition(typeId, name, item.id);
}

/**
 * y-tiptap's absolutePositionToRelativePosition without its walk over every top-level block before the
 * position: that walk (a Map lookup per block) ran 4-8 times per keystroke, ~5 ms each on a 10,000-paragraph
 * page (issue 10). `doc` must be the document the mapping was last synced with (see SyncedDocs): then the
 * blocks before the position have the sizes the walk would add up, so the block that holds `pos` and its
 * start come from ProseMirror's own child sizes and the Yjs list (cheap steps), and the walk goes on from
 * there exactly as y-tiptap's would. Anything else (a position between blocks, no synced doc, a mapping
 * that does not match) takes y-tiptap's own function. test/unit/fast-positions.test.ts compares both.
 */
export function relativePosition(
  pos: number,
  type: Y.XmlFragment,
  mapping: Mapping,
  doc: PmNode | null,
): Y.RelativePosition {
  if (doc !== null && pos > 0 && pos < doc.content.size) {
    // The top-level block that holds `pos`, and where it starts (ProseMirror's own sizes).
    let index = 0;
    let offset = 0;
    for (; index < doc.childCount; index++) {
      const end = offset + doc.child(index).nodeSize;
      if (pos < end) break;
      offset = end;
    }
    if (offset < pos && index < doc.childCount) {
      let item = type._start;
      for (let i = 0; item !== null; item = item.right) {
        if (item.deleted) continue;
        if (i === index) break;
        i++;
      }
      const block = typeOf(item);
      if (block !== null && mapping.get(block) === doc.child(index))
        return walkFrom(block, pos - offset, type as unknown as AnyType, mapping);
    }
  }
  return absolutePositionToRelativePosition(pos, type, mapping as never);
}

/** What y-tiptap's binding exposes that these functions use. */
export interface BindingLike {
  type: Y.XmlFragment;
  mapping: Mapping;
}

/** y-tiptap's getRelativeSelection, through relativePosition (once for a collapsed selection). */
export function relativeSelection(binding: BindingLike, state: EditorState, synced: PmNode | null) {
  const selection = state.selection as EditorState['selection'] & { jsonID?: string; depth?: number };
  const type = selection.jsonID;
  const doc = state.doc === synced ? synced : null;
  const anchor = relativePosition(selection.anchor, binding.type, binding.mapping, doc);
  const head =
    selection.head === selection.anchor
      ? anchor
      : relativePosition(selection.head, binding.type, binding.mapping, doc);
  return {
    type,
    depth: type === 'nodeRange' ? selection.depth : undefined,
    anchor,
    head,
    absAnchor: selection.anchor,
    absHead: selection.head,
  };
}
