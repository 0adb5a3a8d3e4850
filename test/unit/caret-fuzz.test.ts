import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import BaseCollaboration from '@tiptap/extension-collaboration';
import type { Node as PmNode } from '@tiptap/pm/model';
import { EditorState, TextSelection, type Plugin } from '@tiptap/pm/state';
import { redo, undo, yUndoPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { DOCUMENT_FRAGMENT } from '../../src/shared/crdt/document';
import { editorSchema } from '../../src/shared/editor/extensions';
import { Collaboration } from '../../src/renderer/features/editor/fast-binding';
import { FollowRemoteEdits } from '../../src/renderer/features/editor/follow-remote-edits';
import { MOVES_MAP } from '../../src/renderer/features/editor/moved-text';
import { SafeUndoRedo } from '../../src/renderer/features/editor/undo-redo';
import { HeadlessView } from '../support/headless-view';
import { seededRandom } from '../support/random';

/**
 * A seeded caret fuzz (issue 10): two or three editors on one document — real Yjs, the app's collaboration
 * binding (y-tiptap's sync and undo plugins with fast-binding.ts) and FollowRemoteEdits on ProseMirror states
 * with the app's schema — type, delete and press Enter at random places while the others' updates arrive in
 * random batches. After every delivery:
 * - each user's caret sits right after the text they typed last, when that text survives (no text of others
 *   in between: a caret keeps its side when someone types exactly at it);
 * - each caret is still right after the character it was after before the delivery, when that character
 *   still exists (the same Yjs item);
 * at the end all documents are the same, and nothing typed is lost or doubled: each typed character lives
 * once, itself or as the copy a split or join made of it (moved-text.ts; seeds 1782, 1841, 2766: two users
 * pressing Enter at once in one paragraph both re-created the text after their split, "hello world" became
 * "hel" / "lo world" / "rld"). Covered: a remote Enter anywhere (mid-paragraph before the caret
 * re-creates the text after it as new Yjs items), remote deletes anywhere (right after and right before the
 * caret), typing at exactly another's caret.
 * No browser: a headless stand-in for EditorView (state, dispatch, plugin views; never focused) is all the
 * binding uses. CARET_SEEDS / CARET_FIRST_SEED run other seeds; seeds that failed once are kept in KEPT_SEEDS
 * and run every time.
 *
 * Not asserted: where text typed concurrently into a moved tail ends up (it stays in the first half of the
 * split paragraph, at the split: moved-text.ts does not move it).
 *
 * Known, not fixed (seeds 222, 2289, 2733, 2883 of 1–3000 fail the "lives once" check): y-tiptap's own diff
 * sometimes deletes a whole Yjs paragraph or text and writes its content anew for a small local edit (a
 * paragraph holding two Yjs texts after concurrent typing into an empty one, two empty paragraphs side by
 * side): a character another user typed concurrently into the deleted one is lost, or re-created without a
 * record the check can follow (2883: "2" + "c0." re-written as part of "a1.2.c0").
 */
const SEEDS = Number(process.env.CARET_SEEDS ?? 100);
const FIRST_SEED = Number(process.env.CARET_FIRST_SEED ?? 1);
/**
 * Seeds outside 1–100 that failed while the mapping was being fixed (CARET_FIRST_SEED=101 CARET_SEEDS=3000):
 * 165, 309, 681 (a typed token the content diff could read as typed after the caret), 2248, 2391; 1782,
 * 1841, 2766 (concurrent Enters in one paragraph: text doubled, a caret left behind on the deleted copy).
 */
const KEPT_SEEDS: readonly number[] = [165, 309, 681, 1782, 1841, 2248, 2391, 2766];
const STEPS = 40;
/** How often each check ran (all must, or the fuzz no longer tests what it says). */
const checked = { exact: 0, recreated: 0, sameCharacter: 0, typedChars: 0, undo: 0, redo: 0 };

type PluginsOf = (this: unknown) => Plugin[];

/** The editor's collaboration plugins as DocumentEditor builds them (TipTap's extension context stood in). */
function appPlugins(doc: Y.Doc): Plugin[] {
  const context = {
    options: { document: doc, field: DOCUMENT_FRAGMENT, fragment: null, ySyncOptions: {}, yUndoOptions: {} },
    editor: { options: { enableContentCheck: false } },
    storage: {},
  };
  const base = BaseCollaboration.config.addProseMirrorPlugins as PluginsOf;
  const collaboration = (Collaboration.config.addProseMirrorPlugins as PluginsOf).call({
    ...context,
    parent: () => base.call(context),
  });
  const follow = (FollowRemoteEdits.config.addProseMirrorPlugins as PluginsOf).call({});
  // SafeUndoRedo's selection bookkeeping (its keys need an editor; the fuzz calls y-tiptap's undo/redo).
  const undoSelection = SafeUndoRedo.flatMap((extension) =>
    extension.config.addProseMirrorPlugins
      ? (extension.config.addProseMirrorPlugins as PluginsOf).call({ editor: null })
      : [],
  );
  return [...collaboration, ...follow, ...undoSelection];
}

interface User {
  name: string;
  doc: Y.Doc;
  view: HeadlessView;
  inbox: Uint8Array[];
  /** The token this user typed last, with the Yjs items of its characters as they were typed. */
  last: { text: string; chars: Y.ID[] } | null;
  count: number;
}

const TOKEN = /[abc]\d+\./g;
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const allText = (doc: PmNode) => doc.textBetween(0, doc.content.size, '/');
const occurrences = (text: string, token: string) => text.split(token).length - 1;

/**
 * The Yjs item of the character before `pos` and whether it is still in the document, walked here on the
 * fuzz's flat document (top-level paragraphs of plain text) without y-tiptap's mapping code.
 */
function charBefore(doc: Y.Doc, pm: PmNode, pos: number): Y.ID | null {
  const $pos = pm.resolve(pos);
  if ($pos.depth !== 1 || $pos.parentOffset === 0) return null;
  const block = doc.getXmlFragment(DOCUMENT_FRAGMENT).get($pos.index(0));
  const text = block instanceof Y.XmlElement ? block.get(0) : null;
  if (!(text instanceof Y.XmlText)) return null;
  let index = $pos.parentOffset - 1;
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue;
    if (index < item.length) return Y.createID(item.id.client, item.id.clock + index);
    index -= item.length;
  }
  return null;
}

