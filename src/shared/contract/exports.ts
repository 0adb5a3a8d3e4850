import * as z from 'zod';
import { command, type CommandSpec } from './define';
import { accountId, id } from './schemas';

/** Getting a page out of the app: Markdown, standalone HTML, PDF (the desktop's save dialog, or a download). */

export type ExportFormat = 'markdown' | 'html' | 'pdf';

export type ExportResultView =
  /** Desktop: written where the person chose in the save dialog. */
  | { kind: 'saved'; path: string }
  /** Desktop: the save dialog was closed without choosing a file. */
  | { kind: 'cancelled' }
  /** Browser mode (no file dialogs in main): the renderer offers the text as a download. */
  | { kind: 'download'; fileName: string; mimeType: string; text: string };

/** A section, page tree or notebook as a zip of Markdown files; the counts say what it holds. */
export type ExportArchiveView =
  | ({ kind: 'saved'; path: string } & ExportArchiveCounts)
  | { kind: 'cancelled' }
  | ({ kind: 'download'; fileName: string; mimeType: string; data: Uint8Array } & ExportArchiveCounts);

export interface ExportArchiveCounts {
  pages: number;
  /** Images and files included (those already on this device). */
  files: number;
  /** Databases and channels, which are not pages and are left out. */
  skipped: number;
}

export const exportCommands = {
  'export.page': command<ExportResultView>()(() =>
    z.object({
      accountId,
      nodeId: id,
      format: z.enum(['markdown', 'html', 'pdf']),
      theme: z.enum(['light', 'dark']).default('light'),
    }),
  ),
  /** `nodeId` null: the whole notebook. */
  'export.tree': command<ExportArchiveView>()(() =>
    z.object({ accountId, notebookId: id, nodeId: id.nullable() }),
  ),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;
