import type { Editor } from '@tiptap/react';
import { yUndoPluginKey, ySyncPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { applyDocumentAsEdits } from '../../../shared/crdt/apply-document';
import type { TiptapDoc } from '../../../shared/crdt/document';

interface UndoState {
  undoManager?: { stopCapturing(): void };
}

/**
 * Makes the open page equal to a version as an ordinary edit (docs/decisions/0011-version-history.md): the
 * fewest changes on the editor's own Y.Doc, with the sync plugin's origin, so the editor shows it, the
 * session saves and syncs it like typing, concurrent edits by others merge, and the editor's undo manager
 * (which tracks that origin) undoes it as one step — captured apart from any typing before or after.
 */
export function restoreIntoEditor(editor: Editor, doc: Y.Doc, content: TiptapDoc): void {
  const undo = (yUndoPluginKey.getState(editor.state) as UndoState | undefined)?.undoManager;
  undo?.stopCapturing();
  applyDocumentAsEdits(doc, content, ySyncPluginKey);
  undo?.stopCapturing();
}
