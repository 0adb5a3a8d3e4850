import type { NodeView, OutboxEntryView } from '../../../shared/contract';

/** What a queued change is, in words: "Edited the text", "Created", "Renamed or moved"… */
export function describeChange(entry: OutboxEntryView): string {
  switch (entry.type) {
    case 'document.update':
      return 'Edited the text';
    case 'node.create':
      return 'Created';
    case 'node.update':
      return 'Renamed, moved or changed';
    case 'node.delete':
      return 'Deleted for good';
    case 'node.reaction.create':
    case 'node.reaction.delete':
      return 'Changed a reaction';
    case 'node.interaction.seen':
      return 'Read';
    case 'node.interaction.opened':
      return 'Opened';
    default:
      return 'Changed';
  }
}

export function entryName(entry: OutboxEntryView, node: NodeView | undefined): string {
  if (node) return node.name || 'Untitled';
  return entry.type === 'node.delete' ? 'A deleted item' : 'An item no longer on this device';
}

export function entryTime(iso: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

interface TiptapNode {
  type?: string;
  text?: string;
  content?: TiptapNode[];
}

/** Plain text of a TipTap document, one line per block (what "Copy" puts on the clipboard). */
export function plainText(doc: TiptapNode): string {
  const lines: string[] = [];
  const walk = (node: TiptapNode): string =>
    node.text ?? (node.content ?? []).map((child) => walk(child)).join('');
  const blocks = (node: TiptapNode): void => {
    for (const child of node.content ?? []) {
      const isContainer = (child.content ?? []).some((c) => c.content !== undefined && c.type !== 'text');
      if (isContainer) blocks(child);
      else lines.push(walk(child));
    }
  };
  blocks(doc);
  return lines.join('\n');
}
