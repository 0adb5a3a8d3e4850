import * as commonmark from 'commonmark';
import {
  normalizeDocument,
  type TiptapDoc,
  type TiptapMark,
  type TiptapNode,
} from '../../src/shared/crdt/document';

/**
 * The Markdown round-trip corpus: documents using every node and mark of our schema, and the Markdown traps a
 * careless serializer falls into. `gfm` documents use tables, strikethrough or drawings, which the CommonMark
 * reference parser does not know; the others are also compared with what `commonmark` (the reference) reads.
 */

type Marks = (string | TiptapMark)[];
export const t = (text: string, ...marks: Marks): TiptapNode => ({
  type: 'text',
  text,
  ...(marks.length ? { marks: marks.map((m) => (typeof m === 'string' ? { type: m } : m)) } : {}),
});
export const link = (href: string, title?: string): TiptapMark => ({
  type: 'link',
  attrs: { href, ...(title ? { title } : {}) },
});
const br: TiptapNode = { type: 'hardBreak' };
export const p = (...content: (TiptapNode | string)[]): TiptapNode => ({
  type: 'paragraph',
  content: content.map((c) => (typeof c === 'string' ? t(c) : c)),
});
export const h = (level: number, ...content: (TiptapNode | string)[]): TiptapNode => ({
  ...p(...content),
  type: 'heading',
  attrs: { level },
});
export const quote = (...content: TiptapNode[]): TiptapNode => ({ type: 'blockquote', content });
export const code = (text: string, language: string | null = null): TiptapNode => ({
  type: 'codeBlock',
  attrs: { language },
  content: text ? [t(text)] : [],
});
export const li = (...content: TiptapNode[]): TiptapNode => ({ type: 'listItem', content });
export const ul = (...items: TiptapNode[]): TiptapNode => ({ type: 'bulletList', content: items });
export const ol = (start: number, ...items: TiptapNode[]): TiptapNode => ({
  type: 'orderedList',
  attrs: { start },
  content: items,
});
export const task = (checked: boolean, ...content: TiptapNode[]): TiptapNode => ({
  type: 'taskItem',
  attrs: { checked },
  content,
});
export const tasks = (...items: TiptapNode[]): TiptapNode => ({ type: 'taskList', content: items });
const hr: TiptapNode = { type: 'horizontalRule' };
export const cell = (
  type: 'tableHeader' | 'tableCell',
  align: string | null,
  ...content: TiptapNode[]
): TiptapNode => ({
  type,
  attrs: { align },
  content: content.length ? content : [p()],
});
export const row = (...cells: TiptapNode[]): TiptapNode => ({ type: 'tableRow', content: cells });
export const table = (...rows: TiptapNode[]): TiptapNode => ({ type: 'table', content: rows });
const drawing = (strokes: unknown[]): TiptapNode => ({
  type: 'drawing',
  attrs: { width: 400, height: 300, strokes },
});
export const doc = (...content: TiptapNode[]): TiptapDoc => ({ type: 'doc', content });

export interface CorpusEntry {
  name: string;
  doc: TiptapDoc;
  gfm?: boolean;
}

