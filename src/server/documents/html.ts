import type { TiptapMark, TiptapNode } from '../../shared/crdt/document';

/** TipTap JSON → a standalone, escaped HTML page for `output=html` exports. */
export interface HtmlOptions {
  title: string;
  themeMode: 'light' | 'dark';
  includeBackground: boolean;
  /** Pre-rendered appendix sections (comments), already escaped. */
  appendix?: string;
}

const BLOCK_TAGS: Record<string, string> = {
  paragraph: 'p',
  blockquote: 'blockquote',
  bulletList: 'ul',
  orderedList: 'ol',
  taskList: 'ul',
  listItem: 'li',
  taskItem: 'li',
  table: 'table',
  tableRow: 'tr',
  tableHeader: 'th',
  tableCell: 'td',
};

export const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function toHtml(doc: TiptapNode, options: HtmlOptions): string {
  const colors =
    options.themeMode === 'dark' ? 'color:#e6e6e6;background:#16161a' : 'color:#1d1d1f;background:#ffffff';
  const style = options.includeBackground ? colors : colors.split(';')[0];
  return [
    '<!doctype html>',
    `<html lang="en" data-theme="${options.themeMode}"><head><meta charset="utf-8">`,
    `<title>${escapeHtml(options.title)}</title></head>`,
    `<body style="${style}"><article>${(doc.content ?? []).map(node).join('')}</article>${options.appendix ?? ''}</body></html>`,
  ].join('');
}

function node(value: TiptapNode): string {
  const children = (value.content ?? []).map(node).join('');
  const id = typeof value.attrs?.id === 'string' ? ` id="${escapeHtml(value.attrs.id)}"` : '';
  switch (value.type) {
    case 'text':
      return (value.marks ?? []).reduce(mark, escapeHtml(value.text ?? ''));
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(value.attrs?.level ?? 1)));
      return `<h${level}${id}>${children}</h${level}>`;
    }
    case 'codeBlock':
      return `<pre${id}><code>${children}</code></pre>`;
    case 'horizontalRule':
      return `<hr${id}>`;
    case 'hardBreak':
      return '<br>';
    default: {
      const tag = BLOCK_TAGS[value.type] ?? 'div';
      const checked =
        value.type === 'taskItem'
          ? `<input type="checkbox" disabled${value.attrs?.checked ? ' checked' : ''}> `
          : '';
      return `<${tag}${id}>${checked}${children}</${tag}>`;
    }
  }
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
      // Only web and mail links survive an export; anything else (javascript:, data:) is dropped.
      return /^(https?:|mailto:)/i.test(href)
        ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${html}</a>`
        : html;
    }
    default:
      return html;
  }
}
