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