export const CORPUS: readonly CorpusEntry[] = [
  {
    name: 'the issue: a paragraph that reads "1. not a list"',
    doc: doc(p('1. not a list'), p('2) nor this'), p('10. nor this one')),
  },
  {
    name: 'the issue: a code span containing a backtick',
    doc: doc(p('run ', t('a`b', 'code'), ' now'), p(t('``', 'code')), p(t('   ', 'code'))),
  },
  {
    name: 'the issue: a list nested under "1."',
    doc: doc(ol(1, li(p('first'), ul(li(p('nested a')), li(p('nested b')))), li(p('second')))),
  },
  {
    name: 'the issue: two paragraphs in one list item',
    doc: doc(
      ul(li(p('para one'), p('para two')), li(p('next item'))),
      ol(9, li(p('nine'), p('still nine')), li(p('ten'))),
    ),
  },
  {
    name: 'the issue: a code block that contains a fence',
    doc: doc(code('```\ninside\n```\nand ````four````', 'md'), code('~~~\ntilde\n~~~')),
  },
  {
    name: 'every block of CommonMark',
    doc: doc(
      h(1, 'Title'),
      h(2, 'Second'),
      h(3, 'Third'),
      h(4, 'Fourth'),
      h(5, 'Fifth'),
      h(6, 'Sixth'),
      p('A paragraph.'),
      quote(p('quoted'), quote(p('nested quote')), ul(li(p('list in quote')))),
      code('const x = 1;\n\nconsole.log(x);', 'ts'),
      code(''),
      hr,
      ul(li(p('a'), ul(li(p('b'), ul(li(p('c'))))))),
      ol(3, li(p('three')), li(p('four'))),
      ol(0, li(p('zero'))),
    ),
  },
  {
    name: 'every mark, alone and together',
    doc: doc(
      p(
        t('bold', 'bold'),
        ' ',
        t('italic', 'italic'),
        ' ',
        t('underline', 'underline'),
        ' ',
        t('code', 'code'),
      ),
      p(t('bold italic', 'bold', 'italic'), ' and ', t('link', link('https://example.com/a?b=c&d=e'))),
      p(t('bold link', 'bold', link('https://example.com', 'A "title"'))),
      p(t('spaced href', link('https://example.com/a b(c)'))),
      p(t('mail', link('mailto:someone@example.com'))),
      p('mid', t('word', 'bold'), 'bold and a', t('.', 'italic'), 'b'),
      p('a', t('.bold.', 'bold'), 'b ', t(' lead', 'italic'), ' ', t('trail ', 'bold'), 'x'),
    ),
  },
  {
    name: 'line breaks',
    doc: doc(p('one', br, 'two'), p('trailing', br), p('double', br, br, 'after'), h(2, 'head', br, 'ing')),
  },
  {
    name: 'text that looks like Markdown',
    doc: doc(
      p('- not a bullet'),
      p('+ nor this'),
      p('* nor this'),
      p('# not a heading'),
      p('> not a quote'),
      p('---'),
      p('==='),
      p('***'),
      p('    four spaces'),
      p('\ttab'),
      p('trailing spaces   '),
      p('<div>html-looking</div> and <u>tags</u>'),
      p('a*b*c and a_b_c and __d__'),
      p('[not](a link) and ![not](an image)'),
      p('`not code` and ~~not struck~~'),
      p('&amp; &#35; entities'),
      p('| a | pipe |'),
      p('back\\slash\\'),
      p('wow! ', t('link', link('https://x.example'))),
      p('[ ] not a task'),
      p('1.5 is a number'),
      p('```not a fence'),
    ),
  },
  {
    name: 'empty blocks',
    doc: doc(
      p(),
      p('between'),
      p(),
      ul(li(p()), li(p('b'))),
      tasks(task(false, p()), task(true, p('done'))),
      h(3),
    ),
  },
  {
    name: 'adjacent lists of the same kind',
    doc: doc(
      ul(li(p('one'))),
      ul(li(p('two'))),
      ul(li(p('three'))),
      ol(1, li(p('first'))),
      ol(1, li(p('again'))),
      ul(li(p('bullets'))),
      tasks(task(false, p('then tasks'))),
    ),
  },
  {
    name: 'task lists',
    doc: doc(
      tasks(
        task(false, p('todo')),
        task(true, p('done'), tasks(task(false, p('nested task')))),
        task(true, p('with a list'), ul(li(p('plain')))),
      ),
    ),
  },
  {
    name: 'unicode',
    doc: doc(
      p('Grüße 👋 日本語 — “quotes” ‘single’ … ñ'),
      h(2, t('Ünïcödé', 'bold')),
      p(t('👋', 'italic'), 'x'),
    ),
  },
  {
    name: 'GFM tables',
    gfm: true,
    doc: doc(
      table(
        row(
          cell('tableHeader', null, p('Name')),
          cell('tableHeader', 'center', p('Mid')),
          cell('tableHeader', 'right', p('Right')),
        ),
        row(
          cell('tableCell', null, p(t('bold', 'bold'))),
          cell('tableCell', 'center', p(t('a|b', 'code'))),
          cell('tableCell', 'right', p('x | y')),
        ),
        row(
          cell('tableCell', null),
          cell('tableCell', 'center', p('one', br, 'two')),
          cell('tableCell', 'right', p('end')),
        ),
      ),
    ),
  },
  {
    name: 'strikethrough and drawings',
    gfm: true,
    doc: doc(
      p(t('struck', 'strike'), ' and ', t('struck bold', 'strike', 'bold')),
      drawing([
        {
          points: [
            [1, 2],
            [30, 40],
          ],
          color: '#ff0000',
          width: 3,
        },
      ]),
      drawing([]),
    ),
  },
];

