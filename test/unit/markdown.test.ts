import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as commonmark from 'commonmark';
import { documentText, type TiptapDoc, type TiptapNode } from '../../src/shared/crdt/document';
import { fromMarkdown } from '../../src/shared/markdown/from-markdown';
import { MAX_IMPORT_NESTING } from '../../src/shared/markdown/syntax';
import { toHtmlPage } from '../../src/shared/markdown/to-html';
import { toMarkdown } from '../../src/shared/markdown/to-markdown';
import { seededRandom } from '../support/random';
import {
  CORPUS,
  FOREIGN_MARKDOWN,
  canonical,
  h,
  link,
  p,
  referenceTree,
  simpleTree,
  t,
} from '../support/markdown-corpus';

const show = (value: unknown) => JSON.stringify(value, null, 1);

describe('markdown: export → import round trip', () => {
  for (const entry of CORPUS) {
    it(`${entry.name}: survives export → import unchanged`, () => {
      const md = toMarkdown(entry.doc);
      assert.deepEqual(canonical(fromMarkdown(md)), canonical(entry.doc), `exported as:\n${md}`);
    });
    if (!entry.gfm) {
      it(`${entry.name}: the CommonMark reference parser reads the same document`, () => {
        const md = toMarkdown(entry.doc);
        assert.deepEqual(referenceTree(md), simpleTree(canonical(entry.doc)), `exported as:\n${md}`);
      });
    }
  }

  it("writes the issue's traps as CommonMark readers need them", () => {
    const md = toMarkdown({ type: 'doc', content: [p('1. not a list'), p(t('a`b', 'code'))] });
    assert.equal(md, '1\\. not a list\n\n``a`b``\n');
    const html = new commonmark.HtmlRenderer().render(new commonmark.Parser().parse(md));
    assert.equal(html, '<p>1. not a list</p>\n<p><code>a`b</code></p>\n');
  });

  it('a randomized corpus (seeded) survives export → import unchanged', () => {
    const seed = Number(process.env.MARKDOWN_SEED ?? 20261202);
    const runs = Number(process.env.MARKDOWN_RUNS ?? 300);
    const random = seededRandom(seed);
    for (let run = 0; run < runs; run++) {
      const doc = randomDoc(random);
      const md = toMarkdown(doc);
      try {
        assert.deepEqual(canonical(fromMarkdown(md)), canonical(doc));
      } catch (error) {
        assert.fail(`seed ${seed}, run ${run}: ${String(error)}\n${show(doc)}\nexported as:\n${md}`);
      }
    }
  });
});

describe('markdown: import → export is stable after one pass', () => {
  for (const { name, md } of FOREIGN_MARKDOWN) {
    it(name, () => {
      const once = toMarkdown(fromMarkdown(md));
      const twice = toMarkdown(fromMarkdown(once));
      assert.equal(twice, once);
    });
  }

  it('keeps what our schema has no place for as text', () => {
    const doc = fromMarkdown(
      '<div class="x">raw</div>\n\nNote[^1] and <span>inline</span>.\n\n[^1]: word\n\n![alt text](pic.png)\n',
    );
    const text = documentText(doc);
    assert.match(text, /<div class="x">raw<\/div>/);
    assert.match(text, /Note\[\^1\] and <span>inline<\/span>\./);
    assert.match(text, /\[\^1\]: word/, 'a one-word footnote is not swallowed as a link definition');
    const image = doc.content.at(-1)?.content?.[0];
    assert.equal(image?.text, 'alt text');
    assert.equal(image?.marks?.[0]?.attrs?.href, 'pic.png', 'an image becomes a link to its source');
  });

  it('refuses unsafe link targets (the text stays)', () => {
    const doc = fromMarkdown('[click](javascript:alert(1)) [ok](https://example.com)\n');
    const hrefs = (doc.content[0]?.content ?? []).flatMap((n) => (n.marks ?? []).map((m) => m.attrs?.href));
    assert.deepEqual(hrefs, ['https://example.com']);
    assert.match(documentText(doc), /\[click\]\(javascript:alert\(1\)\) ok/);
  });
});

describe('markdown: bad input', () => {
  it('10,000 nested list levels: kept as text below the nesting limit, no stack overflow', () => {
    const doc = fromMarkdown(`${'- '.repeat(10_000)}deepest words\n`);
    assert.ok(depth(doc) <= MAX_IMPORT_NESTING + 2, `depth ${depth(doc)}`);
    assert.match(documentText(doc), /deepest words/);
  });

  it('10,000 nested quotes and a 10,000-level indented list keep their text too', () => {
    const quotes = fromMarkdown(`${'>'.repeat(10_000)} quoted deep\n`);
    assert.match(documentText(quotes), /quoted deep/);
    let indented = '';
    for (let i = 0; i < 3_000; i++) indented += `${' '.repeat(i * 2)}- level ${i}\n`;
    const list = fromMarkdown(indented);
    assert.ok(depth(list) <= MAX_IMPORT_NESTING + 2);
    assert.match(documentText(list), /level 2999/);
  });

  it('exports a page with 100,000 blocks', () => {
    const content: TiptapNode[] = [];
    for (let i = 0; i < 100_000; i++) content.push(i % 10 === 0 ? h(2, `Heading ${i}`) : p(`Paragraph ${i}`));
    const md = toMarkdown({ type: 'doc', content });
    assert.equal(md.split('\n\n').length, 100_000);
    assert.ok(md.endsWith('Paragraph 99999\n'));
  });

  it('control characters and lone surrogates do not break the parser', () => {
    const doc = fromMarkdown('a\u0000b \uD800 c\u0007\n');
    assert.match(documentText(doc), /a\uFFFDb/);
  });
});

