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
          // The selection just before an undo or redo: saved with the step it adds to the other stack, so
          // redo puts the caret back where it was when the user pressed undo (y-tiptap saved the selection
          // of its last state update, which is the undo's own result).
          let beforeStep: StoredSelection | null = null;
          const giveSavedSelection = (transaction: Y.Transaction): void => {
            if (transaction.origin !== undoManager) return;
            beforeStep = relativeSelection(binding, view.state, syncedDoc(binding));
            const stack = undoManager.undoing ? undoManager.undoStack : undoManager.redoStack;
            const saved = stack.at(-1)?.meta.get(binding) as StoredSelection | undefined;
            if (saved)
              binding.beforeTransactionSelection = { ...saved, absAnchor: undefined, absHead: undefined };
          };
          const saveSelectionBeforeStep = (event: { stackItem: StackItem; origin: unknown }): void => {
            if (event.origin === undoManager && beforeStep) event.stackItem.meta.set(binding, beforeStep);
            beforeStep = null;
          };
          const cancelLateSelection = (): void => {
            binding.beforeTransactionSelection = null;
          };
          binding.doc.on('beforeTransaction', giveSavedSelection);
          undoManager.on('stack-item-added', saveSelectionBeforeStep);
          undoManager.on('stack-item-popped', cancelLateSelection);
          return {
            destroy: () => {
              binding.doc.off('beforeTransaction', giveSavedSelection);
              undoManager.off('stack-item-added', saveSelectionBeforeStep);
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
 *   late hand-over is cancelled, and a step added by undo or redo saves the selection from just before it.
 * - With nothing to redo, ProseMirror's keymap retried Ctrl+Shift+z as Ctrl+z: a redo too many undid the
 *   last step (it emptied the page); a key no handler takes goes on to Chromium's own contenteditable history.
 *   The keys and the browser's own history input events (historyUndo/historyRedo) now always stop here.
 */
export const SafeUndoRedo = [UndoRedoKeys, UndoRedoSelection];