/** Markdown written elsewhere: after one import → export pass, a second pass must change nothing. */
export const FOREIGN_MARKDOWN: readonly { name: string; md: string }[] = [
  { name: 'setext headings and * bullets', md: 'Title\n=====\n\nSub\n---\n\n* one\n* two\n\n+ plus\n' },
  {
    name: 'indented code and reference links',
    md: '    code line\n    more\n\nSee [the docs][d].\n\n[d]: https://example.com "Docs"\n',
  },
  { name: 'autolinks and entities', md: 'Visit <https://example.com> &copy; &amp; &#x41;\n' },
  {
    name: 'raw html and footnotes',
    md: '<details>\n<summary>Hi</summary>\n</details>\n\nText[^1] with <span>span</span>.\n\n[^1]: The note.\n',
  },
  { name: 'images', md: '![a cat](cat.png "Cat") and ![](bare.png)\n' },
  { name: 'loose and tight lists', md: '1) a\n2) b\n\n- x\n\n- y\n\n  more y\n' },
  { name: 'soft breaks', md: 'one\ntwo\nthree\n' },
  { name: 'emphasis variants', md: '__bold__ _it_ ***both*** **a*b*c**\n' },
  { name: 'html tags for marks', md: '<b>b</b> <i>i</i> <del>d</del> <u>u</u> <em>unclosed\n' },
  { name: 'mixed task list', md: '- [ ] task\n- plain\n- [x] done\n' },
  { name: 'table without leading pipes', md: 'a | b\n--|--\n1 | 2\n3\n' },
  { name: 'fence with tildes and info', md: '~~~ python extra\nprint(1)\n~~~\n' },
  { name: 'bad drawing json', md: '```hoody-drawing\nnot json\n```\n' },
  { name: 'code block first in a list item', md: '- ```\n  code\n  ```\n- b\n' },
  { name: 'empty', md: '' },
];

/** A document without block ids, in canonical form (defaults filled), for comparing structure and text. */
export function canonical(doc: TiptapDoc): TiptapDoc {
  return stripIds(normalizeDocument(doc)) as TiptapDoc;
}

function stripIds(node: TiptapNode): TiptapNode {
  const out: TiptapNode = { ...node };
  if (node.attrs) {
    const { id: _id, ...attrs } = node.attrs;
    out.attrs = attrs;
  }
  if (node.content) out.content = node.content.map(stripIds);
  return out;
}

/**
 * What the CommonMark reference parser reads, as a simplified tree in our node names. Only plain CommonMark
 * is interpreted (plus the HTML our export writes for underline, line breaks and empty paragraphs, and GFM's
 * `[ ]`/`[x]` task boxes, which a CommonMark reader shows as text at the start of an item).
 */
export interface Simple {
  type: string;
  attrs?: Record<string, unknown>;
  content?: Simple[];
  text?: string;
  marks?: string[];
}

export function referenceTree(markdown: string): Simple {
  const root = new commonmark.Parser().parse(markdown);
  return taskLists(fromReference(root));
}

function fromReference(node: commonmark.Node): Simple {
  const children: commonmark.Node[] = [];
  for (let child = node.firstChild; child; child = child.next) children.push(child);
  switch (node.type) {
    case 'document':
      return { type: 'doc', content: children.map(fromReference) };
    case 'paragraph':
      return { type: 'paragraph', content: referenceInline(children) };
    case 'heading':
      return { type: 'heading', attrs: { level: node.level }, content: referenceInline(children) };
    case 'block_quote':
      return { type: 'blockquote', content: children.map(fromReference) };
    case 'code_block':
      return {
        type: 'codeBlock',
        attrs: { language: node.info ? node.info : null },
        content: textRuns([{ text: (node.literal ?? '').replace(/\n$/, ''), marks: [] }]),
      };
    case 'thematic_break':
      return { type: 'horizontalRule' };
    case 'list':
      return node.listType === 'ordered'
        ? { type: 'orderedList', attrs: { start: node.listStart }, content: children.map(fromReference) }
        : { type: 'bulletList', content: children.map(fromReference) };
    case 'item':
      return { type: 'listItem', content: children.map(fromReference) };
    case 'html_block':
      if (/^<br\s*\/?>\s*$/i.test(node.literal ?? '')) return { type: 'paragraph', content: [] };
      return { type: 'html_block', text: node.literal ?? '' };
    default:
      return { type: `unexpected ${node.type}` };
  }
}

const HTML_MARK: Readonly<Record<string, string>> = {
  u: 'underline',
  strong: 'bold',
  em: 'italic',
  s: 'strike',
};