describe('html export', () => {
  it('is one escaped, self-contained page with ids, task boxes, tables and drawings', () => {
    const html = toHtmlPage(
      {
        type: 'doc',
        content: [
          { ...h(1, 'Title <script>'), attrs: { level: 1, id: 'bl_1' } },
          p(t('x', link('javascript:alert(1)')), t('ok', link('https://example.com'))),
          {
            type: 'taskList',
            content: [{ type: 'taskItem', attrs: { checked: true }, content: [p('done')] }],
          },
          {
            type: 'drawing',
            attrs: {
              width: 10,
              height: 10,
              strokes: [
                {
                  points: [
                    [0, 0],
                    [5, 5],
                  ],
                },
              ],
            },
          },
        ],
      },
      { title: 'T', themeMode: 'dark', includeBackground: true },
    );
    assert.match(html, /<h1 id="bl_1">Title &lt;script&gt;<\/h1>/);
    assert.ok(!html.includes('javascript:'));
    assert.match(html, /<a href="https:\/\/example.com" rel="noopener noreferrer">ok<\/a>/);
    assert.match(html, /<input type="checkbox" disabled checked/);
    assert.match(html, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(!/<script|src=|href="http(?!s:\/\/example)/.test(html.replace(/&lt;script/g, '')));
  });
});

function depth(node: TiptapNode): number {
  let max = 0;
  const stack: [TiptapNode, number][] = [[node, 0]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    max = Math.max(max, d);
    for (const child of n.content ?? []) stack.push([child, d + 1]);
  }
  return max;
}

/** A random document from our schema's parts, with text drawn from Markdown's special characters. */
function randomDoc(random: () => number): TiptapDoc {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const words = [
    'word',
    '1.',
    '2)',
    '-',
    '+',
    '*',
    '#',
    '>',
    '`',
    '``',
    '_',
    '__',
    '~~',
    '[',
    ']',
    '(',
    ')',
    '!',
    '<',
    '&amp;',
    '|',
    '\\',
    ' ',
    '  ',
    'é',
    '👋',
    'x*y',
    'a_b',
    '---',
    '===',
  ];
  const marks = ['bold', 'italic', 'strike', 'underline', 'code'] as const;
  const textRun = (): TiptapNode => {
    const text = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(words)).join('');
    const chosen = random() < 0.5 ? [] : [pick(marks)];
    if (chosen[0] === 'code') return t(text, 'code');
    if (random() < 0.15)
      return t(
        text,
        ...chosen,
        link(pick(['https://example.com', 'https://e.x/a b', 'other.md', '#anchor'])),
      );
    if (random() < 0.2) chosen.push(pick(marks.filter((m) => m !== 'code' && m !== chosen[0])));
    return t(text, ...chosen);
  };
  const inline = (): TiptapNode[] => {
    const out: TiptapNode[] = [];
    const n = Math.floor(random() * 4);
    for (let i = 0; i < n; i++) out.push(random() < 0.1 && out.length ? { type: 'hardBreak' } : textRun());
    return out;
  };
  const paragraph = (): TiptapNode => ({ type: 'paragraph', content: inline() });
  const block = (level: number): TiptapNode => {
    const roll = random();
    if (level > 3 || roll < 0.4) return paragraph();
    if (roll < 0.5)
      return { type: 'heading', attrs: { level: 1 + Math.floor(random() * 6) }, content: inline() };
    if (roll < 0.58)
      return {
        type: 'blockquote',
        content: [block(level + 1), ...(random() < 0.3 ? [block(level + 1)] : [])],
      };
    if (roll < 0.64)
      return {
        type: 'codeBlock',
        attrs: { language: pick([null, 'js', 'a b']) },
        content: random() < 0.8 ? [t(pick(['x', '```', 'a\n\nb', '~~~\n````']))] : [],
      };
    if (roll < 0.67) return { type: 'horizontalRule' };
    const items = (type: string) =>
      Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        type,
        ...(type === 'taskItem' ? { attrs: { checked: random() < 0.5 } } : {}),
        content: [paragraph(), ...(random() < 0.3 ? [block(level + 1)] : [])],
      }));
    if (roll < 0.78) return { type: 'bulletList', content: items('listItem') };
    if (roll < 0.88)
      return { type: 'orderedList', attrs: { start: pick([1, 1, 3, 10, 99]) }, content: items('listItem') };
    return { type: 'taskList', content: items('taskItem') };
  };
  return { type: 'doc', content: Array.from({ length: 1 + Math.floor(random() * 6) }, () => block(0)) };
}
