import type { Mark, Node as PmNode } from '@tiptap/pm/model';
import { MarkdownSerializer, MarkdownSerializerState } from 'prosemirror-markdown';
import type { TiptapNode } from '../crdt/document';
import { editorSchema } from '../editor/extensions';
import { fileBlockMarkdown, type FileHref } from '../editor/file-blocks';
import { DRAWING_FENCE_INFO } from './syntax';

/**
 * TipTap JSON → Markdown: CommonMark plus GFM tables, task lists and strikethrough. One serializer for the app's
 * exports and the server's `output=md`. Built on prosemirror-markdown; what CommonMark cannot say directly is
 * written so that our own import (`from-markdown.ts`) reads it back and other readers still show it sensibly:
 *
 * - underline as `<u>…</u>`; an empty paragraph as `<br>`; a hard break at the end of a line as `<br>`;
 * - emphasis whose `*`/`~~` delimiters CommonMark would not see as such (`a**.b**`) as `<strong>`/`<em>`/`<s>`;
 * - spaces at a line's start or end, or just inside emphasis, as `&#32;` (CommonMark strips them);
 * - a drawing as a fenced ```hoody-drawing block holding its JSON;
 * - an image as `![alt](<href> "caption")`, a file as `[📎 name (size)](<href>)` (`fileHref` says where);
 * - adjacent lists of the same kind with alternating markers (`-`/`*`, `.`/`)`), or they would merge.
 *
 * Lossy by nature: block ids, a cell's column widths and spans, and the structure inside table cells (GFM cells
 * are one line: paragraphs become `<br>` breaks).
 */
export function toMarkdown(doc: TiptapNode | PmNode, fileHref: FileHref = () => null): string {
  const node = isPmNode(doc) ? doc : editorSchema().nodeFromJSON(doc);
  // One serializer state per top-level block, joined by the blank line the serializer puts between them: its
  // output is one growing string it reads the last character of after each write, which copies the whole string
  // each time (V8 flattens it), so a 10,000-paragraph page in one state took seconds.
  const { nodes, marks } = serializer();
  const blocks: string[] = [];
  const options = { ...SERIALIZER_OPTIONS, fileHref } as MarkdownSerializer['options'];
  node.forEach((child, _offset, index) => {
    const state = new StateWithOutput(nodes, marks, options);
    state.render(child, node, index);
    const out = state.out;
    let end = out.length;
    while (end > 0 && out.charCodeAt(end - 1) === 10) end--;
    blocks.push(end === out.length ? out : out.slice(0, end));
  });
  const out = blocks.join('\n\n');
  return out === '' ? '' : `${out}\n`;
}

/** The state's constructor and output are public in prosemirror-markdown's code, internal in its types. */
const StateWithOutput = MarkdownSerializerState as unknown as new (
  nodes: MarkdownSerializer['nodes'],
  marks: MarkdownSerializer['marks'],
  options: MarkdownSerializer['options'],
) => MarkdownSerializerState & { out: string };

const SERIALIZER_OPTIONS = { hardBreakNodeName: 'hardBreak', strict: true, tightLists: true };

/** An image or file block (`file-blocks.ts` says how), pointing where the caller's `fileHref` says. */
function fileBlock(state: MarkdownSerializerState, node: PmNode): void {
  const { fileHref } = state.options as { fileHref?: FileHref };
  const block = { type: node.type.name, attrs: node.attrs as Record<string, unknown> };
  state.write(fileBlockMarkdown(block, fileHref ?? (() => null)) ?? '');
  state.closeBlock(node);
}

const isPmNode = (value: TiptapNode | PmNode): value is PmNode =>
  typeof (value as PmNode).nodeSize === 'number';

/** Marks whose delimiters (`*`, `**`, `~~`) follow CommonMark's flanking rules. */
const FLANKING_MARKS: Readonly<Record<string, { md: string; html: string }>> = {
  bold: { md: '**', html: 'strong' },
  italic: { md: '*', html: 'em' },
  strike: { md: '~~', html: 's' },
};

