import MarkdownIt, { type Options } from 'markdown-it';
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs';
import type { RuleInline } from 'markdown-it/lib/parser_inline.mjs';
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';
import type Token from 'markdown-it/lib/token.mjs';
import { MarkdownParser } from 'prosemirror-markdown';
import { emptyDocument, normalizeDocument, type TiptapDoc } from '../crdt/document';
import { editorSchema } from '../editor/extensions';
import { DRAWING_FENCE_INFO, MAX_IMPORT_NESTING } from './syntax';

/**
 * Markdown → TipTap JSON: CommonMark (markdown-it, `commonmark` preset) plus GFM tables, strikethrough and task
 * lists, read into our editor schema by prosemirror-markdown. The counterpart of `to-markdown.ts`: what it writes
 * beyond CommonMark (`<u>`, `<br>`, `<strong>`/`<em>`/`<s>`, ```hoody-drawing) is read back here.
 *
 * Nothing is dropped silently: raw HTML other than those tags, footnotes and images stay as visible text (an
 * image becomes a link to its source: an image block is an uploaded file, and a remote source is never fetched); content nested deeper than MAX_IMPORT_NESTING is kept
 * as text in the deepest block. Every block gets a fresh id.
 */
export function fromMarkdown(source: string): TiptapDoc {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.trim() === '') return emptyDocument();
  const node = parser().parse(escapeFootnoteDefinitions(text));
  return normalizeDocument(node.toJSON());
}

/**
 * `[^1]: text` is a footnote to GFM readers, but a link reference definition to CommonMark when the text is one
 * word, and definitions vanish from the output: keep them as text.
 */
