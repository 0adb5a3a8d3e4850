import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { AppCore, LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { createNodeState } from '../../src/shared/crdt/node-doc';
import { call, createLocalPage } from '../support/core';
import { launchBrowser, makeDataDir, openApp, startCore, treeItem } from './helpers';

/**
 * Nothing synced is hidden: a node of a type this app does not know (made by a newer app) is a row of the
 * tree with its label, its children stay reachable, it opens to say what it is, and trashing its section
 * says what else goes with it.
 */
let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser.close());

describe('node types', () => {
  it('shows an unknown type with its children and says what goes to the trash with its section', async () => {
    const data = makeDataDir();
    const seed = await AppCore.open({ dataDir: data.dir, mode: 'browser' });
    const { notebook, section } = await createLocalPage(seed, 'Anchor');
    const context = seed.account(LOCAL_ACCOUNT_ID);
    const remote = (nodeId: string, attributes: Record<string, unknown>): void => {
      context.replica.db.transaction(() =>
        context.nodes.applyRemoteUpdate({
          updateId: `up_${nodeId}`,
          nodeId,
          notebookId: notebook.id,
          rootId: section.id,
          data: createNodeState(attributes).update,
          createdAt: new Date().toISOString(),
          createdBy: 'someone',
        }),
      )();
    };
    remote('nd_board', {
      type: 'whiteboard',
      parentId: section.id,
      index: 'a9',
      name: 'Sketches',
      ink: [1, 2],
    });
    remote('nd_inside', { type: 'page', parentId: 'nd_board', index: 'a0', name: 'Under the board' });
    await call(seed, 'node.create', {
      accountId: LOCAL_ACCOUNT_ID,
      notebookId: notebook.id,
      type: 'database',
      parentId: section.id,
      name: 'Tasks',
    });
    seed.close();

    const core = await startCore(data.dir);
    try {
      const { page, problems } = await openApp(browser, core.url);
      const board = treeItem(page, 'Sketches');
      await board.waitFor();
      assert.match((await board.getAttribute('aria-description')) ?? '', /Unknown item type “whiteboard”/);
      await treeItem(page, 'Under the board').waitFor();
      await treeItem(page, 'Tasks').waitFor();
      await board.click();
      const view = page.getByRole('article', { name: 'Sketches' });
      await view.getByRole('note').waitFor();
      assert.match(await view.innerText(), /made by a newer version/);
      await view.getByRole('button', { name: /Under the board/ }).click();
      await page.getByRole('article', { name: 'Under the board' }).waitFor();

      await treeItem(page, 'Notes').click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Move to trash' }).click();
      const toast = page.getByRole('status').filter({ hasText: 'moved to the trash' });
      await toast.waitFor();
      assert.match(
        await toast.innerText(),
        /with 2 pages, 1 database and 1 item of a type this app cannot show \(“whiteboard”\)/,
      );
      assert.deepEqual(problems, []);
    } finally {
      await core.stop();
      data.remove();
    }
  });
});
