import { mergeAttributes, Node } from '@tiptap/core';
import Image from '@tiptap/extension-image';
import { formatFileSize } from '../model/file-types';

/**
 * Image and file-attachment blocks. Both point at an uploaded file by `fileId` (the bytes live in the account's
 * data folder and on the server, never in the document) and carry the file's name, type and size so every device
 * can show the block before it has the bytes. Atoms: their text (alt, caption) is attributes, edited in the block.
 *
 * Rendering outside the editor (exports, the server's `output=html|md`) goes through `fileBlockHtml` /
 * `fileBlockMarkdown` with a caller-chosen `href` for the file (the API's download route, a file next to an
 * exported page, …).
 */
export const FileBlockType = { image: 'image', file: 'fileAttachment' } as const;
export type FileBlockType = (typeof FileBlockType)[keyof typeof FileBlockType];
export const FILE_BLOCK_TYPES: readonly string[] = Object.values(FileBlockType);

/** Attributes shared by both blocks (what a device needs to show one before it has the bytes). */
export interface FileBlockAttrs {
  fileId: string | null;
  name: string;
  mimeType: string;
  size: number;
}

export interface ImageBlockAttrs extends FileBlockAttrs {
  alt: string;
  caption: string;
  /** Display width in CSS pixels; null: the image's natural width, at most the page's. */
  width: number | null;
}

/** The narrowest and widest an image block may be set to (px). */
export const IMAGE_WIDTH = { min: 48, max: 4096 } as const;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0;

/** Reads a block's attributes defensively (they arrive from other devices and the server). */
export function fileBlockAttrs(attrs: Record<string, unknown> | undefined): FileBlockAttrs {
  const fileId = attrs?.fileId;
  return {
    fileId: typeof fileId === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(fileId) ? fileId : null,
    name: text(attrs?.name),
    mimeType: text(attrs?.mimeType) || 'application/octet-stream',
    size: count(attrs?.size),
  };
}

export function imageBlockAttrs(attrs: Record<string, unknown> | undefined): ImageBlockAttrs {
  const width = attrs?.width;
  return {
    ...fileBlockAttrs(attrs),
    alt: text(attrs?.alt),
    caption: text(attrs?.caption),
    width:
      typeof width === 'number' && Number.isFinite(width)
        ? Math.min(IMAGE_WIDTH.max, Math.max(IMAGE_WIDTH.min, Math.round(width)))
        : null,
  };
}

/** The part of a DOM element the parse rules read (shared code has no DOM types). */
interface ParsedElement {
  getAttribute(name: string): string | null;
  querySelector(
    selector: string,
  ): { textContent: string | null; getAttribute(name: string): string | null } | null;
}

/** Keeps an attribute out of the HTML the editor writes (it is in `data-*` form already, or not needed there). */
const hidden = { renderHTML: () => ({}) };

const fileAttributes = {
  fileId: {
    default: null,
    parseHTML: (element: ParsedElement) => element.getAttribute('data-file-id'),
    renderHTML: (attrs: Record<string, unknown>) => (attrs.fileId ? { 'data-file-id': attrs.fileId } : {}),
  },
  name: {
    default: '',
    parseHTML: (element: ParsedElement) => element.getAttribute('data-name') ?? '',
    renderHTML: (attrs: Record<string, unknown>) => ({ 'data-name': attrs.name }),
  },
  mimeType: {
    default: 'application/octet-stream',
    parseHTML: (element: ParsedElement) =>
      element.getAttribute('data-mime-type') ?? 'application/octet-stream',
    renderHTML: (attrs: Record<string, unknown>) => ({ 'data-mime-type': attrs.mimeType }),
  },
  size: {
    default: 0,
    parseHTML: (element: ParsedElement) => Number(element.getAttribute('data-size')) || 0,
    renderHTML: (attrs: Record<string, unknown>) => ({ 'data-size': String(attrs.size) }),
  },
};

/**
 * The image block: `@tiptap/extension-image` as a block, with our file attributes, alt text, a caption and a
 * display width. No input rule and no base64: an image is always an uploaded file (a pasted `data:` URL or
 * Markdown `![](http://…)` never becomes a request the page makes). A `src` survives only as imported data.
 */
export const ImageBlock = Image.extend({
  addOptions() {
    return { ...this.parent?.(), inline: false, allowBase64: false, resize: false, HTMLAttributes: {} };
  },
  addAttributes() {
    return {
      ...fileAttributes,
      src: { default: null, ...hidden },
      alt: { default: '' },
      caption: {
        default: '',
        parseHTML: (element: ParsedElement) => element.querySelector('figcaption')?.textContent ?? '',
        ...hidden,
      },
      width: {
        default: null,
        parseHTML: (element: ParsedElement) => {
          const value = Number(element.getAttribute('data-width'));
          return Number.isFinite(value) && value > 0 ? value : null;
        },
        renderHTML: (attrs: Record<string, unknown>) =>
          typeof attrs.width === 'number' ? { 'data-width': String(attrs.width) } : {},
      },
    };
  },
  addInputRules() {
    return [];
  },
  parseHTML() {
    return [
      {
        tag: 'figure[data-type="image"]',
        getAttrs: (element: ParsedElement) => ({
          alt: element.querySelector('img')?.getAttribute('alt') ?? '',
        }),
      },
      { tag: 'img[src]:not([src^="data:"])' },
    ];
  },
  renderHTML({ node, HTMLAttributes }) {
    const attrs = imageBlockAttrs(node.attrs);
    const figure = mergeAttributes(HTMLAttributes, { 'data-type': 'image' });
    delete figure.alt;
    const img = ['img', { alt: attrs.alt }];
    return attrs.caption
      ? ['figure', figure, img, ['figcaption', {}, attrs.caption]]
      : ['figure', figure, img];
  },
});

