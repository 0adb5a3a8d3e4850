import { ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/**
 * Text that y-tiptap moves, and the duplicates two concurrent moves of it leave (issue 10).
 *
 * Yjs has no "move": y-tiptap writes an Enter in the middle of a paragraph as "delete the text after the
 * split, insert it anew in the next paragraph" (and a join, Backspace at a paragraph's start, the other way
 * round). Two users pressing Enter at once in one paragraph ("hello world" after "hel" and after "hello wo")
 * then both re-create the text after their split, and the merge holds it twice: "hel" / "lo world" / "rld".
 *
 * So each move is written down in the document, in the Y.Map MOVES_MAP beside the page's fragment: which new
 * characters copy which deleted ones (recordMoves, in the binding's own transaction). Two living characters
 * that copy one original (directly or through copies of copies) are then duplicates, and every editor that
 * may edit the page and sees them deletes all but the last one in document order (watchMoves). Deletes are
 * idempotent in Yjs and "the last living copy" is decided from the document alone, so editors that repair
 * at once converge, and the last copy of all is never deleted by anyone: no text is lost. For the example,
 * "hel" / "lo wo" / "rld" when the later split's paragraph comes second, "hel" / "" / "lo world" when Yjs put
 * it first (its order for two paragraphs inserted at one place is by client id, not by split position).
 */
export const MOVES_MAP = 'moves';

/** Origin of the repair's transaction (not the binding's, so the editor shows it and undo does not take it). */
export const MOVE_REPAIR_ORIGIN = Symbol('hoody-move-repair');

/** Origin of a transaction writing down moves made by another one (see watchMoves). */
const MOVE_RECORD_ORIGIN = Symbol('hoody-move-record');

/** Past this many deleted x inserted runs only runs of equal text are taken for moves (see writeMoves). */
const MAX_COMPARED_PAIRS = 10_000;

/** One UTF-16 unit of text in a Yjs text, as its item id. */
type CharId = Y.ID;

interface Run {
  parent: Y.XmlText;
  text: string;
  ids: CharId[];
}

const idKey = (id: CharId): string => `${id.client}:${id.clock}`;
const parseKey = (key: string): CharId => {
  const [client, clock] = key.split(':');
  return Y.createID(Number(client), Number(clock));
};

const isText = (item: Y.Item): boolean => item.content instanceof Y.ContentString;

/**
 * The runs of `items` (text items of Yjs texts) in document order, each run maximal: it ends at a living
 * character that is not one of them (deleted characters and formatting marks in between do not end it).
 */
function runsOf(items: ReadonlySet<Y.Item>): Run[] {
  const parents = new Set<Y.XmlText>();
  for (const item of items) if (item.parent instanceof Y.XmlText) parents.add(item.parent);
  const runs: Run[] = [];
  for (const parent of parents) {
    let run: Run | null = null;
    for (let item = parent._start; item !== null; item = item.right) {
      if (items.has(item)) {
        run ??= { parent, text: '', ids: [] };
        const text = (item.content as Y.ContentString).str;
        run.text += text;
        for (let i = 0; i < text.length; i++) run.ids.push(Y.createID(item.id.client, item.id.clock + i));
      } else if (!item.deleted && item.countable && run) {
        runs.push(run);
        run = null;
      }
    }
    if (run) runs.push(run);
  }
  return runs;
}

/** Longest common prefix or suffix of two strings: [length, offset in a, offset in b]. */
function commonEnd(a: string, b: string, usedB: ReadonlySet<number>): [number, number, number] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix] && !usedB.has(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < a.length &&
    suffix < b.length &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix] &&
    !usedB.has(b.length - 1 - suffix)
  )
    suffix++;
  return suffix > prefix ? [suffix, a.length - suffix, b.length - suffix] : [prefix, 0, 0];
}

/** An entry's value: [copyClient, copyClock, originalClient, originalClock, length, …] stretches. */
function encodeEntry(copies: CharId[], originals: CharId[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < copies.length; i++) {
    const c = copies[i]!;
    const o = originals[i]!;
    const n = out.length;
    if (
      n > 0 &&
      out[n - 5] === c.client &&
      out[n - 4]! + out[n - 1]! === c.clock &&
      out[n - 3] === o.client &&
      out[n - 2]! + out[n - 1]! === o.clock
    )
      out[n - 1]!++;
    else out.push(c.client, c.clock, o.client, o.clock, 1);
  }
  return out;
}

