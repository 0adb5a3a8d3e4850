import { diffArrays, diffWordsWithSpace } from 'diff';
import type { TiptapNode } from '../../../shared/crdt/document';

/**
 * A readable comparison of two versions of a page: both are flattened into lines as a reader sees them
 * (a paragraph, a heading, a list item with its bullet, one line of a code block, a table row, an image),
 * lines are matched in document order, and a removed line next to an added one is shown as one changed line
 * with the words that differ marked. Pure, so the History panel, its tests and the bench share it.
 */

export interface DiffLine {
  /** What kind of block it came from: styles the line (`heading`, `code`, `task`, `quote`, `media`…). */
  style: LineStyle;
  /** Heading level; otherwise 0. */
  level: number;
  /** List/quote nesting, for indentation. */
  depth: number;
  /** What a reader sees before the text: `•`, `3.`, `☐`, `☑`, or empty. */
  marker: string;
  text: string;
  /** The text's marks (bold, links…), so a formatting-only change is a change too. */
  format: string;
}

export type LineStyle = 'paragraph' | 'heading' | 'code' | 'task' | 'quote' | 'media' | 'rule' | 'table';

export interface TextPart {
  text: string;
  change: 'same' | 'added' | 'removed';
}

export type DiffRow =
  | { kind: 'same'; line: DiffLine }
  | { kind: 'added'; line: DiffLine }
  | { kind: 'removed'; line: DiffLine }
  | { kind: 'changed'; before: DiffLine; line: DiffLine; parts: TextPart[] };

export interface PageDiff {
  rows: DiffRow[];
  /** Indexes into `rows` where a run of changes starts (what next/previous change walks). */
  changes: number[];
  added: number;
  removed: number;
  changed: number;
}

/** Compares `before` (a version) with `after` (the page now). */
export function diffPages(before: TiptapNode, after: TiptapNode): PageDiff {
  const a = pageLines(before);
  const b = pageLines(after);
  const rows: DiffRow[] = [];
  let removed: DiffLine[] = [];
  let added: DiffLine[] = [];
  const flush = (): void => {
    // Pair removed and added lines of the same kind in order: an edited paragraph reads as one changed line.
    let r = 0;
    let d = 0;
    while (r < removed.length || d < added.length) {
      const old = removed[r];
      const next = added[d];
      const parts = old && next && old.style === next.style ? similar(old.text, next.text) : null;
      if (old && next && parts) {
        rows.push({ kind: 'changed', before: old, line: next, parts });
        r++;
        d++;
      } else if (old) {
        rows.push({ kind: 'removed', line: old });
        r++;
      } else if (next) {
        rows.push({ kind: 'added', line: next });
        d++;
      }
    }
    removed = [];
    added = [];
  };
  let ai = 0;
  let bi = 0;
  for (const change of diffArrays(a.map(lineKey), b.map(lineKey))) {
    const count = change.count ?? change.value.length;
    if (change.removed) removed.push(...a.slice(ai, (ai += count)));
    else if (change.added) added.push(...b.slice(bi, (bi += count)));
    else {
      flush();
      for (let i = 0; i < count; i++) rows.push({ kind: 'same', line: b[bi + i]! });
      ai += count;
      bi += count;
    }
  }
  flush();
  const changes: number[] = [];
  let counts = { added: 0, removed: 0, changed: 0 };
  rows.forEach((row, index) => {
    if (row.kind === 'same') return;
    counts = { ...counts, [row.kind]: counts[row.kind] + 1 };
    if (index === 0 || rows[index - 1]!.kind === 'same') changes.push(index);
  });
  return { rows, changes, ...counts };
}

/**
 * The word diff of two lines if they are the same line edited (at least half of the longer one kept, or one
 * of them empty), else null: a line replaced by an unrelated one reads better as removed + added.
 */
function similar(before: string, after: string): TextPart[] | null {
  const parts: TextPart[] = diffWordsWithSpace(before, after).map((part) => ({
    text: part.value,
    change: part.added ? 'added' : part.removed ? 'removed' : 'same',
  }));
  const kept = parts.reduce((sum, part) => sum + (part.change === 'same' ? part.text.length : 0), 0);
  const longer = Math.max(before.length, after.length);
  return before === '' || after === '' || kept * 2 >= longer ? parts : null;
}

const lineKey = (line: DiffLine): string =>
  `${line.style}\u0000${line.level}\u0000${line.depth}\u0000${line.marker}\u0000${line.format}\u0000${line.text}`;