/** A file attachment: name, size and type; opened or saved from the block. */
export const FileAttachment = Node.create({
  name: FileBlockType.file,
  group: 'block',
  atom: true,
  draggable: true,
  selectable: true,
  addAttributes() {
    return fileAttributes;
  },
  parseHTML() {
    return [{ tag: 'div[data-type="file"]' }];
  },
  renderHTML({ node, HTMLAttributes }) {
    return ['div', mergeAttributes(HTMLAttributes, { 'data-type': 'file' }), fileBlockAttrs(node.attrs).name];
  },
});

export { formatFileSize };

/** Where an export points for a file's bytes; null: there is nothing to point at (the block has no file). */
export type FileHref = (fileId: string, name: string) => string | null;

const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** An image or file block as escaped HTML (exports); null for any other node type. */
export function fileBlockHtml(
  node: { type: string; attrs?: Record<string, unknown> | undefined },
  href: FileHref,
): string | null {
  const id = typeof node.attrs?.id === 'string' ? ` id="${escapeHtml(node.attrs.id)}"` : '';
  if (node.type === FileBlockType.image) {
    const attrs = imageBlockAttrs(node.attrs);
    const url = attrs.fileId ? href(attrs.fileId, attrs.name) : null;
    const width = attrs.width === null ? '' : ` width="${attrs.width}"`;
    const img = url
      ? `<img src="${escapeHtml(url)}" alt="${escapeHtml(attrs.alt)}"${width}>`
      : `<span class="missing-image">${escapeHtml(attrs.alt || attrs.name || 'Image')}</span>`;
    const caption = attrs.caption ? `<figcaption>${escapeHtml(attrs.caption)}</figcaption>` : '';
    return `<figure${id} class="image">${img}${caption}</figure>`;
  }
  if (node.type === FileBlockType.file) {
    const attrs = fileBlockAttrs(node.attrs);
    const url = attrs.fileId ? href(attrs.fileId, attrs.name) : null;
    const label = `${escapeHtml(attrs.name || 'File')} <small>(${escapeHtml(formatFileSize(attrs.size))})</small>`;
    // `download` names the saved file: a `data:` URL (a standalone export) has no name of its own.
    const download = `download="${escapeHtml(attrs.name || 'File')}"`;
    return `<p${id} class="file">📎 ${url ? `<a href="${escapeHtml(url)}" ${download}>${label}</a>` : label}</p>`;
  }
  return null;
}

/** Markdown link/image text and destinations, escaped for CommonMark. */
const mdText = (value: string): string => value.replace(/([\\[\]*_`<>])/g, '\\$1').replace(/\n/g, ' ');
const mdUrl = (value: string): string => `<${value.replace(/[<>\n]/g, encodeURIComponent)}>`;
const mdTitle = (value: string): string => `"${value.replace(/(["\\])/g, '\\$1').replace(/\n/g, ' ')}"`;

/**
 * An image block as `![alt](href "caption")`, a file block as `[📎 name (size)](href)`; null for other types.
 * Without a file to point at, the text alone (in brackets) keeps the reader informed.
 */
export function fileBlockMarkdown(
  node: { type: string; attrs?: Record<string, unknown> | undefined },
  href: FileHref,
): string | null {
  if (node.type === FileBlockType.image) {
    const attrs = imageBlockAttrs(node.attrs);
    const url = attrs.fileId ? href(attrs.fileId, attrs.name) : null;
    if (!url) return `\\[${mdText(attrs.alt || attrs.name || 'Image')}\\]`;
    return `![${mdText(attrs.alt)}](${mdUrl(url)}${attrs.caption ? ` ${mdTitle(attrs.caption)}` : ''})`;
  }
  if (node.type === FileBlockType.file) {
    const attrs = fileBlockAttrs(node.attrs);
    const label = `📎 ${mdText(attrs.name || 'File')} (${formatFileSize(attrs.size)})`;
    const url = attrs.fileId ? href(attrs.fileId, attrs.name) : null;
    return url ? `[${label}](${mdUrl(url)})` : label;
  }
  return null;
}

/** Every file id a document's JSON refers to (the blocks can sit inside lists, quotes and tables). */
export function fileIdsOf(doc: {
  type?: string;
  attrs?: Record<string, unknown>;
  content?: unknown[];
}): string[] {
  const ids = new Set<string>();
  const stack: unknown[] = [doc];
  while (stack.length > 0) {
    const node = stack.pop() as { type?: string; attrs?: Record<string, unknown>; content?: unknown[] };
    if (node.type && FILE_BLOCK_TYPES.includes(node.type)) {
      const { fileId } = fileBlockAttrs(node.attrs);
      if (fileId) ids.add(fileId);
    }
    if (Array.isArray(node.content)) stack.push(...node.content);
  }
  return [...ids];
}
