import { Extension, type AnyExtension, type Editor } from '@tiptap/core';
import FileHandler from '@tiptap/extension-file-handler';
import { ReactNodeViewRenderer } from '@tiptap/react';
import { FileAttachment, FileBlockType, ImageBlock } from '../../../shared/editor/file-blocks';
import { INLINE_IMAGE_TYPES } from '../../../shared/model/file-types';
import { addFiles, type FileContext } from './file-context';
import { FileAttachmentView, ImageBlockView } from './FileBlockViews';
import { chooseFiles, registerFilePicker, unregisterFilePicker } from './file-picker';

/** Shown when a file could not be added (too large, the disk full, not allowed). */
export type FileProblem = (message: string) => void;

/**
 * Adds the files through the core (copied and durable first), then puts one block per file at `pos` (or the
 * selection): an image block for the image types the bytes bear out, a file block for anything else.
 */
export async function insertFiles(
  editor: Editor,
  ctx: FileContext,
  files: readonly File[],
  onProblem: FileProblem,
  pos?: number,
): Promise<void> {
  if (!editor.isEditable) return; // a viewer's paste or drop adds nothing (main refuses it as well)
  const outcomes = await addFiles(ctx, files);
  const blocks = outcomes.flatMap((outcome): { type: string; attrs: Record<string, unknown> }[] => {
    if (!outcome.ok) {
      onProblem(`${outcome.name || 'The file'} was not added: ${outcome.message}`);
      return [];
    }
    const { file } = outcome;
    const attrs = { fileId: file.id, name: file.name, mimeType: file.mimeType, size: file.size };
    return INLINE_IMAGE_TYPES.has(file.mimeType)
      ? [{ type: FileBlockType.image, attrs: { ...attrs, alt: '', caption: '' } }]
      : [{ type: FileBlockType.file, attrs }];
  });
  if (blocks.length === 0 || editor.isDestroyed) return;
  const chain = editor.chain().focus();
  (pos === undefined ? chain : chain.setTextSelection(pos)).insertContent(blocks).run();
}

/**
 * The editor's image and file blocks with their React views, and paste/drop of files. `context: null` (no
 * page yet) renders the blocks without their files.
 */
export function fileExtensions(ctx: FileContext | null, onProblem: FileProblem): AnyExtension[] {
  const options = { context: ctx };
  return [
    ImageBlock.extend({
      addOptions() {
        return { ...this.parent?.(), ...options };
      },
      addNodeView() {
        return ReactNodeViewRenderer(ImageBlockView);
      },
    }),
    FileAttachment.extend({
      addOptions() {
        return { ...this.parent?.(), ...options };
      },
      addNodeView() {
        return ReactNodeViewRenderer(FileAttachmentView);
      },
    }),
    // The slash menu's and palette's "Image or file": the chosen files go where the caret is.
    Extension.create({
      name: 'filePicker',
      // Before the first render (TipTap's onCreate comes a tick later), so the toolbar offers it at once.
      onBeforeCreate() {
        const editor = this.editor;
        if (ctx)
          registerFilePicker(editor, () =>
            chooseFiles((files) => void insertFiles(editor, ctx, files, onProblem)),
          );
      },
      onDestroy() {
        unregisterFilePicker(this.editor);
      },
    }),
    FileHandler.configure({
      onPaste: (editor, files) => {
        if (ctx) void insertFiles(editor, ctx, files, onProblem);
      },
      onDrop: (editor, files, pos) => {
        if (ctx) void insertFiles(editor, ctx, files, onProblem, pos);
      },
    }),
  ];
}
