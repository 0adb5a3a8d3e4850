import { getSchema, type AnyExtension } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import StarterKit from '@tiptap/starter-kit';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { TableKit } from '@tiptap/extension-table';
import UniqueID from '@tiptap/extension-unique-id';
import { IdPrefix, newId } from '../lib/ids';
import { BlockIds } from './block-ids';
import { Drawing } from './drawing';
import { FileAttachment, ImageBlock } from './file-blocks';

/** Block types that carry a stable `attrs.id` (comment anchors, `blockIds` filters, PATCH merges). */
export const BLOCK_TYPES_WITH_ID = [
  'paragraph',
  'heading',
  'blockquote',
  'codeBlock',
  'bulletList',
  'orderedList',
  'taskList',
  'listItem',
  'taskItem',
  'horizontalRule',
  'table',
  'drawing',
  'image',
  'fileAttachment',
] as const;

export const newBlockId = (): string => newId(IdPrefix.block);

/**
 * The document schema, defined once for the renderer's editor, main's headless conversions and the server.
 * History is off: undo goes through Yjs (the collaboration extension) so it is per-user and merge-safe.
 */
export function baseExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: false,
      link: { openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto'] },
    }),
    TaskList,
    TaskItem.configure({ nested: true }),
    TableKit.configure({ table: { resizable: false } }),
    Drawing,
    ImageBlock,
    FileAttachment,
    // UniqueID defines the attribute, clears the ids of pasted content and names the blocks of a document
    // that has none when an editor first binds to it; BlockIds keeps ids unique as the document changes.
    UniqueID.configure({
      types: [...BLOCK_TYPES_WITH_ID],
      attributeName: 'id',
      generateID: newBlockId,
      filterTransaction: () => false,
    }),
    BlockIds.configure({ types: BLOCK_TYPES_WITH_ID, generateID: newBlockId }),
  ];
}

let cachedSchema: Schema | undefined;
export function editorSchema(): Schema {
  cachedSchema ??= getSchema(baseExtensions());
  return cachedSchema;
}