function* decodeEntry(value: unknown): Generator<[CharId, CharId]> {
  if (!Array.isArray(value)) return;
  for (let i = 0; i + 4 < value.length; i += 5) {
    const [cClient, cClock, oClient, oClock, length] = value.slice(i, i + 5) as number[];
    for (let k = 0; k < length!; k++)
      yield [Y.createID(cClient!, cClock! + k), Y.createID(oClient!, oClock! + k)];
  }
}

/** What one or more local transactions inserted and deleted, as runs of text (strings read before Yjs's gc). */
interface Changes {
  inserted: Run[];
  deleted: Run[];
}

/**
 * The text items `tr` inserted (still living) and deleted (living before it), as runs; with `both`, none
 * unless it did both.
 */
function changesOf(doc: Y.Doc, tr: Y.Transaction, both: boolean): Changes {
  const none: Changes = { inserted: [], deleted: [] };
  if (both && tr.deleteSet.clients.size === 0) return none;
  const client = doc.clientID;
  const before = tr.beforeState.get(client) ?? 0;
  const inserted = new Set<Y.Item>();
  if (before < Y.getState(doc.store, client)) {
    const structs = doc.store.clients.get(client) ?? [];
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const item = structs[i]!;
      if (item instanceof Y.Item && !item.deleted && isText(item)) inserted.add(item);
    }
  }
  if (both && inserted.size === 0) return none;
  const deleted = new Set<Y.Item>();
  for (const [owner, ranges] of tr.deleteSet.clients) {
    const structs = doc.store.clients.get(owner) ?? [];
    const existed = tr.beforeState.get(owner) ?? 0;
    // The transaction's deletes split the items at their bounds: every struct in a range is deleted whole.
    for (const { clock, len } of ranges)
      for (
        let i = Y.findIndexSS(structs, clock);
        i < structs.length && structs[i]!.id.clock < clock + len;
        i++
      ) {
        const item = structs[i]!;
        if (item instanceof Y.Item && isText(item) && item.id.clock < existed) deleted.add(item);
      }
  }
  if (both && deleted.size === 0) return none;
  return { inserted: runsOf(inserted), deleted: runsOf(deleted) };
}

/**
 * Writes down which inserted text re-creates deleted text in another Yjs text: the same text, as a common
 * start or end of a deleted and an inserted run (a split's tail, a join's paragraph).
 */
function writeMoves(doc: Y.Doc, { inserted, deleted }: Changes): void {
  const used = new Map<Run, Set<number>>(inserted.map((run) => [run, new Set<number>()]));
  // Runs of equal text first (a split's tail, a joined paragraph: the usual moves), then, when few enough
  // pairs are left to compare (not a paste over a selection of thousands of blocks), common starts and ends.
  const byText = new Map<string, Run[]>();
  for (const run of inserted) byText.set(run.text, [...(byText.get(run.text) ?? []), run]);
  const pairwise = deleted.length * inserted.length <= MAX_COMPARED_PAIRS;
  const moves = doc.getMap<unknown>(MOVES_MAP);
  for (const gone of deleted) {
    let best: { run: Run; match: [number, number, number] } | null = null;
    const equal = byText
      .get(gone.text)
      ?.find((run) => run.parent !== gone.parent && used.get(run)!.size === 0);
    if (equal) best = { run: equal, match: [gone.text.length, 0, 0] };
    else if (pairwise)
      for (const run of inserted) {
        if (run.parent === gone.parent) continue;
        const match = commonEnd(gone.text, run.text, used.get(run)!);
        if (match[0] > (best?.match[0] ?? 0)) best = { run, match };
      }
    if (!best) continue;
    const [length, inGone, inRun] = best.match;
    // One character in common is a move only when it is all of both runs (an Enter before a last character).
    if (length < 2 && !(gone.text.length === 1 && best.run.text.length === 1)) continue;
    const copies = best.run.ids.slice(inRun, inRun + length);
    for (let i = 0; i < length; i++) used.get(best.run)!.add(inRun + i);
    moves.set(idKey(copies[0]!), encodeEntry(copies, gone.ids.slice(inGone, inGone + length)));
  }
}

