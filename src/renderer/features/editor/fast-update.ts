import type { Node as PmNode } from '@tiptap/pm/model';
import { updateYFragment } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import type { Mapping } from './fast-positions';

/** What y-tiptap's updateYFragment reads from the binding. */
export interface UpdateMeta {
  mapping: Mapping;
  isOMark: Map<unknown, boolean>;
}

type Child = Y.XmlElement | Y.XmlText | Y.XmlHook;

/** Identity neighbours kept on each side of the changed blocks (why two: see updateChangedBlocks). */
const NEIGHBOURS = 2;

/**
 * The children `start`..`end` (exclusive) of the fragment, walking its item list once (an XmlFragment has no
 * search markers; this walk is pointer steps, not the Map lookups per block that made the full diff slow).
 */
function childrenBetween(fragment: Y.XmlFragment, start: number, end: number): Child[] {
  const out: Child[] = [];
  let index = 0;
  for (let item = fragment._start; item !== null && index < end; item = item.right) {
    if (item.deleted || !item.countable) continue;
    if (index >= start) out.push((item.content as Y.ContentType).type as Child);
    index++;
  }
  return out;
}

/**
 * y-tiptap 3.0.9's updateYFragment for the top level, run on the changed blocks only (issue 10). The stock
 * function reconciles every top-level block per transaction: it lists the Yjs children and the ProseMirror
 * children, indexes all of them in a Map to look for moved blocks, and looks each one up in the mapping
 * (on a 10,000-paragraph page ~40% of a keystroke's JavaScript).
 *
 * `synced` is the document the mapping was last made to describe (fast-binding's syncedDoc): its top-level
 * children are, index for index, what the fragment's children are mapped to. ProseMirror keeps the node
 * objects of untouched blocks, so the blocks that are the same object at the start and end of `synced` and
 * `doc` are unchanged, and so are their Yjs children. The stock function is then run on a window of the
 * fragment (and of the document): the blocks from the first to the last change and up to two unchanged
 * neighbours each side. It makes the same decisions there as on the whole fragment:
 * - its move detection (anchors: mapped blocks in the same order, the longest such run) finds the unchanged
 *   blocks before and after plus the same anchors between; 'at least two anchors' holds in the window
 *   exactly when it holds for the whole (two neighbours each side), and 'an anchor at a new index' too (a
 *   neighbour after the change shifts exactly when the blocks after it do);
 * - the left/right scans pass over unchanged blocks without effect and meet the change at the same place,
 *   and the scan from the right stops at the same block (its bound is the same relative to the window).
 * The window's indices are offset into the real fragment, so the Yjs operations are the very same ones
 * (test/unit/fast-update.test.ts compares the updates byte for byte with the stock function's, moves and
 * several changes per update included). One case differs: the same node object twice at the top level
 * (ProseMirror allows it; BlockIds gives every block its own id, so it does not happen here): the stock
 * function then also matches a changed block to the copy outside the window. The content is right either way.
 *
 * The stock function runs on everything when there is no synced document, the number of Yjs children is not
 * the synced document's, or a neighbour is not mapped to its block.
 */
export function updateChangedBlocks(
  y: Y.Doc,
  fragment: Y.XmlFragment,
  doc: PmNode,
  meta: UpdateMeta,
  synced: PmNode | null,
): void {
  const stock = (): void => updateYFragment(y, fragment, doc, meta as never);
  if (synced === null || fragment._length !== synced.childCount) return stock();
  const oldCount = synced.childCount;
  const newCount = doc.childCount;
  const min = Math.min(oldCount, newCount);
  let same = 0;
  while (same < min && synced.child(same) === doc.child(same)) same++;
  let sameEnd = 0;
  while (sameEnd < min - same && synced.child(oldCount - 1 - sameEnd) === doc.child(newCount - 1 - sameEnd))
    sameEnd++;
  if (same === oldCount && oldCount === newCount) {
    meta.mapping.set(fragment as never, doc);
    return;
  }
  const before = Math.min(same, NEIGHBOURS);
  const after = Math.min(sameEnd, NEIGHBOURS);
  const offset = same - before;
  const yChildren = childrenBetween(fragment, offset, oldCount - sameEnd + after);
  const pChildren: PmNode[] = [];
  for (let i = offset; i < newCount - sameEnd + after; i++) pChildren.push(doc.child(i));
  const oldMiddle = yChildren.length - before - after;
  const newMiddle = pChildren.length - before - after;
  // The neighbours must be mapped to their blocks (the mapping describes `synced`).
  for (let i = 0; i < before + after; i++) {
    const k = i < before ? i : before + oldMiddle + (i - before);
    const p = i < before ? i : before + newMiddle + (i - before);
    if (yChildren[k] === undefined || meta.mapping.get(yChildren[k] as never) !== pChildren[p])
      return stock();
  }
  const window = {
    toArray: () => yChildren,
    get: (index: number) => fragment.get(offset + index),
    slice: (start: number, end: number) => fragment.slice(offset + start, offset + end),
    delete: (index: number, length: number) => fragment.delete(offset + index, length),
    insert: (index: number, content: Child[]) => fragment.insert(offset + index, content as never),
  };
  // updateYFragment reads a node's type, attrs and content.content (its list of children).
  const part = { type: doc.type, attrs: doc.attrs, content: { content: pChildren } };
  updateYFragment(y, window as never, part as never, meta as never);
  meta.mapping.delete(window as never);
  meta.mapping.set(fragment as never, doc);
}