const escapeFootnoteDefinitions = (text: string): string => text.replace(/^( {0,3})\[\^/gm, '$1\\[^');

let cachedParser: MarkdownParser | undefined;
function parser(): MarkdownParser {
  if (cachedParser) return cachedParser;
  const md = MarkdownIt('commonmark', { html: true }).enable(['table', 'strikethrough']);
  // Above our own limit (keepDeepContentAsText), where markdown-it would drop the rest of a container unseen.
  md.set({ maxNesting: MAX_IMPORT_NESTING + 60 } as Options);
  // Keep link targets as written (markdown-it would percent-encode them); unsafe schemes are still refused.
  md.normalizeLink = (url) => url;
  md.normalizeLinkText = (url) => url;
  md.block.ruler.before('table', 'hoody_depth', keepDeepContentAsText);
  md.inline.ruler.at('backticks', allSpaceCodeSpans(md));
  md.core.ruler.push('hoody_blocks', rewriteTokens);
  const align = (token: Token) => {
    const match = /text-align:\s*(left|center|right)/.exec(token.attrGet('style') ?? '');
    return { align: match?.[1] ?? null };
  };
  cachedParser = new MarkdownParser(editorSchema(), md, {
    blockquote: { block: 'blockquote' },
    paragraph: { block: 'paragraph' },
    list_item: { block: 'listItem' },
    bullet_list: { block: 'bulletList' },
    ordered_list: {
      block: 'orderedList',
      getAttrs: (token) => ({ start: Number(token.attrGet('start') ?? 1) || 0 }),
    },
    task_list: { block: 'taskList' },
    task_item: { block: 'taskItem', getAttrs: (token) => ({ checked: token.meta === true }) },
    heading: { block: 'heading', getAttrs: (token) => ({ level: Number(token.tag.slice(1)) }) },
    code_block: { block: 'codeBlock', noCloseToken: true },
    fence: {
      block: 'codeBlock',
      getAttrs: (token) => ({ language: token.info.trim() === '' ? null : token.info.trim() }),
      noCloseToken: true,
    },
    hr: { node: 'horizontalRule' },
    drawing: { node: 'drawing', getAttrs: (token) => token.meta as Record<string, unknown> },
    hardbreak: { node: 'hardBreak' },
    table: { block: 'table' },
    thead: { ignore: true },
    tbody: { ignore: true },
    tr: { block: 'tableRow' },
    th: { block: 'tableHeader', getAttrs: align },
    td: { block: 'tableCell', getAttrs: align },
    em: { mark: 'italic' },
    strong: { mark: 'bold' },
    s: { mark: 'strike' },
    underline: { mark: 'underline' },
    link: {
      mark: 'link',
      getAttrs: (token) => ({ href: token.attrGet('href'), title: token.attrGet('title') || null }),
    },
    code_inline: { mark: 'code', noCloseToken: true },
  });
  return cachedParser;
}

/** A block rule tried first: at the nesting limit, the rest of the container is one paragraph of its text. */
function keepDeepContentAsText(
  state: StateBlock,
  startLine: number,
  endLine: number,
  silent: boolean,
): boolean {
  if (state.level < MAX_IMPORT_NESTING) return false;
  if (silent) return true;
  const text = state.getLines(startLine, endLine, state.blkIndent, false).trim();
  state.line = endLine;
  if (text === '') return true;
  state.push('paragraph_open', 'p', 1).map = [startLine, endLine];
  const inline = state.push('inline', '', 0);
  inline.content = text;
  inline.map = [startLine, endLine];
  inline.children = [];
  state.push('paragraph_close', 'p', -1);
  return true;
}

/**
 * markdown-it strips a space from both ends of a code span made only of spaces; CommonMark keeps those whole
 * (we write `` `   ` `` for three spaces of code).
 */
function allSpaceCodeSpans(md: MarkdownIt): RuleInline {
  // markdown-it exposes a rule's function only through its ruler's list.
  const rules = (md.inline.ruler as unknown as { __rules__: { name: string; fn: RuleInline }[] }).__rules__;
  const backticks = rules.find((rule) => rule.name === 'backticks')!.fn;
  return (state, silent) => {
    const start = state.pos;
    const count = state.tokens.length;
    if (!backticks(state, silent)) return false;
    const token = state.tokens[count];
    if (!silent && token?.type === 'code_inline') {
      const fence = token.markup.length;
      const raw = state.src.slice(start + fence, state.pos - fence).replace(/\n/g, ' ');
      if (/^ +$/.test(raw)) token.content = raw;
    }
    return true;
  };
}

/** Our extensions on markdown-it's token stream, after inline parsing. */
function rewriteTokens(state: StateCore): void {
  const out: Token[] = [];
  const Token = state.Token;
  const make = (type: string, tag: string, nesting: -1 | 0 | 1) => new Token(type, tag, nesting);
  const inline = (children: Token[]) => {
    const token = make('inline', '', 0);
    token.children = children;
    return token;
  };
  const text = (content: string) => {
    const token = make('text', '', 0);
    token.content = content;
    return token;
  };
  for (const token of state.tokens) {
    if (token.type === 'inline' && token.children) token.children = rewriteInline(token.children, make, text);
    if (token.type === 'html_block') {
      // Raw HTML is kept as text (one line each); a `<br>` alone is how we write an empty paragraph.
      const html = token.content.replace(/\n+$/, '');
      const children = /^<br\s*\/?>$/i.test(html.trim())
        ? []
        : html
            .split('\n')
            .flatMap((line, i) => (i === 0 ? [text(line)] : [make('hardbreak', 'br', 0), text(line)]));
      out.push(make('paragraph_open', 'p', 1), inline(children), make('paragraph_close', 'p', -1));
      continue;
    }
    if (token.type === 'fence' && token.info.trim() === DRAWING_FENCE_INFO) {
      const attrs = drawingAttrs(token.content);
      if (attrs) {
        const drawing = make('drawing', '', 0);
        drawing.meta = attrs;
        out.push(drawing);
        continue;
      }
    }
    if (token.type === 'th_close' || token.type === 'td_close') out.push(make('paragraph_close', 'p', -1));
    out.push(token);
    if (token.type === 'th_open' || token.type === 'td_open') out.push(make('paragraph_open', 'p', 1));
  }
  markTaskLists(out);
  state.tokens = out;
}

function drawingAttrs(json: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(json) as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const { width, height, strokes } = value as Record<string, unknown>;
    if (typeof width !== 'number' || typeof height !== 'number' || !Array.isArray(strokes)) return null;
    return { width, height, strokes };
  } catch {
    return null;
  }
}

/** The HTML tags our export writes, as the marks they stand for. */
const HTML_MARKS: Readonly<Record<string, string>> = {
  u: 'underline',
  strong: 'strong',
  b: 'strong',
  em: 'em',
  i: 'em',
  s: 's',
  del: 's',
  strike: 's',
};

type MakeToken = (type: string, tag: string, nesting: -1 | 0 | 1) => Token;