/**
 * Writes down the moves of the binding's own transaction `tr` inside it (after it synced the editor's
 * document to Yjs), so they travel in the same update. Nothing is written for a transaction that only types
 * or only deletes.
 */
export function recordMoves(doc: Y.Doc, tr: Y.Transaction): void {
  const changes = changesOf(doc, tr, true);
  if (changes.deleted.length > 0) writeMoves(doc, changes);
}

interface MoveIndex {
  /** Copy character → the character it copies. */
  copyOf: Map<string, string>;
  /** Character → its direct copies. */
  copies: Map<string, string[]>;
  /** Copies written down by others since the last repair: the ones that may have made duplicates. */
  pending: string[];
  canEdit: () => boolean;
}

const watched = new WeakMap<Y.Doc, MoveIndex>();

function addEntry(index: MoveIndex, value: unknown): string[] {
  const added: string[] = [];
  for (const [copy, original] of decodeEntry(value)) {
    const c = idKey(copy);
    const o = idKey(original);
    if (index.copyOf.has(c)) continue;
    index.copyOf.set(c, o);
    const list = index.copies.get(o);
    if (list) list.push(c);
    else index.copies.set(o, [c]);
    added.push(c);
  }
  return added;
}

/** The living text item holding character `id`, or null (deleted, not received yet, not text). */
function livingChar(doc: Y.Doc, id: CharId): Y.Item | null {
  if (id.clock >= Y.getState(doc.store, id.client)) return null;
  const struct = Y.getItem(doc.store, id);
  return struct instanceof Y.Item && !struct.deleted && struct.parent instanceof Y.XmlText ? struct : null;
}

/** Document order of characters: the index of each item in its parent's list, from the root down. */
function orderOf(doc: Y.Doc): (id: CharId) => number[] {
  const lists = new Map<Y.AbstractType<unknown>, Map<Y.Item, number>>();
  const indexIn = (item: Y.Item): number => {
    const parent = item.parent as Y.AbstractType<unknown>;
    let list = lists.get(parent);
    if (!list) {
      list = new Map();
      let i = 0;
      for (let n = parent._start; n !== null; n = n.right) list.set(n, i++);
      lists.set(parent, list);
    }
    return list.get(item) ?? -1;
  };
  return (id) => {
    const item = livingChar(doc, id)!;
    const path = [id.clock - item.id.clock];
    for (let n: Y.Item | null = item; n !== null; n = (n.parent as Y.AbstractType<unknown>)._item)
      path.unshift(indexIn(n));
    return path;
  };
}

function comparePaths(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Deletes the characters `ids` (living text characters), range by range, last first. */
function deleteChars(doc: Y.Doc, ids: CharId[]): void {
  const byParent = new Map<Y.XmlText, Set<string>>();
  for (const id of ids) {
    const parent = livingChar(doc, id)!.parent as Y.XmlText;
    const set = byParent.get(parent) ?? new Set<string>();
    set.add(idKey(id));
    byParent.set(parent, set);
  }
  for (const [parent, set] of byParent) {
    const ranges: [number, number][] = [];
    let index = 0;
    for (let item = parent._start; item !== null; item = item.right) {
      if (item.deleted || !item.countable) continue;
      for (let k = 0; k < item.length; k++, index++) {
        if (!set.has(`${item.id.client}:${item.id.clock + k}`)) continue;
        const last = ranges.at(-1);
        if (last && last[0] + last[1] === index) last[1]++;
        else ranges.push([index, 1]);
      }
    }
    for (const [at, length] of ranges.reverse()) parent.delete(at, length);
  }
}

/** Deletes every living copy but the last one in document order, of each original behind `candidates`. */
function repair(doc: Y.Doc, index: MoveIndex, candidates: string[]): void {
  const roots = new Set<string>();
  for (const candidate of candidates) {
    let root = candidate;
    for (let up = index.copyOf.get(root); up !== undefined; up = index.copyOf.get(root)) root = up;
    roots.add(root);
  }
  const order = orderOf(doc);
  const doomed: CharId[] = [];
  for (const root of roots) {
    const living: { id: CharId; path: number[] }[] = [];
    const stack = [root];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const key = stack.pop()!;
      if (seen.has(key)) continue;
      seen.add(key);
      const id = parseKey(key);
      if (livingChar(doc, id)) living.push({ id, path: order(id) });
      stack.push(...(index.copies.get(key) ?? []));
    }
    if (living.length < 2) continue;
    living.sort((a, b) => comparePaths(a.path, b.path));
    doomed.push(...living.slice(0, -1).map((char) => char.id));
  }
  if (doomed.length > 0) doc.transact(() => deleteChars(doc, doomed), MOVE_REPAIR_ORIGIN);
}