/** Where the character `id` is now, as the ProseMirror position after it (null when deleted). */
function positionAfter(doc: Y.Doc, pm: PmNode, id: Y.ID): number | null {
  if ((Y.getItem(doc.store, id) as Y.Item).deleted) return null;
  const fragment = doc.getXmlFragment(DOCUMENT_FRAGMENT);
  let pos = 0;
  for (let i = 0; i < pm.childCount; i++) {
    const block = fragment.get(i);
    const text = block instanceof Y.XmlElement ? block.get(0) : null;
    if (text instanceof Y.XmlText) {
      let offset = 0;
      for (let n = text._start; n !== null; n = n.right) {
        if (n.deleted || !n.countable) continue;
        const inside = id.clock - n.id.clock;
        if (n.id.client === id.client && inside >= 0 && inside < n.length)
          return pos + 1 + offset + inside + 1;
        offset += n.length;
      }
    }
    pos += pm.child(i).nodeSize;
  }
  return null;
}

const undoManagerOf = (view: HeadlessView): Y.UndoManager =>
  (yUndoPluginKey.getState(view.state) as { undoManager: Y.UndoManager }).undoManager;

const key = (id: Y.ID) => `${id.client}:${id.clock}`;

/** The moves written down in `doc` (moved-text.ts: stretches of copy client, clock, original client, clock, length). */
function movesOf(doc: Y.Doc): { copyOf: Map<string, string>; copies: Map<string, string[]> } {
  const copyOf = new Map<string, string>();
  const copies = new Map<string, string[]>();
  for (const value of doc.getMap<number[]>(MOVES_MAP).values())
    for (let i = 0; i < value.length; i += 5) {
      const [cClient, cClock, oClient, oClock, length] = value.slice(i, i + 5) as [
        number,
        number,
        number,
        number,
        number,
      ];
      for (let k = 0; k < length; k++) {
        const copy = `${cClient}:${cClock + k}`;
        const original = `${oClient}:${oClock + k}`;
        copyOf.set(copy, original);
        copies.set(original, [...(copies.get(original) ?? []), copy]);
      }
    }
  return { copyOf, copies };
}

function rootOf(moves: ReturnType<typeof movesOf>, char: string): string {
  let root = char;
  for (let up = moves.copyOf.get(root); up !== undefined; up = moves.copyOf.get(root)) root = up;
  return root;
}

/** How many of `root` and its copies (and theirs) are living characters. */
function livingCopies(doc: Y.Doc, moves: ReturnType<typeof movesOf>, root: string): number {
  let living = 0;
  const stack = [root];
  while (stack.length > 0) {
    const char = stack.pop()!;
    const [client, clock] = char.split(':').map(Number) as [number, number];
    if (!(Y.getItem(doc.store, Y.createID(client, clock)) as Y.Item).deleted) living++;
    stack.push(...(moves.copies.get(char) ?? []));
  }
  return living;
}

