import type { Editor } from '@tiptap/react';

/** Window event that opens (or focuses) the shown page's find bar: Mod+F, the palette, the application menu. */
export const OPEN_FIND_EVENT = 'hoody:open-find';

/**
 * The text selected in the editor, as the find bar's query. The browser's selection is read when it is in the
 * page: ProseMirror takes it over on 'selectionchange', which can arrive after a Mod+F pressed right after a
 * double-click.
 */
export function selectedText(editor: Editor | null): string {
  if (!editor) return '';
  const dom = editor.view.dom.ownerDocument.getSelection();
  const inPage = (node: Node | null | undefined): boolean => !!node && editor.view.dom.contains(node);
  if (dom && dom.rangeCount > 0 && inPage(dom.anchorNode) && inPage(dom.focusNode)) return dom.toString();
  const { from, to } = editor.state.selection;
  return from < to ? editor.state.doc.textBetween(from, to, ' ') : '';
}
