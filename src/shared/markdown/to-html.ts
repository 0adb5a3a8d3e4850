import type { TiptapMark, TiptapNode } from '../crdt/document';
import { drawingToSvg } from '../editor/drawing-svg';
import { fileBlockHtml, type FileHref } from '../editor/file-blocks';

/**
 * TipTap JSON → a standalone HTML page: the app's HTML and PDF exports, print, and the server's `output=html`.
 * Self-contained (its stylesheet inline, drawings as inline SVG, no scripts, no remote resources) and escaped:
 * only web and mail links survive, ids are the blocks' ids (links to a block keep working).
 */
export interface HtmlPageOptions {
  title: string;
  themeMode: 'light' | 'dark';
  /** Paint the page background (else only the text colour is set, for printing on white). */
  includeBackground: boolean;
  /** Sections appended after the document (comments), already escaped. */
  appendix?: string;
  /** Where image and file blocks point for their bytes (default: nowhere; their names are shown). */
  fileHref?: FileHref;
}

export const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function toHtmlPage(doc: TiptapNode, options: HtmlPageOptions): string {
  const background = options.includeBackground ? ' class="with-background"' : '';
  return [
    '<!doctype html>',
    `<html lang="en" data-theme="${options.themeMode}"><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(options.title)}</title>`,
    `<style>${PAGE_CSS}</style></head>`,
    `<body${background}><article>${toHtmlFragment(doc, options.fileHref)}</article>${options.appendix ?? ''}</body></html>`,
  ].join('\n');
}

/** The document's blocks as HTML elements (no page around them). */
export function toHtmlFragment(doc: TiptapNode, fileHref: FileHref = () => null): string {
  const out: string[] = [];
  for (const child of doc.content ?? []) block(child, out, fileHref);
  return out.join('');
}

const SIMPLE_BLOCKS: Readonly<Record<string, string>> = {
  paragraph: 'p',
  blockquote: 'blockquote',
  bulletList: 'ul',
  listItem: 'li',
  table: 'table',
  tableRow: 'tr',
};

function idAttr(node: TiptapNode): string {
  return typeof node.attrs?.id === 'string' && node.attrs.id !== ''
    ? ` id="${escapeHtml(node.attrs.id)}"`
    : '';
}

function block(node: TiptapNode, out: string[], fileHref: FileHref): void {
  const files = fileBlockHtml(node, fileHref);
  if (files !== null) {
    out.push(files);
    return;
  }
  const id = idAttr(node);
  const children = () => {
    for (const child of node.content ?? []) block(child, out, fileHref);
  };
  switch (node.type) {
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.attrs?.level) || 1));
      out.push(`<h${level}${id}>`, inline(node.content ?? []), `</h${level}>`);
      return;
    }
    case 'paragraph':
      out.push(`<p${id}>`, inline(node.content ?? []) || '<br>', '</p>');
      return;
    case 'codeBlock': {
      const language = typeof node.attrs?.language === 'string' ? node.attrs.language : '';
      const cls = /^[\w+#.-]{1,64}$/.test(language) ? ` class="language-${escapeHtml(language)}"` : '';
      const text = (node.content ?? []).map((child) => child.text ?? '').join('');
      out.push(`<pre${id}><code${cls}>${escapeHtml(text)}</code></pre>`);
      return;
    }
    case 'horizontalRule':
      out.push(`<hr${id}>`);
      return;
    case 'drawing':
      out.push(
        `<figure${id} class="drawing">`,
        drawingToSvg(node.attrs ?? {}, { scale: 1 }).trim(),
        '</figure>',
      );
      return;
    case 'orderedList': {
      const start = Number(node.attrs?.start ?? 1);
      const startAttr = Number.isInteger(start) && start !== 1 ? ` start="${start}"` : '';
      out.push(`<ol${id}${startAttr}>`);
      children();
      out.push('</ol>');
      return;
    }
    case 'taskList':
      out.push(`<ul${id} class="tasks">`);
      children();
      out.push('</ul>');
      return;
    case 'taskItem': {
      const checked = node.attrs?.checked === true;
      out.push(`<li${id} class="task${checked ? ' done' : ''}">`);
      out.push(
        `<input type="checkbox" disabled${checked ? ' checked' : ''} aria-label="${checked ? 'Done' : 'To do'}">`,
      );
      children();
      out.push('</li>');
      return;
    }
    case 'tableHeader':
    case 'tableCell': {
      const tag = node.type === 'tableHeader' ? 'th' : 'td';
      const align = node.attrs?.align;
      const alignAttr =
        align === 'left' || align === 'center' || align === 'right' ? ` class="align-${align}"` : '';
      const span = (name: string) => {
        const value = Number(node.attrs?.[name] ?? 1);
        return Number.isInteger(value) && value > 1 && value < 1000 ? ` ${name}="${value}"` : '';
      };
      out.push(`<${tag}${alignAttr}${span('colspan')}${span('rowspan')}>`);
      children();
      out.push(`</${tag}>`);
      return;
    }
    default: {
      const tag = SIMPLE_BLOCKS[node.type] ?? 'div';
      out.push(`<${tag}${id}>`);
      if (node.type === 'text') out.push(escapeHtml(node.text ?? ''));
      children();
      out.push(`</${tag}>`);
    }
  }
}