async function runSeed(seed: number, withUndo = false): Promise<void> {
  const random = seededRandom(seed);
  // Undo and redo draw from a stream of their own, so without them a seed replays as it always did.
  const undoRandom = seededRandom(seed + 1_000_003);
  const int = (n: number) => Math.floor(random() * n);
  const schema = editorSchema();
  const users: User[] = [];
  const names = seed % 3 === 0 ? ['a', 'b', 'c'] : ['a', 'b'];
  for (const [index, name] of names.entries()) {
    const doc = new Y.Doc();
    // Fixed Yjs clients: which of two concurrent inserts comes first depends on them, so a seed replays.
    doc.clientID = index + 1;
    const state = EditorState.create({ schema, plugins: appPlugins(doc) });
    users.push({ name, doc, view: new HeadlessView(state), inbox: [], last: null, count: 0 });
  }
  for (const user of users)
    user.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'remote') return;
      for (const other of users) if (other !== user) other.inbox.push(update);
    });
  await tick();
  /** Tokens a delete cut into (their text may come back from pieces, e.g. "a1" + "." of another). */
  const dead = new Set<string>();
  /** The Yjs items of every character typed, and of every character a user deleted. */
  const typedChars: Y.ID[] = [];
  const deletedChars: Y.ID[] = [];
  const [first] = users as [User];
  first.view.dispatch(first.view.state.tr.insertText('start'));
  const deliver = (to: User, all: boolean): void => {
    const n = all ? to.inbox.length : int(to.inbox.length + 1);
    const batch = to.inbox.splice(0, n);
    if (batch.length > 0) Y.applyUpdate(to.doc, Y.mergeUpdates(batch), 'remote');
  };
  for (const user of users) deliver(user, true);
  const describeAt = (user: User) => {
    const { state } = user.view;
    const { head } = state.selection;
    return `…${state.doc.textBetween(Math.max(0, head - 30), head, '/')}|${state.doc.textBetween(head, Math.min(state.doc.content.size, head + 10), '/')} in ${JSON.stringify(allText(state.doc))}`;
  };
  const checkToken = (user: User, step: number): void => {
    const { state } = user.view;
    const { last } = user;
    if (!last) return;
    const { head } = state.selection;
    const at = last.chars.map((char) => positionAfter(user.doc, state.doc, char));
    const message = `seed ${seed}, step ${step}: ${user.name}'s caret left its text ${last.text}: ${describeAt(user)}`;
    if (at.every((pos, i) => pos !== null && (i === 0 || pos === at[i - 1]! + 1))) {
      // The very characters typed, still side by side: the caret is right after the last one.
      assert.equal(head, at.at(-1), message);
      checked.exact++;
    } else if (at.every((pos) => pos === null)) {
      // All gone: re-created by a split before it (the same text, new Yjs items), unless a delete cut it.
      if (dead.has(last.text) || occurrences(allText(state.doc), last.text) !== 1) return;
      assert.ok(state.doc.textBetween(Math.max(0, head - 40), head, '/').endsWith(last.text), message);
      checked.recreated++;
    }
  };
  /** Tokens of the text between from and to, cut or deleted whole by a delete there. */
  const markCut = (doc: PmNode, from: number, to: number): void => {
    doc.descendants((node, pos) => {
      if (!node.isTextblock) return true;
      for (const match of node.textContent.matchAll(TOKEN)) {
        const start = pos + 1 + match.index;
        if (start < to && start + match[0].length > from) dead.add(match[0]);
      }
      return false;
    });
  };
  /**
   * Mod+Z or Mod+Shift+Z: it takes back or brings back only this user's own change (its Yjs transaction
   * deletes only text this user typed), never throws, and the others' carets stay on their characters when
   * it arrives (checked with every delivery after it). Not asserted here: where the undoing user's caret
   * goes (undo-redo.test.ts e2e does); seed 33 with undo puts it one character before the change (the undo
   * of an Enter at a paragraph's end leaves the caret before that paragraph's last character), not fixed.
   */
  const undoOrRedo = (user: User, step: number): void => {
    const manager = undoManagerOf(user.view);
    const redoing = undoRandom() < 0.4;
    if ((redoing ? manager.redoStack : manager.undoStack).length === 0) return;
    const foreign: string[] = [];
    const record = (tr: Y.Transaction) => {
      if (tr.origin !== manager) return;
      Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
        if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentString)) return;
        if (struct.id.client !== user.doc.clientID) foreign.push(struct.content.str);
        for (let i = 0; i < struct.length; i++)
          deletedChars.push(Y.createID(struct.id.client, struct.id.clock + i));
      });
    };
    user.doc.on('afterTransaction', record);
    (redoing ? redo : undo)(user.view.state);
    user.doc.off('afterTransaction', record);
    const what = `seed ${seed}, step ${step}: ${user.name}'s ${redoing ? 'redo' : 'undo'}`;
    assert.deepEqual(foreign, [], `${what} deleted others' text: ${describeAt(user)}`);
    user.last = null;
    checked[redoing ? 'redo' : 'undo']++;
    for (const other of users) {
      if (other === user) continue;
      const { state: was } = other.view;
      const char = charBefore(other.doc, was.doc, was.selection.head);
      const batch = other.inbox.splice(0, Math.floor(undoRandom() * (other.inbox.length + 1)));
      if (batch.length > 0) Y.applyUpdate(other.doc, Y.mergeUpdates(batch), 'remote');
      const expected = char === null ? null : positionAfter(other.doc, other.view.state.doc, char);
      assert.ok(
        expected === null || other.view.state.selection.head === expected,
        `${what} moved ${other.name}'s caret off its character (${other.view.state.selection.head}, not ${expected}): ${describeAt(other)}`,
      );
    }
  };
  for (let step = 0; step < STEPS; step++) {
    const user = users[int(users.length)]!;
    const { state } = user.view;
    const size = state.doc.content.size;
    const action = int(10);
    if (action < 6 || size <= 2) {
      // Type a unique token where the caret is (a user going on typing) or at a random position.
      const token = `${user.name}${user.count++}.`;
      const at = action < 3 ? state.selection.head : 1 + int(size - 1);
      const tr = state.tr.setSelection(TextSelection.near(state.doc.resolve(at)));
      tr.insertText(token);
      user.view.dispatch(tr);
      const end = user.view.state.selection.head;
      const chars = [...token].map((_, i) =>
        charBefore(user.doc, user.view.state.doc, end - token.length + i + 1),
      );
      user.last = chars.every((char) => char !== null) ? { text: token, chars } : null;
      for (const char of chars) if (char) typedChars.push(char);
    } else if (action < 8) {
      // Delete one to three characters: Backspace at one's own caret, or a selection anywhere (it may be
      // right after or right before another user's caret).
      const $at = state.doc.resolve(action === 6 ? state.selection.head : 1 + int(size - 1));
      const to = $at.parent.isTextblock
        ? Math.min($at.end(), $at.pos + (action === 6 ? 0 : int(3)))
        : $at.pos;
      const from = Math.max($at.start(), to - 1 - int(3));
      if (from >= to) continue;
      markCut(state.doc, from, to);
      // The characters Yjs deleted (y-tiptap's text diff may take an equal neighbour of the one selected).
      const record = (tr: Y.Transaction) =>
        Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
          for (let i = 0; i < struct.length; i++)
            deletedChars.push(Y.createID(struct.id.client, struct.id.clock + i));
        });
      user.doc.on('afterTransaction', record);
      user.view.dispatch(state.tr.delete(from, to));
      user.doc.off('afterTransaction', record);
      user.last = null;
    } else if (action === 8) {
      // Enter anywhere in a paragraph (the caret goes to the new paragraph's start).
      const at = 1 + int(size - 1);
      const $at = state.doc.resolve(at);
      if (!$at.parent.isTextblock) continue;
      user.view.dispatch(state.tr.setSelection(TextSelection.create(state.doc, at)).split(at));
      user.last = null;
    } else {
      // Click somewhere else: the caret moves, nothing is typed.
      const $at = state.doc.resolve(1 + int(size - 1));
      user.view.dispatch(state.tr.setSelection(TextSelection.near($at)));
      user.last = null;
    }
    for (const other of users) {
      const { state: before } = other.view;
      const char = charBefore(other.doc, before.doc, before.selection.head);
      deliver(other, false);
      const { state: after } = other.view;
      const expected = char === null ? null : positionAfter(other.doc, after.doc, char);
      if (expected !== null) checked.sameCharacter++;
      assert.ok(
        expected === null || after.selection.head === expected,
        `seed ${seed}, step ${step}: ${other.name}'s caret is no longer after the character it was after (${after.selection.head}, not ${expected}): ${describeAt(other)}`,
      );
      checkToken(other, step);
    }
    // Each action is its own undo step (Yjs merges steps by wall time otherwise: seeds would not replay).
    for (const { view } of users) undoManagerOf(view).stopCapturing();
    if (withUndo && undoRandom() < 0.25) undoOrRedo(users[Math.floor(undoRandom() * users.length)]!, step);
  }
  for (const user of users) deliver(user, true);
  for (const user of users) checkToken(user, STEPS);
  for (const user of users.slice(1))
    assert.deepEqual(
      user.view.state.doc.toJSON(),
      first.view.state.doc.toJSON(),
      `seed ${seed}: documents differ`,
    );
  // Nothing typed is lost or doubled (two concurrent splits of one paragraph both re-created the text after
  // them): each typed character lives exactly once, itself or as the copy a split or join made of it
  // (moved-text.ts writes those down), or at most once when a user deleted it (a delete concurrent with a
  // move of that text may have come too late for the copy).
  const copies = movesOf(first.doc);
  const deletedRoots = new Set(deletedChars.map((id) => rootOf(copies, key(id))));
  for (const char of typedChars) {
    const root = rootOf(copies, key(char));
    const living = livingCopies(first.doc, copies, root);
    const message = `seed ${seed}: typed character ${key(char)} (root ${root}) lives ${living} times in ${JSON.stringify(allText(first.view.state.doc))}`;
    if (deletedRoots.has(root) || withUndo) assert.ok(living <= 1, message);
    else assert.equal(living, 1, message);
    checked.typedChars++;
  }
  for (const user of users) user.view.destroy();
}

