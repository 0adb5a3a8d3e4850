import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCAL_ACCOUNT_ID, type AppCore } from '../../src/main/core/app-core';
import type { NodeView } from '../../src/shared/contract';
import type { TiptapDoc, TiptapNode } from '../../src/shared/crdt/document';
import { renderPage } from '../../src/main/export/export.service';
import { CORPUS, canonical, referenceTree, simpleTree } from '../support/markdown-corpus';
import { ONE_PIXEL_PNG } from '../support/files';
import { call, openTestCore } from '../support/temp';

const accountId = LOCAL_ACCOUNT_ID;
const utf8 = (text: string) => new TextEncoder().encode(text);
const PNG = ONE_PIXEL_PNG;

async function notebookOf(core: AppCore): Promise<string> {
  const [notebook] = await call(core, 'notebook.list', { accountId });
  assert.ok(notebook);
  return notebook.id;
}

const content = (core: AppCore, id: string): Promise<TiptapDoc> =>
  core.account(accountId).documents.content(id);

function linksOf(node: TiptapNode): string[] {
  const own = (node.marks ?? []).flatMap((mark) => (mark.type === 'link' ? [String(mark.attrs?.href)] : []));
  return [...own, ...(node.content ?? []).flatMap(linksOf)];
}

/** The export leaves out empty paragraphs at a page's start and end (a new page's first line, the trailing one). */
function trimmed(doc: TiptapDoc): TiptapDoc {
  const empty = (block: TiptapNode | undefined) => block?.type === 'paragraph' && !block.content?.length;
  const content = [...doc.content];
  while (empty(content[0])) content.shift();
  while (empty(content.at(-1))) content.pop();
  return { type: 'doc', content };
}

let runs = 0;
const importId = () => `imp${++runs}`;