/**
 * Keeps `doc` free of duplicates left by concurrent moves (see MOVES_MAP): after each round of transactions
 * that brought others' moves, and once now for the moves already in it, while `canEdit()` (someone who may
 * not edit the page does not write the repair; an editor who opens it will). Called again for a doc already
 * watched, it only takes the new `canEdit`.
 */
export function watchMoves(doc: Y.Doc, canEdit: () => boolean): void {
  const known = watched.get(doc);
  if (known) {
    known.canEdit = canEdit;
    return;
  }
  const index: MoveIndex = { copyOf: new Map(), copies: new Map(), pending: [], canEdit };
  watched.set(doc, index);
  const moves = doc.getMap<unknown>(MOVES_MAP);
  for (const value of moves.values()) index.pending.push(...addEntry(index, value));
  moves.observe((event) => {
    for (const key of event.keysChanged) {
      const added = addEntry(index, moves.get(key));
      if (!event.transaction.local) index.pending.push(...added);
    }
  });
  // Moves made by other local transactions: y-tiptap, showing a remote change, joins two Yjs texts of one
  // paragraph into one (its fix for ueberdosis/y-prosemirror#160: insert, then delete, two transactions), an
  // undo re-creates what a split took away. Read after each one, written down after the round.
  let local: Changes = { inserted: [], deleted: [] };
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    if (!tr.local || tr.origin === ySyncPluginKey || tr.origin === MOVE_REPAIR_ORIGIN) return;
    if (tr.origin === MOVE_RECORD_ORIGIN) return;
    const changes = changesOf(doc, tr, false);
    local = {
      inserted: [...local.inserted, ...changes.inserted],
      deleted: [...local.deleted, ...changes.deleted],
    };
  });
  const check = (): void => {
    const changes = local;
    local = { inserted: [], deleted: [] };
    if (changes.inserted.length > 0 && changes.deleted.length > 0 && index.canEdit())
      doc.transact(() => writeMoves(doc, changes), MOVE_RECORD_ORIGIN);
    if (index.pending.length === 0) return;
    const candidates = index.pending.splice(0);
    if (index.canEdit()) repair(doc, index, candidates);
  };
  doc.on('afterAllTransactions', check);
  // Not inside the editor's own construction (this runs as its plugin views are made).
  queueMicrotask(check);
}

/**
 * Where character `id` went when a move deleted it: its living copy (the last one in document order, the one
 * a repair keeps), or null when it was not moved or no copy lives. A caret attached to a moved character
 * follows it this way (FollowRemoteEdits).
 */
export function movedTo(doc: Y.Doc, id: CharId): CharId | null {
  const index = watched.get(doc);
  if (!index) return null;
  const living: CharId[] = [];
  const stack = [...(index.copies.get(idKey(id)) ?? [])];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const key = stack.pop()!;
    if (seen.has(key)) continue;
    seen.add(key);
    const copy = parseKey(key);
    if (livingChar(doc, copy)) living.push(copy);
    stack.push(...(index.copies.get(key) ?? []));
  }
  if (living.length < 2) return living[0] ?? null;
  const order = orderOf(doc);
  return living
    .map((copy) => ({ copy, path: order(copy) }))
    .sort((a, b) => comparePaths(a.path, b.path))
    .at(-1)!.copy;
}