const PUNCTUATION = /[\p{P}\p{S}]/u;
const WHITESPACE = /\s/u;

let cached: MarkdownSerializer | undefined;
function serializer(): MarkdownSerializer {
  cached ??= new MarkdownSerializer(
    {
      doc: (state, node) => state.renderContent(node),
      paragraph(state, node) {
        if (node.childCount === 0) state.write('<br>');
        else state.renderInline(node);
        state.closeBlock(node);
      },
      heading(state, node) {
        state.write(`${'#'.repeat(Math.min(6, Math.max(1, Number(node.attrs.level) || 1)))} `);
        state.renderInline(node, false);
        state.closeBlock(node);
      },
      blockquote(state, node) {
        state.wrapBlock('> ', null, node, () => state.renderContent(node));
      },
      codeBlock(state, node) {
        fenced(
          state,
          node,
          typeof node.attrs.language === 'string' ? node.attrs.language : '',
          node.textContent,
        );
      },
      drawing(state, node) {
        const { width, height, strokes } = node.attrs as Record<string, unknown>;
        fenced(state, node, DRAWING_FENCE_INFO, JSON.stringify({ width, height, strokes }));
      },
      image: fileBlock,
      fileAttachment: fileBlock,
      horizontalRule(state, node) {
        state.write('---');
        state.closeBlock(node);
      },
      bulletList(state, node, parent, index) {
        const marker = alternate(parent, index, ['-', '*'], BULLET_LISTS);
        renderList(state, node, '  ', false, () => `${marker} `);
      },
      taskList(state, node, parent, index) {
        const marker = alternate(parent, index, ['-', '*'], BULLET_LISTS);
        renderList(state, node, '  ', false, () => `${marker} `);
      },
      orderedList(state, node, parent, index) {
        const delimiter = alternate(parent, index, ['.', ')'], ORDERED_LISTS);
        const start = Math.max(0, Math.min(999_999_999 - node.childCount, Number(node.attrs.start) || 0));
        const width = String(start + node.childCount - 1).length;
        // Only a list starting at 1 may interrupt a paragraph: any other needs a blank line before it.
        renderList(
          state,
          node,
          ' '.repeat(width + 2),
          start !== 1,
          (i) => `${String(start + i).padStart(width)}${delimiter} `,
        );
      },
      listItem: (state, node) => state.renderContent(node),
      taskItem(state, node) {
        // `- [ ]` with nothing after it is an empty task; `<br>` would be read as a line break in it.
        const box = node.attrs.checked ? '[x]' : '[ ]';
        node.forEach((child, _offset, i) => {
          if (i > 0) return state.render(child, node, i);
          if (child.childCount > 0) {
            state.write(`${box} `);
            return state.render(child, node, i);
          }
          state.write(box);
          state.closeBlock(child);
        });
      },
      table: (state, node) => table(state, node),
      text(state, node, parent, index) {
        state.text(textOf(node, parent, index), false);
      },
      hardBreak(state, _node, parent, index) {
        // A backslash break needs text after it on the line; at the end (or before another break) say <br>.
        const next = index + 1 < parent.childCount ? parent.child(index + 1) : null;
        const inHeading = parent.type.name === 'heading';
        state.write(next && next.type.name !== 'hardBreak' && !inHeading ? '\\\n' : '<br>');
      },
      // Table cells are rendered by `table` itself; these are never reached through renderContent.
      tableRow: () => undefined,
      tableCell: () => undefined,
      tableHeader: () => undefined,
    },
    {
      bold: flankingMark('bold'),
      italic: flankingMark('italic'),
      strike: flankingMark('strike'),
      underline: { open: '<u>', close: '</u>' },
      code: {
        open: (_state, _mark, parent, index) => codeDelimiter(parent.child(index), 'open'),
        // Code excludes every other mark here, so its text always reaches `text` (which keeps it unescaped).
        close: (_state, _mark, parent, index) => codeDelimiter(parent.child(index - 1), 'close'),
      },
      link: {
        open: '[',
        close(_state, mark) {
          const href = String(mark.attrs.href ?? '');
          const destination = /[\s<>()]/.test(href) ? `<${href.replace(/[<>\\]/g, '\\$&')}>` : href;
          const title =
            typeof mark.attrs.title === 'string' && mark.attrs.title !== '' ? mark.attrs.title : null;
          return `](${destination}${title === null ? '' : ` "${title.replace(/["\\]/g, '\\$&')}"`})`;
        },
      },
    },
    SERIALIZER_OPTIONS,
  );
  return cached;
}

