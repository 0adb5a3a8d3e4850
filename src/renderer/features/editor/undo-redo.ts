import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { ySyncPluginKey, yUndoPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { syncedDoc } from './fast-binding';
import { relativeSelection, type BindingLike } from './fast-positions';

interface StoredSelection {
  absAnchor?: number;
  absHead?: number;
}

interface StackItem {
  meta: Map<unknown, unknown>;
}

interface Binding extends BindingLike {
  doc: Y.Doc;
  beforeTransactionSelection: StoredSelection | null;
}

const key = new PluginKey('safeUndoRedo');
/** A stack item's meta key for the selection right after its change (the binding's own key holds the one before). */
const AFTER = Symbol('selectionAfter');

const UndoRedoKeys = Extension.create({
  name: 'undoRedoKeys',
  // Ahead of the collaboration extension's shortcuts (priority 1000). When its redo finds nothing to redo,
  // ProseMirror's keymap retries Ctrl+Shift+z as Ctrl+z (its shift fallback): the key undid instead.
  priority: 1001,

  addKeyboardShortcuts() {
    const undo = (): boolean => {
      this.editor.commands.undo();
      return true;
    };
    const redo = (): boolean => {
      this.editor.commands.redo();
      return true;
    };
    return { 'Mod-z': undo, 'Shift-Mod-z': redo, 'Mod-y': redo };
  },
});

const UndoRedoSelection = Extension.create({
  name: 'undoRedoSelection',
  // The default priority puts this after the collaboration extension (1000), so its Yjs listeners are
  // registered after y-tiptap's and run after them.

  addProseMirrorPlugins() {
    const editor = this.editor;
    return [
      new Plugin({
        key,
        props: {
          handleDOMEvents: {
            beforeinput(_view, event) {
              if (event.inputType === 'historyUndo') editor.commands.undo();
              else if (event.inputType === 'historyRedo') editor.commands.redo();
              else return false;
              event.preventDefault();
              return true;
            },
          },
        },
        view(view) {
          const undoManager = (
            yUndoPluginKey.getState(view.state) as { undoManager?: Y.UndoManager } | undefined
          )?.undoManager;
          const binding = (ySyncPluginKey.getState(view.state) as { binding?: Binding } | undefined)?.binding;
          if (!undoManager || !binding) return {};
          // Each step also keeps the selection right after its change (AFTER): undoing or redoing a step adds
          // its inverse to the other stack, which restores that selection, so redo puts the caret at the end
          // of the redone text, and undo of a redo where the step began (y-tiptap saved the selection of its
          // last state update, which is the undo's own result).
          const current = () => relativeSelection(binding, view.state, syncedDoc(binding));
          let popping: StackItem | null = null;
          const giveSavedSelection = (transaction: Y.Transaction): void => {
            if (transaction.origin !== undoManager) return;
            const stack = undoManager.undoing ? undoManager.undoStack : undoManager.redoStack;
            popping = stack.at(-1) ?? null;
            const saved = popping?.meta.get(binding) as StoredSelection | undefined;
            if (saved)
              binding.beforeTransactionSelection = { ...saved, absAnchor: undefined, absHead: undefined };
          };
          const saveSelections = (event: { stackItem: StackItem; origin: unknown }): void => {
            const { meta } = event.stackItem;
            if (event.origin !== undoManager) meta.set(AFTER, current());
            else if (popping) {
              meta.set(binding, popping.meta.get(AFTER) ?? current());
              meta.set(AFTER, popping.meta.get(binding));
            }
            popping = null;
          };
          const saveSelectionAfter = (event: { stackItem: StackItem; origin: unknown }): void => {
            if (event.origin !== undoManager) event.stackItem.meta.set(AFTER, current());
          };
          const cancelLateSelection = (): void => {
            binding.beforeTransactionSelection = null;
          };
          binding.doc.on('beforeTransaction', giveSavedSelection);
          undoManager.on('stack-item-added', saveSelections);
          undoManager.on('stack-item-updated', saveSelectionAfter);
          undoManager.on('stack-item-popped', cancelLateSelection);
          return {
            destroy: () => {
              binding.doc.off('beforeTransaction', giveSavedSelection);
              undoManager.off('stack-item-added', saveSelections);
              undoManager.off('stack-item-updated', saveSelectionAfter);
              undoManager.off('stack-item-popped', cancelLateSelection);
            },
          };
        },
      }),
    ];
  },
});

/**
 * Undo and redo that never throw, put the caret back where the step was made, and never fall through to the
 * browser (issue 10).
 *
 * - y-tiptap 3.0.9 keeps the selection saved with an undo step (relative positions plus absolute offsets) and
 *   hands it to the binding on 'stack-item-popped', which Yjs emits after the undo's transaction is over: so
 *   it was not used for that undo but leaked into the next Yjs transaction, whose document it does not
 *   describe. After "first line", Enter, "second line" and an undo, redo checked offset 13 against a
 *   12-position document and threw inside the Yjs observer (ueberdosis/y-tiptap#48): the redone text reached
 *   Yjs but never the editor, and the next undo threw again (offset 24). Here the saved selection is given to
 *   the undo's own transaction instead (without its offsets: the relative positions follow redone text), the
 *   late hand-over is cancelled, and the inverse step an undo or redo adds restores the selection from right
 *   after the change it inverts: redo puts the caret at the end of the redone text, not where it was when
 *   undo was pressed. With others' edits in between, a saved selection that does not touch what an undo or
 *   redo changed gives way to a caret at the change (FollowRemoteEdits).
 * - With nothing to redo, ProseMirror's keymap retried Ctrl+Shift+z as Ctrl+z: a redo too many undid the
 *   last step (it emptied the page); a key no handler takes goes on to Chromium's own contenteditable history.
 *   The keys and the browser's own history input events (historyUndo/historyRedo) now always stop here.
 */
export const SafeUndoRedo = [UndoRedoKeys, UndoRedoSelection];
