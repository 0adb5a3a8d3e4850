import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { appFixture, treeItem, waitForWorkspace } from './helpers';

/**
 * A fast user on a slow machine: what they do before the data it needs has arrived is done once it has,
 * never dropped, and what they type goes where they meant it to. The core's answers to `slow` commands are
 * held back (the tab's socket is routed through the test), so each window is wide open, not a lucky timing.
 */
async function holdBack(page: Page, slow: ReadonlySet<string>, delayMs = 1_500): Promise<void> {
  await page.routeWebSocket(/\/ipc/, (socket) => {
    const core = socket.connectToServer();
    socket.onMessage((message) => {
      const name = /"name":"([\w.]+)"/.exec(String(message))?.[1] ?? '';
      if (slow.has(name)) setTimeout(() => core.send(message), delayMs);
      else core.send(message);
    });
  });
  await page.reload();
  await waitForWorkspace(page);
}

describe('input before the data has arrived (browser mode)', () => {
  const app = appFixture();

  test('Mod+Alt+N before the notebook and its tree have loaded makes the page once they have', async () => {
    const { page } = app;
    await holdBack(page, new Set(['notebook.list', 'node.tree']));
    await page.keyboard.press('Control+Alt+n');
    await page.getByRole('article', { name: 'Untitled' }).waitFor();
    await treeItem(page, 'Untitled').waitFor();
  });

  test('text typed after Enter in a title while the page is still opening goes into its body', async () => {
    const { page } = app;
    await treeItem(page, 'Notes').waitFor();
    await holdBack(page, new Set(['document.open']));
    await page.getByRole('button', { name: 'New page', exact: true }).first().click();
    const title = page.getByRole('textbox', { name: 'Page title' });
    await title.waitFor();
    await page.keyboard.type('Plan');
    await page.keyboard.press('Enter');
    await page.keyboard.type('first line');
    await page.keyboard.press('Enter');
    await page.keyboard.type('second');
    await page.locator('.ProseMirror p', { hasText: 'second' }).waitFor();
    assert.equal(await title.inputValue(), 'Plan');
    assert.deepEqual(await page.locator('.ProseMirror p').allInnerTexts(), ['first line', 'second']);
  });

  test('Mod+Enter in a quick note before its destinations have loaded saves it once they have', async () => {
    const { page } = app;
    await treeItem(page, 'Notes').waitFor();
    await holdBack(page, new Set(['capture.destinations']));
    await page.keyboard.press('Control+Alt+q');
    const dialog = page.getByRole('dialog', { name: 'Quick note' });
    await dialog.getByRole('textbox', { name: 'Title' }).fill('Before the list');
    await dialog.getByRole('textbox', { name: 'Title' }).press('Control+Enter');
    await dialog.waitFor({ state: 'detached' });
    await treeItem(page, 'Inbox').waitFor();
  });
});