describe('Markdown import', () => {
  it('a folder becomes a section of pages in order, links and images resolved, problems reported', async () => {
    const core = await openTestCore();
    const notebookId = await notebookOf(core);
    const files = [
      { path: 'Trip/10 later.md', data: utf8('# Later\n\nAfter [the plan](02%20plan.md#top).\n') },
      {
        path: 'Trip/02 plan.md',
        data: utf8(
          '---\ntitle: The plan\ntags: [a, b]\n---\nSee [ideas](ideas/list.md) and [web](https://example.com).\n\n![the map](img/map.png)\n\n[lost](missing.md)\n',
        ),
      },
      { path: 'Trip/ideas/list.md', data: utf8('- one\n- two [back](../02%20plan.md)\n') },
      { path: 'Trip/img/map.png', data: PNG },
      { path: 'Trip/notes.pdf', data: utf8('%PDF-1.4 not referenced') },
      { path: 'Trip/binary.md', data: Uint8Array.from([0x89, 0x00, 0x01, 0x02]) },
      { path: 'Trip/latin1.md', data: Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0a]) },
    ];
    const result = await call(core, 'import.markdown', {
      accountId,
      notebookId,
      parentId: null,
      importId: importId(),
      files,
    });
    assert.equal(result.rootType, 'section');
    assert.equal(result.pages, 4, 'plan, later, ideas (folder), list');
    assert.equal(result.attachments, 1);
    const tree = await call(core, 'node.tree', { accountId, notebookId });
    const byId = new Map(tree.map((n) => [n.id, n]));
    const childrenOf = (id: string) =>
      tree
        .filter((n) => n.parentId === id)
        .sort((a, b) => (a.index < b.index ? -1 : 1))
        .map((n) => n.name);
    const root = byId.get(result.rootId!)!;
    assert.equal(root.name, 'Trip');
    assert.equal(root.type, 'section');
    // 02 before 10 (numeric order), the folder by its name, and titles from front matter and the first heading.
    assert.deepEqual(childrenOf(root.id), ['The plan', 'Later', 'ideas']);
    const page = (name: string): NodeView => tree.find((n) => n.name === name)!;
    assert.deepEqual(childrenOf(page('ideas').id), ['list']);
    assert.equal(result.firstPageId, page('The plan').id);

    const plan = await content(core, page('The plan').id);
    assert.deepEqual(linksOf(plan), [`#page/${page('list').id}`, 'https://example.com', 'missing.md']);
    const image = plan.content.find((block) => block.type === 'image');
    assert.ok(image, JSON.stringify(plan));
    assert.equal(image.attrs?.alt, 'the map');
    assert.equal(image.attrs?.mimeType, 'image/png');
    const file = await call(core, 'file.get', { accountId, fileId: String(image.attrs?.fileId) });
    assert.equal(file.nodeId, page('The plan').id);
    assert.equal(file.size, PNG.length);
    // Front matter other than the title is kept as text, as a YAML code block.
    assert.equal(plan.content[0]?.type, 'codeBlock');
    assert.equal(plan.content[0]?.content?.[0]?.text, 'tags: [a, b]');
    assert.deepEqual(linksOf(await content(core, page('Later').id)), [`#page/${page('The plan').id}`]);
    assert.deepEqual(linksOf(await content(core, page('list').id)), [`#page/${page('The plan').id}`]);
    // The first heading became the title, not a line of the page.
    assert.equal((await content(core, page('Later').id)).content[0]?.type, 'paragraph');

    const problems = new Map(result.problems.map((p) => [p.path, p.message]));
    assert.match(problems.get('Trip/binary.md') ?? '', /not text/);
    assert.match(problems.get('Trip/latin1.md') ?? '', /not valid UTF-8/);
    assert.match(problems.get('Trip/notes.pdf') ?? '', /no imported page links to it/);
    assert.match(problems.get('Trip/02 plan.md') ?? '', /missing\.md.*not in the import/);
    assert.equal(result.problems.length, 4);

    // One trash takes the whole import away; restoring brings it back.
    await call(core, 'node.trash', { accountId, nodeId: root.id });
    const after = await call(core, 'node.tree', { accountId, notebookId });
    assert.ok(!after.some((n) => n.name === 'The plan' || n.name === 'list' || n.id === root.id));
  });

  it('every corpus document survives export → import unchanged, and its export then is the same text', async () => {
    const core = await openTestCore();
    const notebookId = await notebookOf(core);
    const section = (await call(core, 'node.tree', { accountId, notebookId })).find(
      (n) => n.type === 'section',
    )!;
    for (const entry of CORPUS) {
      // What Export page as Markdown writes for a page of that content (its name as the first heading).
      const md = await renderPage(entry.doc, 'Round trip', 'markdown');
      const result = await call(core, 'import.markdown', {
        accountId,
        notebookId,
        parentId: section.id,
        importId: importId(),
        files: [{ path: 'page.md', data: utf8(md) }],
      });
      assert.equal(result.rootType, 'page');
      assert.deepEqual(result.problems, [], entry.name);
      const page = await call(core, 'node.get', { accountId, nodeId: result.rootId! });
      assert.equal(page.name, 'Round trip');
      const imported = await content(core, page.id);
      assert.deepEqual(
        canonical(imported),
        canonical(trimmed(entry.doc)),
        `${entry.name}, exported as:\n${md}`,
      );
      const again = await call(core, 'export.page', { accountId, nodeId: page.id, format: 'markdown' });
      assert.equal(again.kind === 'download' ? again.text : null, md, entry.name);
      if (entry.gfm) continue;
      // Read by the CommonMark reference parser, not by our own reader.
      const titled: TiptapDoc = {
        type: 'doc',
        content: [
          { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Round trip' }] },
          ...imported.content,
        ],
      };
      assert.deepEqual(referenceTree(md), simpleTree(canonical(titled)), entry.name);
    }
  });

  it('a page exported with its name imports back under that name', async () => {
    const core = await openTestCore();
    const notebookId = await notebookOf(core);
    const md = '# Weekly review\n\nSome *text*.\n';
    const result = await call(core, 'import.markdown', {
      accountId,
      notebookId,
      parentId: null,
      importId: importId(),
      files: [{ path: 'whatever.md', data: utf8(md) }],
    });
    const tree = await call(core, 'node.tree', { accountId, notebookId });
    const page = tree.find((n) => n.id === result.firstPageId)!;
    assert.equal(page.name, 'Weekly review');
    assert.equal(tree.find((n) => n.id === result.rootId)?.name, 'Weekly review');
    const again = await call(core, 'export.page', { accountId, nodeId: page.id, format: 'markdown' });
    assert.equal(again.kind === 'download' ? again.text : '', md);
  });

  it('reports progress, and a cancel removes everything the import made', async () => {
    const core = await openTestCore();
    const notebookId = await notebookOf(core);
    const before = (await call(core, 'node.tree', { accountId, notebookId })).length;
    const id = importId();
    const seen: { done: number; total: number }[] = [];
    core.events.on((event) => {
      if (event.name !== 'import.progress') return;
      const payload = event.payload as { importId: string; done: number; total: number };
      if (payload.importId !== id) return;
      seen.push({ done: payload.done, total: payload.total });
      if (seen.length === 2) void call(core, 'import.cancel', { accountId, importId: id });
    });
    const PAGES = 200;
    const files = Array.from({ length: PAGES }, (_, i) => ({
      path: `Many/page ${i}.md`,
      data: utf8(`Page ${i}\n`),
    }));
    const result = await call(core, 'import.markdown', {
      accountId,
      notebookId,
      parentId: null,
      importId: id,
      files,
    });
    assert.equal(result.cancelled, true);
    assert.equal(result.rootId, null);
    // First, before anything is made: how much there will be, the pages and the section holding them.
    assert.deepEqual(seen[0], { done: 0, total: PAGES + 1 });
    assert.ok(seen.length >= 2);
    assert.equal((await call(core, 'node.tree', { accountId, notebookId })).length, before);
  });

  it('refuses a parent that cannot hold pages and input that is not files', async () => {
    const core = await openTestCore();
    const notebookId = await notebookOf(core);
    const bad = await core.router.dispatch(
      'import.markdown',
      { accountId, notebookId, parentId: null, importId: importId(), files: [] },
      { senderId: 'test' },
    );
    assert.equal(bad.ok, false);
    const db = await call(core, 'node.create', {
      accountId,
      notebookId,
      type: 'database',
      parentId: (await call(core, 'node.tree', { accountId, notebookId })).find((n) => n.type === 'section')!
        .id,
      name: 'DB',
    });
    const refused = await core.router.dispatch(
      'import.markdown',
      {
        accountId,
        notebookId,
        parentId: db.id,
        importId: importId(),
        files: [{ path: 'a.md', data: utf8('a') }],
      },
      { senderId: 'test' },
    );
    assert.equal(refused.ok, false);
    if (!refused.ok) assert.match(refused.error.message, /section or a page/);
  });
});
