import { Placeholder } from '@tiptap/extensions';
import { EditorContent, useEditor, type Editor } from '@tiptap/react';
import type { Mark } from '@tiptap/pm/model';
import { memo, useEffect, useLayoutEffect, useRef } from 'react';
import { DOCUMENT_FRAGMENT } from '../../../shared/crdt/document';
import { baseExtensions } from '../../../shared/editor/extensions';
import { hasMod } from '../../lib/platform';
import { useToasts } from '../../ui/toast';
import type { FileContext } from '../files/file-context';
import { fileExtensions } from '../files/file-extensions';
import type { DocumentSession } from './document-session';
import { Collaboration } from './fast-binding';
import { EditorContextMenu } from './EditorContextMenu';
import { openHref } from './page-links';
import { FollowRemoteEdits } from './follow-remote-edits';
import { RemoteCarets, type PresenceChannel } from './presence';
import { SearchHighlight } from './search-highlight';
import { SlashCommands } from './slash-commands';
import { SlashMenu } from './SlashMenu';
import { Toolbar } from './Toolbar';
import { SafeUndoRedo } from './undo-redo';

/**
 * Links stay editable on a plain click; Mod+click opens them: a page link in place, others in a new window
 * (Electron's window-open handler sends http(s)/mailto to the system browser and refuses the rest).
 */
function openLinkOnModClick(marks: readonly Mark[], event: MouseEvent): boolean {
  const href: unknown = marks.find((mark) => mark.type.name === 'link')?.attrs.href;
  if (!hasMod(event) || typeof href !== 'string') return false;
  openHref(href);
  return true;
}

export interface DocumentEditorProps {
  session: DocumentSession;
  /** Other viewers' carets are drawn from it; this editor's selection is reported to it. */
  presence: PresenceChannel;
  /** False for a role that may not edit: read-only, no toolbar (changes live when the role does). */
  editable: boolean;
  /** The page's files (image and file blocks, paste/drop of files); stable for the page. */
  files: FileContext | null;
  onReady(editor: Editor): void;
}

/** The shared schema's file blocks are replaced by the renderer's, which draw their files. */
const FILE_NODES: ReadonlySet<string> = new Set(['image', 'fileAttachment']);

/**
 * The rich-text editor bound live to the page's Y.Doc. It never re-renders on keystrokes
 * (`shouldRerenderOnTransaction: false`); the toolbar and slash menu subscribe to the slices they show.
 * Undo/redo come from the collaboration extension (Yjs undo manager: Mod-Z, Mod-Shift-Z, Mod-Y), made safe by
 * SafeUndoRedo.
 */
export const DocumentEditor = memo(function DocumentEditor({
  session,
  presence,
  editable,
  files,
  onReady,
}: DocumentEditorProps) {
  const { notify } = useToasts();
  const notifyRef = useRef(notify);
  useEffect(() => {
    notifyRef.current = notify;
  }, [notify]);
  const editor = useEditor(
    {
      extensions: [
        ...baseExtensions().filter((extension) => !FILE_NODES.has(extension.name)),
        ...fileExtensions(files, (message) => notifyRef.current(message)),
        Collaboration.configure({ document: session.doc, field: DOCUMENT_FRAGMENT }),
        FollowRemoteEdits,
        ...SafeUndoRedo,
        RemoteCarets.configure({ channel: presence }),
        Placeholder.configure({
          placeholder: ({ node }) =>
            node.type.name === 'heading' ? 'Heading' : 'Write something, or type “/” for blocks…',
        }),
        SlashCommands,
        SearchHighlight,
      ],
      // CSP forbids inline <style>; app.css carries the editor styles instead.
      injectCSS: false,
      immediatelyRender: true,
      editable,
      shouldRerenderOnTransaction: false,
      editorProps: {
        // data-f6-target: F6 into the main view lands here (src/renderer/lib/f6-regions.ts).
        // role: TipTap's own role="textbox" is dropped when React updates the options (axe then refuses the
        // slash menu's aria-activedescendant).
        attributes: {
          class: 'prose',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': 'Page content',
          spellcheck: 'true',
          'data-f6-target': '',
        },
        handleClick: (view, pos, event) => openLinkOnModClick(view.state.doc.resolve(pos).marks(), event),
      },
    },
    [session, presence, files],
  );

  // A role changed while the page is open: the same editor (and its caret) switches, it is not rebuilt.
  useEffect(() => {
    if (editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);

  // In the commit that replaced PageView's placeholder, which may hold the caret: no key can land in between.
  useLayoutEffect(() => {
    onReady(editor);
  }, [editor, onReady]);

  return (
    <div className="document-editor">
      {editable ? <Toolbar editor={editor} /> : null}
      <EditorContent editor={editor} className="editor-surface" />
      <SlashMenu editor={editor} />
      <EditorContextMenu editor={editor} />
    </div>
  );
});
