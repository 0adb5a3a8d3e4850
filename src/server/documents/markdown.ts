import type { TiptapMark, TiptapNode } from '../../shared/crdt/document';

/**
 * TipTap JSON → Markdown (CommonMark + GFM task lists and tables) for `output=md`. Lossy by nature:
 * block ids, colours and alignment are dropped.
 */
export function toMarkdown(doc: TiptapNode): string {
  return (
    blocks(doc.content ?? [], '')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n'
  );
}

function blocks(nodes: readonly TiptapNode[], indent: string): string {
  return nodes.map((node) => block(node, indent)).join('\n\n');
}

function block(node: TiptapNode, indent: string): string {
  const children = node.content ?? [];
  switch (node.type) {
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.attrs?.level ?? 1)));
      return `${indent}${'#'.repeat(level)} ${inline(children)}`;
    }
    case 'paragraph':
      return indent + inline(children);
    case 'blockquote':
      return blocks(children, '')
        .split('\n')
        .map((line) => `${indent}> ${line}`.trimEnd())
        .join('\n');
    case 'codeBlock': {
      const language = typeof node.attrs?.language === 'string' ? node.attrs.language : '';
      const text = children.map((child) => child.text ?? '').join('');
      return `${indent}\`\`\`${language}\n${text}\n${indent}\`\`\``;
    }
    case 'horizontalRule':
      return `${indent}---`;
    case 'bulletList':
    case 'orderedList':
    case 'taskList':
      return children
        .map((item, i) => listItem(item, node.type, i + Number(node.attrs?.start ?? 1), indent))
        .join('\n');
    case 'table':
      return table(node, indent);
    default:
      return children.length > 0 ? blocks(children, indent) : indent + (node.text ?? '');
  }
}

function listItem(item: TiptapNode, listType: string, number: number, indent: string): string {
  const marker =
    listType === 'orderedList'
      ? `${number}.`
      : listType === 'taskList'
        ? `- [${item.attrs?.checked ? 'x' : ' '}]`
        : '-';
  const [first, ...rest] = item.content ?? [];
  const head = first ? block(first, '') : '';
  const tail = rest.map((child) => block(child, `${indent}  `)).join('\n');
  return `${indent}${marker} ${head}${tail ? `\n${tail}` : ''}`;
}

function table(node: TiptapNode, indent: string): string {
  const rows = (node.content ?? []).map((row) =>
    (row.content ?? []).map((cell) =>
      blocks(cell.content ?? [], '')
        .replace(/\n+/g, ' ')
        .replace(/\|/g, '\\|'),
    ),
  );
  if (rows.length === 0) return '';
  const width = Math.max(...rows.map((row) => row.length));
  const line = (cells: string[]) =>
    `${indent}| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  return [
    line(rows[0] ?? []),
    line(Array.from({ length: width }, () => '---')),
    ...rows.slice(1).map(line),
  ].join('\n');
}

function inline(nodes: readonly TiptapNode[]): string {
  return nodes
    .map((node) => {
      if (node.type === 'hardBreak') return '  \n';
      if (node.type !== 'text') return inline(node.content ?? []);
      return (node.marks ?? []).reduce(applyMark, escapeText(node.text ?? ''));
    })
    .join('');
}

function applyMark(text: string, mark: TiptapMark): string {
  switch (mark.type) {
    case 'bold':
      return `**${text}**`;
    case 'italic':
      return `*${text}*`;
    case 'strike':
      return `~~${text}~~`;
    case 'code':
      return `\`${text}\``;
    case 'link':
      return `[${text}](${String(mark.attrs?.href ?? '')})`;
    default:
      return text;
  }
}

const escapeText = (text: string): string => text.replace(/([\\`*_[\]#<>])/g, '\\$1');
