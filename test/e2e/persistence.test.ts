import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  appFixture,
  editorJSON,
  settlesTo,
  treeItem,
  treeOutline,
  waitForWorkspace,
  waitSaved,
} from './helpers';

/** The "Show" list, in Chromium against the real core in browser mode: what you write and arrange stays. */
describe('persistence through the real core (browser mode)', () => {
  const app = appFixture();

  test('formatted text typed in a new notebook, section and page survives a core restart', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Switch notebook' }).click();
    await page.getByRole('menuitem', { name: 'New notebook…' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('Research');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('button', { name: 'Switch notebook' }).filter({ hasText: 'Research' }).waitFor();

    await page.getByRole('button', { name: 'New section' }).click();
    const rename = page.getByRole('tree').getByRole('textbox', { name: 'Name' });
    await rename.fill('Experiments');
    await rename.press('Enter');
    await treeItem(page, 'Experiments').waitFor();

    await app.newPage('Lab log');
    const editor = page.locator('.ProseMirror');
    await editor.click();
    await page.keyboard.type('# Results');
    await page.keyboard.press('Enter');
    await page.keyboard.type('- first finding');
    await page.keyboard.press('Enter');
    await page.keyboard.type('second finding');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('This is ');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('important');
    await page.keyboard.press('Control+b');
    await page.keyboard.type(' work.');
    await waitSaved(page);

    await editor.locator('h1', { hasText: 'Results' }).waitFor();
    assert.equal(await editor.locator('ul > li').count(), 2);
    assert.equal(await editor.locator('strong').innerText(), 'important');
    const before = await editorJSON(page);
    const html = await editor.innerHTML();

    await app.restartCore();

    // The last opened page comes back by itself, in its notebook and section.
    await page.getByRole('button', { name: 'Switch notebook' }).filter({ hasText: 'Research' }).waitFor();
    await treeItem(page, 'Lab log').waitFor();
    await editor.locator('h1', { hasText: 'Results' }).waitFor();
    assert.deepEqual(await editorJSON(page), before);
    assert.equal(await editor.innerHTML(), html);
    assert.equal(await page.getByRole('textbox', { name: 'Page title' }).inputValue(), 'Lab log');
  });
  test('pages move by keyboard and by drag and drop, and the new order survives a reload', async () => {
    const { page } = app;
    await app.newPage('Alpha');
    await app.newPage('Beta');
    await app.newPage('Gamma');
    assert.deepEqual(await treeOutline(page), ['1:Notes', '2:Alpha', '2:Beta', '2:Gamma']);

    await treeItem(page, 'Gamma').focus();
    await page.keyboard.press('Alt+Shift+ArrowUp');
    await expectOutline(page, ['1:Notes', '2:Alpha', '2:Gamma', '2:Beta']);
    await page.keyboard.press('Alt+Shift+ArrowRight');
    await expectOutline(page, ['1:Notes', '2:Alpha', '3:Gamma', '2:Beta']);

    await treeItem(page, 'Beta').dragTo(treeItem(page, 'Alpha'));
    await expectOutline(page, ['1:Notes', '2:Alpha', '3:Gamma', '3:Beta']);
    await treeItem(page, 'Beta').focus();
    await page.keyboard.press('Alt+Shift+ArrowLeft');
    await expectOutline(page, ['1:Notes', '2:Alpha', '3:Gamma', '2:Beta']);

    await page.reload();
    await waitForWorkspace(page);
    await expectOutline(page, ['1:Notes', '2:Alpha', '3:Gamma', '2:Beta']);
  });
  test('a page moved to the trash can be restored, and deleted forever', async () => {
    const { page } = app;
    await app.newPage('Keep me');
    await app.newPage('Drop me');

    // Delete on a focused row trashes it at once; the toast's Undo brings it back.
    await treeItem(page, 'Drop me').focus();
    await page.keyboard.press('Delete');
    await treeItem(page, 'Drop me').waitFor({ state: 'detached' });
    await page.getByRole('status').getByRole('button', { name: 'Undo' }).click();
    await treeItem(page, 'Drop me').waitFor();

    for (const name of ['Keep me', 'Drop me']) {
      await treeItem(page, name).click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Move to trash' }).click();
      await treeItem(page, name).waitFor({ state: 'detached' });
    }

    await page.getByRole('button', { name: 'Trash' }).click();
    const trash = page.getByRole('region', { name: 'Trash' });
    await trash.getByText('Keep me').waitFor();
    await trash
      .getByRole('listitem')
      .filter({ hasText: 'Keep me' })
      .getByRole('button', { name: 'Restore' })
      .click();
    await treeItem(page, 'Keep me').waitFor();

    await trash
      .getByRole('listitem')
      .filter({ hasText: 'Drop me' })
      .getByRole('button', { name: 'Delete forever' })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete forever' }).click();
    await trash.getByText('The trash is empty').waitFor();
    assert.deepEqual(await treeOutline(page), ['1:Notes', '2:Keep me']);
  });
  test('the platform undo shortcut (Control on Linux) restores the previous text, and redo brings it back', async () => {
    const { page } = app;
    await app.newPage('Draft');
    const paragraph = page.locator('.ProseMirror p').first();
    await page.locator('.ProseMirror').click();
    await page.keyboard.type('Hello world');
    await waitSaved(page);
    // Yjs groups edits typed within 500 ms into one undo step; pause so the next words are a step of their own.
    await page.waitForTimeout(700);
    await page.keyboard.type(' and more');
    await waitSaved(page);
    await settlesTo(() => paragraph.innerText(), 'Hello world and more', 'the text typed');

    await page.keyboard.press('Control+z');
    await waitSaved(page);
    await settlesTo(() => paragraph.innerText(), 'Hello world', 'the text after undo');

    await page.keyboard.press('Control+Shift+z');
    await waitSaved(page);
    await settlesTo(() => paragraph.innerText(), 'Hello world and more', 'the text after redo');

    // The undo was saved like any edit: a reload shows the same text.
    await page.keyboard.press('Control+z');
    await waitSaved(page);
    await page.reload();
    await waitForWorkspace(page);
    await page.locator('.ProseMirror p', { hasText: 'Hello world' }).waitFor();
    assert.equal(await page.locator('.ProseMirror p').first().innerText(), 'Hello world');
  });
});

async function expectOutline(page: Page, expected: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  let actual = await treeOutline(page);
  while (JSON.stringify(actual) !== JSON.stringify(expected) && Date.now() < deadline) {
    await page.waitForTimeout(50);
    actual = await treeOutline(page);
  }
  assert.deepEqual(actual, expected);
}
