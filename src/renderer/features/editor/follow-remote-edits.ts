import { Extension } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, TextSelection, type EditorState, type Selection } from '@tiptap/pm/state';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { changedStretch, mapByContent } from './caret-mapping';
import { movedTo } from './moved-text';

interface RelativeSelection {
  type: string;
  anchor: Y.RelativePosition | null;
  head: Y.RelativePosition | null;
}

interface SyncState {
  doc: Y.Doc;
  type: Y.XmlFragment;
  binding: { mapping: Map<unknown, unknown>; beforeTransactionSelection: RelativeSelection | null } | null;
}

/** The character a relative position is attached to, after following undo's re-creations, and its item. */
function attachedChar(doc: Y.Doc, id: Y.ID): { id: Y.ID; item: Y.Item } | null {
  let next: Y.ID = id;
  for (;;) {
    if (next.clock >= Y.getState(doc.store, next.client)) return null;
    const item = Y.getItem(doc.store, next);
    if (!(item instanceof Y.Item)) return null;
    const offset: number = next.clock - item.id.clock;
    if (item.redone === null) return { id: next, item };
    next = Y.createID(item.redone.client, item.redone.clock + offset);
  }
}

/**
 * Where a selection endpoint captured before a remote change is now, or null when the character (or block)
 * it was attached to is gone: then y-tiptap's own guess stands. A character that a split or join moved to
 * another paragraph (deleted, re-created there: moved-text.ts) is followed to its copy.
 */
function resolveAlive(
  state: EditorState,
  sync: SyncState,
  captured: Y.RelativePosition | null,
): number | null {
  if (!captured || !sync.binding) return null;
  let position = captured;
  const anchorId = position.item ?? position.type;
  if (anchorId) {
    const char = attachedChar(sync.doc, anchorId);
    if (!char) return null;
    if (char.item.deleted) {
      const moved = position.item ? movedTo(sync.doc, char.id) : null;
      if (!moved) return null;
      position = new Y.RelativePosition(null, null, moved, position.assoc);
    }
  }
  const absolute = relativePositionToAbsolutePosition(
    sync.doc,
    sync.type,
    position,
    sync.binding.mapping as never,
  );
  return absolute !== null && absolute >= 0 && absolute <= state.doc.content.size ? absolute : null;
}

/**
 * An undo or redo shows the user what it changed: a saved selection that does not touch the changed stretch
 * (the caret was elsewhere when the step was saved, or its anchor sat where someone else has typed since)
 * gives way to a caret at the end of the change, where the text came back or was taken out.
 */
function atTheChange(oldDoc: PmNode, newDoc: PmNode, selection: Selection): Selection {
  const stretch = changedStretch(oldDoc, newDoc);
  if (stretch === null || (selection.from <= stretch.endB && selection.to >= stretch.start)) return selection;
  return TextSelection.near(newDoc.resolve(stretch.endB), -1);
}

const key = new PluginKey('followRemoteEdits');

interface SyncMeta {
  isChangeOrigin?: boolean;
  isUndoRedoOperation?: boolean;
}

/**
 * Keeps the local caret and selection on their characters when a remote change arrives (issue 10).
 *
 * y-tiptap 3.0.9 captures the selection as Yjs relative positions before each remote change, but after
 * resolving them it second-guesses the result: whenever the caret's paragraph text changed (someone else
 * typed in it) it looks the paragraph up again by its attributes and puts the caret back at its old offset
 * in that paragraph — so the caret stays at its column while the text moves under it. This plugin resolves
 * the same relative positions without that guess whenever the character they are attached to still exists.
 */
export const FollowRemoteEdits = Extension.create({
  name: 'followRemoteEdits',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key,
        appendTransaction(transactions, oldState, state) {
          const change = transactions
            .map((tr) => tr.getMeta(ySyncPluginKey) as SyncMeta | undefined)
            .find((meta) => meta?.isChangeOrigin);
          if (!change) return null;
          const sync = ySyncPluginKey.getState(state) as SyncState | undefined;
          const before = sync?.binding?.beforeTransactionSelection;
          if (!sync || !before || before.type !== 'text') return null;
          // An undo's saved selection describes the step, not the selection just before: no content mapping.
          const byContent = (pos: number) =>
            change.isUndoRedoOperation ? null : mapByContent(oldState.doc, state.doc, pos);
          const anchor = resolveAlive(state, sync, before.anchor) ?? byContent(oldState.selection.anchor);
          const head = resolveAlive(state, sync, before.head) ?? byContent(oldState.selection.head);
          if (anchor === null && head === null && !change.isUndoRedoOperation) return null;
          let selection: Selection = TextSelection.between(
            state.doc.resolve(anchor ?? state.selection.anchor),
            state.doc.resolve(head ?? state.selection.head),
          );
          if (change.isUndoRedoOperation) selection = atTheChange(oldState.doc, state.doc, selection);
          if (selection.eq(state.selection)) return null;
          return state.tr.setSelection(selection).setMeta('addToHistory', false);
        },
      }),
    ];
  },
});