function referenceInline(nodes: commonmark.Node[]): Simple[] {
  const runs: { text: string; marks: string[] }[] = [];
  const walk = (node: commonmark.Node, marks: string[]) => {
    switch (node.type) {
      case 'text':
        runs.push({ text: node.literal ?? '', marks });
        return;
      case 'softbreak':
        runs.push({ text: ' ', marks });
        return;
      case 'linebreak':
        runs.push({ text: '\n', marks: ['hardBreak'] });
        return;
      case 'code':
        runs.push({ text: node.literal ?? '', marks: [...marks, 'code'] });
        return;
      case 'html_inline': {
        const tag = /^<(\/?)(\w+)\s*\/?>$/.exec(node.literal ?? '');
        if (tag?.[2] === 'br') runs.push({ text: '\n', marks: ['hardBreak'] });
        else if (tag && HTML_MARK[tag[2]!])
          runs.push({ text: '', marks: [`${tag[1] ? '-' : '+'}${HTML_MARK[tag[2]!]!}`] });
        else runs.push({ text: node.literal ?? '', marks });
        return;
      }
      default: {
        const mark =
          node.type === 'emph'
            ? 'italic'
            : node.type === 'strong'
              ? 'bold'
              : node.type === 'link'
                ? `link:${decoded(node.destination ?? '')}${node.title ? ` "${node.title}"` : ''}`
                : `unexpected ${node.type}`;
        for (let child = node.firstChild; child; child = child.next) walk(child, [...marks, mark]);
      }
    }
  };
  for (const node of nodes) walk(node, []);
  // HTML mark tags open and close marks over the runs between them.
  const open: string[] = [];
  const resolved: { text: string; marks: string[] }[] = [];
  for (const run of runs) {
    const toggle = run.marks[0];
    if (run.text === '' && toggle && /^[+-]/.test(toggle)) {
      if (toggle.startsWith('+')) open.push(toggle.slice(1));
      else open.splice(open.lastIndexOf(toggle.slice(1)), 1);
      continue;
    }
    resolved.push(run.marks[0] === 'hardBreak' ? run : { text: run.text, marks: [...run.marks, ...open] });
  }
  return textRuns(resolved);
}

/** The reference normalises destinations (percent-encoding); compare what they say. */
function decoded(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

/** Runs with the same marks joined, marks sorted, line breaks as their own node. */
function textRuns(runs: { text: string; marks: string[] }[]): Simple[] {
  const out: Simple[] = [];
  for (const run of runs) {
    if (run.marks[0] === 'hardBreak') {
      out.push({ type: 'hardBreak' });
      continue;
    }
    if (run.text === '') continue;
    const marks = [...new Set(run.marks)].sort();
    const last = out.at(-1);
    if (last?.type === 'text' && JSON.stringify(last.marks) === JSON.stringify(marks)) last.text += run.text;
    else out.push({ type: 'text', text: run.text, marks });
  }
  return out;
}

/** GFM task boxes as a CommonMark reader sees them: `[ ] ` at the start of every item of a bullet list. */
function taskLists(node: Simple): Simple {
  const content = node.content?.map(taskLists);
  const box = (item: Simple) => {
    const first = item.content?.[0]?.content?.[0];
    return first?.type === 'text' && first.marks?.length === 0
      ? /^\[([ x])\](?: |$)/.exec(first.text ?? '')
      : null;
  };
  if (node.type === 'bulletList' && content?.length && content.every((item) => box(item))) {
    return {
      type: 'taskList',
      content: content.map((item) => {
        const match = box(item)!;
        const [para, ...rest] = item.content!;
        const [first, ...inline] = para!.content!;
        const remaining = first!.text!.slice(match[0].length);
        return {
          type: 'taskItem',
          attrs: { checked: match[1] === 'x' },
          content: [
            { ...para!, content: [...(remaining ? [{ ...first!, text: remaining }] : []), ...inline] },
            ...rest,
          ],
        };
      }),
    };
  }
  return content ? { ...node, content } : node;
}

/** Our document in the same simplified form (what `referenceTree` should read from its export). */
export function simpleTree(node: TiptapNode): Simple {
  const out: Simple = { type: node.type };
  const attrs: Record<string, unknown> = {};
  if (node.type === 'heading') attrs.level = node.attrs?.level;
  if (node.type === 'codeBlock') attrs.language = node.attrs?.language ?? null;
  if (node.type === 'orderedList') attrs.start = node.attrs?.start ?? 1;
  if (node.type === 'taskItem') attrs.checked = node.attrs?.checked === true;
  if (Object.keys(attrs).length) out.attrs = attrs;
  const children = node.content ?? [];
  const inlineHolder = node.type === 'paragraph' || node.type === 'heading' || node.type === 'codeBlock';
  if (inlineHolder) {
    out.content = textRuns(
      children.map((child) =>
        child.type === 'hardBreak'
          ? { text: '\n', marks: ['hardBreak'] }
          : {
              text: child.text ?? '',
              marks: (child.marks ?? []).map((m) =>
                m.type === 'link'
                  ? `link:${String(m.attrs?.href ?? '')}${m.attrs?.title ? ` "${String(m.attrs.title)}"` : ''}`
                  : m.type,
              ),
            },
      ),
    );
  } else if (node.type !== 'horizontalRule') {
    out.content = children.map(simpleTree);
  }
  return out;
}
