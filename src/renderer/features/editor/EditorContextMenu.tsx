import type { Editor } from '@tiptap/react';
import { useEffect, useState } from 'react';
import { shortcutLabel } from '../../lib/platform';
import { Menu, type MenuItem } from '../../ui/menu';
import { useToasts } from '../../ui/toast';
import { openHref } from './page-links';

/** Asks the toolbar to open its link field on the selection (Toolbar listens on the editor's element). */
export const EDIT_LINK_EVENT = 'hoody:edit-link';

/**
 * The editor's own right-click menu: Cut, Copy, Paste, Paste as plain text, Select all, and the link's
 * actions on a link. Only what the page allows is offered: a read-only page gets Copy, Select all and Open
 * link. Cut and Copy go through the browser's own commands (ProseMirror writes the clipboard as it does for
 * the keys); Paste reads the clipboard where the window may (else it says to use the keys) and hands it to
 * ProseMirror's paste, so it is parsed exactly like Mod+V.
 */
/**
 * Brings ProseMirror's selection up to the browser's before the menu reads it. ProseMirror takes a selection
 * the browser moved (End, the arrows, a right-click) on the document's 'selectionchange', a task that a busy
 * renderer runs after the input events queued behind it: End then Shift+F10 opened the menu on the selection
 * from before End (Cut and Copy offered, and Paste replaced the old selection instead of inserting at the
 * caret). Its listener runs at once on this event and reads the DOM exactly as for the browser's own.
 */
function catchUpWithDOMSelection(): void {
  document.dispatchEvent(new Event('selectionchange'));
}

export function EditorContextMenu({ editor }: { editor: Editor }) {
  const [at, setAt] = useState<{ x: number; y: number } | null>(null);
  const { notify } = useToasts();

  useEffect(() => {
    const dom = editor.view.dom;
    const atCaret = (): void => {
      const caret = editor.view.coordsAtPos(editor.state.selection.head);
      setAt({ x: caret.left, y: caret.bottom + 4 });
    };
    const onContextMenu = (event: MouseEvent): void => {
      event.preventDefault();
      catchUpWithDOMSelection();
      setAt({ x: event.clientX, y: event.clientY });
    };
    // The keyboard's ways (as in the tree): the menu opens under the caret.
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'ContextMenu' && !(event.shiftKey && event.key === 'F10')) return;
      event.preventDefault();
      catchUpWithDOMSelection();
      atCaret();
    };
    dom.addEventListener('contextmenu', onContextMenu);
    dom.addEventListener('keydown', onKeyDown);
    return () => {
      dom.removeEventListener('contextmenu', onContextMenu);
      dom.removeEventListener('keydown', onKeyDown);
    };
  }, [editor]);

  if (!at) return null;
  const editable = editor.isEditable;
  const empty = editor.state.selection.empty;
  const href = (editor.getAttributes('link') as { href?: unknown }).href;
  const inLink = typeof href === 'string';

  // The menu has given the focus back to the text; ProseMirror puts its selection back in the DOM.
  const run = (command: 'cut' | 'copy'): void => {
    editor.view.focus();
    if (!document.execCommand(command))
      notify(`Could not ${command} here: use ${shortcutLabel(`Mod+${command === 'cut' ? 'X' : 'C'}`)}`);
  };
  const paste = async (plain: boolean): Promise<void> => {
    editor.view.focus();
    const keys = shortcutLabel(plain ? 'Mod+Shift+V' : 'Mod+V');
    try {
      if (!plain) {
        for (const item of await navigator.clipboard.read()) {
          if (item.types.includes('text/html')) {
            editor.view.pasteHTML(await (await item.getType('text/html')).text());
            return;
          }
        }
      }
      editor.view.pasteText(await navigator.clipboard.readText());
    } catch {
      notify(`This window may not read the clipboard: paste with ${keys}`);
    }
  };

  const items: (MenuItem | 'separator')[] = [
    ...(editable
      ? [{ label: 'Cut', hint: shortcutLabel('Mod+X'), disabled: empty, onSelect: () => run('cut') }]
      : []),
    { label: 'Copy', hint: shortcutLabel('Mod+C'), disabled: empty, onSelect: () => run('copy') },
    ...(editable
      ? [
          { label: 'Paste', hint: shortcutLabel('Mod+V'), onSelect: () => void paste(false) },
          {
            label: 'Paste as plain text',
            hint: shortcutLabel('Mod+Shift+V'),
            onSelect: () => void paste(true),
          },
        ]
      : []),
    'separator',
    {
      label: 'Select all',
      hint: shortcutLabel('Mod+A'),
      onSelect: () => editor.chain().focus().selectAll().run(),
    },
    ...(inLink || (editable && !empty) ? ['separator' as const] : []),
    ...(inLink
      ? [
          {
            label: 'Open link',
            icon: 'link' as const,
            onSelect: () => openHref(href),
          },
        ]
      : []),
    ...(editable && (inLink || !empty)
      ? [
          {
            label: inLink ? 'Edit link…' : 'Add link…',
            icon: 'link' as const,
            hint: shortcutLabel('Mod+K'),
            onSelect: () => editor.view.dom.dispatchEvent(new Event(EDIT_LINK_EVENT)),
          },
        ]
      : []),
    ...(editable && inLink
      ? [
          {
            label: 'Remove link',
            icon: 'close' as const,
            onSelect: () => editor.chain().focus().extendMarkRange('link').unsetLink().run(),
          },
        ]
      : []),
  ];
  return <Menu label="Edit" at={at} items={items} onClose={() => setAt(null)} />;
}
