import type { Node as PmNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
} from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import type { CommentAnchorInput } from '../../../shared/api/comments';

/**
 * Comment anchors in the editor. A thread's anchor (the API's text-range: block ids, offsets inside those
 * blocks, the quoted text and a little context) is found in the document once, then held as Yjs relative
 * positions, which stay on the same characters while anyone edits around them: the highlight follows the text,
 * whoever types. Text whose offsets moved since the anchor was stored is found again by its quote; a quote found
 * nowhere, or a range whose text was deleted, is orphaned (the panel says so). Decorations only.
 */

type TextRange = Extract<CommentAnchorInput, { type: 'text-range' }>;
const CONTEXT_CHARS = 32;

export interface AnchoredThread {
  id: string;
  anchor: CommentAnchorInput | null;
  resolved: boolean;
}

interface Tracked {
  id: string;
  key: string;
  resolved: boolean;
  from: Y.RelativePosition | null;
  to: Y.RelativePosition | null;
  /** A text-range anchor (a document or block anchor is not highlighted). */
  text: boolean;
  /** Looked for in the document (not yet while the editor is not bound to its Y.Doc). */
  placed: boolean;
}

export interface AnchorsState {
  tracked: Tracked[];
  active: string | null;
  /** Where each placed thread is now: null when its text is gone (orphaned). */
  ranges: ReadonlyMap<string, { from: number; to: number } | null>;
  decorations: DecorationSet;
}

type Meta = { threads: readonly AnchoredThread[] } | { active: string | null };

export const commentAnchorsKey = new PluginKey<AnchorsState>('commentAnchors');

interface YState {
  doc: Y.Doc;
  type: Y.XmlFragment;
  binding: { mapping: Map<unknown, unknown> } | null;
}
const yState = (state: EditorState): YState | null => {
  const y = ySyncPluginKey.getState(state) as YState | undefined;
  return y?.binding && y.binding.mapping.size > 0 ? y : null;
};

/** The textblock with this id and where it starts. */
function findBlock(doc: PmNode, id: string): { node: PmNode; pos: number } | null {
  let found: { node: PmNode; pos: number } | null = null;
  doc.descendants((node, pos) => {
    if (found) return false;
    if (node.isTextblock && node.attrs.id === id) found = { node, pos };
    return !node.isTextblock;
  });
  return found;
}

/** The anchor of a selection: the textblocks (with ids) at both ends, offsets inside them, quote and context. */
export function anchorOfSelection(state: EditorState): TextRange | null {
  const { from, to, empty } = state.selection;
  if (empty) return null;
  const $from = state.doc.resolve(from);
  const $to = state.doc.resolve(to);
  const startBlockId: unknown = $from.parent.attrs.id;
  const endBlockId: unknown = $to.parent.attrs.id;
  if (!$from.parent.isTextblock || !$to.parent.isTextblock) return null;
  if (typeof startBlockId !== 'string' || typeof endBlockId !== 'string') return null;
  const quote = state.doc.textBetween(from, to, '\n', '\ufffc');
  if (quote.trim() === '') return null;
  return {
    type: 'text-range',
    startBlockId,
    startOffset: $from.parentOffset,
    endBlockId,
    endOffset: $to.parentOffset,
    quote: quote.slice(0, 10_000),
    contextBefore: state.doc.textBetween($from.start(), from, '\n', '\ufffc').slice(-CONTEXT_CHARS),
    contextAfter: state.doc.textBetween(to, $to.end(), '\n', '\ufffc').slice(0, CONTEXT_CHARS),
  };
}

/** Where an anchor is in `doc`: its blocks and offsets if the quote is still there, else its quote found again. */
export function locate(doc: PmNode, anchor: TextRange): { from: number; to: number } | null {
  const start = findBlock(doc, anchor.startBlockId);
  const end = anchor.endBlockId === anchor.startBlockId ? start : findBlock(doc, anchor.endBlockId);
  const quote = anchor.quote;
  if (start && end) {
    const from = start.pos + 1 + Math.min(anchor.startOffset, start.node.content.size);
    const to = end.pos + 1 + Math.min(anchor.endOffset, end.node.content.size);
    if (from < to && (quote === undefined || doc.textBetween(from, to, '\n', '\ufffc') === quote))
      return { from, to };
  }
  if (!quote || quote.includes('\n')) return null;
  return findQuote(doc, anchor, quote);
}

