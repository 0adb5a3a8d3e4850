import { rename, writeFile } from 'node:fs/promises';
import type { ExportFormat, ExportResultView } from '../../shared/contract';
import type { TiptapDoc, TiptapNode } from '../../shared/crdt/document';
import type { FileHref } from '../../shared/editor/file-blocks';
import { badRequest } from '../../shared/lib/result';
import { hasDocument } from '../../shared/model/nodes';
import type { DocumentsService } from '../documents/documents.service';
import type { FilesService } from '../files/files.service';
import type { NodesService } from '../nodes/nodes.service';
import { embeddedFiles } from './local-files';

/**
 * The desktop's part of an export (src/main/desktop/export-files.ts): where to write, chosen by the person in a
 * save dialog, and the PDF of what a window prints. Browser mode has none: its exports are downloads.
 */
export interface ExportFiles {
  /** The path chosen in a save dialog over the sender's window, or null when it was cancelled. */
  choosePath(
    senderId: string,
    fileName: string,
    filter: { name: string; extensions: string[] },
  ): Promise<string | null>;
  /** The sender's window printed to PDF (its print stylesheet shows only the open page). */
  printToPdf(senderId: string): Promise<Uint8Array>;
}

const FORMATS = {
  markdown: { extension: 'md', mimeType: 'text/markdown; charset=utf-8', filter: 'Markdown' },
  html: { extension: 'html', mimeType: 'text/html; charset=utf-8', filter: 'Web page' },
  pdf: { extension: 'pdf', mimeType: 'application/pdf', filter: 'PDF' },
} as const satisfies Record<ExportFormat, { extension: string; mimeType: string; filter: string }>;

export interface ExportDeps {
  nodes: NodesService;
  documents: DocumentsService;
  /** The account's attached files: an HTML export carries the ones on this device inside it. */
  attached: FilesService;
  /** Null in browser mode. */
  files: ExportFiles | null;
}

/**
 * One page as Markdown (CommonMark + GFM tables/task lists, the serializer the server's `output=md` uses), a
 * standalone sanitized HTML page (its images and attachments on this device inside it as `data:` URLs), or a
 * PDF. The page's name leads as a level-1 heading, which the Markdown
 * import takes back as the title. The content is the page as it is now, pending edits included.
 */
export async function exportPage(
  deps: ExportDeps,
  input: { nodeId: string; format: ExportFormat; theme: 'light' | 'dark' },
  senderId: string,
): Promise<ExportResultView> {
  const node = deps.nodes.get(input.nodeId);
  if (!hasDocument(node.type) || node.type === 'message')
    throw badRequest('Only pages and records can be exported', [
      { path: 'nodeId', message: `is a ${node.type}` },
    ]);
  const format = FORMATS[input.format];
  const fileName = exportFileName(node.name, format.extension);
  if (input.format === 'pdf') {
    if (!deps.files)
      throw badRequest("PDF export here goes through the browser's print dialog", [
        { path: 'format', message: 'not available in browser mode' },
      ]);
    const path = await deps.files.choosePath(senderId, fileName, {
      name: format.filter,
      extensions: ['pdf'],
    });
    if (path === null) return { kind: 'cancelled' };
    await writeAtomically(path, await deps.files.printToPdf(senderId));
    return { kind: 'saved', path };
  }
  const content = await deps.documents.content(node.id);
  let fileHref: FileHref | undefined;
  if (input.format === 'html') {
    const { fileIdsOf } = await import('../../shared/editor/file-blocks');
    const embedded = await embeddedFiles(deps.attached, fileIdsOf(content));
    fileHref = (fileId) => embedded.get(fileId) ?? null;
  }
  const text = await renderPage(content, node.name, input.format, input.theme, fileHref);
  if (!deps.files) return { kind: 'download', fileName, mimeType: format.mimeType, text };
  const path = await deps.files.choosePath(senderId, fileName, {
    name: format.filter,
    extensions: [format.extension],
  });
  if (path === null) return { kind: 'cancelled' };
  await writeAtomically(path, text);
  return { kind: 'saved', path };
}

/** The page's text in `format`, its name first as a level-1 heading (none for an unnamed page). */
export async function renderPage(
  content: TiptapDoc,
  name: string,
  format: 'markdown' | 'html',
  theme: 'light' | 'dark' = 'light',
  /** Where an image or file block points (a file beside the page, a `data:` URL); none by default. */
  fileHref?: FileHref,
): Promise<string> {
  const title = name.trim();
  const heading: TiptapNode[] =
    title === '' ? [] : [{ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: title }] }];
  const doc: TiptapDoc = { type: 'doc', content: [...heading, ...trimEmptyParagraphs(content.content)] };
  // The serializers need the editor schema (TipTap, ProseMirror): loaded on first export, never at start-up.
  if (format === 'markdown') {
    const { toMarkdown } = await import('../../shared/markdown/to-markdown');
    return toMarkdown(doc, fileHref);
  }
  const { toHtmlPage } = await import('../../shared/markdown/to-html');
  return toHtmlPage(doc, {
    title: title || 'Untitled',
    themeMode: theme,
    includeBackground: theme === 'dark',
    ...(fileHref ? { fileHref } : {}),
  });
}

/** Empty paragraphs at the start and end (a new page's first line, the editor's trailing one) say nothing. */
function trimEmptyParagraphs(blocks: readonly TiptapNode[]): TiptapNode[] {
  const empty = (block: TiptapNode | undefined) =>
    block?.type === 'paragraph' && (block.content?.length ?? 0) === 0;
  let start = 0;
  let end = blocks.length;
  while (start < end && empty(blocks[start])) start++;
  while (end > start && empty(blocks[end - 1])) end--;
  return blocks.slice(start, end);
}

/** A file name every OS accepts: no path separators, reserved or control characters, at most 120 characters. */
export function exportFileName(name: string, extension: string): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+|\.+$/g, '')
    .slice(0, 120)
    .trim();
  const safe = cleaned === '' || /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(cleaned) ? 'Untitled' : cleaned;
  return `${safe}.${extension}`;
}

/** Written beside the target and renamed over it: a failed write never leaves half a file under the name. */
export async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.partial`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}
