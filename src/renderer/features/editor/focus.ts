import type { Editor } from '@tiptap/react';

/**
 * Moves the caret into the editor and focuses it *now*. TipTap's `focus` command defers the DOM focus to
 * the next animation frame, so keys typed right after Enter in a title (a fast typist, or a busy machine)
 * would still land in the title. Focusing the view in the same key handler closes that gap; the command's
 * own deferred focus then only scrolls the caret into view.
 */
export function focusEditorNow(editor: Editor, position: 'start' | 'end'): void {
  editor.commands.focus(position);
  editor.view.focus();
}
