import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import {
  documentToYDoc,
  normalizeDocument,
  type TiptapDoc,
  type TiptapNode,
} from '../../src/shared/crdt/document';
import {
  canonical,
  code,
  doc,
  h,
  li,
  link,
  ol,
  p,
  referenceTree,
  simpleTree,
  t,
  task,
  tasks,
  ul,
} from '../support/markdown-corpus';
import { appFixture, connectCore, editorJSON, treeItem, waitSaved, waitUntil } from './helpers';

/** E2E_SHOTS=<dir>: the page as printed (print media), and the PDF. */
const SHOTS = process.env.E2E_SHOTS;

const NAME = 'Launch plan: Q3';
const CONTENT = doc(
  h(2, 'Goals'),
  p(
    '1. not a list, ',
    t('bold', 'bold'),
    ' and ',
    t('a`b', 'code'),
    ' and ',
    t('docs', link('https://example.com')),
  ),
  ul(li(p('one'), ol(1, li(p('nested under one')))), li(p('two'))),
  tasks(task(true, p('done')), task(false, p('to do'))),
  code('```\nstill code\n```', 'md'),
);

const isEmptyEnd = (block: TiptapNode, index: number, all: readonly TiptapNode[]) =>
  block.type === 'paragraph' && !block.content?.length && (index === 0 || index === all.length - 1);

const body = (page: Page) => page.locator('.ProseMirror[aria-label="Page content"]');

/** A page seeded through the contract with every CommonMark block, open in the app, with one line typed in it. */
async function seededPage(app: ReturnType<typeof appFixture>): Promise<void> {
  await app.newPage(NAME);
  const core = await connectCore(app.url);
  try {
    const [notebook] = await core.invoke('notebook.list', { accountId: 'local' });
    const tree = await core.invoke('node.tree', { accountId: 'local', notebookId: notebook!.id });
    const page = tree.find((node) => node.name === NAME)!;
    const update = Y.encodeStateAsUpdate(documentToYDoc(normalizeDocument(CONTENT)));
    await core.invoke('document.update', { accountId: 'local', documentId: page.id, update });
  } finally {
    core.close();
  }
  await body(app.page).getByText('nested under one').waitFor();
  // An edit made just now is in the export too.
  await body(app.page).getByText('to do', { exact: true }).click();
  await app.page.keyboard.press('End');
  await app.page.keyboard.type(' today');
  await waitSaved(app.page);
}

async function downloaded(page: Page, start: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), start()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
}