/**
 * The quote found again after its offsets stopped matching. A wrong place is worse than none (the thread would
 * silently discuss other text), so a match must be evidenced: in the anchor's own block any occurrence will do
 * (the best by context); in another block (the anchor's block was deleted or retyped) only one whose context
 * matches where the anchor had context (or, for a quote that was a whole block, a whole block). The best
 * candidate must also be the only one with its score: two equally likely places are ambiguous, and the
 * thread is shown detached (never lost) until someone re-anchors it.
 */
function findQuote(doc: PmNode, anchor: TextRange, quote: string): { from: number; to: number } | null {
  const wantBefore = anchor.contextBefore ?? '';
  const wantAfter = anchor.contextAfter ?? '';
  let best: { from: number; to: number; score: number } | null = null;
  let tied = false;
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    const text = node.textBetween(0, node.content.size, '\n', '\ufffc');
    const ownBlock = node.attrs.id === anchor.startBlockId;
    for (let i = text.indexOf(quote); i !== -1; i = text.indexOf(quote, i + 1)) {
      const before = text.slice(Math.max(0, i - CONTEXT_CHARS), i);
      const after = text.slice(i + quote.length, i + quote.length + CONTEXT_CHARS);
      // Context counts where the anchor had some; an empty one matches only the block's edge.
      const beforeMatches = wantBefore === '' ? before === '' : before.endsWith(wantBefore);
      const afterMatches = wantAfter === '' ? after === '' : after.startsWith(wantAfter);
      const evidenced =
        ownBlock ||
        (beforeMatches && afterMatches) ||
        (wantBefore !== '' && beforeMatches) ||
        (wantAfter !== '' && afterMatches);
      if (!evidenced) continue;
      const score = (ownBlock ? 4 : 0) + (beforeMatches ? 2 : 0) + (afterMatches ? 1 : 0);
      const candidate = { from: pos + 1 + i, to: pos + 1 + i + quote.length, score };
      if (!best || score > best.score) {
        best = candidate;
        tied = false;
      } else if (score === best.score) tied = true;
    }
    return false;
  });
  const found = best as { from: number; to: number } | null;
  return found && !tied ? { from: found.from, to: found.to } : null;
}

function place(state: EditorState, thread: AnchoredThread, y: YState | null): Tracked {
  const key = JSON.stringify(thread.anchor);
  const unplaced = { id: thread.id, key, resolved: thread.resolved, from: null, to: null, text: true };
  if (thread.anchor?.type !== 'text-range') return { ...unplaced, text: false, placed: true };
  if (!y) return { ...unplaced, placed: false };
  const range = locate(state.doc, thread.anchor);
  if (!range) return { ...unplaced, placed: true };
  const mapping = y.binding!.mapping as never;
  return {
    ...unplaced,
    placed: true,
    from: absolutePositionToRelativePosition(range.from, y.type, mapping),
    to: absolutePositionToRelativePosition(range.to, y.type, mapping),
  };
}

function absolute(y: YState, rel: Y.RelativePosition | null): number | null {
  if (!rel) return null;
  try {
    return relativePositionToAbsolutePosition(y.doc, y.type, rel, y.binding!.mapping as never);
  } catch {
    return null;
  }
}

function decorate(
  state: EditorState,
  tracked: Tracked[],
  active: string | null,
  ranges: Map<string, { from: number; to: number } | null>,
): AnchorsState {
  const decorations: Decoration[] = [];
  for (const t of tracked) {
    const range = ranges.get(t.id);
    if (!range || t.resolved) continue;
    decorations.push(
      Decoration.inline(range.from, range.to, {
        class: t.id === active ? 'comment-anchor comment-anchor-active' : 'comment-anchor',
        'data-thread-id': t.id,
      }),
    );
  }
  return {
    tracked,
    active,
    ranges,
    decorations: decorations.length ? DecorationSet.create(state.doc, decorations) : DecorationSet.empty,
  };
}

