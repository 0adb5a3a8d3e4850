import type { ChainedCommands, Editor } from '@tiptap/core';
import type { IconName } from '../../ui/icons';
import { canPickFiles, openFilePicker } from '../files/file-picker';

/** Block-level commands, shared by the slash menu and the toolbar so both always offer the same things. */
export interface BlockCommand {
  id: string;
  title: string;
  description: string;
  icon: IconName | 'H1' | 'H2' | 'H3' | 'Aa';
  keywords: readonly string[];
  run(chain: ChainedCommands): ChainedCommands;
  isActive(editor: Editor): boolean;
  /** Offered only where this holds (default: always). */
  available?(editor: Editor): boolean;
}

export const BLOCK_COMMANDS: readonly BlockCommand[] = [
  {
    id: 'paragraph',
    title: 'Text',
    description: 'Plain paragraph',
    icon: 'Aa',
    keywords: ['paragraph', 'plain'],
    run: (c) => c.setParagraph(),
    isActive: (e) => e.isActive('paragraph'),
  },
  ...([1, 2, 3] as const).map((level): BlockCommand => ({
    id: `heading${level}`,
    title: `Heading ${level}`,
    description: ['Large section heading', 'Medium section heading', 'Small section heading'][level - 1]!,
    icon: `H${level}`,
    keywords: ['title', `h${level}`, '#'.repeat(level)],
    run: (c) => c.toggleHeading({ level }),
    isActive: (e) => e.isActive('heading', { level }),
  })),
  {
    id: 'bulletList',
    title: 'Bulleted list',
    description: 'A simple list',
    icon: 'bulletList',
    keywords: ['ul', 'unordered', '-'],
    run: (c) => c.toggleBulletList(),
    isActive: (e) => e.isActive('bulletList'),
  },
  {
    id: 'orderedList',
    title: 'Numbered list',
    description: 'A list with numbers',
    icon: 'orderedList',
    keywords: ['ol', 'ordered', '1.'],
    run: (c) => c.toggleOrderedList(),
    isActive: (e) => e.isActive('orderedList'),
  },
  {
    id: 'taskList',
    title: 'To-do list',
    description: 'Track tasks with checkboxes',
    icon: 'taskList',
    keywords: ['todo', 'task', 'checkbox', '[]'],
    run: (c) => c.toggleTaskList(),
    isActive: (e) => e.isActive('taskList'),
  },
  {
    id: 'blockquote',
    title: 'Quote',
    description: 'Capture a quotation',
    icon: 'quote',
    keywords: ['blockquote', 'citation', '>'],
    run: (c) => c.toggleBlockquote(),
    isActive: (e) => e.isActive('blockquote'),
  },
  {
    id: 'codeBlock',
    title: 'Code block',
    description: 'Monospaced code',
    icon: 'codeBlock',
    keywords: ['code', 'pre', '```'],
    run: (c) => c.toggleCodeBlock(),
    isActive: (e) => e.isActive('codeBlock'),
  },
  {
    id: 'horizontalRule',
    title: 'Divider',
    description: 'A horizontal line',
    icon: 'rule',
    keywords: ['hr', 'rule', 'separator', '---'],
    run: (c) => c.setHorizontalRule(),
    isActive: () => false,
  },
  {
    id: 'table',
    title: 'Table',
    description: 'A 3×3 table with a header row',
    icon: 'table',
    keywords: ['grid', 'columns'],
    run: (c) => c.insertTable({ rows: 3, cols: 3, withHeaderRow: true }),
    isActive: (e) => e.isActive('table'),
  },
  {
    id: 'file',
    title: 'Image or file',
    description: 'Attach a picture or any file from this device',
    icon: 'paperclip',
    keywords: ['image', 'picture', 'photo', 'attach', 'upload', 'pdf', 'attachment'],
    run: (c) => c.command(({ editor }) => openFilePicker(editor)),
    isActive: () => false,
    available: canPickFiles,
  },
];

export function filterBlockCommands(query: string, editor: Editor): readonly BlockCommand[] {
  const q = query.trim().toLowerCase();
  return BLOCK_COMMANDS.filter(
    (command) =>
      (command.available?.(editor) ?? true) &&
      (q === '' || command.title.toLowerCase().includes(q) || command.keywords.some((k) => k.startsWith(q))),
  );
}
