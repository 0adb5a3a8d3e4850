import type { Node as PmNode } from '@tiptap/pm/model';
import { diffArrays } from 'diff';

/**
 * Past this many positions of changed content the caret is not looked for by content (a diff of that size
 * per remote change would cost more than the guess it replaces is worth); y-tiptap's own guess stands.
 */
const MAX_DIFFED_POSITIONS = 20_000;

/** How far after the changed stretch a caret still has it diffed with its own symbols (see mapByContent). */
const SLIDE_WINDOW = 64;

/**
 * The stretch where two documents differ: [start, endA) of the old one became [start, endB) of the new one
 * (null when they are the same).
 */
export function changedStretch(
  oldDoc: PmNode,
  newDoc: PmNode,
): { start: number; endA: number; endB: number } | null {
  const start = oldDoc.content.findDiffStart(newDoc.content);
  if (start === null) return null;
  const end = oldDoc.content.findDiffEnd(newDoc.content)!;
  // The common end may overlap the common start (a repeated character): move it past the start.
  const overlap = Math.max(0, start - Math.min(end.a, end.b));
  return { start, endA: end.a + overlap, endB: end.b + overlap };
}

/** One symbol per ProseMirror position in [from, to): a character, or the opening or closing of a node. */
function symbolsBetween(doc: PmNode, from: number, to: number): string[] {
  const symbols: string[] = [];
  for (let pos = from; pos < to; pos++) {
    const $pos = doc.resolve(pos);
    const after = $pos.nodeAfter;
    if (after?.isText) symbols.push(after.text![0]!);
    else if (after) symbols.push(`<${after.type.name}`);
    else symbols.push(`>${$pos.parent.type.name}`);
  }
  return symbols;
}

/**
 * Where position `pos` of `oldDoc` is in `newDoc`, found from their content alone: positions before the
 * first difference stay, positions after the last one move by the size difference, and a position inside the
 * changed stretch is carried through a diff of that stretch (one symbol per position), staying right after
 * the symbol it was after (a caret keeps its side when text is inserted exactly at it). Null when the
 * changed stretch is too big to diff.
 *
 * Used for a caret whose Yjs anchor is gone: a remote Enter in the middle of a paragraph makes y-tiptap
 * delete the text after the split and insert it anew in the next paragraph, so the character a caret there
 * was attached to no longer exists, although the same text does, one paragraph down.
 */
export function mapByContent(oldDoc: PmNode, newDoc: PmNode, pos: number): number | null {
  const stretch = changedStretch(oldDoc, newDoc);
  if (stretch === null || pos <= stretch.start) return pos;
  const { start } = stretch;
  // The common end can also have taken symbols that were typed before the caret as being after it ("b1."
  // then "a3." typed at the caret reads as "b1" + ".a3" + "."): near the end, the caret's stretch is diffed.
  const extend = Math.max(0, pos - stretch.endA);
  if (extend > SLIDE_WINDOW) return pos + stretch.endB - stretch.endA;
  const endA = stretch.endA + extend;
  const endB = stretch.endB + extend;
  if (endA - start + (endB - start) > MAX_DIFFED_POSITIONS) return null;
  const offset = pos - start;
  const after = symbolsBetween(newDoc, start, endB);
  let a = 0;
  let b = 0;
  let added = 0;
  for (const change of diffArrays(symbolsBetween(oldDoc, start, endA), after)) {
    const n = change.count;
    if (change.added) {
      b += n;
      added = n;
      continue;
    }
    if (offset > a && offset <= a + n) {
      // Right after a removed symbol the caret goes where that symbol was.
      if (change.removed) return start + b;
      const j = offset - a;
      // An insertion just before the caret's symbols that could as well have been made after them (the
      // diff cannot tell "b1." + "a3." from "b1" + ".a3" + "."): the caret stays before it.
      let slide = 0;
      while (slide < j && added > 0 && after[b - added + slide] === after[b + slide]) slide++;
      return start + (slide === j ? b - added + j : b + j);
    }
    a += n;
    if (!change.removed) b += n;
    added = 0;
  }
  return start + b;
}
