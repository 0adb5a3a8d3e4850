import { Extension } from '@tiptap/core';
import { Fragment, Slice, type Node as PmNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

/**
 * Stable block ids (`attrs.id`), kept unique in work proportional to what a transaction changed.
 *
 * TipTap's UniqueID (which still defines the attribute and strips ids from pasted and copy-dropped content)
 * is turned off for ordinary transactions (`filterTransaction` in extensions.ts): per changed node it scans
 * every new id for duplicates and inverts the whole mapping, and it names each new node in a step of its
 * own, which every other plugin then walks again — a 20,000-line paste never finished (issue 10). Here:
 *  - pasted and dropped content gets its ids in `transformPasted`, inside the paste's one step;
 *  - after a local change, only the top-level blocks between the first and last difference of the old and new
 *    document are looked at (found by node identity, so untouched blocks cost a pointer comparison): a block
 *    without an id gets one, and of blocks sharing an id (a split) the first one with content keeps it.
 * Remote changes (y-sync) carry the ids their author gave.
 */
export interface BlockIdsOptions {
  types: readonly string[];
  generateID: () => string;
}

const key = new PluginKey('blockIds');

interface Found {
  node: PmNode;
  pos: number;
}

/** The blocks with an id type that overlap the part of `next` that differs from `previous`. */
function changedBlocks(previous: PmNode, next: PmNode, types: ReadonlySet<string>): Found[] {
  const start = previous.content.findDiffStart(next.content);
  if (start === null) return [];
  const end = previous.content.findDiffEnd(next.content);
  const endB = end ? end.b : next.content.size;
  // One position wider on each side: a split copies the block's id to its new neighbour, and the half that
  // is unchanged (equal to the old block) lies just outside the difference.
  // Then out to whole top-level blocks: splitting a list item copies its paragraph's id into the new item,
  // and the twin paragraph (in the old item) ends exactly where the difference starts, so a window of one
  // position misses it and the duplicate survived (persistence.test saw three blocks sharing one id).
  const $from = next.resolve(Math.max(Math.min(start, endB) - 1, 0));
  const $to = next.resolve(Math.min(Math.max(start, endB) + 1, next.content.size));
  const from = $from.depth > 0 ? $from.before(1) : $from.pos;
  const to = $to.depth > 0 ? $to.after(1) : $to.pos;
  const found: Found[] = [];
  next.nodesBetween(from, to, (node, pos) => {
    if (types.has(node.type.name)) found.push({ node, pos });
    return !node.isTextblock;
  });
  return found;
}

/** The steps that give every block in `found` an id of its own (none when nothing needs one). */
function assignIds(
  tr: Transaction,
  found: readonly Found[],
  generateID: () => string,
  attribute = 'id',
): void {
  const holders = new Map<string, Found[]>();
  for (const entry of found) {
    const id = entry.node.attrs[attribute] as unknown;
    if (typeof id !== 'string' || id === '') {
      tr.setNodeMarkup(entry.pos, undefined, { ...entry.node.attrs, [attribute]: generateID() });
      continue;
    }
    const list = holders.get(id);
    if (list) list.push(entry);
    else holders.set(id, [entry]);
  }
  for (const list of holders.values()) {
    if (list.length < 2) continue;
    const keeper = list.find((entry) => entry.node.content.size > 0) ?? list[0]!;
    for (const entry of list)
      if (entry !== keeper)
        tr.setNodeMarkup(entry.pos, undefined, { ...entry.node.attrs, [attribute]: generateID() });
  }
}

/**
 * A copy of `fragment` where every block of an id type without an id, or with one already used earlier in
 * the slice, has a fresh one. UniqueID has already cleared the ids of pasted and copy-dropped content; a
 * block moved by dragging keeps its id (comments are anchored to it).
 */
function withIds(
  fragment: Fragment,
  types: ReadonlySet<string>,
  generateID: () => string,
  seen: Set<string>,
): Fragment {
  const children: PmNode[] = [];
  fragment.forEach((node) => {
    const content = node.isLeaf ? node.content : withIds(node.content, types, generateID, seen);
    if (!types.has(node.type.name)) {
      children.push(content === node.content ? node : node.copy(content));
      return;
    }
    const id = node.attrs.id as unknown;
    const keep = typeof id === 'string' && id !== '' && !seen.has(id);
    const next = keep ? id : generateID();
    seen.add(next);
    children.push(
      keep && content === node.content
        ? node
        : node.type.create({ ...node.attrs, id: next }, content, node.marks),
    );
  });
  return children.every((child, i) => child === fragment.maybeChild(i)) ? fragment : Fragment.from(children);
}

/** The ProseMirror plugin behind `BlockIds` (exported for tests without an editor view). */
export function blockIdsPlugin(types: ReadonlySet<string>, generateID: () => string): Plugin {
  return new Plugin({
    key,
    appendTransaction(transactions: readonly Transaction[], oldState: EditorState, newState: EditorState) {
      if (!transactions.some((tr) => tr.docChanged)) return null;
      if (transactions.some((tr) => tr.getMeta(ySyncPluginKey) !== undefined)) return null;
      const tr = newState.tr;
      assignIds(tr, changedBlocks(oldState.doc, newState.doc, types), generateID);
      return tr.docChanged ? tr : null;
    },
    props: {
      transformPasted: (slice: Slice) =>
        new Slice(withIds(slice.content, types, generateID, new Set()), slice.openStart, slice.openEnd),
    },
  });
}

export const BlockIds = Extension.create<BlockIdsOptions>({
  name: 'blockIds',
  addOptions() {
    return { types: [], generateID: () => '' };
  },
  addProseMirrorPlugins() {
    return [blockIdsPlugin(new Set(this.options.types), this.options.generateID)];
  },
});
