import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startTestServer } from '../support/sync';
import { appFixture, connectCore, treeItem, waitForWorkspace } from './helpers';

/** A reload or a restart comes back to where the person was: the account, the notebook and the open page. */
describe('reload keeps the place (browser mode)', () => {
  const app = appFixture();

  const switcher = (page: Page, text: RegExp) =>
    page.getByRole('button', { name: 'Switch notebook' }).filter({ hasText: text });
  const openPage = (page: Page, name: string) =>
    page.getByRole('article', { name }).getByRole('textbox', { name: 'Page title' });

  /** A section with one page in `notebookId`, or in a new notebook named `notebookName`. */
  async function seedPage(
    accountId: string,
    where: { notebookId: string } | { notebookName: string },
    pageName: string,
  ): Promise<void> {
    const core = await connectCore(app.url);
    try {
      const notebookId =
        'notebookId' in where
          ? where.notebookId
          : (await core.invoke('notebook.create', { accountId, name: where.notebookName })).id;
      const section = await core.invoke('node.create', {
        accountId,
        notebookId,
        type: 'section',
        parentId: null,
        name: 'Section',
      });
      await core.invoke('node.create', {
        accountId,
        notebookId,
        type: 'page',
        parentId: section.id,
        name: pageName,
      });
    } finally {
      core.close();
    }
  }

  async function pick(page: Page, item: string): Promise<void> {
    await page.getByRole('button', { name: 'Switch notebook' }).click();
    await page.getByRole('menuitem', { name: item, exact: true }).click();
  }

  test('the account, notebook and page are open again after a reload and after a restart', async () => {
    const server = await startTestServer();
    const { page } = app;
    const core = await connectCore(app.url);
    const account = await core.invoke('account.add', {
      serverUrl: server.url,
      token: server.createToken('ann'),
    });
    const [serverNotebook] = await core.invoke('notebook.list', { accountId: account.id });
    core.close();
    await seedPage(account.id, { notebookId: serverNotebook!.id }, 'Plans');
    await seedPage('local', { notebookName: 'Home' }, 'Groceries');
    await page.reload();
    await waitForWorkspace(page);

    // A page in the second notebook on this device.
    await pick(page, 'Home');
    await treeItem(page, 'Groceries').click();
    await openPage(page, 'Groceries').waitFor();
    await page.reload();
    await waitForWorkspace(page);
    await switcher(page, /Home.*On this device/).waitFor();
    await openPage(page, 'Groceries').waitFor();

    // A page of the server account, through a reload and a restart of the core.
    await pick(page, `Switch to ${account.name}`);
    await treeItem(page, 'Plans').click();
    await openPage(page, 'Plans').waitFor();
    await page.reload();
    await waitForWorkspace(page);
    await switcher(page, /ann @/).waitFor();
    await openPage(page, 'Plans').waitFor();
    await app.restartCore();
    await switcher(page, /ann @/).waitFor();
    await openPage(page, 'Plans').waitFor();

    // Back on this device, in a notebook with no page open: that is the place now.
    await pick(page, 'Switch to notebooks on this device');
    await pick(page, 'Home');
    await page.getByText('No page open').waitFor();
    await page.reload();
    await waitForWorkspace(page);
    await switcher(page, /Home.*On this device/).waitFor();
    await page.getByText('No page open').waitFor();
  });
});