/** Export from the page menu and the palette in Chromium against the real core (browser mode: downloads). */
describe('export a page (browser mode)', () => {
  const app = appFixture();

  test('Markdown from the page menu: CommonMark the reference parser reads as the page', async () => {
    const { page } = app;
    await seededPage(app);
    const file = await downloaded(page, async () => {
      await page.getByRole('button', { name: 'Page actions' }).click();
      await page.getByRole('menuitem', { name: 'Export as Markdown' }).click();
    });
    assert.equal(file.name, 'Launch plan Q3.md');
    // The page as the editor holds it, less the empty paragraphs around it (the export leaves those out).
    const shown = (await editorJSON(page)) as TiptapDoc;
    assert.match(JSON.stringify(shown), /to do today/);
    const blocks = shown.content.filter((block, i, all) => !isEmptyEnd(block, i, all));
    assert.equal(blocks.length, CONTENT.content.length);
    const expected = canonical(doc(h(1, NAME), ...blocks));
    assert.deepEqual(referenceTree(file.text), simpleTree(expected), file.text);
    assert.match(file.text, /^# Launch plan: Q3\n\n## Goals\n/);
    await page.getByRole('status').getByText('Exported “Launch plan Q3.md”').waitFor();
  });

  test('Markdown from a tree row of a page that is not open: its context menu exports and opens it', async () => {
    const { page } = app;
    await seededPage(app);
    await app.newPage('Elsewhere');
    await page.getByRole('article', { name: 'Elsewhere' }).waitFor();
    await treeItem(page, NAME).click({ button: 'right' });
    const menu = page.getByRole('menu', { name: `Actions for ${NAME}` });
    await menu.waitFor();
    const labels = (await menu.getByRole('menuitem').allInnerTexts()).map((text) =>
      text.split('\n')[0]?.trim(),
    );
    assert.deepEqual(labels.slice(0, 1), ['Open']);
    assert.ok(labels.includes('Export as Markdown') && labels.includes('Export as HTML'), labels.join(', '));
    if (SHOTS) {
      for (const theme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: theme });
        await page.screenshot({ path: `${SHOTS}/tree-row-menu-${theme}.png` });
      }
      await page.emulateMedia({ colorScheme: 'light' });
    }
    const file = await downloaded(page, () =>
      menu.getByRole('menuitem', { name: 'Export as Markdown', exact: true }).click(),
    );
    assert.equal(file.name, 'Launch plan Q3.md');
    assert.match(file.text, /^# Launch plan: Q3\n\n## Goals\n/);
    // The edit typed into the page before it was left is in the file.
    assert.match(file.text, /to do today/);
    await page.getByRole('status').getByText('Exported “Launch plan Q3.md”').waitFor();
    assert.equal(
      await page.getByRole('article', { name: NAME }).count(),
      0,
      'exporting did not open the page',
    );
    await page.getByRole('article', { name: 'Elsewhere' }).waitFor();
    await treeItem(page, NAME).click({ button: 'right' });
    await menu.getByRole('menuitem', { name: 'Open' }).click();
    await page.getByRole('article', { name: NAME }).waitFor();
    await body(page).getByText('nested under one').waitFor();
  });

  test('HTML from the palette: a standalone page that loads nothing else', async () => {
    const { page } = app;
    await seededPage(app);
    const file = await downloaded(page, async () => {
      await page.keyboard.press('Control+k');
      const search = page.getByRole('combobox', { name: 'Search commands and pages' });
      await search.fill('export page as html');
      await search.press('Enter');
    });
    assert.equal(file.name, 'Launch plan Q3.html');
    const viewer = await page.context().newPage();
    const requests: string[] = [];
    viewer.on('request', (request) => requests.push(request.url()));
    await viewer.setContent(file.text);
    assert.equal(await viewer.title(), NAME);
    assert.deepEqual(await viewer.locator('h1, h2').allTextContents(), [NAME, 'Goals']);
    assert.equal(await viewer.locator('li.task.done').textContent(), 'done');
    assert.equal(await viewer.locator('pre code').textContent(), '```\nstill code\n```');
    assert.equal(await viewer.locator('a').getAttribute('href'), 'https://example.com');
    assert.equal(await viewer.locator('script').count(), 0);
    assert.deepEqual(requests, [], 'no request for anything outside the file');
    await viewer.close();
  });

  test('PDF: Mod+P prints the page only (title and content, no app around it)', async () => {
    const { page } = app;
    await seededPage(app);
    // Headless Chromium has no print dialog: count the calls, then print the way printToPDF does (print media).
    await page.evaluate(() => {
      const counted = globalThis as unknown as { printed: number; print(): void };
      counted.printed = 0;
      counted.print = () => void counted.printed++;
    });
    await page.keyboard.press('Control+p');
    await waitUntil(page, '(window).printed === 1');
    await page.getByRole('button', { name: 'Page actions' }).click();
    await page.getByRole('menuitem', { name: 'Print or export as PDF…' }).click();
    await waitUntil(page, '(window).printed === 2');

    await page.emulateMedia({ media: 'print' });
    for (const hidden of ['.sidebar', '.page-header', '.toolbar', '.reaction-bar'])
      assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is not printed`);
    await page.getByRole('textbox', { name: 'Page title' }).waitFor({ state: 'visible' });
    await body(page).getByText('nested under one').waitFor({ state: 'visible' });
    const box = await body(page).boundingBox();
    assert.ok(box && box.x < 80, 'the page uses the paper width, with no sidebar beside it');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/export-print.png` });
    const pdf = await page.pdf({ format: 'A4' });
    if (SHOTS) await writeFile(`${SHOTS}/export-print.pdf`, pdf);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    assert.equal(pages.length, 1, 'one A4 page for a short page');
    await page.emulateMedia({ media: 'screen' });
  });
});