function inline(nodes: readonly TiptapNode[]): string {
  return nodes
    .map((node) => {
      if (node.type === 'hardBreak') return '<br>';
      if (node.type !== 'text') return inline(node.content ?? []);
      return (node.marks ?? []).reduceRight(mark, escapeHtml(node.text ?? ''));
    })
    .join('');
}

function mark(html: string, value: TiptapMark): string {
  switch (value.type) {
    case 'bold':
      return `<strong>${html}</strong>`;
    case 'italic':
      return `<em>${html}</em>`;
    case 'strike':
      return `<s>${html}</s>`;
    case 'underline':
      return `<u>${html}</u>`;
    case 'code':
      return `<code>${html}</code>`;
    case 'link': {
      const href = String(value.attrs?.href ?? '');
      const title = typeof value.attrs?.title === 'string' ? ` title="${escapeHtml(value.attrs.title)}"` : '';
      // Only web and mail links and in-page anchors survive an export; anything else (javascript:, data:) is dropped.
      return /^(https?:|mailto:|#)/i.test(href)
        ? `<a href="${escapeHtml(href)}"${title} rel="noopener noreferrer">${html}</a>`
        : html;
    }
    default:
      return html;
  }
}

/** A readable page in either theme; print keeps it black on white unless the background was asked for. */
const PAGE_CSS = [
  ':root{color-scheme:light;--fg:#1d1d1f;--bg:#ffffff;--muted:#6e6e73;--line:#d2d2d7;--code:#f5f5f7;--link:#0a63c9}',
  '[data-theme="dark"]{color-scheme:dark;--fg:#e6e6e6;--bg:#16161a;--muted:#a1a1a6;--line:#3a3a40;--code:#222228;--link:#6cb2ff}',
  'body{margin:0;color:var(--fg);font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}',
  'body.with-background{background:var(--bg)}',
  'article{max-width:46rem;margin:0 auto;padding:2.5rem 1.5rem}',
  'h1,h2,h3,h4,h5,h6{line-height:1.25;margin:1.6em 0 .5em}',
  'p{margin:.6em 0}',
  'a{color:var(--link)}',
  'blockquote{margin:.8em 0;padding:0 1em;border-left:3px solid var(--line);color:var(--muted)}',
  'code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;background:var(--code);padding:.1em .3em;border-radius:4px}',
  'pre{background:var(--code);padding:.8em 1em;border-radius:6px;overflow:auto;white-space:pre-wrap}',
  'pre code{background:none;padding:0}',
  'ul.tasks{list-style:none;padding-left:1.2em}',
  'li.task>input{margin:0 .5em 0 -1.3em}',
  'li.task.done>p{color:var(--muted);text-decoration:line-through}',
  'li>p{margin:.2em 0}',
  'table{border-collapse:collapse;margin:1em 0}',
  'th,td{border:1px solid var(--line);padding:.35em .7em;vertical-align:top}',
  'th{background:var(--code)}',
  '.align-center{text-align:center}.align-right{text-align:right}.align-left{text-align:left}',
  'hr{border:none;border-top:1px solid var(--line);margin:2em 0}',
  'figure.drawing{margin:1em 0}figure.drawing svg{max-width:100%;height:auto}',
  'figure.image{margin:1em 0}figure.image img{max-width:100%;height:auto}',
  'figcaption{color:var(--muted);font-size:.9em;margin-top:.3em}p.file small{color:var(--muted)}',
  'section.comments{max-width:46rem;margin:0 auto;padding:0 1.5rem 2rem;color:var(--muted)}',
  '@media print{article{padding:0;max-width:none}pre{white-space:pre-wrap}}',
].join('');
