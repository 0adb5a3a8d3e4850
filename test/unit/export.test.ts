import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import MarkdownIt from 'markdown-it';
import { AppCore, LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { exportFileName, type ExportFiles } from '../../src/main/export/export.service';
import { documentToYDoc, normalizeDocument, type TiptapDoc } from '../../src/shared/crdt/document';
import { fromMarkdown } from '../../src/shared/markdown/from-markdown';
import { createLocalPage } from '../support/core';
import { ONE_PIXEL_PNG } from '../support/files';
import {
  canonical,
  cell,
  code,
  doc,
  h,
  li,
  link,
  ol,
  p,
  quote,
  referenceTree,
  row,
  simpleTree,
  t,
  table,
  task,
  tasks,
  ul,
} from '../support/markdown-corpus';
import { call, tempDir } from '../support/temp';

const accountId = LOCAL_ACCOUNT_ID;

/** Every block and mark CommonMark can say, with the traps (no table: the reference parser has none). */
const PAGE = doc(
  h(2, 'Goals'),
  p(
    '1. not a list, ',
    t('bold', 'bold'),
    ' ',
    t('it', 'italic'),
    ' ',
    t('a`b', 'code'),
    ' ',
    t('docs', link('https://example.com')),
  ),
  ul(li(p('one'), ol(1, li(p('nested under one')))), li(p('two'), p('second paragraph of two'))),
  tasks(task(true, p('done')), task(false, p('to do'))),
  code('```\nstill code\n```', 'md'),
  quote(p('quoted')),
);

async function pageWith(core: AppCore, name: string, content: TiptapDoc) {
  const { page } = await createLocalPage(core, name);
  const update = Y.encodeStateAsUpdate(documentToYDoc(normalizeDocument(content)));
  await call(core, 'document.update', { accountId, documentId: page.id, update });
  return page;
}

describe('export a page', () => {
  it('Markdown: CommonMark that the reference parser reads as the page, its name as the first heading', async () => {
    const core = await AppCore.open({ dataDir: tempDir('export'), mode: 'browser' });
    try {
      const page = await pageWith(core, 'Launch / plan: v2?', PAGE);
      const result = await call(core, 'export.page', { accountId, nodeId: page.id, format: 'markdown' });
      assert.equal(result.kind, 'download');
      if (result.kind !== 'download') return;
      assert.equal(result.fileName, 'Launch plan v2.md');
      assert.equal(result.mimeType, 'text/markdown; charset=utf-8');
      const expected = canonical(doc(h(1, 'Launch / plan: v2?'), ...PAGE.content));
      assert.deepEqual(referenceTree(result.text), simpleTree(expected), result.text);
      // And our own import reads back the same document.
      assert.deepEqual(canonical(fromMarkdown(result.text)), expected);
    } finally {
      core.close();
    }
  });

  it('Markdown with a GFM table: a GFM parser sees the table', async () => {
    const core = await AppCore.open({ dataDir: tempDir('export'), mode: 'browser' });
    try {
      const grid = table(
        row(cell('tableHeader', null, p('Milestone')), cell('tableHeader', 'right', p('Date'))),
        row(cell('tableCell', null, p('Beta | RC')), cell('tableCell', 'right', p('Sep 12'))),
      );
      const page = await pageWith(core, 'Dates', doc(grid));
      const result = await call(core, 'export.page', { accountId, nodeId: page.id, format: 'markdown' });
      assert.ok(result.kind === 'download');
      const tokens = MarkdownIt('commonmark').enable('table').parse(result.text, {});
      const cells = tokens.filter((tok) => tok.type === 'inline').map((tok) => tok.content);
      assert.deepEqual(cells, ['Dates', 'Milestone', 'Date', 'Beta | RC', 'Sep 12']);
      assert.ok(tokens.some((tok) => tok.type === 'th_open' && tok.attrGet('style') === 'text-align:right'));
    } finally {
      core.close();
    }
  });

  it('HTML: one standalone page, escaped, only web and mail links, no script', async () => {
    const core = await AppCore.open({ dataDir: tempDir('export'), mode: 'browser' });
    try {
      const hostile = doc(
        p('<img src=x onerror=alert(1)> & <script>alert(2)</script>'),
        p(
          t('bad link', link('javascript:alert(3)')),
          ' ',
          t('good link', link('https://example.com/?a=1&b=2')),
        ),
      );
      const page = await pageWith(core, '<b>Title</b>', hostile);
      const result = await call(core, 'export.page', { accountId, nodeId: page.id, format: 'html' });
      assert.ok(result.kind === 'download');
      const html = result.text;
      assert.match(html, /^<!doctype html>/);
      assert.match(html, /<title>&lt;b&gt;Title&lt;\/b&gt;<\/title>/);
      assert.match(html, /<h1[^>]*>&lt;b&gt;Title&lt;\/b&gt;<\/h1>/);
      assert.doesNotMatch(html, /<script|<img|javascript:/i);
      assert.doesNotMatch(html, /<[a-z][^>]*\son[a-z]+=/i, 'no event handler attribute on any tag');
      assert.match(html, /&lt;script&gt;alert\(2\)&lt;\/script&gt;/);
      assert.match(html, /<a href="https:\/\/example\.com\/\?a=1&amp;b=2"/);
      assert.doesNotMatch(html, /<link |src="http|url\(http/, 'nothing loads from elsewhere');
    } finally {
      core.close();
    }
  });

  it('HTML carries the images and files on this device inside it, as data: URLs a browser shows or saves', async () => {
    const core = await AppCore.open({ dataDir: tempDir('export'), mode: 'browser' });
    try {
      const [notebook] = await call(core, 'notebook.list', { accountId });
      const utf8 = (text: string) => new TextEncoder().encode(text);
      const imported = await call(core, 'import.markdown', {
        accountId,
        notebookId: notebook!.id,
        parentId: null,
        importId: 'im-html',
        files: [
          { path: 'Trip/Plan.md', data: utf8('![the map](map.png)\n\n[minutes](minutes.pdf)\n') },
          { path: 'Trip/map.png', data: ONE_PIXEL_PNG },
          { path: 'Trip/minutes.pdf', data: utf8('%PDF-1.4 <script>alert(1)</script>') },
        ],
      });
      assert.deepEqual(imported.problems, []);
      const plan = (await call(core, 'node.tree', { accountId, notebookId: notebook!.id })).find(
        (node) => node.name === 'Plan',
      )!;
      const result = await call(core, 'export.page', { accountId, nodeId: plan.id, format: 'html' });
      assert.ok(result.kind === 'download');
      // Read as a browser would: the image's source and the file's link.
      const img = /<img src="data:image\/png;base64,([A-Za-z0-9+/=]+)" alt="the map">/.exec(result.text);
      assert.ok(img, result.text);
      assert.deepEqual(new Uint8Array(Buffer.from(img[1]!, 'base64')), ONE_PIXEL_PNG);
      const file = /<a href="data:([^;"]+);base64,([A-Za-z0-9+/=]+)" download="minutes.pdf">/.exec(
        result.text,
      );
      assert.ok(file, result.text);
      // Not text/html or text/plain: a browser saves it, never renders what it holds.
      assert.equal(file[1], 'application/octet-stream');
      assert.equal(Buffer.from(file[2]!, 'base64').toString(), '%PDF-1.4 <script>alert(1)</script>');
      assert.doesNotMatch(result.text, /<script/i);
    } finally {
      core.close();
    }
  });

  it('desktop: writes the chosen file (nothing when the dialog is cancelled), PDF from the window print', async () => {
    const dir = tempDir('export');
    const target = join(dir, 'out');
    const asked: string[] = [];
    let choice: string | null = null;
    // Only Electron's dialog and printToPDF stand in here; the core, the replica and the file writes are real.
    const exportFiles: ExportFiles = {
      choosePath: (senderId, fileName, filter) => {
        asked.push(`${senderId}:${fileName}:${filter.extensions.join(',')}`);
        return Promise.resolve(choice);
      },
      printToPdf: () => Promise.resolve(new TextEncoder().encode('%PDF-1.4 fake')),
    };
    const core = await AppCore.open({ dataDir: join(dir, 'data'), mode: 'electron', exportFiles });
    try {
      const page = await pageWith(core, 'Notes', doc(p('hello')));
      const cancelled = await call(
        core,
        'export.page',
        { accountId, nodeId: page.id, format: 'markdown' },
        'window-7',
      );
      assert.deepEqual(cancelled, { kind: 'cancelled' });
      choice = `${target}.md`;
      const saved = await call(
        core,
        'export.page',
        { accountId, nodeId: page.id, format: 'markdown' },
        'window-7',
      );
      assert.deepEqual(saved, { kind: 'saved', path: choice });
      assert.equal(readFileSync(choice, 'utf8'), '# Notes\n\nhello\n');
      choice = `${target}.pdf`;
      await call(core, 'export.page', { accountId, nodeId: page.id, format: 'pdf' }, 'window-7');
      assert.equal(readFileSync(choice, 'utf8'), '%PDF-1.4 fake');
      assert.deepEqual(asked, ['window-7:Notes.md:md', 'window-7:Notes.md:md', 'window-7:Notes.pdf:pdf']);
      assert.deepEqual(readdirSync(dir).sort(), ['data', 'out.md', 'out.pdf'], 'no partial file left');
    } finally {
      core.close();
    }
  });

  it('refuses what is not a page, and PDF where main cannot print (browser mode)', async () => {
    const core = await AppCore.open({ dataDir: tempDir('export'), mode: 'browser' });
    try {
      const { section, page } = await createLocalPage(core, 'P');
      const notPage = await core.router.dispatch(
        'export.page',
        { accountId, nodeId: section.id, format: 'markdown' },
        { senderId: 't' },
      );
      assert.equal(!notPage.ok && notPage.error.code, 'bad_request');
      const pdf = await core.router.dispatch(
        'export.page',
        { accountId, nodeId: page.id, format: 'pdf' },
        { senderId: 't' },
      );
      assert.equal(!pdf.ok && pdf.error.code, 'bad_request');
      assert.match(!pdf.ok ? pdf.error.message : '', /print/);
      const bad = await core.router.dispatch(
        'export.page',
        { accountId, nodeId: page.id, format: 'docx' },
        { senderId: 't' },
      );
      assert.equal(!bad.ok && bad.error.details[0]?.path, 'input.format');
    } finally {
      core.close();
    }
  });

  it('file names: no separators, reserved or control characters', () => {
    assert.equal(exportFileName('a/b\\c:d*e?f"g<h>i|j', 'md'), 'a b c d e f g h i j.md');
    assert.equal(exportFileName('  ..hidden.. ', 'md'), 'hidden.md');
    assert.equal(exportFileName('CON', 'md'), 'Untitled.md');
    assert.equal(exportFileName('', 'html'), 'Untitled.html');
    assert.equal(exportFileName('x\u0000\ny', 'md'), 'x y.md');
    assert.equal(exportFileName('é'.repeat(300), 'md').length, 123);
    assert.ok(!existsSync('Untitled.md'));
  });
});