/** Every range from the Yjs relative positions (the Y.Doc must already hold the state's text). */
function build(state: EditorState, tracked: Tracked[], active: string | null): AnchorsState {
  const y = yState(state);
  // Threads read before the editor was bound to its Y.Doc are placed now.
  const placed = tracked.map((t) =>
    !t.placed && y ? place(state, { ...t, anchor: JSON.parse(t.key) as CommentAnchorInput }, y) : t,
  );
  const ranges = new Map<string, { from: number; to: number } | null>();
  if (y)
    for (const t of placed) {
      if (!t.placed || !t.text) continue;
      const from = absolute(y, t.from);
      const to = absolute(y, t.to);
      ranges.set(t.id, from !== null && to !== null && from < to ? { from, to } : null);
    }
  return decorate(state, placed, active, ranges);
}

/**
 * A local edit: y-tiptap writes it into the Y.Doc only after this state is applied, so the relative positions
 * would still resolve against the text before it. The ranges are mapped through the edit instead (text typed at
 * either edge stays outside); the relative positions stay valid and are read again on the next remote change.
 */
function mapLocal(tr: Transaction, value: AnchorsState, state: EditorState): AnchorsState {
  const ranges = new Map<string, { from: number; to: number } | null>();
  for (const [id, range] of value.ranges) {
    if (!range) {
      ranges.set(id, null);
      continue;
    }
    const from = tr.mapping.map(range.from, 1);
    const to = tr.mapping.map(range.to, -1);
    ranges.set(id, from < to ? { from, to } : null);
  }
  return decorate(state, value.tracked, value.active, ranges);
}

const fromYjs = (tr: Transaction): boolean =>
  (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true;

const EMPTY: AnchorsState = {
  tracked: [],
  active: null,
  ranges: new Map(),
  decorations: DecorationSet.empty,
};

/** The anchors plugin; `onActivate` gets a thread's id when its highlighted text is clicked. */
export function commentAnchorsPlugin(onActivate: (threadId: string) => void): Plugin<AnchorsState> {
  return new Plugin<AnchorsState>({
    key: commentAnchorsKey,
    state: {
      init: () => EMPTY,
      apply(tr: Transaction, value: AnchorsState, _old, state): AnchorsState {
        const meta = tr.getMeta(commentAnchorsKey) as Meta | undefined;
        if (meta && 'threads' in meta) {
          const y = yState(state);
          // A thread already tracked keeps its relative positions (they follow the text better than the
          // stored offsets, which were right when the anchor was written).
          const byId = new Map(value.tracked.map((t) => [t.id, t]));
          const tracked = meta.threads.map((thread) => {
            const known = byId.get(thread.id);
            return known && known.key === JSON.stringify(thread.anchor) && known.placed
              ? { ...known, resolved: thread.resolved }
              : place(state, thread, y);
          });
          return build(state, tracked, value.active);
        }
        if (meta && 'active' in meta)
          return decorate(state, value.tracked, meta.active, new Map(value.ranges));
        if (!tr.docChanged && value.tracked.every((t) => t.placed)) return value;
        if (tr.docChanged && !fromYjs(tr) && value.tracked.every((t) => t.placed))
          return mapLocal(tr, value, state);
        return build(state, value.tracked, value.active);
      },
    },
    props: {
      decorations: (state) => commentAnchorsKey.getState(state)?.decorations,
      handleClick(view, pos) {
        const ranges = commentAnchorsKey.getState(view.state)?.ranges;
        for (const [id, range] of ranges ?? [])
          if (range && pos >= range.from && pos <= range.to) {
            onActivate(id);
            return false;
          }
        return false;
      },
    },
  });
}