/** A page as the lines a reader sees, in document order. */
function pageLines(doc: TiptapNode): DiffLine[] {
  const out: DiffLine[] = [];
  walkBlocks(doc.content ?? [], { depth: 0, quote: false, marker: null }, out);
  return out;
}

interface Place {
  depth: number;
  quote: boolean;
  /** The marker the next text line takes (a list item's first paragraph), then cleared. */
  marker: { value: string } | null;
}

function walkBlocks(blocks: readonly TiptapNode[], place: Place, out: DiffLine[]): void {
  for (const block of blocks) walkBlock(block, place, out);
}

function line(place: Place, style: LineStyle, text: string, extra: Partial<DiffLine> = {}): DiffLine {
  const marker = place.marker?.value ?? '';
  if (place.marker) place.marker = null;
  const quoted = place.quote && style === 'paragraph' ? 'quote' : style;
  return { style: quoted, level: 0, depth: place.depth, marker, text, format: '', ...extra };
}

function walkBlock(block: TiptapNode, place: Place, out: DiffLine[]): void {
  const attrs = block.attrs ?? {};
  switch (block.type) {
    case 'paragraph':
      out.push(line(place, 'paragraph', inlineText(block), { format: inlineFormat(block) }));
      return;
    case 'heading':
      out.push(
        line(place, 'heading', inlineText(block), {
          level: Number(attrs.level) || 1,
          format: inlineFormat(block),
        }),
      );
      return;
    case 'codeBlock': {
      const language = typeof attrs.language === 'string' ? attrs.language : '';
      for (const text of inlineText(block).split('\n'))
        out.push(line(place, 'code', text, { format: language }));
      return;
    }
    case 'blockquote':
      walkBlocks(block.content ?? [], { ...place, quote: true, depth: place.depth + 1 }, out);
      return;
    case 'bulletList':
    case 'orderedList':
    case 'taskList': {
      const start = Number(attrs.start) || 1;
      (block.content ?? []).forEach((item, index) => {
        const marker =
          block.type === 'bulletList'
            ? '•'
            : block.type === 'orderedList'
              ? `${start + index}.`
              : item.attrs?.checked === true
                ? '☑'
                : '☐';
        const inner: Place = { ...place, depth: place.depth + 1, marker: { value: marker } };
        walkBlocks(item.content ?? [], inner, out);
        // An item with no paragraph of its own still shows its marker.
        if (inner.marker) out.push(line(inner, block.type === 'taskList' ? 'task' : 'paragraph', ''));
      });
      return;
    }
    case 'horizontalRule':
      out.push(line(place, 'rule', '———'));
      return;
    case 'table':
      for (const row of block.content ?? [])
        out.push(line(place, 'table', (row.content ?? []).map((cell) => cellText(cell)).join(' | ')));
      return;
    case 'image':
      out.push(line(place, 'media', `Image: ${describe(attrs.alt, attrs.name, attrs.caption)}`));
      return;
    case 'fileAttachment':
      out.push(line(place, 'media', `File: ${describe(attrs.name)}`));
      return;
    case 'drawing':
      out.push(
        line(place, 'media', 'Drawing', { format: JSON.stringify(attrs.strokes ?? null).length.toString() }),
      );
      return;
    default:
      if (block.content?.length) walkBlocks(block.content, place, out);
      else out.push(line(place, 'media', block.type));
  }
}

function describe(...candidates: unknown[]): string {
  const named = candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
  return named ?? 'untitled';
}

function inlineText(block: TiptapNode): string {
  let text = '';
  for (const child of block.content ?? []) {
    if (child.type === 'text') text += child.text ?? '';
    else if (child.type === 'hardBreak') text += '\n';
    else text += inlineText(child);
  }
  return text;
}

/** Marks per text run, so "bold added" is a change even when the words are the same. */
function inlineFormat(block: TiptapNode): string {
  const runs: string[] = [];
  for (const child of block.content ?? []) {
    if (!child.marks?.length) continue;
    const marks = child.marks.map((m) => (m.attrs?.href ? `${m.type}(${String(m.attrs.href)})` : m.type));
    runs.push(`${child.text?.length ?? 0}:${marks.join('+')}`);
  }
  return runs.join(',');
}

/** The text of a table cell (its paragraphs joined). */
function cellText(node: TiptapNode): string {
  return (node.content ?? []).map((child) => inlineText(child)).join(' ');
}
