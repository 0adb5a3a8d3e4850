import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appFixture, connectCore, treeItem, waitForWorkspace } from './helpers';

const ACCOUNT = 'local';
const PAGES = Number(process.env.BIG_TREE_PAGES ?? 1_500);

/** The sidebar tree of a big notebook is virtualised but keeps its keyboard model and ARIA (issue 15). */
describe('a big notebook in the sidebar (browser mode)', () => {
  const app = appFixture();

  test('1,500 pages: only the rows in view are rendered, with their place in the set; Home/End/arrows reach every row', async () => {
    const { page } = app;
    // Seeded with the tab away: it would otherwise reload its tree on each of the 1,500 creations.
    await page.goto('about:blank');
    const client = await connectCore(app.url);
    try {
      const [notebook] = await client.invoke('notebook.list', { accountId: ACCOUNT });
      assert.ok(notebook);
      const section = await client.invoke('node.create', {
        accountId: ACCOUNT,
        notebookId: notebook.id,
        type: 'section',
        parentId: null,
        name: 'Archive',
      });
      const names = Array.from({ length: PAGES }, (_, i) => `Page ${String(i + 1).padStart(4, '0')}`);
      for (let i = 0; i < names.length; i += 100)
        await Promise.all(
          names.slice(i, i + 100).map((name) =>
            client.invoke('node.create', {
              accountId: ACCOUNT,
              notebookId: notebook.id,
              type: 'page',
              parentId: section.id,
              name,
            }),
          ),
        );
    } finally {
      client.close();
    }
    await page.goto(app.url);
    await waitForWorkspace(page);
    await treeItem(page, 'Archive').waitFor();

    const rendered = await page.getByRole('treeitem').count();
    assert.ok(rendered < 120, `only the rows in view render (${rendered} of ${PAGES + 2})`);
    const first = treeItem(page, 'Page 0001');
    assert.equal(await first.getAttribute('aria-setsize'), String(PAGES));
    assert.equal(await first.getAttribute('aria-posinset'), '1');
    assert.equal(await first.getAttribute('aria-level'), '2');

    await first.focus();
    await page.keyboard.press('End');
    const last = treeItem(page, `Page ${String(PAGES).padStart(4, '0')}`);
    await last.waitFor();
    await page.locator(`[role="treeitem"][aria-posinset="${PAGES}"]:focus`).waitFor();
    assert.ok((await page.getByRole('treeitem').count()) < 120);
    await page.keyboard.press('ArrowUp');
    await page.locator(`[role="treeitem"][aria-posinset="${PAGES - 1}"]:focus`).waitFor();
    await page.keyboard.press('Home');
    await page.locator('[role="treeitem"][aria-level="1"]:focus').waitFor();
    await treeItem(page, 'Page 0001').waitFor();
    await page.keyboard.press('End');
    await page.locator(`[role="treeitem"][aria-posinset="${PAGES}"]:focus`).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('article', { name: `Page ${String(PAGES).padStart(4, '0')}` }).waitFor();

    // Scrolling renders the rows that come into view.
    await page.locator('.sidebar-tree').evaluate((el) => el.scrollTo({ top: 0 }));
    // Page N is row N (after the section), 31 px each: a few rows above it at the top of the view.
    const target = Math.min(700, PAGES);
    await page.locator('.sidebar-tree').evaluate((el, top) => el.scrollTo({ top }), 31 * (target - 3));
    await treeItem(page, `Page ${String(target).padStart(4, '0')}`).waitFor();
    assert.ok((await page.getByRole('treeitem').count()) < 120);
  });
});