/** The serializer state's internals that `renderList` needs (prosemirror-markdown's own list code uses them). */
interface ListState {
  closed: PmNode | null;
  inTightList: boolean;
  flushClose(size?: number): void;
}

/**
 * prosemirror-markdown's renderList (tight), except that a block ending in an empty paragraph — written `<br>`,
 * an HTML block, which runs on until a blank line — is always followed by a blank line.
 */
function renderList(
  state: MarkdownSerializerState,
  node: PmNode,
  delim: string,
  blankBefore: boolean,
  firstDelim: (index: number) => string,
): void {
  const internals = state as unknown as ListState;
  if (internals.closed && (blankBefore || endsWithEmptyParagraph(internals.closed))) internals.flushClose(2);
  else if (internals.inTightList) internals.flushClose(1);
  const wasTight = internals.inTightList;
  internals.inTightList = true;
  node.forEach((child, _offset, i) => {
    if (i > 0) internals.flushClose(endsWithEmptyParagraph(node.child(i - 1)) ? 2 : 1);
    state.wrapBlock(delim, firstDelim(i), node, () => state.render(child, node, i));
  });
  internals.inTightList = wasTight;
}

function endsWithEmptyParagraph(node: PmNode): boolean {
  let last: PmNode | null = node;
  while (last && !last.isTextblock && !last.isLeaf) last = last.lastChild;
  return last?.type.name === 'paragraph' && last.childCount === 0;
}

const BULLET_LISTS = new Set(['bulletList', 'taskList']);
const ORDERED_LISTS = new Set(['orderedList']);

/** A list right after a list of the same kind takes the other marker, or CommonMark would join the two. */
function alternate<T>(
  parent: PmNode,
  index: number,
  markers: readonly [T, T],
  kinds: ReadonlySet<string>,
): T {
  let run = 0;
  for (let i = index - 1; i >= 0 && kinds.has(parent.child(i).type.name); i--) run++;
  return run % 2 === 0 ? markers[0] : markers[1];
}

