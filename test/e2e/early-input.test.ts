import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { appFixture, connectCore, treeItem, treeOutline, waitForWorkspace } from './helpers';

/**
 * A fast user on a slow machine: what they do before the data it needs has arrived is done once it has,
 * never dropped, and what they type goes where they meant it to. The core's answers to `slow` commands are
 * held back (the tab's socket is routed through the test), so each window is wide open, not a lucky timing.
 */
async function holdBack(page: Page, slow: ReadonlySet<string>, delayMs = 1_500): Promise<void> {
  await routeSlowly(page, slow, delayMs);
  await page.reload();
  await waitForWorkspace(page);
}

async function routeSlowly(page: Page, slow: ReadonlySet<string>, delayMs: number): Promise<void> {
  await page.routeWebSocket(/\/ipc/, (socket) => {
    const core = socket.connectToServer();
    socket.onMessage((message) => {
      const name = /"name":"([\w.]+)"/.exec(String(message))?.[1] ?? '';
      if (slow.has(name)) setTimeout(() => core.send(message), delayMs);
      else core.send(message);
    });
  });
}

const REPETITIONS = Number(process.env.EARLY_INPUT_REPETITIONS ?? 20);

/**
 * The reproduction, `REPETITIONS` times: in a notebook with nothing in it (so New page makes a section
 * on the fly), click New page and type the title, Enter and a body at once — no waiting for the title field.
 * Each run must keep every key: the title, the body, and no second page from an Enter that hit the button.
 */
async function typeRightAfterNewPage(page: Page, url: string): Promise<void> {
  const core = await connectCore(url);
  try {
    for (let i = 0; i < REPETITIONS; i++) {
      const name = `Fresh ${i}`;
      await core.invoke('notebook.create', { accountId: 'local', name });
      await page.getByRole('button', { name: 'Switch notebook' }).click();
      await page.getByRole('menuitem', { name, exact: true }).click();
      await page.getByText('This notebook is empty').waitFor();
      await page.getByRole('button', { name: 'New page', exact: true }).first().click();
      await page.keyboard.type(`Title ${i}`);
      await page.keyboard.press('Enter');
      await page.keyboard.type(`body ${i}`);
      await page.keyboard.press('Enter');
      await page.keyboard.type('more');

      await page
        .locator('.ProseMirror p', { hasText: 'more' })
        .waitFor()
        .catch(async (error: unknown) => {
          const probe = (value: Promise<unknown>) => value.catch(() => 'none');
          const state = {
            focus: await probe(page.locator(':focus').first().getAttribute('aria-label', { timeout: 1_000 })),
            title: await probe(
              page.getByRole('textbox', { name: 'Page title' }).inputValue({ timeout: 1_000 }),
            ),
            body: await probe(page.locator('.ProseMirror').innerText({ timeout: 1_000 })),
            tree: await treeOutline(page),
          };
          throw new Error(`run ${i}: ${JSON.stringify(state)}`, { cause: error });
        });
      const title = page.getByRole('textbox', { name: 'Page title' });
      const body = await page.locator('.ProseMirror p').allInnerTexts();
      assert.deepEqual([await title.inputValue(), ...body], [`Title ${i}`, `body ${i}`, 'more'], `run ${i}`);
      await treeItem(page, `Title ${i}`).waitFor();
      // Focus stayed in the editor: nothing (the new section's rename field) took it meanwhile.
      await page.waitForTimeout(100);
      assert.equal(await page.locator('.ProseMirror:focus').count(), 1, `run ${i}: the editor kept focus`);
      assert.deepEqual(await treeOutline(page), ['1:New section', `2:Title ${i}`], `run ${i}: one page`);
    }
  } finally {
    core.close();
  }
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

  test(`typing at once after New page in a new notebook keeps title and body (${REPETITIONS} runs)`, async () => {
    await typeRightAfterNewPage(app.page, app.url);
  });

  test(`… and so it does with the core's answers held back (${REPETITIONS} runs)`, async () => {
    const { page } = app;
    await routeSlowly(page, new Set(['node.create', 'node.tree', 'document.open', 'notebook.list']), 300);
    await page.reload();
    await waitForWorkspace(page);
    await typeRightAfterNewPage(page, app.url);
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
