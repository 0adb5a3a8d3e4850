import BaseCollaboration from '@tiptap/extension-collaboration';
import { Slice, type Node as PmNode } from '@tiptap/pm/model';
import type { EditorState, Plugin, Transaction } from '@tiptap/pm/state';
import { StepMap } from '@tiptap/pm/transform';
import type { EditorView } from '@tiptap/pm/view';
import { ySyncPluginKey, yUndoPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { relativeSelection, type BindingLike } from './fast-positions';
import { updateChangedBlocks } from './fast-update';
import { recordMoves, watchMoves } from './moved-text';

/** A deep observer of the document's fragment. */
type Observer = Parameters<Y.XmlFragment['observeDeep']>[0];

/** The parts of y-tiptap 3.0.9's ProsemirrorBinding replaced or read here. */
interface Binding extends BindingLike {
  doc: Y.Doc;
  isOMark: Map<unknown, boolean>;
  prosemirrorView: EditorView | null;
  beforeTransactionSelection: unknown;
  beforeAllTransactions: () => void;
  _prosemirrorChanged(doc: PmNode): void;
  _typeChanged: Observer;
  _observeFunction: Observer;
  _forceRerender(): void;
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
 * document to Yjs (only its changed top-level blocks: fast-update.ts), after which the mapping describes it;
 * beforeAllTransactions saves the selection before any Yjs transaction, which for a remote one happens while
 * the editor still shows the synced document.
 */
function patchBinding(binding: Binding, moves: boolean): void {
  if (patched.has(binding)) return;
  patched.add(binding);
  if (moves)
    watchMoves(binding.doc, () => {
      const view = binding.prosemirrorView;
      return view != null && view.editable !== false;
    });
  binding._prosemirrorChanged = (doc) => {
    binding.doc.transact((tr) => {
      updateChangedBlocks(binding.doc, binding.type, doc, binding, syncedDoc(binding));
      if (moves) recordMoves(binding.doc, tr);
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
  binding.type.unobserveDeep(binding._observeFunction);
  binding._observeFunction = (events, transaction) => remoteChanged(binding, events, transaction);
  binding.type.observeDeep(binding._observeFunction);
  // The sync plugin's view is made again whenever the editor's plugins change (the comments' anchors plugin
  // is registered after the editor is made), and y-tiptap then rebuilds the whole document from Yjs. When the
  // editor shows the synced document that rebuild yields the same document in new node objects, and
  // ProseMirror's view, which keeps the nodes it matched by content, compared every block by content on
  // every keystroke after that (~40% of a keystroke's JavaScript on a 10,000-paragraph page).
  const rerender = binding._forceRerender.bind(binding);
  binding._forceRerender = () => {
    if (binding.prosemirrorView?.state.doc !== syncedDoc(binding)) rerender();
  };
}

/**
 * y-tiptap's _typeChanged (a Yjs change, remote or an undo, shown in the editor) patching only the changed
 * top-level blocks. y-tiptap clears its whole mapping, rebuilds every block from Yjs and replaces the whole
 * document with them: on a 10,000-paragraph page that is 10,000 nodes built per remote keystroke, and a
 * step that every plugin maps its positions and decorations through as 'everything replaced'. Here the
 * mapping keeps the blocks Yjs did not change (y-tiptap has just removed every changed, deleted or parent
 * type from it), so its own rebuild reuses their nodes, and the whole-document replace it asks for becomes a
 * replace of the blocks between the first and last changed one. The rest (selection restored from the
 * relative positions, metadata, dispatch) is y-tiptap's. Only while the editor shows the synced document
 * (the mapping describes it); otherwise y-tiptap's own. test/unit/fast-remote.test.ts compares documents,
 * selections and the Yjs updates that follow with y-tiptap's own binding over seeded random edits.
 */
function remoteChanged(binding: Binding, ...[events, transaction]: Parameters<Observer>): void {
  const view = binding.prosemirrorView;
  const shown = view?.state.doc;
  if (view == null || shown !== syncedDoc(binding)) return binding._typeChanged(events, transaction);
  const own = binding as unknown as { _tr?: Transaction };
  Object.defineProperty(binding.mapping, 'clear', { value: () => {}, configurable: true });
  Object.defineProperty(own, '_tr', {
    configurable: true,
    get: () => onlyChangedBlocks(view.state.tr.setMeta('addToHistory', false), shown),
  });
  try {
    binding._typeChanged(events, transaction);
  } finally {
    delete (binding.mapping as { clear?: unknown }).clear;
    delete own._tr;
  }
}

/**
 * `tr` whose replace of all of `doc` by blocks replaces only the blocks that are not the same objects. When
 * y-tiptap then sets no selection (the relative positions no longer resolve), the old selection is mapped as
 * through y-tiptap's whole-document replace, so the caret goes where y-tiptap would put it.
 */
function onlyChangedBlocks(tr: Transaction, doc: PmNode): Transaction {
  const replace = tr.replace.bind(tr);
  const setMeta = tr.setMeta.bind(tr);
  const selection = tr.selection;
  let replacedAll = false;
  tr.replace = (from, to, slice = Slice.empty) => {
    if (from !== 0 || to !== doc.content.size || slice.openStart !== 0 || slice.openEnd !== 0)
      return replace(from, to, slice);
    replacedAll = true;
    const next = slice.content;
    const min = Math.min(doc.childCount, next.childCount);
    let same = 0;
    let start = 0;
    while (same < min && doc.child(same) === next.child(same)) start += doc.child(same++).nodeSize;
    let sameEnd = 0;
    let end = doc.content.size;
    while (
      sameEnd < min - same &&
      doc.child(doc.childCount - 1 - sameEnd) === next.child(next.childCount - 1 - sameEnd)
    )
      end -= doc.child(doc.childCount - 1 - sameEnd++).nodeSize;
    if (same === doc.childCount && doc.childCount === next.childCount) return tr;
    return replace(start, end, new Slice(next.cut(start, next.size - (doc.content.size - end)), 0, 0));
  };
  tr.setMeta = (key, value) => {
    if (key === ySyncPluginKey && replacedAll && !tr.selectionSet)
      tr.setSelection(selection.map(tr.doc, new StepMap([0, doc.content.size, tr.doc.content.size])));
    return setMeta(key, value);
  };
  return tr;
}

type Apply<T> = (tr: Transaction, value: T, oldState: EditorState, newState: EditorState) => T;

/**
 * y-tiptap's sync and undo plugins (as made by the collaboration extension) with the binding's per-keystroke
 * work made independent of the page's size (issue 10):
 * - the selection as Yjs relative positions: y-tiptap computed it 4-6 times per keystroke (the undo plugin's
 *   state, the binding before and after each Yjs transaction), each a walk over every top-level block; the
 *   same positions now come from relativePosition (fast-positions.ts), which gives y-tiptap's exact result;
 * - ProseMirror to Yjs: only the changed top-level blocks are reconciled (fast-update.ts), with y-tiptap's
 *   exact Yjs operations.
 * A remote change also marks its document as synced: y-tiptap built it from Yjs with the mapping.
 * With `moves` (the app's), text y-tiptap moves is written down and duplicates of concurrent moves are
 * repaired (moved-text.ts); without, the binding's Yjs operations are y-tiptap's exactly (what the tests
 * comparing it with y-tiptap's own binding need).
 * All of it is unit-tested against y-tiptap's own functions (fast-positions.test.ts, fast-update.test.ts).
 */
export function withFastBinding(plugins: Plugin[], { moves = true } = {}): Plugin[] {
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
        if (binding) patchBinding(binding, moves);
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
}

/** The collaboration extension on the fast binding (withFastBinding). */
export const Collaboration = BaseCollaboration.extend({
  addProseMirrorPlugins() {
    return withFastBinding((this.parent?.() ?? []) as Plugin[]);
  },
});
