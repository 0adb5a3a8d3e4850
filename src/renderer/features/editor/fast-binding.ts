import BaseCollaboration from '@tiptap/extension-collaboration';
import type { Node as PmNode } from '@tiptap/pm/model';
import type { EditorState, Plugin, Transaction } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { updateYFragment, ySyncPluginKey, yUndoPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { relativeSelection, type BindingLike } from './fast-positions';

/** The parts of y-tiptap 3.0.9's ProsemirrorBinding replaced or read here. */
interface Binding extends BindingLike {
  doc: Y.Doc;
  isOMark: Map<unknown, boolean>;
  prosemirrorView: EditorView | null;
  beforeTransactionSelection: unknown;
  beforeAllTransactions: () => void;
  _prosemirrorChanged(doc: PmNode): void;
}

interface SyncPluginState {
  binding: Binding | null;
  snapshot: unknown;
  prevSnapshot: unknown;
}

interface UndoPluginState {
  undoManager: Y.UndoManager;
}

/** Per binding, the ProseMirror document its mapping was last made to describe (see relativePosition). */
const synced = new WeakMap<object, PmNode>();

/** The document `binding`'s mapping describes, or null when unknown (then positions take the slow path). */
export const syncedDoc = (binding: object): PmNode | null => synced.get(binding) ?? null;

const patched = new WeakSet<object>();

/**
 * y-tiptap's own methods with the fast selection (the same bodies otherwise). _prosemirrorChanged syncs a
 * document to Yjs, after which the mapping describes it; beforeAllTransactions saves the selection before
 * any Yjs transaction, which for a remote one happens while the editor still shows the synced document.
 */
function patchBinding(binding: Binding): void {
  if (patched.has(binding)) return;
  patched.add(binding);
  binding._prosemirrorChanged = (doc) => {
    binding.doc.transact(() => {
      updateYFragment(binding.doc, binding.type, doc, binding as never);
      synced.set(binding, doc);
      binding.beforeTransactionSelection = relativeSelection(binding, binding.prosemirrorView!.state, doc);
    }, ySyncPluginKey);
  };
  binding.doc.off('beforeAllTransactions', binding.beforeAllTransactions);
  binding.beforeAllTransactions = () => {
    const view = binding.prosemirrorView;
    if (binding.beforeTransactionSelection !== null || view == null) return;
    // The editor's own change on its way to Yjs (the sync plugin's view update): _prosemirrorChanged saves
    // the selection as soon as the mapping describes the new document, before anything reads it. Computed
    // here it was a slow walk with the old mapping, and overwritten.
    const origin = (binding.doc as unknown as { _transaction: { origin: unknown } | null })._transaction
      ?.origin;
    if (origin === ySyncPluginKey && view.state.doc !== syncedDoc(binding)) return;
    binding.beforeTransactionSelection = relativeSelection(binding, view.state, syncedDoc(binding));
  };
  binding.doc.on('beforeAllTransactions', binding.beforeAllTransactions);
}

type Apply<T> = (tr: Transaction, value: T, oldState: EditorState, newState: EditorState) => T;

/**
 * The collaboration extension with y-tiptap's selection bookkeeping made independent of the page's size
 * (issue 10). Per keystroke y-tiptap turned the selection into Yjs relative positions 4-6 times (the undo
 * plugin's state, the binding before and after each Yjs transaction), each a walk over every top-level block;
 * on a 10,000-paragraph page that was most of the app's JavaScript per key. The same positions now come from
 * relativePosition (fast-positions.ts), which gives y-tiptap's exact result (unit-tested against it).
 * A remote change also marks its document as synced: y-tiptap built it from Yjs with the mapping.
 */
export const Collaboration = BaseCollaboration.extend({
  addProseMirrorPlugins() {
    const plugins = (this.parent?.() ?? []) as Plugin[];
    for (const plugin of plugins) {
      const spec = plugin.spec as {
        key?: unknown;
        state?: { apply: Apply<unknown> };
        view?: (view: EditorView) => object;
      };
      if (spec.key === ySyncPluginKey && spec.state && spec.view) {
        const { apply } = spec.state;
        spec.state.apply = (tr, value, oldState, newState) => {
          const next = apply(tr, value, oldState, newState) as SyncPluginState;
          const change = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
          if (next.binding && change?.isChangeOrigin && next.snapshot == null && next.prevSnapshot == null)
            synced.set(next.binding, tr.doc);
          return next;
        };
        const view = spec.view;
        spec.view = (editorView) => {
          const result = view(editorView);
          const binding = (ySyncPluginKey.getState(editorView.state) as SyncPluginState | undefined)?.binding;
          if (binding) patchBinding(binding);
          return result;
        };
      }
      if (spec.key === yUndoPluginKey && spec.state) {
        const { apply } = spec.state;
        // y-tiptap's apply, binding branch: the selection before each transaction, for the undo step.
        spec.state.apply = (tr, value, oldState, newState) => {
          const binding = (ySyncPluginKey.getState(newState) as SyncPluginState | undefined)?.binding;
          if (!binding) return apply(tr, value, oldState, newState);
          const { undoManager } = value as UndoPluginState;
          return {
            undoManager,
            prevSel: relativeSelection(binding, oldState, syncedDoc(binding)),
            hasUndoOps: undoManager.undoStack.length > 0,
            hasRedoOps: undoManager.redoStack.length > 0,
          };
        };
      }
    }
    return plugins;
  },
});