describe('caret fuzz: editors typing, deleting and splitting at once (real Yjs + y-tiptap + ProseMirror)', () => {
  it(`${SEEDS} seeds from ${FIRST_SEED}, and the kept failing seeds`, async (t) => {
    const seeds = [...KEPT_SEEDS, ...Array.from({ length: SEEDS }, (_, i) => FIRST_SEED + i)];
    const failures: string[] = [];
    for (const seed of seeds)
      for (const withUndo of [false, true])
        await runSeed(seed, withUndo).catch((error: unknown) =>
          failures.push(`${withUndo ? '(with undo) ' : ''}${(error as Error).message}`),
        );
    assert.deepEqual(failures, [], `${failures.length} of ${seeds.length} seeds failed`);
    t.diagnostic(`checks: ${JSON.stringify(checked)}`);
    for (const [name, count] of Object.entries(checked)) assert.ok(count > 0, `the ${name} check ran`);
  });
});

describe('concurrent Enters in one paragraph (moved-text.ts)', () => {
  /** Two editors on "hello world"; each presses Enter once before seeing the other's. */
  async function splitAtOnce(first: number, second: number, clients: [number, number]) {
    const schema = editorSchema();
    const editors = clients.map((clientID) => {
      const doc = new Y.Doc();
      doc.clientID = clientID;
      const view = new HeadlessView(EditorState.create({ schema, plugins: appPlugins(doc) }));
      return { doc, view };
    });
    await tick();
    const [a, b] = editors as [(typeof editors)[0], (typeof editors)[0]];
    a.view.dispatch(a.view.state.tr.insertText('hello world'));
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc), 'remote');
    const svA = Y.encodeStateVector(a.doc);
    const svB = Y.encodeStateVector(b.doc);
    a.view.dispatch(
      a.view.state.tr.setSelection(TextSelection.create(a.view.state.doc, 1 + first)).split(1 + first),
    );
    b.view.dispatch(
      b.view.state.tr.setSelection(TextSelection.create(b.view.state.doc, 1 + second)).split(1 + second),
    );
    const fromA = Y.encodeStateAsUpdate(a.doc, svA);
    const fromB = Y.encodeStateAsUpdate(b.doc, svB);
    Y.applyUpdate(b.doc, fromA, 'remote');
    Y.applyUpdate(a.doc, fromB, 'remote');
    // Each repaired on its own; their repairs cross as well (deletes of the same characters: idempotent).
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc), 'remote');
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc), 'remote');
    const paragraphs = editors.map(({ view }) => {
      const out: string[] = [];
      view.state.doc.forEach((node) => out.push(node.textContent));
      return out;
    });
    for (const { view } of editors) view.destroy();
    return paragraphs;
  }

  it('keep the text once, in order, whichever paragraph Yjs puts first', async () => {
    // Yjs orders the two new paragraphs by client id: the later split's paragraph second, then first.
    const [laterSecondA, laterSecondB] = await splitAtOnce(3, 8, [1, 2]);
    assert.deepEqual(laterSecondA, ['hel', 'lo wo', 'rld']);
    assert.deepEqual(laterSecondB, laterSecondA);
    const [laterFirstA, laterFirstB] = await splitAtOnce(3, 8, [2, 1]);
    assert.deepEqual(laterFirstA, ['hel', '', 'lo world']);
    assert.deepEqual(laterFirstB, laterFirstA);
  });
});
