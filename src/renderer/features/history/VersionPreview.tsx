import { EditorContent, useEditor } from '@tiptap/react';
import type { TiptapDoc } from '../../../shared/crdt/document';
import { baseExtensions } from '../../../shared/editor/extensions';

/** A version rendered read-only with the editor's own schema, so it looks like the page did. */
export function VersionPreview({ content }: { content: TiptapDoc }) {
  const editor = useEditor(
    {
      extensions: baseExtensions(),
      content,
      editable: false,
      injectCSS: false,
      immediatelyRender: true,
      editorProps: {
        attributes: { class: 'prose', 'aria-label': 'Version content', 'aria-readonly': 'true' },
      },
    },
    [content],
  );
  return <EditorContent editor={editor} className="editor-surface history-preview" />;
}