function fenced(state: MarkdownSerializerState, node: PmNode, info: string, text: string): void {
  // The fence outgrows any backtick run inside; an info string with a backtick needs a tilde fence.
  const useTilde = info.includes('`');
  const char = useTilde ? '~' : '`';
  const runs = text.match(useTilde ? /~{3,}/g : /`{3,}/g) ?? [];
  const fence = char.repeat(Math.max(3, ...runs.map((run) => run.length + 1)));
  state.write(`${fence}${info.replace(/\s+/g, ' ').trim()}\n`);
  state.text(text, false);
  state.ensureNewLine();
  state.write(fence);
  state.closeBlock(node);
}

function codeDelimiter(node: PmNode, side: 'open' | 'close'): string {
  const text = node.text ?? '';
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  // CommonMark strips one space from each side when both are there: pad when the content needs it.
  const pad = text.startsWith('`') || text.endsWith('`') || (/^ .*[^ ].* $/su.test(text) && text.length > 2);
  return side === 'open' ? ticks + (pad ? ' ' : '') : (pad ? ' ' : '') + ticks;
}

/** Escapes a text node: Markdown syntax, line-start constructs, and whitespace CommonMark would strip. */
function textOf(node: PmNode, parent: PmNode, index: number): string {
  const raw = node.text ?? '';
  // In a GFM table even a code span's pipes must be escaped (the row is split before inlines are read).
  if (node.marks.some((mark) => mark.type.name === 'code'))
    return cellDepth > 0 ? raw.replace(/\|/g, '\\|') : raw;
  const previous = index > 0 ? parent.child(index - 1) : null;
  const next = index + 1 < parent.childCount ? parent.child(index + 1) : null;
  const atLineStart = previous === null || previous.type.name === 'hardBreak';
  const atLineEnd = next === null || next.type.name === 'hardBreak';
  const flanking = node.marks.some((mark) => FLANKING_MARKS[mark.type.name]);
  // Each step is tested before its replace: most text needs none of them, and a big page's export is mostly
  // this function (the replaces allocated a new string each, per text node).
  // Soft line breaks inside a paragraph's text are spaces to every Markdown reader: keep them as spaces.
  let text = INLINE_SPECIAL.test(raw) ? escapeInline(raw.replace(/\r\n?|\n/g, ' ')) : raw;
  if (atLineStart && LINE_START_SPECIAL.test(text)) text = escapeLineStart(text);
  if (isBlank(text.charCodeAt(0)))
    text = text.replace(/^[ \t]+/, (ws) => (atLineStart || flanking ? entities(ws) : ws));
  if (isBlank(text.charCodeAt(text.length - 1)))
    text = text.replace(/[ \t]+$/, (ws) => (atLineEnd || flanking ? entities(ws) : ws));
  // `!` right before a link would make it an image.
  return text.endsWith('!') ? `${text.slice(0, -1)}\\!` : text;
}

/** What escapeInline or the line-break replace would change (`&` only before an entity's name, see there). */
const INLINE_SPECIAL = /[`*\\~[\]_<|&\r\n]/;
/** What escapeLineStart could change: a line starting with a digit or one of its characters. */
const LINE_START_SPECIAL = /^[-+*>#=\d]/;
const isBlank = (code: number): boolean => code === 32 || code === 9;

const entities = (ws: string): string => ws.replace(/ /g, '&#32;').replace(/\t/g, '&#9;');

/** Characters that mean something anywhere in a line: escaped always (`\` before ASCII punctuation is safe). */
function escapeInline(text: string): string {
  return text.replace(/[`*\\~[\]_<|]/g, '\\$&').replace(/&(?=#?[0-9A-Za-z]+;)/g, '\\&');
}

/** Constructs that only start a line: headings, quotes, lists, rules, setext underlines, fences. */
function escapeLineStart(text: string): string {
  return text.replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2').replace(/^([-+*>#=])/, '\\$1');
}

/**
 * A flanking mark's delimiters work only where CommonMark's flanking rules allow (`a**.b**` is not bold): where
 * they would not, the span is written as HTML (`a<strong>.b</strong>`), which our import reads back. Whether they
 * work depends on the characters actually written around both ends, so the opening is a placeholder that the
 * closing replaces once both ends are known.
 */
function flankingMark(name: keyof typeof FLANKING_MARKS) {
  const { md, html } = FLANKING_MARKS[name]!;
  return {
    open(state: MarkdownSerializerState) {
      const placeholder = `${PLACEHOLDER_START}${++placeholderCount}${PLACEHOLDER_END}`;
      openings(state).set(name, placeholder);
      return placeholder;
    },
    close(state: MarkdownSerializerState, _mark: Mark, parent: PmNode, index: number) {
      const internals = state as unknown as { out: string };
      const placeholder = openings(state).get(name)!;
      openings(state).delete(name);
      const at = internals.out.lastIndexOf(placeholder);
      const inner = internals.out.slice(at + placeholder.length);
      const next = index < parent.childCount ? parent.child(index) : null;
      const works = delimitersWork(md[0]!, {
        before: at > 0 ? lastCodePoint(internals.out.slice(Math.max(0, at - 2), at)) : ' ',
        first: inner === '' ? ' ' : String.fromCodePoint(inner.codePointAt(0)!),
        last: lastCodePoint(inner.slice(-2)),
        after: next ? firstChar(next) : ' ',
        nextOpensSameChar:
          next?.marks.some(
            (m) => FLANKING_MARKS[m.type.name]?.md[0] === md[0] && !m.isInSet(parent.child(index - 1).marks),
          ) ?? false,
      });
      internals.out = internals.out.slice(0, at) + (works ? md : `<${html}>`) + inner;
      return works ? md : `</${html}>`;
    },
    mixable: true,
  };
}

const PLACEHOLDER_START = '\uE000';
const PLACEHOLDER_END = '\uE001';
let placeholderCount = 0;
const openingsByState = new WeakMap<MarkdownSerializerState, Map<string, string>>();
function openings(state: MarkdownSerializerState): Map<string, string> {
  let map = openingsByState.get(state);
  if (!map) openingsByState.set(state, (map = new Map()));
  return map;
}

const lastCodePoint = (text: string): string => Array.from(text).at(-1) ?? ' ';

/** CommonMark's left- and right-flanking rules for a delimiter run of `char` around a span. */
function delimitersWork(
  char: string,
  around: { before: string; first: string; last: string; after: string; nextOpensSameChar: boolean },
): boolean {
  // An unresolved opening of an outer mark will be a delimiter or a tag: punctuation either way.
  const kind = (c: string) =>
    c === PLACEHOLDER_END || c === PLACEHOLDER_START
      ? 'punct'
      : WHITESPACE.test(c)
        ? 'space'
        : PUNCTUATION.test(c)
          ? 'punct'
          : 'word';
  const { before, first, last, after } = around;
  // The same character right outside would join our delimiter into another run (`*a***b**`).
  if (before === char || around.nextOpensSameChar) return false;
  if (kind(first) === 'space' || kind(last) === 'space') return false;
  const opens = kind(first) !== 'punct' || kind(before) !== 'word';
  const closes = kind(last) !== 'punct' || kind(after) !== 'word';
  return opens && closes;
}

/** The first character that will be written for `node` (a code span starts with a backtick, underline `<u>`). */
function firstChar(node: PmNode): string {
  if (node.type.name === 'hardBreak') return '\n';
  if (node.marks.some((mark) => mark.type.name === 'code')) return '`';
  if (node.marks.some((mark) => mark.type.name === 'underline')) return '<';
  const code = (node.text ?? ' ').codePointAt(0);
  return code === undefined ? ' ' : String.fromCodePoint(code);
}

/** A GFM table: each cell on one line, pipes escaped, the first row as the header, alignment from the cells. */
function table(state: MarkdownSerializerState, node: PmNode): void {
  const rows: string[][] = [];
  const aligns: (string | null)[] = [];
  node.forEach((row) => {
    const cells: string[] = [];
    row.forEach((cell, _offset, i) => {
      cells.push(cellText(cell));
      if (rows.length === 0) aligns[i] = typeof cell.attrs.align === 'string' ? cell.attrs.align : null;
    });
    rows.push(cells);
  });
  const width = Math.max(1, ...rows.map((row) => row.length));
  const line = (cells: readonly string[]) =>
    `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  const rule = Array.from({ length: width }, (_, i) => {
    const align = aligns[i] ?? null;
    return align === 'center' ? ':---:' : align === 'right' ? '---:' : align === 'left' ? ':---' : '---';
  });
  const lines = [line(rows[0] ?? []), line(rule), ...rows.slice(1).map(line)];
  lines.forEach((text, i) => {
    state.write(text);
    if (i < lines.length - 1) state.ensureNewLine();
  });
  state.closeBlock(node);
}

/** Inside a table cell (code spans escape their pipes there). */
let cellDepth = 0;

/** A cell's blocks as one line: line breaks and block boundaries become `<br>`. */
function cellText(cell: PmNode): string {
  if (cell.textContent === '' && cell.content.size <= 2) return '';
  cellDepth++;
  try {
    return serializer()
      .serialize(cell, { tightLists: true })
      .trim()
      .replace(/\\\n|\n\n+/g, '<br>')
      .replace(/\n/g, ' ');
  } finally {
    cellDepth--;
  }
}