/**
 * Inline HTML: `<br>` is a line break and a balanced pair of the tags in HTML_MARKS a mark; any other tag stays
 * as text. Images become links to their source (with the alt text, or the source when there is none).
 */
function rewriteInline(children: Token[], make: MakeToken, text: (content: string) => Token): Token[] {
  const tags = children.map((token) => (token.type === 'html_inline' ? parseTag(token.content) : null));
  const paired = new Set<number>();
  const open: { name: string; index: number }[] = [];
  tags.forEach((tag, i) => {
    if (!tag || !HTML_MARKS[tag.name]) return;
    if (!tag.closing) return void open.push({ name: tag.name, index: i });
    const at = open.findLastIndex((entry) => entry.name === tag.name);
    if (at < 0) return;
    paired.add(open[at]!.index).add(i);
    open.splice(at);
  });
  const out: Token[] = [];
  children.forEach((token, i) => {
    const tag = tags[i];
    if (token.type === 'image') {
      const link = make('link_open', 'a', 1);
      link.attrs = [['href', token.attrGet('src') ?? '']];
      const title = token.attrGet('title');
      if (title) link.attrs.push(['title', title]);
      const alt = token.children?.length ? token.children : [text(token.attrGet('src') ?? '')];
      out.push(link, ...rewriteInline(alt, make, text), make('link_close', 'a', -1));
      return;
    }
    if (token.type !== 'html_inline') return void out.push(token);
    if (tag?.name === 'br' && !tag.closing) return void out.push(make('hardbreak', 'br', 0));
    if (tag && paired.has(i)) {
      const type = HTML_MARKS[tag.name]!;
      return void out.push(make(`${type}_${tag.closing ? 'close' : 'open'}`, tag.name, tag.closing ? -1 : 1));
    }
    out.push(text(token.content));
  });
  return out;
}

function parseTag(html: string): { name: string; closing: boolean } | null {
  const match = /^<(\/?)([A-Za-z][A-Za-z0-9]*)\s*\/?>$/.exec(html.trim());
  return match ? { name: match[2]!.toLowerCase(), closing: match[1] === '/' } : null;
}

/**
 * GFM task lists: a bullet list whose every item starts with `[ ]` or `[x]` becomes a task list (a list that
 * mixes them stays a bullet list, its boxes as text: our schema's task lists hold only tasks).
 */
function markTaskLists(tokens: Token[]): void {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.type !== 'bullet_list_open') continue;
    const level = tokens[i]!.level;
    const items: { open: Token; close: Token | null; inline: Token | null; checked: boolean }[] = [];
    let closeList: Token | undefined;
    for (let j = i + 1; j < tokens.length; j++) {
      const token = tokens[j]!;
      if (token.type === 'bullet_list_close' && token.level === level) {
        closeList = token;
        break;
      }
      if (token.level !== level + 1) continue;
      if (token.type === 'list_item_open') {
        const first = tokens[j + 1]?.type === 'paragraph_open' ? tokens[j + 2] : undefined;
        const box = first?.type === 'inline' ? /^\[([ xX])\](?: |$)/.exec(first.content) : null;
        items.push({ open: token, close: null, inline: box ? first! : null, checked: box?.[1] !== ' ' });
      } else if (token.type === 'list_item_close') {
        const last = items.at(-1);
        if (last) last.close = token;
      }
    }
    if (items.length === 0 || items.some((item) => item.inline === null) || !closeList) continue;
    tokens[i]!.type = 'task_list_open';
    closeList.type = 'task_list_close';
    for (const item of items) {
      item.open.type = 'task_item_open';
      item.open.meta = item.checked;
      if (item.close) item.close.type = 'task_item_close';
      stripBox(item.inline!);
    }
  }
}

/** Removes the leading `[ ] ` (3 or 4 characters) from an inline token and its first text children. */
function stripBox(inline: Token): void {
  let remove = inline.content.length > 3 ? 4 : 3;
  inline.content = inline.content.slice(remove);
  for (const child of inline.children ?? []) {
    if (remove === 0) break;
    if (child.type !== 'text') break;
    const cut = Math.min(remove, child.content.length);
    child.content = child.content.slice(cut);
    remove -= cut;
  }
  inline.children = (inline.children ?? []).filter((child) => child.type !== 'text' || child.content !== '');
}
