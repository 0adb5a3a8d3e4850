import type { Editor } from '@tiptap/react';

/**
 * Focuses the editor *now*, with the caret at `position` (default: where it was). TipTap's `focus` command
 * defers the DOM focus to the next animation frame, so keys typed right after the action that moves focus
 * (Enter in a title or the link field; a fast typist, or a busy machine) would still land in the field that
 * had it, or nowhere if that field is gone. Focusing the view at once closes that gap; the command's own
 * deferred focus then only scrolls the caret into view.
 */
export function focusEditorNow(editor: Editor, position?: 'start' | 'end'): void {
  editor.commands.focus(position);
  editor.view.focus();
}

/**
 * Inserts keys typed before the editor could take them, as typing would: '\n' splits the block (so empty
 * lines stay, unlike a plain-text paste, which folds them), and the text is never parsed as HTML.
 */
export function typeText(editor: Editor, typed: string): void {
  // One command per step (a chain would resolve the split against the document before the insert).
  typed.split('\n').forEach((line, i) => {
    if (i > 0) editor.commands.splitBlock();
    if (line !== '') editor.commands.insertContent({ type: 'text', text: line });
  });
}
